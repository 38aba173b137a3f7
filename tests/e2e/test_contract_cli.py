"""End-to-end: how the executable treats a --contract it cannot honour, `format`, and bodies that
once crashed validation.

Run: PRM_MOCK_BIN=build/prm-mock python3 -m unittest -v tests/e2e/test_contract_cli.py
"""
import json
import os
import sys
import tempfile
import unittest

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prm_mock_process import PrmMock, run_cli  # noqa: E402

TIMEOUT = 10  # seconds, for every HTTP call


def contract_with_schema(schema, openapi="3.1.0"):
    """An OpenAPI document whose publish operation takes `schema` (a dict) as its request body."""
    return json.dumps({
        "openapi": openapi, "info": {"title": "t", "version": "1"}, "servers": [{"url": "/api"}],
        "paths": {"/registries/artifacts": {"post": {
            "operationId": "prm-registry-publish",
            "requestBody": {"content": {"application/json": {"schema": schema}}}}}}})


class ContractFiles(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def contract(self, schema, openapi="3.1.0"):
        path = os.path.join(self.dir.name, "contract.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(contract_with_schema(schema, openapi))
        return path

    def test_serve_refuses_an_unsupported_keyword_with_exit_2_naming_it(self):
        path = self.contract({"properties": {"tree": {"$dynamicRef": "#node"}}})
        r = run_cli("serve", "--port", "0", "--contract", path)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("unusable contract", r.stderr)
        self.assertIn("'$dynamicRef' at '/paths/~1registries~1artifacts/post/requestBody/content/"
                      "application~1json/schema/properties/tree/$dynamicRef'", r.stderr)
        self.assertNotIn("listening", r.stdout)

    def test_validate_judges_a_format_without_type_only_on_strings(self):
        path = self.contract({"type": "object", "properties": {"when": {"format": "date-time"}}})
        for body, code in (('{"when": ["x"]}', 0), ('{"when": {"k": "v"}}', 0), ('{"when": 5}', 0),
                           ('{"when": "2026-01-01T00:00:00Z"}', 0), ('{"when": "soon"}', 1)):
            with self.subTest(body=body):
                r = run_cli("validate", "-", "--contract", path, input=body)
                self.assertEqual(r.returncode, code, r.stderr)
                self.assertEqual(json.loads(r.stdout)["valid"], code == 0)

    def test_serve_answers_a_format_without_type_with_200_not_500(self):
        # additionalProperties: {} keeps the default fixtures' pointers (/artifact/...) reachable.
        path = self.contract({"type": "object", "properties": {"when": {"format": "date-time"}},
                              "additionalProperties": {}})
        with PrmMock("--contract", path) as mock:
            for body in ({"when": ["x"]}, {"when": {"k": "v"}}):
                with self.subTest(body=body):
                    r = requests.post(mock.publish_url, json=body, timeout=TIMEOUT,
                                      headers={"X-API-Key": "k"})
                    self.assertNotEqual(r.status_code, 500, r.text)
                    self.assertNotEqual(r.status_code, 400, r.text)

    def test_unknown_format_is_a_warning_and_formats_annotate_turns_checks_off(self):
        path = self.contract({"type": "object", "properties": {
            "day": {"type": "string", "format": "date"},
            "card": {"type": "string", "format": "x-card"}}})
        body = '{"day": "2026-02-29", "card": "1234"}'
        asserted = run_cli("validate", "-", "--contract", path, input=body)
        self.assertEqual(asserted.returncode, 1, asserted.stderr)
        self.assertEqual([v["pointer"] for v in json.loads(asserted.stdout)["violations"]], ["/day"])
        self.assertIn("warning: ", asserted.stderr)
        self.assertIn("format 'x-card'", asserted.stderr)
        annotated = run_cli("validate", "-", "--contract", path, "--formats", "annotate",
                            input=body)
        self.assertEqual(annotated.returncode, 0, annotated.stderr)
        via_env = run_cli("validate", "-", "--contract", path, input=body,
                          env={"PRM_MOCK_FORMATS": "annotate"})
        self.assertEqual(via_env.returncode, 0, via_env.stderr)
        bad = run_cli("validate", "-", "--formats", "sometimes", input=body)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("assert|annotate", bad.stderr)


if __name__ == "__main__":
    unittest.main()
