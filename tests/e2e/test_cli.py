"""End-to-end tests of the prm-mock executable: flags, the validate command, env twins, signals, logs.

Run: PRM_MOCK_BIN=build/prm-mock python3 -m unittest -v tests/e2e/test_cli.py
"""
import json
import os
import signal
import socket
import ssl
import sys
import tempfile
import unittest

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prm_mock_process import (  # noqa: E402
    PrmMock, dumps, payload_without, run_cli, smallest_payload, wait_until)

JSON = "application/json"
TIMEOUT = 10  # seconds, for every HTTP call


def publish(mock, payload, key="test-key", url=None, **headers):
    h = {"X-API-Key": key, "Content-Type": JSON}
    h.update(headers)
    return requests.post(url or mock.publish_url, json=payload, headers=h, timeout=TIMEOUT)


class HelpAndVersion(unittest.TestCase):
    # Flags --help must list: the main serve and validate flags, --help and --version.
    FLAGS = ["--host", "--port", "--port-file", "--threads", "--max-body-bytes", "--base-path",
             "--max-json-depth", "--api-key", "--validation", "--strict", "--contract", "--formats",
             "--log-format", "--cors", "--quiet", "--help", "--version"]

    def test_help_lists_every_flag_and_exits_0(self):
        r = run_cli("--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        for flag in self.FLAGS:
            with self.subTest(flag=flag):
                self.assertRegex(r.stdout, r"(?<![\w-])" + flag + r"(?![\w-])")
        for word in ("validate", "serve", "PRM_MOCK_API_KEYS", "PRM_MOCK_BASE_PATH"):
            with self.subTest(word=word):
                self.assertIn(word, r.stdout)

    def test_version_prints_name_and_semver(self):
        r = run_cli("--version")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"\Aprm-mock \d+\.\d+\.\d+\n\Z")


class BadCommandLines(unittest.TestCase):
    def test_unknown_flag_exits_2_naming_it(self):
        r = run_cli("--no-such-flag-xyz")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--no-such-flag-xyz", r.stderr)
        self.assertNotIn("listening", r.stdout)

    def test_bad_port_value_exits_2(self):
        r = run_cli("--port", "abc")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--port", r.stderr)
        self.assertIn("abc", r.stderr)

    def test_out_of_range_port_exits_2(self):
        r = run_cli("--port", "70000")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--port", r.stderr)

    def test_flag_without_its_value_exits_2(self):
        r = run_cli("--port-file")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--port-file", r.stderr)

    def test_bad_validation_mode_exits_2(self):
        r = run_cli("--validation", "sometimes")
        self.assertEqual(r.returncode, 2)
        self.assertIn("sometimes", r.stderr)


class Validate(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def write(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def validate(self, *args, input=None):
        r = run_cli("validate", *args, input=input)
        try:
            out = json.loads(r.stdout)
        except ValueError:
            self.fail(f"stdout is not one JSON document: {r.stdout!r} (stderr {r.stderr!r})")
        self.assertIsInstance(out, dict)
        return r, out

    def test_valid_file_exits_0(self):
        path = self.write("ok.json", dumps(smallest_payload(), indent=2))
        r, out = self.validate(path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIs(out["valid"], True)
        self.assertEqual(out["violations"], [])
        self.assertIsInstance(out["warnings"], list)
        self.assertNotIn("error", out)

    def test_invalid_file_exits_1_and_lists_all_violations_with_pointers(self):
        body = payload_without("hash")
        body["artifact"]["version"] = 3
        r, out = self.validate(self.write("bad.json", dumps(body)))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIs(out["valid"], False)
        found = {(v["pointer"], v["keyword"]) for v in out["violations"]}
        self.assertIn(("/artifact/hash", "required"), found)
        self.assertIn(("/artifact/version", "type"), found)
        for v in out["violations"]:
            self.assertIsInstance(v.get("message"), str)
            self.assertTrue(v["message"])

    def test_wrong_types_everywhere_reported_at_their_pointers(self):
        body = smallest_payload(components={"a": 1}, schema={"input": 5})
        body["registryRef"] = ["not", "a", "string"]
        r, out = self.validate(self.write("bad.json", dumps(body)))
        self.assertEqual(r.returncode, 1)
        pointers = {v["pointer"] for v in out["violations"]}
        self.assertTrue({"/registryRef", "/artifact/components/a", "/artifact/schema/input"} <= pointers,
                        pointers)

    def test_malformed_json_exits_1_with_error_offset(self):
        text = '{"registryRef": "acme/marketing" "artifact": {}}'
        r, out = self.validate(self.write("broken.json", text))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIs(out["valid"], False)
        err = out["error"]
        self.assertEqual(err["code"], "MALFORMED_JSON")
        self.assertIsInstance(err["message"], str)
        # The missing comma: the parser fails where `"artifact"` starts.
        self.assertEqual(err["offset"], text.index('"artifact"'))

    def test_invalid_utf8_is_malformed_with_offset(self):
        path = os.path.join(self.dir.name, "latin1.json")
        raw = b'{"registryRef": "caf\xe9"}'
        with open(path, "wb") as f:
            f.write(raw)
        r, out = self.validate(path)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(out["error"]["code"], "MALFORMED_JSON")
        self.assertEqual(out["error"]["offset"], raw.index(b"\xe9"))

    def test_advisory_rule_is_a_warning_not_a_violation(self):
        r, out = self.validate(self.write("warn.json", dumps(smallest_payload(version="v1"))))
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIs(out["valid"], True)
        self.assertTrue(any(w.get("pointer") == "/artifact/version" for w in out["warnings"]),
                        out["warnings"])

    def test_dash_reads_stdin(self):
        r, out = self.validate("-", input=dumps(smallest_payload()))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIs(out["valid"], True)
        # and it really is the stdin body that is judged:
        r, out = self.validate("-", input=dumps(payload_without("hash")))
        self.assertEqual(r.returncode, 1)
        self.assertIn("/artifact/hash", {v["pointer"] for v in out["violations"]})

    def test_without_file_argument_exits_2(self):
        r = run_cli("validate", input="")
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.strip())

    def test_unreadable_file_exits_2(self):
        r = run_cli("validate", os.path.join(self.dir.name, "does-not-exist.json"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("does-not-exist.json", r.stderr)


class EnvironmentTwins(unittest.TestCase):
    def test_api_keys_env_restricts_keys(self):
        with PrmMock(env={"PRM_MOCK_API_KEYS": "k1,k2"}) as mock:
            bad = publish(mock, smallest_payload(), key="other")
            self.assertEqual(bad.status_code, 401, bad.text)
            self.assertEqual(bad.json()["code"], "UNAUTHORIZED")
            for key in ("k1", "k2"):
                with self.subTest(key=key):
                    ok = publish(mock, smallest_payload(), key=key)
                    self.assertEqual(ok.status_code, 200, ok.text)

    def test_api_key_flag_beats_env(self):
        with PrmMock("--api-key", "flag-key", env={"PRM_MOCK_API_KEYS": "env-key"}) as mock:
            self.assertEqual(publish(mock, smallest_payload(), key="flag-key").status_code, 200)
            self.assertEqual(publish(mock, smallest_payload(), key="env-key").status_code, 401)

    def test_base_path_env_twin(self):
        with PrmMock(env={"PRM_MOCK_BASE_PATH": "/x"}, base_path="/x") as mock:
            self.assertEqual(publish(mock, smallest_payload()).status_code, 200)
            r = publish(mock, smallest_payload(), url=mock.origin + "/api/registries/artifacts")
            self.assertEqual(r.status_code, 404)

    def test_base_path_flag_beats_env(self):
        with PrmMock("--base-path", "/y", env={"PRM_MOCK_BASE_PATH": "/x"}, base_path="/y") as mock:
            ok = publish(mock, smallest_payload())
            self.assertEqual(ok.status_code, 200, ok.text)
            r = publish(mock, smallest_payload(), url=mock.origin + "/x/registries/artifacts")
            self.assertEqual(r.status_code, 404, r.text)
            self.assertEqual(r.json()["code"], "ROUTE_NOT_FOUND")

    def test_port_flag_beats_env(self):
        # Env names a port that is already taken; the --port 0 flag must win or the bind fails.
        taken = socket.socket()
        self.addCleanup(taken.close)
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        taken_port = taken.getsockname()[1]
        with PrmMock(env={"PRM_MOCK_PORT": str(taken_port)}) as mock:
            self.assertNotEqual(mock.port, taken_port)
            self.assertEqual(requests.get(mock.origin + "/__admin/health", timeout=TIMEOUT).status_code, 200)


class Serving(unittest.TestCase):
    def test_listening_line_and_health(self):
        mock = PrmMock()
        self.addCleanup(mock.close)
        mock.start()
        r = requests.get(mock.origin + "/__admin/health", timeout=TIMEOUT)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["status"], "ok")
        self.assertEqual(mock.stop(), 0)
        self.assertIn(f"prm-mock listening on http://127.0.0.1:{mock.port}/api\n", mock.stdout_text())

    def test_sigint_exits_0(self):
        mock = PrmMock()
        self.addCleanup(mock.close)
        mock.start()
        self.assertEqual(mock.stop(signal.SIGINT), 0)
        self.assertFalse(mock.killed_after_timeout)

    def test_sigterm_with_idle_keepalive_connection_exits_0(self):
        mock = PrmMock()
        self.addCleanup(mock.close)
        mock.start()
        session = requests.Session()
        self.addCleanup(session.close)
        r = session.get(mock.origin + "/__admin/health", timeout=TIMEOUT)
        self.assertEqual(r.status_code, 200)
        # The connection stays open (keep-alive) and idle; draining must not wait for it forever.
        self.assertEqual(mock.stop(), 0)
        self.assertFalse(mock.killed_after_timeout, "prm-mock ignored SIGTERM with an idle connection")


def _server_socket_rx_queue(server_port, client_port):
    """Bytes the server has not yet read from its side of the connection, from /proc/net/tcp;
    None while that socket is not visible."""
    want_local = f"{server_port:04X}"
    want_remote = f"{client_port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                lines = f.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, remote, queues = fields[1], fields[2], fields[4]
            if local.endswith(":" + want_local) and remote.endswith(":" + want_remote):
                return int(queues.split(":")[1], 16)
    return None


def _recv_all(sock):
    chunks = []
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _split_response(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return lines[0], headers, body


class GracefulShutdown(unittest.TestCase):
    @unittest.skipUnless(os.path.exists("/proc/net/tcp"), "needs Linux /proc/net/tcp")
    def test_sigterm_during_in_flight_request_finishes_it_then_exits_0(self):
        mock = PrmMock()
        self.addCleanup(mock.close)
        mock.start()
        body = dumps(smallest_payload()).encode()
        head = (f"POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1:{mock.port}\r\n"
                f"X-API-Key: drain-key\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        half = len(body) // 2
        sock = socket.create_connection(("127.0.0.1", mock.port), timeout=TIMEOUT)
        self.addCleanup(sock.close)
        sock.sendall(head + body[:half])
        client_port = sock.getsockname()[1]
        # Synchronise on the server having accepted the connection and read what was sent.
        wait_until(lambda: _server_socket_rx_queue(mock.port, client_port) == 0, 10,
                   what="the server to read the request headers")
        mock.send_signal(signal.SIGTERM)
        # Draining stops accepting: wait (bounded) until new connections are refused, so the
        # signal has surely been handled before the rest of the body is sent.
        def refused():
            try:
                socket.create_connection(("127.0.0.1", mock.port), timeout=1).close()
                return False
            except (ConnectionRefusedError, ConnectionResetError):
                return True  # no listener, or it closed with our probe in its backlog
        try:
            wait_until(refused, 5, what="the listener to close")
        except TimeoutError:
            pass  # keeping the listener open while not accepting is allowed; carry on
        self.assertIsNone(mock.proc.poll(), "prm-mock exited with a request in flight")
        sock.sendall(body[half:])
        status, headers, rest = _split_response(_recv_all(sock))
        self.assertEqual(status, "HTTP/1.1 200 OK")
        self.assertTrue(headers.get("x-request-id"))
        if "content-length" in headers:
            self.assertEqual(len(rest), int(headers["content-length"]))
        echoed = json.loads(rest)
        self.assertEqual(echoed["registryRef"], "acme/marketing")
        self.assertEqual(echoed["hash"], smallest_payload()["artifact"]["hash"])
        self.assertEqual(mock.wait(timeout=10), 0)


class RequestLog(unittest.TestCase):
    SECRET = "sk-prm-LOGTEST-7f3a9c1e5b"
    BEARER_SECRET = "sk-prm-BEARER-2d8e4a6c0f"

    def test_one_line_per_request_with_method_path_status_and_no_key(self):
        mock = PrmMock(quiet=False)
        self.addCleanup(mock.close)
        mock.start()
        ok = publish(mock, smallest_payload(), key=self.SECRET)
        self.assertEqual(ok.status_code, 200, ok.text)
        bad = requests.post(mock.publish_url, json=payload_without("hash"), timeout=TIMEOUT,
                            headers={"Authorization": f"Bearer {self.BEARER_SECRET}"})
        self.assertEqual(bad.status_code, 400, bad.text)
        nf = requests.get(mock.origin + "/api/nothing-here", timeout=TIMEOUT)
        self.assertEqual(nf.status_code, 404)
        self.assertEqual(mock.stop(), 0)  # all output is flushed once the process has exited
        log = mock.stderr_text()
        lines = log.splitlines()
        self.assertTrue(any("POST" in l and "/api/registries/artifacts" in l and "200" in l for l in lines), log)
        self.assertTrue(any("POST" in l and "/api/registries/artifacts" in l and "400" in l for l in lines), log)
        self.assertTrue(any("GET" in l and "/api/nothing-here" in l and "404" in l for l in lines), log)
        self.assertNotIn(self.SECRET, log)
        self.assertNotIn(self.BEARER_SECRET, log)
        self.assertNotIn(self.SECRET, mock.stdout_text())

    def test_json_log_lines_are_json_in_utf8_whatever_the_path_bytes(self):
        mock = PrmMock("--log-format", "json", quiet=False)
        self.addCleanup(mock.close)
        mock.start()
        # httplib decodes %FF into the byte 0xFF: the path the log sees is not UTF-8.
        with socket.create_connection(("127.0.0.1", mock.port), timeout=TIMEOUT) as raw:
            raw.sendall(b"GET /api/%FF%FEx HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            self.assertTrue(raw.recv(65536).startswith(b"HTTP/1.1 404"))
        self.assertEqual(mock.stop(), 0)
        lines = [json.loads(line.decode("utf-8")) for line in mock.stderr_bytes().splitlines()]
        paths = [line["path"] for line in lines if "path" in line]
        self.assertIn("/api/\ufffd\ufffdx", paths)

    def test_a_delayed_response_is_logged_with_its_delay(self):
        with tempfile.TemporaryDirectory(prefix="prm-mock-log-") as fixtures:
            with open(os.path.join(fixtures, "slow.json"), "w") as f:
                f.write('{"name":"slow","priority":-1,"delayMs":50,"response":{"status":200}}')
            for log_format in ("text", "json"):
                mock = PrmMock("--fixtures", fixtures, "--log-format", log_format, quiet=False)
                self.addCleanup(mock.close)
                mock.start()
                response = requests.post(mock.publish_url, json=smallest_payload(), timeout=TIMEOUT,
                                         headers={"X-API-Key": "k", "Prefer": "example=slow"})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(mock.stop(), 0)
                line = next(l for l in mock.stderr_text().splitlines() if "fixture" in l and "slow" in l)
                if log_format == "json":
                    self.assertEqual(json.loads(line)["delayMs"], 50)
                else:
                    self.assertIn(" delay=50ms", line)

    def test_a_tls_client_on_the_plain_port_is_told_what_to_change(self):
        # The client cannot read an HTTP answer, and its own error ("wrong version number",
        # "unexpected EOF") does not say what is wrong: the log does.
        mock = PrmMock(quiet=False)
        self.addCleanup(mock.close)
        mock.start()
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        with socket.create_connection(("127.0.0.1", mock.port), timeout=TIMEOUT) as raw:
            with self.assertRaises((ssl.SSLError, ConnectionError)):
                context.wrap_socket(raw, server_hostname="127.0.0.1")
        self.assertEqual(mock.stop(), 0)
        self.assertIn("TLS handshake on a plain-HTTP port: use http://, or start prm-mock with "
                      "--tls-cert/--tls-key", mock.stderr_text())

    def test_quiet_logs_no_request_lines(self):
        mock = PrmMock(quiet=True)
        self.addCleanup(mock.close)
        mock.start()
        self.assertEqual(publish(mock, smallest_payload()).status_code, 200)
        self.assertEqual(mock.stop(), 0)
        self.assertNotIn("/api/registries/artifacts", mock.stderr_text())


if __name__ == "__main__":
    unittest.main()
