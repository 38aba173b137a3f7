"""`prm-mock record` and `prm-mock verify` as processes: one prm-mock is the upstream, another
records in front of it; verify passes against it, reports drift (exit 1) once a run-time fixture
changes an answer's shape, and is a usage error (exit 2) without --target."""
import json
import os
import shutil
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prm_mock_process import PrmMock, run_cli  # noqa: E402

SECRET = "sk-e2e-record-secret-0123456789"
BODY = {
    "registryRef": "acme/prompts",
    "artifact": {
        "prompt": "greeting", "version": "1.2.0", "model": "gpt-4o", "compiled": "Hello {{name}}",
        "hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "schema": {}, "components": {}, "metadata": {},
    },
}


def post(url, body, headers=None):
    headers = {"Content-Type": "application/json", **(headers or {})}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def with_changes(registry=None, **artifact):
    body = json.loads(json.dumps(BODY))
    if registry:
        body["registryRef"] = registry
    body["artifact"].update(artifact)
    return body


class RecordVerifyTest(unittest.TestCase):
    def setUp(self):
        self.out = tempfile.mkdtemp(prefix="prm-mock-record-e2e-")

    def tearDown(self):
        shutil.rmtree(self.out)

    def test_record_then_verify_then_drift(self):
        with PrmMock() as upstream:
            with PrmMock("--upstream", upstream.origin, "--out", self.out,
                         command="record") as recorder:
                session = [(BODY, 200), (with_changes("acme/does-not-exist"), 404),
                           (with_changes(version="0.0.409"), 409),
                           (with_changes(prompt="rate-limit-me"), 429)]
                for body, status in session:
                    self.assertEqual(post(recorder.publish_url, body, {"X-API-Key": SECRET})[0],
                                     status)
            names = sorted(os.listdir(self.out))
            self.assertEqual(len(names), 4, names)
            for name in names:
                with open(os.path.join(self.out, name), encoding="utf-8") as file:
                    self.assertNotIn(SECRET, file.read(), name)
            self.assertEqual(run_cli("check", "--fixtures", self.out).returncode, 0)

            verify = run_cli("verify", "--target", upstream.origin, "--fixtures", self.out,
                             "--api-key", "k-test")
            self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
            self.assertTrue(verify.stdout.endswith("4 passed, 0 failed\n"), verify.stdout)

            changed = {"name": "registry-moved", "priority": 500,
                       "when": {"body": {"/registryRef": {"equals": "acme/does-not-exist"}}},
                       "response": {"status": 404, "body": {"message": ["moved"]}}}
            self.assertLess(post(upstream.origin + "/__admin/fixtures", changed)[0], 300)
            drift = run_cli("verify", "--target", upstream.origin, "--fixtures", self.out,
                            "--api-key", "k-test", "--format", "json")
            self.assertEqual(drift.returncode, 1, drift.stdout + drift.stderr)
            report = json.loads(drift.stdout)
            self.assertEqual((report["passed"], report["failed"]), (3, 1))
            drifted = [f for f in report["fixtures"] if f["result"] == "DRIFT"]
            self.assertEqual(drifted[0]["name"], "acme-does-not-exist-greeting-gpt-4o-1.2.0")
            self.assertEqual(drifted[0]["differences"], ["/message expected string found array"])

    def test_usage_errors_exit_2(self):
        self.assertEqual(run_cli("verify", "--fixtures", self.out).returncode, 2)
        self.assertEqual(run_cli("record", "--port", "0").returncode, 2)
        self.assertEqual(run_cli("record", "--upstream", "ftp://x").returncode, 2)


if __name__ == "__main__":
    unittest.main()
