"""Publishes that stay pending, and what they cost everyone else: bench/run's baseline, delayed and
held rows (bench/README.md says why).

- baseline: NORMAL valid publishes one after another on one keep-alive connection, nothing else
  in flight.
- delayed: PENDING connections each send one publish at once that a fixture answers 200 after
  DELAY_MS; while they wait, the same NORMAL publishes as the baseline on another connection.
- held: PENDING connections each send one publish that a `"fault": "timeout"` fixture holds open;
  the NORMAL publishes meanwhile; then the held clients close and prm-mock's connection gauge
  (`prm_mock_connections_open`) must drop back to where it was.

The client is asyncio on raw sockets (one process, one thread, epoll): the HTTP/1.1 bytes are
built here, answers read by Content-Length. Every wait has a deadline: a request unanswered after
REQUEST_TIMEOUT_S counts as an error, no normal publish starts after NORMAL_PHASE_S, and the gauge
is polled for at most GAUGE_DRAIN_S.
"""
import asyncio
import json
import math
import os
import re
import resource
import time

from .publish_request import PATH, VALID_BODY

PENDING = 1000
NORMAL = 100
WARM_UP = 10  # unmeasured publishes on a fresh normal connection first
DELAY_MS = 2000
DELAY_WINDOW_S = (2.0, 2.5)  # where every delayed answer should land, counted from its send
NORMAL_P99_TARGET_MS = 20.0
MAX_CONNECTIONS = 4096  # prm-mock's --max-connections for these rows (default 1024 < PENDING + a few)
CONNECT_TIMEOUT_S = 10.0
REQUEST_TIMEOUT_S = 30.0
NORMAL_PHASE_S = 40.0  # from the first normal publish: none starts later
HOLD_MIN_S = 3.0  # the held connections stay open at least this long after their sends
METRICS_TIMEOUT_S = 5.0
GAUGE_DRAIN_S = 30.0
GAUGE_POLL_S = 0.1
CLOSE_TIMEOUT_S = 5.0

DELAYED_PROMPT = "bench-delayed"
HELD_PROMPT = "bench-held"

_GAUGE = re.compile(rb"^prm_mock_connections_open (\d+)$", re.MULTILINE)
_REFUSED = re.compile(rb"^prm_mock_connections_refused_total (\d+)$", re.MULTILINE)


def body_with_prompt(prompt):
    body = VALID_BODY.replace(b'"prompt":"greeting"', b'"prompt":"' + prompt.encode() + b'"')
    if body == VALID_BODY:
        raise ValueError("publish_request.VALID_BODY no longer has the prompt this replaces")
    return body


def write_fixtures(directory):
    """The two fixtures these rows need; the normal publish (prompt `greeting`) matches neither."""
    os.makedirs(directory, exist_ok=True)
    fixtures = [
        {"name": "bench-delayed", "priority": 1000,
         "description": f"bench/run delayed row: 200 after {DELAY_MS} ms.",
         "when": {"body": {"/artifact/prompt": {"equals": DELAYED_PROMPT}}},
         "response": {"status": 200, "body": {"id": "{{uuid}}", "delayedMs": DELAY_MS}},
         "delayMs": DELAY_MS},
        {"name": "bench-held", "priority": 1000,
         "description": "bench/run held row: the connection is held until the client gives up.",
         "when": {"body": {"/artifact/prompt": {"equals": HELD_PROMPT}}},
         "response": {"status": 200, "body": {"id": "{{uuid}}"}},
         "fault": "timeout"},
    ]
    for fixture in fixtures:
        with open(os.path.join(directory, fixture["name"] + ".json"), "w") as file:
            json.dump(fixture, file, indent=2)
    return directory


def server_arguments(fixtures_dir):
    return ["--fixtures", fixtures_dir, "--max-connections", str(MAX_CONNECTIONS)]


def raise_open_file_limit(needed=None):
    """Raises this process's soft RLIMIT_NOFILE towards `needed` (default: room for PENDING
    connections twice, the servers started later inherit it); returns the soft limit now in force."""
    needed = 2 * PENDING + 512 if needed is None else needed
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def publish_bytes(port, body, close):
    head = (f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"X-API-Key: k-bench\r\nContent-Length: {len(body)}\r\n"
            + ("Connection: close\r\n" if close else "") + "\r\n")
    return head.encode() + body


def _metrics_bytes(port):
    return f"GET /__admin/metrics HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()


async def read_response(reader):
    """(status, headers with lower-case names, body) of one HTTP/1.1 answer."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head[:-4].split(b"\r\n")
    parts = lines[0].split()
    if len(parts) < 2 or not parts[1].isdigit():
        raise ValueError(f"not a status line: {lines[0][:80]!r}")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if b"content-length" in headers:
        body = await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        body = b""
        for _ in range(100_000):  # bounded: a chunk per iteration
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            body += await reader.readexactly(size)
            await reader.readexactly(2)
    else:
        body = await reader.read()  # Connection: close, no length: the rest of the stream
    return int(parts[1]), headers, body


def failure_kind(error):
    if isinstance(error, asyncio.TimeoutError):
        return "timeout"
    if isinstance(error, ConnectionResetError):
        return "reset"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, asyncio.IncompleteReadError):
        return "closed"  # the stream ended before a whole answer
    if isinstance(error, OSError):
        return f"socket error {error.errno}"
    return "bad answer"


async def _close(writers):
    for writer in writers:
        writer.close()
    # wait_closed() can raise the connection's error: it is already counted, or does not matter.
    waits = [asyncio.wait_for(writer.wait_closed(), CLOSE_TIMEOUT_S) for writer in writers]
    await asyncio.gather(*waits, return_exceptions=True)


async def metrics_gauges(port, timeout=None):
    """(connections open, connections refused) from /__admin/metrics, or (None, None) if it did not
    answer within timeout (METRICS_TIMEOUT_S)."""
    timeout = METRICS_TIMEOUT_S if timeout is None else timeout
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    except (OSError, asyncio.TimeoutError):
        return None, None
    try:
        writer.write(_metrics_bytes(port))
        status, _, body = await asyncio.wait_for(read_response(reader), timeout)
    except (OSError, ValueError, asyncio.TimeoutError, asyncio.IncompleteReadError,
            asyncio.LimitOverrunError):
        return None, None
    finally:
        await _close([writer])
    open_match, refused_match = _GAUGE.search(body), _REFUSED.search(body)
    if status != 200 or not open_match:
        return None, None
    return int(open_match.group(1)), int(refused_match.group(1)) if refused_match else None


class KeepAliveClient:
    """Valid publishes one after another on one keep-alive connection; after a failure the next
    publish opens a new connection (the old one may still owe an answer)."""

    def __init__(self, port):
        self.port = port
        self.request = publish_bytes(port, VALID_BODY, close=False)
        self.reader = self.writer = None

    async def publish(self, timeout):
        """(200 or another status or a failure kind, seconds from send to the whole answer)."""
        started = time.perf_counter()
        try:
            if self.writer is None:
                self.reader, self.writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", self.port), timeout)
                started = time.perf_counter()
            self.writer.write(self.request)
            left = max(0.001, timeout - (time.perf_counter() - started))
            status, headers, _ = await asyncio.wait_for(read_response(self.reader), left)
        except (OSError, ValueError, asyncio.TimeoutError, asyncio.IncompleteReadError,
                asyncio.LimitOverrunError) as error:
            await self.close()
            return failure_kind(error), time.perf_counter() - started
        elapsed = time.perf_counter() - started
        if headers.get(b"connection", b"").lower() == b"close":
            await self.close()
        return status, elapsed

    async def close(self):
        if self.writer is not None:
            await _close([self.writer])
        self.reader = self.writer = None

    async def warm_up(self):
        await self.series(WARM_UP, REQUEST_TIMEOUT_S)

    async def series(self, count=None, phase_s=None):
        """count (NORMAL) publishes in a row: [(outcome, seconds, finished at perf_counter)]. None
        starts after phase_s (NORMAL_PHASE_S); the missing ones are 'not sent' in summarize_normal()."""
        count = NORMAL if count is None else count
        deadline = time.perf_counter() + (NORMAL_PHASE_S if phase_s is None else phase_s)
        outcomes = []
        for _ in range(count):
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            outcome, seconds = await self.publish(min(REQUEST_TIMEOUT_S, left))
            outcomes.append((outcome, seconds, time.perf_counter()))
        return outcomes


def percentile(values, fraction):
    """Nearest rank of sorted values (math.inf for the unanswered sorts last)."""
    return values[max(0, math.ceil(fraction * len(values)) - 1)] if values else math.inf


def _count(counts, key):
    counts[key] = counts.get(key, 0) + 1


def summarize_normal(label, outcomes, pending_until=None):
    """Percentiles over all `count` planned publishes: one not answered 200 sorts after every
    answer (math.inf), so a p99 is never flattered by leaving out what timed out."""
    errors = {}
    latencies = []
    answered = 0
    count = NORMAL
    for outcome, seconds, _ in outcomes:
        if outcome == 200:
            answered += 1
            latencies.append(seconds * 1000)
        else:
            _count(errors, outcome if isinstance(outcome, str) else f"status {outcome}")
    if count > len(outcomes):
        errors["not sent"] = count - len(outcomes)
    slowest = max(latencies) if latencies else None
    latencies += [math.inf] * (count - answered)
    latencies.sort()
    summary = {"label": label, "count": count, "answered": answered,
               "p50_ms": percentile(latencies, 0.50), "p99_ms": percentile(latencies, 0.99),
               "max_ms": latencies[-1] if latencies else math.inf, "slowest_answer_ms": slowest,
               "errors": errors}
    if pending_until is not None:
        # Answered while at least one pending request was still waiting for its own answer.
        summary["while_pending"] = sum(1 for outcome, _, finished in outcomes
                                       if outcome == 200 and finished < pending_until)
    return summary


async def _open_many(port, count):
    """count connections opened at once: [(reader, writer) or a failure kind]."""
    async def one():
        try:
            return await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), CONNECT_TIMEOUT_S)
        except (OSError, asyncio.TimeoutError) as error:
            return failure_kind(error)
    started = time.perf_counter()
    results = await asyncio.gather(*(one() for _ in range(count)))
    return results, time.perf_counter() - started


def _send_all(connections, request):
    """Writes request on every connection in one pass (no awaits in between); their send times."""
    sent_at = []
    for reader, writer in connections:
        sent_at.append(time.perf_counter())
        writer.write(request)
    return sent_at


async def baseline(port):
    client = KeepAliveClient(port)
    try:
        await client.warm_up()
        return summarize_normal("baseline (nothing pending)", await client.series())
    finally:
        await client.close()


async def _open_counted(port, count):
    """Opens `count` connections: the open ones, the connect errors by kind, and the seconds it took."""
    opened, connect_s = await _open_many(port, count)
    errors = {}
    for failure in opened:
        if isinstance(failure, str):
            _count(errors, "connect " + failure)
    return [c for c in opened if not isinstance(c, str)], errors, connect_s


async def wait_for_gauge_drop(port, gauge_before, closing):
    """Polls the open-connection gauge (bounded by GAUGE_DRAIN_S from `closing`) until it is back
    to `gauge_before`: (seconds it took or None, the last value read or None)."""
    drop_s = gauge_after = None
    for _ in range(int(GAUGE_DRAIN_S / GAUGE_POLL_S) + 1):
        if time.perf_counter() - closing > GAUGE_DRAIN_S:
            break
        value, _ = await metrics_gauges(port, timeout=2.0)
        if value is not None:
            gauge_after = value
            if gauge_before is not None and value <= gauge_before:
                drop_s = time.perf_counter() - closing
                break
        await asyncio.sleep(GAUGE_POLL_S)
    return drop_s, gauge_after


async def delayed(port):
    count = PENDING
    client = KeepAliveClient(port)
    await client.warm_up()  # connected and warm before the burst
    connections, errors, connect_s = await _open_counted(port, count)
    sent_at = _send_all(connections, publish_bytes(port, body_with_prompt(DELAYED_PROMPT), close=True))

    async def answer(index):
        reader = connections[index][0]
        try:
            status, _, _ = await asyncio.wait_for(read_response(reader), REQUEST_TIMEOUT_S)
        except (OSError, ValueError, asyncio.TimeoutError, asyncio.IncompleteReadError,
                asyncio.LimitOverrunError) as error:
            return failure_kind(error), None
        return status, time.perf_counter()

    answers = [asyncio.ensure_future(answer(i)) for i in range(len(connections))]
    normal = await client.series()
    results = await asyncio.gather(*answers)
    await client.close()
    await _close([writer for _, writer in connections])

    times = []
    for (outcome, arrived), sent in zip(results, sent_at):
        if outcome == 200:
            times.append(arrived - sent)
        else:
            _count(errors, outcome if isinstance(outcome, str) else f"status {outcome}")
    first_answer = min((arrived for outcome, arrived in results if arrived is not None), default=math.inf)
    low, high = DELAY_WINDOW_S
    answered = len(times)
    slowest = max(times) if times else None
    in_window = sum(1 for t in times if low <= t <= high)
    times += [math.inf] * (count - len(times))
    times.sort()
    burst = {"label": f"{count:,} publishes answered after {DELAY_MS} ms", "count": count,
             "connected": len(connections), "connect_s": connect_s,
             "send_spread_ms": (sent_at[-1] - sent_at[0]) * 1000 if sent_at else 0.0,
             "answered": answered, "in_window": in_window,
             "min_s": times[0], "p50_s": percentile(times, 0.5), "max_s": times[-1],
             "slowest_answer_s": slowest, "errors": errors}
    return {"burst": burst,
            "normal": summarize_normal(f"during {count:,} delayed ({DELAY_MS} ms)", normal,
                                       pending_until=first_answer)}


async def held(port):
    count = PENDING
    client = KeepAliveClient(port)
    await client.warm_up()
    gauge_before, refused_before = await metrics_gauges(port)
    connections, errors, connect_s = await _open_counted(port, count)
    sent_at = _send_all(connections, publish_bytes(port, body_with_prompt(HELD_PROMPT), close=False))
    first_sent = sent_at[0] if sent_at else time.perf_counter()

    async def watch(reader):
        """Returns when the server ends the hold on its own: bytes or the connection's end."""
        try:
            data = await reader.read(1)
        except OSError as error:
            return failure_kind(error), time.perf_counter()
        return ("answered" if data else "closed by the server"), time.perf_counter()

    watchers = [asyncio.ensure_future(watch(reader)) for reader, _ in connections]
    normal = await client.series()
    await asyncio.sleep(max(0.0, first_sent + HOLD_MIN_S - time.perf_counter()))
    gauge_during, _ = await metrics_gauges(port)
    ended_early = {}
    ended_at = []
    for watcher in watchers:
        if watcher.done():
            kind, at = watcher.result()
            _count(ended_early, kind)
            ended_at.append(at - first_sent)
        else:
            watcher.cancel()
    held_s = time.perf_counter() - first_sent
    still_held = len(connections) - sum(ended_early.values())

    # The held clients give up: a FIN on each. The gauge must come back to where it was.
    closing = time.perf_counter()
    await _close([writer for _, writer in connections])
    await asyncio.gather(*watchers, return_exceptions=True)
    drop_s, gauge_after = await wait_for_gauge_drop(port, gauge_before, closing)
    _, refused_after = await metrics_gauges(port, timeout=2.0)
    await client.close()
    return {"hold": {"label": f"{count:,} publishes held open", "count": count, "connected": len(connections),
                     "connect_s": connect_s, "errors": errors, "held_s": held_s, "still_held": still_held,
                     "ended_early": ended_early, "first_end_s": min(ended_at) if ended_at else None,
                     "gauge_before": gauge_before, "gauge_during": gauge_during, "gauge_after": gauge_after,
                     "gauge_drop_s": drop_s, "gauge_wait_s": GAUGE_DRAIN_S,
                     "refused": (refused_after - refused_before
                                 if refused_after is not None and refused_before is not None else None)},
            "normal": summarize_normal(f"during {count:,} held open", normal, pending_until=closing)}


def run(coroutine):
    return asyncio.run(coroutine)
