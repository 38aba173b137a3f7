"""10,000 idle keep-alive connections, and what they cost: bench/run's idle row (bench/README.md
says why).

A fresh prm-mock (`server_arguments()`): first JOURNAL_FILL publishes on the normal connection, so
the journal is full and turned over once and the RSS measured next is not the journal's growth; RSS;
then IDLE
connections, opened OPEN_CONCURRENCY at a time, each sending one valid publish and reading its
200, then left idle (keep-alive); RSS again once all are open; NORMAL publishes on the normal
connection while they idle (for at least IDLE_MIN_S after the last one opened);
`prm_mock_connections_open` from /__admin/metrics; then the idle
clients close (FIN) and the gauge must drop back to where it was before the row.

The client is pending_load's: asyncio on raw sockets, one thread. Every wait has a deadline: a
connect gives up after CONNECT_TIMEOUT_S, an answer after REQUEST_TIMEOUT_S, no connection is
opened after OPEN_PHASE_S, no fill publish starts after FILL_PHASE_S, no normal publish after
NORMAL_PHASE_S, and the gauge is polled for at most GAUGE_DRAIN_S.
"""
import asyncio
import time

from . import pending_load
from .pending_load import (CONNECT_TIMEOUT_S, GAUGE_DRAIN_S, REQUEST_TIMEOUT_S, KeepAliveClient,
                           failure_kind, metrics_gauges, publish_bytes, read_response, summarize_normal)
from .publish_request import VALID_BODY

IDLE = 10_000
MAX_CONNECTIONS = 20_000  # prm-mock's --max-connections for this row (default 1024 < IDLE)
# Longer than the row can last (the fill, opening and normal phases are each bounded, below), so
# prm-mock's idle limit (default 60 s) never closes a connection the row still counts as open.
IDLE_TIMEOUT_MS = 600_000
# Twice prm-mock's default journal limit (10,000): its RSS grows while the journal fills and again,
# by less, while it turns over the first time, then stays flat (measured: 10.0 MiB fresh, 38.2 after
# 10,000 publishes, 49.3 after 20,000, 49.3 after 30,000, 49.4 after 40,000).
JOURNAL_FILL = 20_000
FILL_PHASE_S = 120.0
OPEN_CONCURRENCY = 256  # connects and first publishes in flight at once (the listen backlog is finite)
OPEN_PHASE_S = 120.0
SETTLE_S = 1.0  # after the last connection's 200, before the RSS is read: all idle by then
IDLE_MIN_S = 3.0  # the idle connections stay open at least this long after the last one opened
RSS_TARGET_MIB = 64.0
# Room this client needs: the idle connections, the normal one, metrics reads, stdio and Python's.
OPEN_FILES_NEEDED = IDLE + 256


def server_arguments():
    return ["--max-connections", str(MAX_CONNECTIONS), "--idle-timeout", str(IDLE_TIMEOUT_MS)]


async def _open_idle(port, count):
    """count connections, each with one keep-alive publish answered: ([(reader, writer)], errors
    by kind, seconds). At most OPEN_CONCURRENCY in flight; none started after OPEN_PHASE_S."""
    request = publish_bytes(port, VALID_BODY, close=False)
    opened = []
    errors = {}
    next_index = 0
    started = time.perf_counter()
    deadline = started + OPEN_PHASE_S

    def count_error(kind):
        errors[kind] = errors.get(kind, 0) + 1

    async def one():
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), CONNECT_TIMEOUT_S)
        except (OSError, asyncio.TimeoutError) as error:
            count_error("connect " + failure_kind(error))
            return
        try:
            writer.write(request)
            status, headers, _ = await asyncio.wait_for(read_response(reader), REQUEST_TIMEOUT_S)
        except (OSError, ValueError, asyncio.TimeoutError, asyncio.IncompleteReadError,
                asyncio.LimitOverrunError) as error:
            count_error(failure_kind(error))
            writer.close()
            return
        if status != 200:
            count_error(f"status {status}")
            writer.close()
        elif headers.get(b"connection", b"").lower() == b"close":
            count_error("closed after its 200")  # not kept alive: not an idle connection
            writer.close()
        else:
            opened.append((reader, writer))

    async def worker():
        nonlocal next_index
        for _ in range(count):  # bounded: at most one connection per iteration
            if next_index >= count or time.perf_counter() > deadline:
                return
            next_index += 1
            await one()

    await asyncio.gather(*(worker() for _ in range(min(OPEN_CONCURRENCY, count))))
    if next_index < count:
        errors["not opened"] = count - next_index
    return opened, errors, time.perf_counter() - started


async def idle(port, rss_kib):
    """The row against prm-mock on port; rss_kib() reads the server's VmRSS in KiB."""
    count = IDLE
    client = KeepAliveClient(port)
    rss_fresh = rss_kib()
    fill_started = time.perf_counter()
    fill = await client.series(JOURNAL_FILL, FILL_PHASE_S)
    fill_s = time.perf_counter() - fill_started
    fill_answered = sum(1 for outcome, _, _ in fill if outcome == 200)
    gauge_before, refused_before = await metrics_gauges(port)
    rss_before = rss_kib()

    connections, errors, open_s = await _open_idle(port, count)

    async def watch(reader):
        """Returns when the server ends an idle connection on its own: bytes or the connection's end."""
        try:
            data = await reader.read(1)
        except OSError as error:
            return failure_kind(error), time.perf_counter()
        return ("sent bytes unasked" if data else "closed by the server"), time.perf_counter()

    idle_since = time.perf_counter()
    watchers = [asyncio.ensure_future(watch(reader)) for reader, _ in connections]
    await asyncio.sleep(SETTLE_S)
    rss_open = rss_kib()

    normal = await client.series()
    await asyncio.sleep(max(0.0, idle_since + IDLE_MIN_S - time.perf_counter()))
    gauge_during, _ = await metrics_gauges(port)
    ended_early = {}
    for watcher in watchers:
        if watcher.done():
            kind, _ = watcher.result()
            ended_early[kind] = ended_early.get(kind, 0) + 1
        else:
            watcher.cancel()
    still_open = len(connections) - sum(ended_early.values())
    idle_s = time.perf_counter() - idle_since

    # The idle clients go away: a FIN on each. The gauge must come back to where it was.
    closing = time.perf_counter()
    await pending_load._close([writer for _, writer in connections])
    await asyncio.gather(*watchers, return_exceptions=True)
    close_s = time.perf_counter() - closing
    drop_s, gauge_after = await pending_load.wait_for_gauge_drop(port, gauge_before, closing)
    _, refused_after = await metrics_gauges(port, timeout=2.0)
    rss_closed = rss_kib()
    await client.close()
    return {"idle": {"label": f"{count:,} idle keep-alive connections", "count": count,
                     "connected": len(connections), "open_s": open_s, "errors": errors,
                     "still_open": still_open, "idle_s": idle_s, "ended_early": ended_early,
                     "fill": JOURNAL_FILL, "fill_answered": fill_answered, "fill_s": fill_s,
                     "rss_fresh_kib": rss_fresh, "rss_before_kib": rss_before, "rss_open_kib": rss_open,
                     "rss_closed_kib": rss_closed,
                     "gauge_before": gauge_before, "gauge_during": gauge_during, "gauge_after": gauge_after,
                     "gauge_drop_s": drop_s, "gauge_wait_s": GAUGE_DRAIN_S, "close_s": close_s,
                     "refused": (refused_after - refused_before
                                 if refused_after is not None and refused_before is not None else None)},
            # Every normal publish was answered while all the idle connections were open.
            "normal": summarize_normal(f"during {count:,} idle keep-alive connections", normal,
                                       pending_until=closing)}
