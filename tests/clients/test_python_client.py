"""The vendor's Python snippet (requests) against prm-mock, as a user would run it.

The snippet (docs page of prm-registry-publish) is:

    url = "https://api/registries/artifacts"           # the user swaps in the mock's base URL
    payload = {"registryRef": ..., "artifact": {"prompt": ..., "version": ..., "model": ...,
               "compiled": ..., "hash": ..., "schema": {}, "components": {}, "metadata": {}}}
    headers = {"X-API-Key": "<apiKey>", "Content-Type": "application/json"}
    response = requests.post(url, json=payload, headers=headers)
"""
import json
import os
import sys
import unittest

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from prm_mock_process import PrmMock, payload_without, smallest_payload  # noqa: E402

API_KEY = "pk-python-client-test"
TIMEOUT = 10


class VendorPythonSnippet(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Only API_KEY is valid, so a request that "works" proves the key was actually read.
        cls.mock = PrmMock("--api-key", API_KEY)
        cls.mock.start()
        cls.url = cls.mock.base_url + "/registries/artifacts"

    @classmethod
    def tearDownClass(cls):
        cls.mock.close()

    def assert_success_echo(self, response, payload):
        self.assertEqual(response.status_code, 200, response.text)
        self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
        data = response.json()
        self.assertEqual(data["registryRef"], payload["registryRef"])
        for field in ("prompt", "version", "model", "hash"):
            self.assertEqual(data[field], payload["artifact"][field], field)
        self.assertIsInstance(data["id"], str)
        self.assertTrue(data["id"])
        self.assertTrue(response.headers.get("X-Request-Id"))

    def test_snippet_smallest_payload_is_accepted_and_echoed(self):
        payload = smallest_payload()
        headers = {"X-API-Key": API_KEY, "Content-Type": "application/json"}
        response = requests.post(self.url, json=payload, headers=headers, timeout=TIMEOUT)
        self.assert_success_echo(response, payload)

    def test_two_publishes_get_different_ids(self):
        headers = {"X-API-Key": API_KEY, "Content-Type": "application/json"}
        a = requests.post(self.url, json=smallest_payload(), headers=headers, timeout=TIMEOUT)
        b = requests.post(self.url, json=smallest_payload(version="1.2.4"), headers=headers, timeout=TIMEOUT)
        self.assertEqual((a.status_code, b.status_code), (200, 200))
        self.assertNotEqual(a.json()["id"], b.json()["id"])
        self.assertNotEqual(a.headers["X-Request-Id"], b.headers["X-Request-Id"])

    def test_missing_hash_is_a_contract_violation(self):
        headers = {"X-API-Key": API_KEY, "Content-Type": "application/json"}
        response = requests.post(self.url, json=payload_without("hash"), headers=headers, timeout=TIMEOUT)
        self.assertEqual(response.status_code, 400, response.text)
        self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
        err = response.json()
        self.assertEqual(err["code"], "CONTRACT_VIOLATION")
        self.assertEqual(err["status"], 400)
        self.assertIsInstance(err["message"], str)  # what clients of the real API read
        self.assertEqual(err["requestId"], response.headers["X-Request-Id"])
        matching = [v for v in err["violations"] if v["pointer"] == "/artifact/hash"]
        self.assertEqual(len(matching), 1, err["violations"])
        self.assertEqual(matching[0]["keyword"], "required")
        self.assertEqual(matching[0]["location"], "body")
        self.assertEqual(len(err["violations"]), 1, err["violations"])

    def test_pretty_printed_body_with_charset(self):
        payload = smallest_payload(metadata={"note": "café ✓", "tags": ["a", "b"]})
        body = json.dumps(payload, indent=2, ensure_ascii=False).encode("utf-8")
        self.assertIn(b"\n  ", body)
        headers = {"X-API-Key": API_KEY, "Content-Type": "application/json; charset=utf-8"}
        response = requests.post(self.url, data=body, headers=headers, timeout=TIMEOUT)
        self.assert_success_echo(response, payload)

    def test_header_name_case_does_not_matter(self):
        for key_header, type_header in (("x-api-key", "content-type"),
                                        ("X-API-KEY", "CONTENT-TYPE"),
                                        ("X-Api-Key", "Content-type")):
            with self.subTest(key_header=key_header):
                payload = smallest_payload()
                response = requests.post(self.url, json=payload, timeout=TIMEOUT,
                                         headers={key_header: API_KEY, type_header: "application/json"})
                self.assert_success_echo(response, payload)

    def test_bearer_authorization(self):
        payload = smallest_payload()
        ok = requests.post(self.url, json=payload, timeout=TIMEOUT,
                           headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"})
        self.assert_success_echo(ok, payload)
        wrong = requests.post(self.url, json=payload, timeout=TIMEOUT,
                              headers={"Authorization": "Bearer not-the-key", "Content-Type": "application/json"})
        self.assertEqual(wrong.status_code, 401, wrong.text)
        self.assertEqual(wrong.json()["code"], "UNAUTHORIZED")

    def test_x_api_key_wins_over_bearer(self):
        response = requests.post(self.url, json=smallest_payload(), timeout=TIMEOUT, headers={
            "X-API-Key": "not-the-key", "Authorization": f"Bearer {API_KEY}",
            "Content-Type": "application/json"})
        self.assertEqual(response.status_code, 401, response.text)

    def test_without_key_is_401(self):
        response = requests.post(self.url, json=smallest_payload(), timeout=TIMEOUT,
                                 headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 401, response.text)
        err = response.json()
        self.assertEqual(err["code"], "UNAUTHORIZED")
        self.assertEqual(err["requestId"], response.headers["X-Request-Id"])

    def test_form_encoded_body_is_415(self):
        # requests' data=dict without a Content-Type header sends a form: a common client mistake.
        response = requests.post(self.url, data={"registryRef": "acme/marketing"}, timeout=TIMEOUT,
                                 headers={"X-API-Key": API_KEY})
        self.assertEqual(response.status_code, 415, response.text)
        self.assertEqual(response.json()["code"], "UNSUPPORTED_MEDIA_TYPE")

    def test_snippet_url_without_api_prefix_is_404_with_a_hint(self):
        response = requests.post(self.mock.origin + "/registries/artifacts", json=smallest_payload(),
                                 headers={"X-API-Key": API_KEY}, timeout=TIMEOUT)
        self.assertEqual(response.status_code, 404, response.text)
        err = response.json()
        self.assertEqual(err["code"], "ROUTE_NOT_FOUND")
        self.assertIn("/api/registries/artifacts", err["message"])

    def test_get_is_405_with_allow(self):
        response = requests.get(self.url, headers={"X-API-Key": API_KEY}, timeout=TIMEOUT)
        self.assertEqual(response.status_code, 405, response.text)
        self.assertEqual(response.json()["code"], "METHOD_NOT_ALLOWED")
        self.assertIn("POST", response.headers.get("Allow", ""))


if __name__ == "__main__":
    unittest.main()
