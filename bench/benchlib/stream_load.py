"""What open request streams (GET /__admin/requests/stream) cost the publishes: bench/run's streams
row (bench/README.md says why).

One fresh prm-mock, wrk's valid publishes at CONNECTIONS connections twice, DURATION each: first
with no stream open, then with READERS streams open, each read as fast as this client can (the
whole stream, parsed into events). Reported: req/s, p99 and CPU per request of both, the ratio
(readers / none), and what the readers got: `event: request`s, the entries they were told they
missed (`event: dropped`), and prm-mock's own counter of those.

The readers are asyncio on raw sockets in this one Python process (one thread), on the same cores
as prm-mock and wrk, as a browser tab or `prm-mock tail` would be. Every wait has a deadline:
a stream's head must come within CONNECT_TIMEOUT_S, and the readers stop once wrk is done.
"""
import asyncio
import re
import time

from . import wrk
from .pending_load import CONNECT_TIMEOUT_S, failure_kind, metrics_gauges

READERS = 100
CONNECTIONS = 32
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


async def _with_readers(port, url, duration_s, wrk_threads, cpu_seconds):
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
    cpu_before = cpu_seconds()
    process = wrk.start(url, "publish", CONNECTIONS, duration_s, wrk_threads)
    result = await asyncio.get_running_loop().run_in_executor(None, wrk.finish, process)
    result["cpu_us_per_request"] = (cpu_seconds() - cpu_before) * 1e6 / max(1, result["requests"])
    # What was written while wrk ran is still arriving: give the readers a moment to take it.
    await asyncio.sleep(0.5)
    dropped_after = await _metric(port, _DROPPED_TOTAL)
    for stream in readers:
        stream.stop()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
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
    }


def run(server, duration_s, wrk_threads):
    """Both rows on `server` (a fresh prm-mock): {"none": wrk result, "readers": wrk result, "streams": ...}."""
    cpu_before = server.cpu_seconds()
    started = time.monotonic()
    none = wrk.run(server.url(), "publish", CONNECTIONS, duration_s, wrk_threads)
    none["cpu_us_per_request"] = (server.cpu_seconds() - cpu_before) * 1e6 / max(1, none["requests"])
    with_readers, streams = asyncio.run(
        _with_readers(server.port, server.url(), duration_s, wrk_threads, server.cpu_seconds))
    streams["row_s"] = time.monotonic() - started
    return {"none": none, "readers": with_readers, "streams": streams}
