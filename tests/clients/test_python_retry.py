"""A client's retry loop against a response sequence, as a user of prm-mock would test it: Python
`requests` with urllib3's Retry, which must wait out Retry-After on a 429 and then succeed. The
journal proves what the client did (three attempts, spaced by at least Retry-After), found by the
test's own API key and scope, and nothing the mock writes anywhere shows that key.
"""
import datetime
import os
import sys
import tempfile
import threading
import unittest

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from prm_mock_process import PrmMock, smallest_payload  # noqa: E402

API_KEY = "sk-retry-test-key-0017"
OTHER_KEY = "sk-retry-test-key-0018"
TIMEOUT = 10
RETRY_AFTER_SECONDS = 1

# Twice "slow down, retry after 1 s", then the publish goes through.
RATE_LIMITED_THEN_OK = {
    "name": "rate-limited-then-ok",
    "priority": 100,
    "when": {"body": {"/artifact/prompt": {"equals": "retry-me"}}},
    "responses": [
        {"status": 429, "headers": {"Retry-After": str(RETRY_AFTER_SECONDS)},
         "body": {"message": "slow down"}, "repeat": 2},
        {"status": 200, "body": {"id": "{{uuid}}", "version": "{{body:/artifact/version}}"}},
    ],
}


def publish_with_retries(url, key):
    """The code under test: a publish that retries a 429 (POST included) after Retry-After, at
    most 3 times, as urllib3's Retry does it."""
    retry = Retry(total=3, status_forcelist=[429], respect_retry_after_header=True,
                  allowed_methods=None, backoff_factor=0.01, raise_on_status=False)
    with requests.Session() as session:
        session.mount("http://", HTTPAdapter(max_retries=retry))
        return session.post(url, json=smallest_payload(prompt="retry-me"),
                            headers={"X-API-Key": key}, timeout=TIMEOUT)


def received_at(entry):
    return datetime.datetime.fromisoformat(entry["receivedAt"].replace("Z", "+00:00"))


class MockWithRateLimitedSequence(unittest.TestCase):
    """A mock of its own per test class, with a journal file and the 429, 429, 200 fixture."""

    @classmethod
    def setUpClass(cls):
        cls.journal_file = tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False).name
        cls.mock = PrmMock("--journal-file", cls.journal_file, quiet=False)
        cls.mock.start()
        cls.admin = cls.mock.origin + "/__admin"
        added = requests.post(f"{cls.admin}/fixtures", json=RATE_LIMITED_THEN_OK, timeout=TIMEOUT)
        assert added.status_code == 201, added.text

    @classmethod
    def tearDownClass(cls):
        cls.mock.close()
        os.unlink(cls.journal_file)


class RetryAfterSequence(MockWithRateLimitedSequence):
    def setUp(self):
        cleared = requests.delete(f"{self.admin}/requests", headers={"X-Requested-With": "test"},
                                  timeout=TIMEOUT)
        self.assertEqual(cleared.status_code, 200, cleared.text)

    def reset_scope_of(self, key):
        """What a test that knows only its key does to start its sequence afresh; returns the
        scope's label, the name the journal and the scope listing use for it."""
        answer = requests.post(f"{self.admin}/scopes/reset", json={"apiKey": key}, timeout=TIMEOUT)
        self.assertEqual(answer.status_code, 200, answer.text)
        return answer.json()["scope"]

    def publish_with_retries(self, key):
        return publish_with_retries(self.mock.publish_url, key)

    def test_the_client_waits_out_retry_after_and_ends_with_200(self):
        scope = self.reset_scope_of(API_KEY)
        response = self.publish_with_retries(API_KEY)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["X-Mock-Fixture"], "rate-limited-then-ok")

        journal = requests.get(f"{self.admin}/requests", params={"scope": scope},
                               timeout=TIMEOUT).json()
        attempts = journal["requests"]
        self.assertEqual([entry["status"] for entry in attempts], [429, 429, 200])
        self.assertTrue(all(entry["scope"] == scope for entry in attempts))
        for earlier, later in zip(attempts, attempts[1:]):
            waited = (received_at(later) - received_at(earlier)).total_seconds()
            self.assertGreaterEqual(waited, RETRY_AFTER_SECONDS,
                                    f"retried after {waited}s, before Retry-After passed")

        # The scope listing shows where the sequence stands: 3 answers, the last step next.
        scopes = requests.get(f"{self.admin}/scopes", timeout=TIMEOUT).json()["scopes"]
        mine = [s for s in scopes if s["scope"] == scope]
        self.assertEqual(len(mine), 1, scopes)
        self.assertEqual(mine[0]["sequences"],
                         [{"fixture": "rate-limited-then-ok", "answered": 3, "nextStep": 1,
                           "steps": 2}])

    def test_parallel_clients_with_their_own_keys_each_get_the_whole_sequence(self):
        scopes = [self.reset_scope_of(key) for key in (API_KEY, OTHER_KEY)]
        self.assertNotEqual(scopes[0], scopes[1])
        results = {}

        def run(key):
            results[key] = self.publish_with_retries(key).status_code

        threads = [threading.Thread(target=run, args=(key,)) for key in (API_KEY, OTHER_KEY)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(results, {API_KEY: 200, OTHER_KEY: 200})
        for scope in scopes:
            journal = requests.get(f"{self.admin}/requests", params={"scope": scope},
                                   timeout=TIMEOUT).json()
            self.assertEqual([entry["status"] for entry in journal["requests"]], [429, 429, 200])

class CredentialsInTheJournal(MockWithRateLimitedSequence):
    """Its own server: the last step stops it, to read the journal file and log whole."""

    def test_the_journal_is_queried_by_the_key_sent_and_the_key_is_written_nowhere(self):
        self.assertEqual(publish_with_retries(self.mock.publish_url, API_KEY).status_code, 200)

        count = requests.post(f"{self.admin}/requests/count",
                              json={"headers": {"X-API-Key": {"equals": API_KEY}}},
                              timeout=TIMEOUT).json()
        self.assertEqual(count["count"], 3)
        other = requests.post(f"{self.admin}/requests/count",
                              json={"headers": {"X-API-Key": {"equals": OTHER_KEY}}},
                              timeout=TIMEOUT).json()
        self.assertEqual(other["count"], 0)
        # A near miss shows the condition, but not the key it was given.
        self.assertTrue(other["nearMisses"])
        self.assertNotIn(OTHER_KEY, str(other))

        refused = requests.post(f"{self.admin}/requests/count",
                                json={"headers": {"X-API-Key": {"matches": "^sk-retry"}}},
                                timeout=TIMEOUT)
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(refused.json()["code"], "BAD_QUERY")
        self.assertIn("digest", refused.json()["violations"][0]["message"])

        outputs = {
            "journal listing": requests.get(f"{self.admin}/requests", timeout=TIMEOUT).text,
            "scope listing": requests.get(f"{self.admin}/scopes", timeout=TIMEOUT).text,
            "count answer": str(count),
        }
        self.assertEqual(self.mock.stop(), 0)  # flushes the journal file and the log
        with open(self.journal_file, encoding="utf-8") as journal:
            outputs["journal file"] = journal.read()
        outputs["log"] = self.mock.stderr_text()
        # Three entries answered by the fixture (its name is also in each response's X-Mock-Fixture).
        self.assertEqual(outputs["journal file"].count('"fixture":"rate-limited-then-ok"'), 3)
        self.assertIn("rate-limited-then-ok", outputs["log"])
        self.assertIn('"scope":"key:', outputs["scope listing"])
        for where, text in outputs.items():
            self.assertNotIn(API_KEY, text, where)

if __name__ == "__main__":
    unittest.main()
