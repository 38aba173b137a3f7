"""`prm-mock check`: the fixture lint as a CI step would run it."""
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prm_mock_process import run_cli  # noqa: E402

SOURCE_DIR = os.environ.get("PRM_MOCK_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


class CheckCommandTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="prm-mock-check-")

    def tearDown(self):
        shutil.rmtree(self.directory)

    def write(self, name, text):
        with open(os.path.join(self.directory, name), "w", encoding="utf-8") as file:
            file.write(text)

    def test_the_shipped_fixtures_pass(self):
        result = run_cli("check", "--fixtures", os.path.join(SOURCE_DIR, "fixtures"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("ok", result.stdout)

    def test_every_problem_is_named_by_file_and_field(self):
        self.write("typo.json", '{"name":"typo","prority":1,"response":{"status":200}}')
        self.write("operator.json",
                   '{"name":"op","when":{"body":{"/artifact/version":{"equal":"1"}}},"response":{"status":200}}')
        self.write("pointer.json",
                   '{"name":"ptr","response":{"status":200,"body":{"v":"{{body:/artifact/verison}}"}}}')
        result = run_cli("check", "--fixtures", self.directory)
        self.assertEqual(result.returncode, 1)
        lines = result.stdout.splitlines()
        self.assertTrue(any(line.startswith(os.path.join(self.directory, "typo.json") + ": ") and "prority" in line
                            for line in lines), lines)
        self.assertTrue(any("operator.json: /when/body/~1artifact~1version" in line and "equal" in line
                            for line in lines), lines)
        self.assertTrue(any("pointer.json" in line and "verison" in line for line in lines), lines)

    def test_sequence_steps_are_checked_like_responses(self):
        self.write("good.json", '{"name":"retry","responses":[{"status":429,"repeat":2,'
                                '"headers":{"Retry-After":"1"}},{"status":200}],"afterLast":"cycle"}')
        result = run_cli("check", "--fixtures", self.directory)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.write("steps.json", '{"name":"steps","responses":[{"status":200,"body":'
                                 '{"v":"{{body:/artifact/verison}}"}},{"status":999},'
                                 '{"status":200,"repeat":0}],"afterLast":"again"}')
        self.write("both.json", '{"name":"both","response":{"status":200},"responses":[{"status":200}]}')
        self.write("neither.json", '{"name":"neither"}')
        self.write("scope.json", '{"name":"scope","responses":[{"status":200}],"scope":{"header":"Cookie"}}')
        result = run_cli("check", "--fixtures", self.directory)
        self.assertEqual(result.returncode, 1)
        out = result.stdout
        # The format is checked first: a file with format problems lists those.
        self.assertIn("steps.json: /afterLast: must be one of", out)
        self.assertIn("steps.json: /responses/1/status: HTTP status must be between 100 and 599", out)
        self.assertIn("steps.json: /responses/2/repeat: must be between 1 and 1000000", out)
        self.assertIn("both.json: /: give only one of 'response' and 'responses'", out)
        self.assertIn("neither.json: /: needs one of 'response' or 'responses'", out)
        self.assertIn("scope.json: /scope/header: Cookie carries a credential", out)
        self.assertNotIn("good.json", out)
        # Templates of a step, once its format is right.
        self.write("steps.json", '{"name":"steps","responses":[{"status":200},{"status":200,"body":'
                                 '{"v":"{{body:/artifact/verison}}"}}]}')
        result = run_cli("check", "--fixtures", self.directory)
        self.assertIn("steps.json: /responses/1/body/v", result.stdout)
        self.assertIn("verison", result.stdout)

    def test_serve_refuses_a_bad_set_and_says_why(self):
        self.write("bad.json", '{"name":"bad","response":{"status":999}}')
        result = run_cli("serve", "--port", "0", "--fixtures", self.directory)
        self.assertEqual(result.returncode, 1)
        self.assertIn("bad.json", result.stderr)


if __name__ == "__main__":
    unittest.main()
