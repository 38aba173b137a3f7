"""What open request streams (GET /__admin/requests/stream) cost the publishes: bench/run's streams
row (bench/README.md says why).

One fresh prm-mock, then PAIRS pairs of runs of wrk's valid publishes at CONNECTIONS connections,
DURATION each, alternating: no stream open, then READERS streams open, each read as fast as this
client can (the whole stream, parsed into events), then no stream again, and so on. On a shared
machine one pair swings by more than the effect measured, so the verdict compares the medians and
holds their ratio against the spread of the no-reader runs themselves (verdict()). Reported per
run: req/s, p99 and CPU per request, the CPU this process (the readers) and wrk used, how busy the
machine's cores were; and what the readers got: `event: request`s, the entries they were told
they missed (`event: dropped`), and prm-mock's own counter of those.

The readers are asyncio on raw sockets in this one Python process (one thread), on the same cores
as prm-mock and wrk, as a browser tab or `prm-mock tail` would be. Every wait has a deadline:
a stream's head must come within CONNECT_TIMEOUT_S, and the readers stop once wrk is done.
"""
import asyncio
import os
import re
import resource
import statistics
import time

from . import machine, wrk
from .pending_load import CONNECT_TIMEOUT_S, failure_kind, metrics_gauges

READERS = 100
CONNECTIONS = 32
# Pairs of (no reader, readers) runs: the row's default, bench/run --stream-pairs.
PAIRS = 3
# What prm-mock lets a reader have (mock/src/http/event_stream_limits.hpp): all readers share
# 2,000 events a second, a reader gets at most 200 of them, and its burst is at most 5 seconds of
# its share (1,000 at most). With READERS open: this share.
ALL_READERS_PER_SECOND = 2000
PER_SECOND = min(200, ALL_READERS_PER_SECOND // READERS)
BURST = min(1000, 5 * PER_SECOND)
# After wrk: what was written while it ran is still arriving; the readers get this long to take it.
SETTLE_S = 0.5
STREAM_PATH = "/__admin/requests/stream"
_DROPPED = re.compile(rb'event: dropped\ndata: \{"dropped":(\d+)\}')
_DROPPED_TOTAL = re.compile(rb"^prm_mock_event_stream_dropped_total (\d+)$", re.MULTILINE)
_STREAMS_OPEN = re.compile(rb"^prm_mock_event_streams_open (\d+)$", re.MULTILINE)


class StreamReader:
    """One open stream, read until stop(): counts its events as whole blocks arrive."""

    def __init__(self):
        self.requests = 0
        self.dropped = 0
        self.bytes = 0
        self.error = None
        self.writer = None

    async def open(self, port):
        reader, self.writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port),
                                                     CONNECT_TIMEOUT_S)
        self.writer.write(f"GET {STREAM_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                          "Accept: text/event-stream\r\n\r\n".encode())
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), CONNECT_TIMEOUT_S)
        if not head.startswith(b"HTTP/1.1 200 "):
            raise ValueError(f"not a stream: {head[:80]!r}")
        return reader

    async def read(self, reader):
        pending = b""
        try:
            while True:
                chunk = await reader.read(256 * 1024)
                if not chunk:
                    self.error = self.error or "closed by the server"
                    return
                self.bytes += len(chunk)
                # Only whole events (ended by a blank line) are counted; the rest waits for more.
                whole, separator, pending = (pending + chunk).rpartition(b"\n\n")
                if separator:
                    self.requests += whole.count(b"event: request\n")
                    self.dropped += sum(int(n) for n in _DROPPED.findall(whole))
        except (OSError, asyncio.IncompleteReadError) as error:
            self.error = failure_kind(error)

    def stop(self):
        if self.writer:
            self.writer.close()


async def _metric(port, pattern):
    """One figure from /__admin/metrics, or None."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), CONNECT_TIMEOUT_S)
        writer.write(f"GET /__admin/metrics HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                     "Connection: close\r\n\r\n".encode())
        text = await asyncio.wait_for(reader.read(), CONNECT_TIMEOUT_S)
        writer.close()
    except (OSError, asyncio.TimeoutError):
        return None
    match = pattern.search(text)
    return int(match.group(1)) if match else None


def _children_cpu_seconds():
    """User + system CPU of the child processes reaped so far (wrk, once finished)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _machine_ticks():
    """(busy, total) clock ticks of all cores so far, from /proc/stat."""
    with open("/proc/stat") as file:
        fields = [int(f) for f in file.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is counted in user already
    return total - idle, total


def _thread_cpu_seconds(pid):
    """{thread id: user + system CPU seconds so far} of each thread of process `pid`."""
    seconds = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return seconds
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[tid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


class _Meter:
    """CPU of prm-mock (and of its busiest thread), of this process (the readers, when open), of
    wrk, and the machine's busy share, between start() and stop()."""

    def __init__(self, server):
        self.server_cpu_seconds = server.cpu_seconds
        self.pid = server.process.pid

    def start(self):
        self.server = self.server_cpu_seconds()
        self.threads = _thread_cpu_seconds(self.pid)
        self.own = time.process_time()
        self.children = _children_cpu_seconds()
        self.ticks = _machine_ticks()
        self.wall = time.monotonic()

    def stop(self, result):
        busy, total = _machine_ticks()
        result["server_cpu_s"] = self.server_cpu_seconds() - self.server
        threads = _thread_cpu_seconds(self.pid)
        result["busiest_thread_cpu_s"] = max((cpu - self.threads.get(tid, 0.0) for tid, cpu in threads.items()),
                                             default=0.0)
        result["cpu_us_per_request"] = result["server_cpu_s"] * 1e6 / max(1, result["requests"])
        result["client_cpu_s"] = time.process_time() - self.own
        result["wrk_cpu_s"] = _children_cpu_seconds() - self.children
        result["wall_s"] = time.monotonic() - self.wall
        result["machine_busy"] = (busy - self.ticks[0]) / max(1, total - self.ticks[1])
        return result


def _alone(server, duration_s, wrk_threads):
    """One run with no stream open."""
    streams_open = asyncio.run(_metric(server.port, _STREAMS_OPEN))
    load = machine.load_average()
    meter = _Meter(server)
    meter.start()
    result = wrk.run(server.url(), "publish", CONNECTIONS, duration_s, wrk_threads)
    meter.stop(result)
    result["load"] = load
    result["streams_open_before"] = streams_open
    return result


async def _with_readers(server, duration_s, wrk_threads):
    """One run with READERS streams open and read whole: (wrk result, what the readers got)."""
    port = server.port
    load = machine.load_average()
    # The meter covers the readers from before they open to after they close, so the CPU this
    # process used is theirs (wrk's own CPU is its child's, counted apart).
    meter = _Meter(server)
    meter.start()
    opened_at = time.monotonic()
    readers = [StreamReader() for _ in range(READERS)]
    opened = await asyncio.gather(*(reader.open(port) for reader in readers), return_exceptions=True)
    errors = {}
    tasks = []
    for stream, reader in zip(readers, opened):
        if isinstance(reader, BaseException):
            kind = failure_kind(reader)
            errors[kind] = errors.get(kind, 0) + 1
            continue
        tasks.append(asyncio.create_task(stream.read(reader)))
    streams_open = await _metric(port, _STREAMS_OPEN)
    dropped_before = await _metric(port, _DROPPED_TOTAL) or 0
    process = wrk.start(server.url(), "publish", CONNECTIONS, duration_s, wrk_threads)
    result = await asyncio.get_running_loop().run_in_executor(None, wrk.finish, process)
    await asyncio.sleep(SETTLE_S)
    dropped_after = await _metric(port, _DROPPED_TOTAL)
    for stream in readers:
        stream.stop()
    open_s = time.monotonic() - opened_at
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    meter.stop(result)
    result["load"] = load
    for stream in readers:
        if stream.error:
            errors[stream.error] = errors.get(stream.error, 0) + 1
    return result, {
        "readers": READERS,
        "opened": len(tasks),
        "streams_open": streams_open,
        "errors": errors,
        "requests": sum(s.requests for s in readers),
        "dropped": sum(s.dropped for s in readers),
        "mib": sum(s.bytes for s in readers) / (1024 * 1024),
        "server_dropped": None if dropped_after is None else dropped_after - dropped_before,
        "duration_s": duration_s,
        "open_s": open_s,
        # The most one reader may get in the time its stream was open.
        "bound_per_reader": BURST + PER_SECOND * open_s,
    }


def verdict(nones, readers):
    """The medians, their ratio (readers / none), the no-reader runs' spread, and the verdict: the
    readers' cost is not measurable when the ratio lies within the range the no-reader runs span
    around their own median (min / median .. max / median); otherwise it is 1 - ratio."""
    none_rps = [r["rps"] for r in nones]
    readers_rps = [r["rps"] for r in readers]
    none_median = statistics.median(none_rps)
    readers_median = statistics.median(readers_rps)
    ratio = readers_median / none_median if none_median else 0.0
    low = min(none_rps) / none_median if none_median else 0.0
    high = max(none_rps) / none_median if none_median else 0.0
    within = low <= ratio <= high
    if within:
        words = (f"not measurable: the readers' median is {ratio:.2f}x the no-reader median, within "
                 f"the no-reader runs' own range of {low:.2f}-{high:.2f}x (spread {high - low:.0%})")
    elif ratio < low:
        words = (f"the readers cost {1 - ratio:.0%} of throughput: their median is {ratio:.2f}x the "
                 f"no-reader median, below the no-reader runs' own range of {low:.2f}-{high:.2f}x "
                 f"(spread {high - low:.0%})")
    else:
        words = (f"no cost seen: the readers' median is {ratio:.2f}x the no-reader median, above the "
                 f"no-reader runs' own range of {low:.2f}-{high:.2f}x (spread {high - low:.0%}); "
                 "other load moved between the runs more than the readers did")
    return {"none_median_rps": none_median, "readers_median_rps": readers_median, "ratio": ratio,
            "none_low": low, "none_high": high, "spread": high - low, "measurable": not within,
            "cost": 1 - ratio, "words": words,
            "none_median_cpu_us": statistics.median(r["cpu_us_per_request"] for r in nones),
            "readers_median_cpu_us": statistics.median(r["cpu_us_per_request"] for r in readers)}


def run(server, duration_s, wrk_threads, pairs=PAIRS, say=None):
    """PAIRS alternating pairs on `server` (a fresh prm-mock, the same for all):
    {"pairs": [{"none": wrk result, "readers": wrk result, "streams": ...}], "verdict": ..., "row_s": s}."""
    started = time.monotonic()
    done = []
    for index in range(pairs):
        none = _alone(server, duration_s, wrk_threads)
        with_readers, streams = asyncio.run(_with_readers(server, duration_s, wrk_threads))
        done.append({"none": none, "readers": with_readers, "streams": streams})
        if say:
            say(index + 1, done[-1])
    return {"pairs": done, "verdict": verdict([p["none"] for p in done], [p["readers"] for p in done]),
            "row_s": time.monotonic() - started, "duration_s": duration_s}
