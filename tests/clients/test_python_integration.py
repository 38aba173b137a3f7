"""A client's integration test, as a user of prm-mock would write it in Python: publish through the
real client code, then ask the mock's admin API what it received, and reset between tests.
This is also the README's "use it in your integration tests" example, run for real.
"""
import os
import sys
import tempfile
import unittest

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from prm_mock_process import PrmMock, smallest_payload  # noqa: E402

API_KEY = "sk-integration-test-key-0042"


def publish(base_url, payload, key=API_KEY):
    """The code under test: what a client's publish step does."""
    return requests.post(f"{base_url}/registries/artifacts", json=payload,
                         headers={"X-API-Key": key}, timeout=10)


class PublishIntegrationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.journal_file = tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False).name
        cls.mock = PrmMock("--journal-file", cls.journal_file, "--stateful", quiet=False)
        cls.mock.start()
        cls.admin = cls.mock.origin + "/__admin"

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()
        os.unlink(cls.journal_file)

    def setUp(self):
        self.assertEqual(requests.post(f"{self.admin}/reset", json={}, timeout=10).status_code, 200)

    def count(self, when):
        response = requests.post(f"{self.admin}/requests/count", json=when, timeout=10)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def test_version_published_with_this_hash(self):
        payload = smallest_payload(version="1.2.0", hash="ab" * 32)
        self.assertEqual(publish(self.mock.base_url, payload).status_code, 200)
        found = self.count({"body": {"/artifact/version": {"equals": "1.2.0"},
                                     "/artifact/hash": {"equals": "ab" * 32}},
                            "status": 200})
        self.assertEqual(found["count"], 1)

    def test_a_wrong_expectation_explains_itself(self):
        self.assertEqual(publish(self.mock.base_url, smallest_payload(version="1.2.0")).status_code, 200)
        found = self.count({"body": {"/artifact/version": {"equals": "1.3.0"}}})
        self.assertEqual(found["count"], 0)
        near = found["nearMisses"][0]
        self.assertIn("/artifact/version", near["failed"][0])
        self.assertEqual(near["request"]["body"]["artifact"]["version"], "1.2.0")

    def test_stateful_duplicate_and_the_journal_listing(self):
        payload = smallest_payload(version="2.0.0")
        self.assertEqual(publish(self.mock.base_url, payload).status_code, 200)
        self.assertEqual(publish(self.mock.base_url, payload).status_code, 409)
        listing = requests.get(f"{self.admin}/requests", params={"status": 409}, timeout=10).json()
        self.assertEqual(listing["count"], 1)
        self.assertEqual(listing["requests"][0]["fixture"], "duplicate-version")

    def test_the_key_is_never_written_anywhere(self):
        self.assertEqual(publish(self.mock.base_url, smallest_payload()).status_code, 200)
        listing = requests.get(f"{self.admin}/requests", timeout=10).text
        self.assertNotIn(API_KEY, listing)
        self.assertIn("[redacted]", listing)
        with open(self.journal_file, encoding="utf-8") as journal:
            self.assertNotIn(API_KEY, journal.read())
        self.assertNotIn(API_KEY, self.mock.stderr_text())


if __name__ == "__main__":
    unittest.main()
