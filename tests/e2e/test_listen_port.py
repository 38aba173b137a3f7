"""The listening port, as a user meets it: a second prm-mock on a port one already serves refuses to
start (exit status 3) instead of splitting the connections with the first, and an IPv6 --host gives
URLs with brackets, in the start-up line and in `prm-mock health`."""
import os
import socket
import subprocess
import sys
import unittest

import requests

sys.path.insert(0, os.path.dirname(__file__))
from prm_mock_process import (PrmMock, binary_path, child_environment, run_cli,  # noqa: E402
                              smallest_payload)

TIMEOUT = 10
EXIT_PORT_IN_USE = 3
# Long enough for a sanitized build to load the contract and fail; only a start that (wrongly)
# succeeds waits this long.
SECOND_START_TIMEOUT = 60


def ipv6_loopback_available():
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


class PortAlreadyServed(unittest.TestCase):
    def test_a_second_mock_exits_3_and_the_first_gets_every_request(self):
        first = PrmMock()
        self.addCleanup(first.close)
        first.start()

        second = subprocess.Popen([binary_path(), "--port", str(first.port), "--quiet"],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=child_environment())
        try:
            _, stderr = second.communicate(timeout=SECOND_START_TIMEOUT)
        except subprocess.TimeoutExpired:
            second.kill()  # this PID only
            second.communicate()
            self.fail(f"a second prm-mock kept serving port {first.port} next to the first")
        self.assertEqual(second.returncode, EXIT_PORT_IN_USE, stderr)
        self.assertIn(f"port {first.port} is already in use", stderr)

        # Each publish on a new connection, so none can ride on one the first already accepted.
        publishes = 6
        for _ in range(publishes):
            response = requests.post(first.publish_url, json=smallest_payload(),
                                     headers={"X-API-Key": "k1", "Connection": "close"},
                                     timeout=TIMEOUT)
            self.assertEqual(response.status_code, 200, response.text)
        journal = requests.get(first.origin + "/__admin/requests", timeout=TIMEOUT).json()
        self.assertEqual(journal["total"], publishes)
        self.assertEqual(first.stop(), 0)

    def test_help_documents_the_exit_status(self):
        help_text = run_cli("--help").stdout
        self.assertIn(f"  {EXIT_PORT_IN_USE}  serve, record: the port is already in use", help_text)


@unittest.skipUnless(ipv6_loopback_available(), "IPv6 loopback unavailable")
class Ipv6Host(unittest.TestCase):
    def test_start_up_line_and_health_use_a_bracketed_address(self):
        mock = PrmMock(host="::1")
        self.addCleanup(mock.close)
        mock.start()
        self.assertEqual(mock.origin, f"http://[::1]:{mock.port}")
        health = run_cli("health", "--host", "::1", "--port", str(mock.port))
        self.assertEqual(health.returncode, 0, health.stderr)
        self.assertEqual(requests.get(mock.origin + "/__admin/health", timeout=TIMEOUT).status_code,
                         200)
        self.assertEqual(mock.stop(), 0)
        self.assertIn(f"prm-mock listening on http://[::1]:{mock.port}/api\n", mock.stdout_text())

    def test_a_failing_health_probe_names_the_bracketed_url(self):
        with socket.socket(socket.AF_INET6) as unused:
            unused.bind(("::1", 0))
            port = unused.getsockname()[1]  # bound, never listening: nothing answers there
            health = run_cli("health", "--host", "::1", "--port", str(port))
        self.assertEqual(health.returncode, 1)
        self.assertIn(f"http://[::1]:{port}/__admin/health", health.stderr)


if __name__ == "__main__":
    unittest.main()
