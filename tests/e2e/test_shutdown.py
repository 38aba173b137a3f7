"""SIGTERM under load: in-flight requests get their full responses, the journal file holds one line
per request answered, the process exits 0; a second SIGTERM exits at once."""
import json
import os
import signal
import socket
import sys
import tempfile
import threading
import unittest

import requests

sys.path.insert(0, os.path.dirname(__file__))
from prm_mock_process import PrmMock, wait_until  # noqa: E402
from test_cli import _server_socket_rx_queue  # noqa: E402

TIMEOUT = 10
BODY = {"registryRef": "acme/prompts",
        "artifact": {"prompt": "greeting", "version": "1.2.0", "model": "gpt-4o",
                     "compiled": "Hello {{name}}", "hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                     "schema": {}, "components": {}, "metadata": {}}}


class ShutdownUnderLoad(unittest.TestCase):
    def test_sigterm_under_load_drains_and_the_journal_file_counts_every_answer(self):
        directory = tempfile.TemporaryDirectory(prefix="prm-mock-shutdown-")
        self.addCleanup(directory.cleanup)
        journal_file = os.path.join(directory.name, "journal.jsonl")
        mock = PrmMock("--journal-file", journal_file)
        self.addCleanup(mock.close)
        mock.start()

        lock = threading.Lock()
        answered = {"ok": 0, "other": 0, "truncated": 0}

        def client():
            session = requests.Session()
            while True:
                try:
                    response = session.post(mock.publish_url, json=BODY,
                                            headers={"X-API-Key": "k-load"}, timeout=TIMEOUT)
                except requests.RequestException:
                    return  # the server stopped accepting or closed an idle connection
                # A response is only "answered" if it arrived whole and parses.
                try:
                    whole = response.json()["registryRef"] == "acme/prompts"
                except ValueError:
                    whole = False
                with lock:
                    if not whole:
                        answered["truncated"] += 1
                    elif response.status_code == 200:
                        answered["ok"] += 1
                    else:
                        answered["other"] += 1

        clients = [threading.Thread(target=client) for _ in range(8)]
        for thread in clients:
            thread.start()
        wait_until(lambda: answered["ok"] >= 400, 30, what="400 answered requests")
        mock.send_signal(signal.SIGTERM)
        self.assertEqual(mock.wait(timeout=20), 0)
        for thread in clients:
            thread.join(timeout=TIMEOUT)
            self.assertFalse(thread.is_alive(), "a client hung after the server stopped")

        self.assertEqual(answered["truncated"], 0)
        self.assertEqual(answered["other"], 0)
        with open(journal_file) as f:
            lines = [json.loads(line) for line in f if line.strip()]
        # Every response a client got is in the file, and nothing else: the file was flushed.
        self.assertEqual(len(lines), answered["ok"])
        self.assertTrue(all(entry["status"] == 200 for entry in lines))


class ShutdownWithWaitingExchanges(unittest.TestCase):
    def test_sigterm_sends_delayed_responses_at_once_and_closes_held_connections(self):
        directory = tempfile.TemporaryDirectory(prefix="prm-mock-shutdown-")
        self.addCleanup(directory.cleanup)
        fixtures = os.path.join(directory.name, "fixtures")
        os.mkdir(fixtures)
        # A delay far longer than this test: the responses can only arrive because of the signal.
        for name, extra in (("slow", '"delayMs":600000'), ("hold", '"fault":"timeout"')):
            with open(os.path.join(fixtures, name + ".json"), "w") as f:
                f.write('{"name":"%s","priority":-1,%s,"response":{"status":200,'
                        '"body":{"message":"%s"}}}' % (name, extra, name))
        journal_file = os.path.join(directory.name, "journal.jsonl")
        mock = PrmMock("--fixtures", fixtures, "--journal-file", journal_file, "--threads", "2")
        self.addCleanup(mock.close)
        mock.start()
        body = json.dumps(BODY).encode()

        def send(fixture):
            sock = socket.create_connection(("127.0.0.1", mock.port), timeout=TIMEOUT)
            self.addCleanup(sock.close)
            sock.sendall((f"POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          f"X-API-Key: k-wait\r\nPrefer: example={fixture}\r\n"
                          f"Content-Type: application/json\r\n"
                          f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
            return sock

        delayed = [send("slow") for _ in range(16)]
        held = [send("hold") for _ in range(16)]
        metrics_url = mock.origin + "/__admin/metrics"
        wait_until(lambda: "prm_mock_exchanges_waiting 32\n" in requests.get(metrics_url).text, 10,
                   what="32 exchanges waiting")
        mock.send_signal(signal.SIGTERM)
        for sock in delayed:
            received = b""
            while b"\r\n\r\n" not in received or not received.endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
            self.assertTrue(received.startswith(b"HTTP/1.1 200 "), received[:80])
            self.assertIn(b'"message":"slow"', received)
        for sock in held:
            self.assertEqual(sock.recv(65536), b"")  # closed, never answered
        self.assertEqual(mock.wait(timeout=20), 0)
        with open(journal_file) as f:
            lines = [json.loads(line) for line in f if line.strip()]
        waiting = [entry for entry in lines if entry["fixture"] in ("slow", "hold")]
        self.assertEqual(len(waiting), 32)
        self.assertEqual(sorted({entry["delayMs"] for entry in waiting}), [0, 600000])


class SecondSignal(unittest.TestCase):
    @unittest.skipUnless(os.path.exists("/proc/net/tcp"), "needs Linux /proc/net/tcp")
    def test_second_sigterm_exits_at_once_while_draining(self):
        # Long time limits: without the second signal, draining would wait a minute for the body.
        mock = PrmMock("--io-timeout", "60000", "--request-timeout", "60000", quiet=False)
        self.addCleanup(mock.close)
        mock.start()
        body = json.dumps(BODY).encode()
        head = (f"POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"X-API-Key: k-drain\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        sock = socket.create_connection(("127.0.0.1", mock.port), timeout=TIMEOUT)
        self.addCleanup(sock.close)
        sock.sendall(head + body[:10])
        client_port = sock.getsockname()[1]
        wait_until(lambda: _server_socket_rx_queue(mock.port, client_port) == 0, 10,
                   what="the server to read the request head")
        mock.send_signal(signal.SIGTERM)
        wait_until(lambda: "draining" in mock.stdout_text() + mock.stderr_text(), 10,
                   what="the server to start draining")
        self.assertIsNone(mock.proc.poll(), "prm-mock exited with a request in flight")
        mock.send_signal(signal.SIGTERM)
        self.assertNotEqual(mock.wait(timeout=5), 0)
        # It exited without answering the request that never finished arriving.
        self.assertEqual(sock.recv(65536), b"")


if __name__ == "__main__":
    unittest.main()
