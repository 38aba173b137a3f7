"""End-to-end tests of `prm-mock tail`: a real mock, a real tail child, requests published between.

The tail's output is read line by line as it comes (a pipe, or a pseudo-terminal for the colour
tests) by a reader thread; each test waits for the lines it needs against a deadline. The tail
says on stderr when it follows the stream; only requests published after that are shown, so the
tests publish after that line, never after a sleep.

Run: PRM_MOCK_BIN=build/prm-mock python3 -m unittest -v tests/e2e/test_tail.py
"""
import json
import os
import pty
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import unittest

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prm_mock_process import (  # noqa: E402
    PrmMock, binary_path, child_environment, payload_without, run_cli, smallest_payload)

TIMEOUT = 10  # seconds, for every HTTP call and every wait for a line
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# The default fixture answers a valid publish 200.
LINE_200 = re.compile(r"^\d\d:\d\d:\d\d\.\d{3}  200  POST /api/registries/artifacts  \S+  "
                      r"\d+(\.\d)? ms$")
LINE_400 = re.compile(r"^\d\d:\d\d:\d\d\.\d{3}  400  POST /api/registries/artifacts  -  "
                      r"\d+(\.\d)? ms  /artifact/hash: missing required property 'hash'$")
VIOLATION_LINE = "    body /artifact/hash  required  missing required property 'hash'"


def publish(mock, payload, key="test-key"):
    return requests.post(mock.publish_url, json=payload, timeout=TIMEOUT,
                         headers={"X-API-Key": key, "Content-Type": "application/json"})


class Lines:
    """The lines a file descriptor delivers, collected by a thread; `until` waits for one."""

    def __init__(self, fd):
        self.fd = fd
        self.queue = queue.Queue()
        self.seen = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        pending = b""
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # a pseudo-terminal whose other side closed
                chunk = b""
            if not chunk:
                if pending:
                    self.queue.put(pending.decode("utf-8", errors="replace"))
                self.queue.put(None)
                return
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for line in complete:
                # A terminal turns "\n" into "\r\n".
                self.queue.put(line.rstrip(b"\r").decode("utf-8", errors="replace"))

    def everything(self):
        """Every line delivered so far, once the descriptor has reached its end."""
        self.thread.join(timeout=TIMEOUT)
        lines = list(self.seen)
        while not self.queue.empty():
            line = self.queue.get_nowait()
            if line is not None:
                lines.append(line)
        return lines

    def _next(self, what, deadline, timeout):
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no line with {what} within {timeout}s; got {self.seen!r}")
            try:
                line = self.queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"output ended without {what}; got {self.seen!r}")
            self.seen.append(line)
            return line

    def find(self, predicate, what, timeout=TIMEOUT, start=0):
        """The index in `seen` of the first line from `start` on that satisfies `predicate`,
        reading more lines until one does."""
        deadline = time.monotonic() + timeout
        index = start
        while True:
            while index < len(self.seen):
                if predicate(self.seen[index]):
                    return index
                index += 1
            self._next(what, deadline, timeout)

    def until(self, predicate, what, timeout=TIMEOUT):
        """The first line that satisfies `predicate` (see find)."""
        return self.seen[self.find(predicate, what, timeout)]

    def at(self, index, what, timeout=TIMEOUT):
        """Line `index`, once it has come."""
        deadline = time.monotonic() + timeout
        while len(self.seen) <= index:
            self._next(what, deadline, timeout)
        return self.seen[index]

    def text(self):
        return "\n".join(self.seen)


class Tail:
    """One `prm-mock tail` child. stdout on a pipe, or on a pseudo-terminal with terminal=True;
    stderr always on a pipe. Ended by its PID in close()."""

    def __init__(self, *args, terminal=False, env=None):
        environment = child_environment(env)
        if "NO_COLOR" not in (env or {}):
            environment.pop("NO_COLOR", None)
        stdout = subprocess.PIPE
        self.master = None
        if terminal:
            self.master, replica = os.openpty()
            stdout = replica
        self.proc = subprocess.Popen([binary_path(), "tail", *args], stdin=subprocess.DEVNULL,
                                     stdout=stdout, stderr=subprocess.PIPE, env=environment)
        if terminal:
            os.close(replica)
            self.out = Lines(self.master)
        else:
            self.out = Lines(self.proc.stdout.fileno())
        self.err = Lines(self.proc.stderr.fileno())

    def wait_following(self):
        self.err.until(lambda line: "following" in line, "the tail following the stream")

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()  # this PID only
        self.proc.wait()
        # The child is gone, so the readers reach the end at once; only then are their
        # descriptors closed (a number closed under a reader could be reused by another file).
        for lines in (self.out, self.err):
            lines.thread.join(timeout=TIMEOUT)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()
        if self.master is not None:
            os.close(self.master)
            self.master = None


class TailTestCase(unittest.TestCase):
    def start_mock(self, *args):
        mock = PrmMock(*args).start()
        self.addCleanup(mock.close)
        return mock

    def start_tail(self, mock, *args, **kw):
        tail = Tail("--url", mock.origin, *args, **kw)
        self.addCleanup(tail.close)
        return tail


class TailLines(TailTestCase):
    def test_a_valid_and_an_invalid_request_through_a_pipe(self):
        mock = self.start_mock()
        tail = self.start_tail(mock)
        tail.wait_following()
        self.assertEqual(publish(mock, smallest_payload()).status_code, 200)
        self.assertEqual(publish(mock, payload_without("hash")).status_code, 400)
        tail.out.until(LINE_200.match, "the 200 line")
        bad = tail.out.find(LINE_400.match, "the 400 line with its reason")
        # Its violation on the line right after it.
        self.assertEqual(tail.out.at(bad + 1, "the line after the 400"), VIOLATION_LINE)
        self.assertNotIn("\x1b", tail.out.text(), "no colour through a pipe")

    def test_colour_under_a_terminal_and_none_with_no_color(self):
        mock = self.start_mock()
        coloured = self.start_tail(mock, terminal=True)
        plain = self.start_tail(mock, terminal=True, env={"NO_COLOR": "1"})
        coloured.wait_following()
        plain.wait_following()
        publish(mock, smallest_payload())
        publish(mock, payload_without("hash"))
        bad = coloured.out.until(lambda line: "\x1b[33m400\x1b[0m" in line, "a yellow 400")
        self.assertTrue(LINE_400.match(ANSI.sub("", bad)), bad)
        good = coloured.out.until(lambda line: "\x1b[32m200\x1b[0m" in line, "a green 200")
        self.assertTrue(LINE_200.match(ANSI.sub("", good)), good)
        plain.out.until(LINE_400.match, "the 400 line")
        self.assertNotIn("\x1b", plain.out.text())

    def test_status_filter_shows_only_the_400(self):
        mock = self.start_mock()
        tail = self.start_tail(mock, "--status", "4xx")
        tail.wait_following()
        publish(mock, smallest_payload())
        publish(mock, payload_without("hash"))
        tail.out.until(LINE_400.match, "the 400 line")
        # The 200 was journaled first, so it would have been printed before the 400.
        self.assertFalse([line for line in tail.out.seen if "  200  " in line], tail.out.seen)

    def test_json_lines_are_the_entries(self):
        mock = self.start_mock()
        tail = self.start_tail(mock, "--json")
        tail.wait_following()
        ids = [publish(mock, body).headers["X-Request-Id"]
               for body in (smallest_payload(), payload_without("hash"))]
        entries = []
        for request_id in ids:
            line = tail.out.until(lambda line, i=request_id: i in line, f"the entry {request_id}")
            entries.append(json.loads(line))
        self.assertEqual([entry["id"] for entry in entries], ids)
        self.assertEqual([entry["status"] for entry in entries], [200, 400])
        self.assertIn({"location": "body", "pointer": "/artifact/hash", "keyword": "required",
                       "message": "missing required property 'hash'"}, entries[1]["violations"])
        for line in tail.out.seen:
            json.loads(line)  # every stdout line, not only these two

    def test_clearing_the_journal_is_told(self):
        mock = self.start_mock()
        tail = self.start_tail(mock)
        tail.wait_following()
        r = requests.delete(mock.origin + "/__admin/requests", timeout=TIMEOUT,
                            headers={"Content-Type": "application/json"})
        self.assertLess(r.status_code, 300, r.text)
        tail.out.until(lambda line: line == "-- the journal was cleared --", "the cleared notice")


class TailEnds(TailTestCase):
    def check_signal_ends_it(self, sig):
        mock = self.start_mock()
        tail = self.start_tail(mock)
        tail.wait_following()
        started = time.monotonic()
        tail.proc.send_signal(sig)
        code = tail.proc.wait(timeout=5)
        # A sanitizer's report, or tail's own last words, say why when it is not 0.
        self.assertEqual(code, 0, "\n".join(tail.err.everything()))
        self.assertLess(time.monotonic() - started, 5)

    def test_sigint_exits_0_promptly(self):
        self.check_signal_ends_it(signal.SIGINT)

    def test_sigterm_exits_0_promptly(self):
        self.check_signal_ends_it(signal.SIGTERM)

    def test_sigint_while_the_mock_is_unreachable(self):
        mock = self.start_mock()
        port = mock.port
        mock.stop()
        tail = Tail("--url", f"http://127.0.0.1:{port}")
        self.addCleanup(tail.close)
        tail.err.until(lambda line: "cannot reach" in line and "retrying" in line,
                       "the unreachable notice")
        tail.proc.send_signal(signal.SIGINT)
        self.assertEqual(tail.proc.wait(timeout=5), 0)

    def test_a_restarted_mock_is_followed(self):
        first = self.start_mock()
        port = first.port
        tail = self.start_tail(first)
        tail.wait_following()
        publish(first, smallest_payload())
        tail.out.until(LINE_200.match, "the first mock's 200")
        first.stop()
        tail.err.until(lambda line: "retrying" in line, "the notice that the stream ended")
        # The new process numbers its events from 1 again. Requests it gets before the tail is
        # back (likely: the tail retries once a second) have ids the tail has already seen from
        # the first one, and must be shown all the same, as must those after.
        second = self.start_mock("--port", str(port))
        publish(second, payload_without("hash"))
        publish(second, payload_without("hash"))
        tail.err.until(lambda line: "following" in line and "again" in line, "the reconnection")
        publish(second, smallest_payload())
        bad = tail.out.find(LINE_400.match, "the restarted mock's first 400")
        tail.out.find(LINE_400.match, "its second 400", start=bad + 1)
        tail.out.find(LINE_200.match, "its 200", start=bad + 1)

    def test_admin_token(self):
        mock = self.start_mock("--admin-token", "s3cret")
        refused = Tail("--url", mock.origin)
        self.addCleanup(refused.close)
        self.assertEqual(refused.proc.wait(timeout=TIMEOUT), 1)
        message = refused.err.until(lambda line: "401" in line, "the 401 message")
        self.assertIn("admin token", message)
        self.assertIn("--admin-token", message)
        for how in (["--admin-token", "s3cret"], []):
            with self.subTest(how=how or "PRM_MOCK_ADMIN_TOKEN"):
                tail = self.start_tail(mock, *how,
                                       env=None if how else {"PRM_MOCK_ADMIN_TOKEN": "s3cret"})
                tail.wait_following()
                publish(mock, payload_without("hash"))
                tail.out.until(LINE_400.match, "the 400 line")
                tail.close()


class TailCommandLine(unittest.TestCase):
    def test_bad_status_is_a_usage_error(self):
        r = run_cli("tail", "--status", "4xz")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--status", r.stderr)
        self.assertIn("4xz", r.stderr)

    def test_help_describes_tail(self):
        r = run_cli("tail", "--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("prm-mock tail [--url URL]", r.stdout)
        for flag in ("--status", "--json", "--color", "--admin-token"):
            self.assertIn(flag, r.stdout)


if __name__ == "__main__":
    unittest.main()
