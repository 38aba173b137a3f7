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

    def test_serve_refuses_a_bad_set_and_says_why(self):
        self.write("bad.json", '{"name":"bad","response":{"status":999}}')
        result = run_cli("serve", "--port", "0", "--fixtures", self.directory)
        self.assertEqual(result.returncode, 1)
        self.assertIn("bad.json", result.stderr)


if __name__ == "__main__":
    unittest.main()
