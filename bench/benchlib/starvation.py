"""Connections that got no answer at all during a row, seen from the server's side.

wrk 4.1 counts a "timeout" only when a late response finally arrives, so a connection that is
never served (a thread-per-connection server with more connections than threads) shows up
nowhere in its output. Here two `ss` snapshots of every connection's bytes_sent, taken inside the
row, find the connections whose server sent nothing between them. This works alike for every
server on the port, nginx's worker processes included.
"""
import re
import subprocess

_BYTES_SENT = re.compile(r"\bbytes_sent:(\d+)")


# Nothing for this long is what wrk would call a timeout, if it counted unanswered requests. A
# shorter window would flag healthy connections of a slow row (at 100 requests/s over 32
# connections each waits ~300 ms between answers).
MIN_WINDOW_S = 2.0


def window(duration_s):
    """(start, end) seconds into a row: after wrk has connected, before it stops; None when the
    row is too short for a window of MIN_WINDOW_S (bench/run --quick)."""
    start = 0.25 * duration_s
    end = duration_s - 0.5
    return (start, end) if end - start >= MIN_WINDOW_S else None


def window_length(duration_s):
    bounds = window(duration_s)
    return round(bounds[1] - bounds[0], 2) if bounds else None


def bytes_sent_by_connection(port):
    output = subprocess.run(["ss", "-tniH", "state", "established", f"( sport = :{port} )"],
                            capture_output=True, text=True, check=True).stdout
    sent = {}
    peer = None
    for line in output.splitlines():
        if line[:1].isspace():  # the info line of the socket on the line before
            if peer is not None:
                match = _BYTES_SENT.search(line)
                sent[peer] = int(match.group(1)) if match else 0
        elif line.strip():
            peer = line.split()[-1]
            sent[peer] = 0
    return sent


def count_starved(before, after):
    """Connections open at both snapshots that the server sent nothing to in between."""
    return sum(1 for peer, sent in after.items() if peer in before and sent == before[peer])
