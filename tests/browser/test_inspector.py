"""The request inspector page (GET /__admin/) in a real browser: headless Chromium through Selenium.

It starts prm-mock on port 0, opens the page, publishes AFTER the page has loaded, and checks what a
developer would see: rows arriving without a reload, a violation shown at its pointer, a hostile body
string shown as text and never run, keyboard use, the fixtures tab with hit counts, the admin token
prompt, and a phone-width layout without horizontal scrolling. Screenshots go to
$PRM_MOCK_ARTIFACTS_DIR (default: <build dir>/artifacts).

Needs Debian's chromium, chromium-driver and python3-selenium (scripts/install-deps.sh installs
them); without them it exits with SKIP_RETURN_CODE, which CTest reports as skipped.

Run: PRM_MOCK_BIN=build/dev/prm-mock /usr/bin/python3 tests/browser/test_inspector.py
"""
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from prm_mock_process import PrmMock, payload_without, smallest_payload  # noqa: E402

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # reported by missing_browser_parts(); the tests are then skipped
    webdriver = None

SKIP_RETURN_CODE = 77  # tests/CMakeLists.txt gives CTest the same number
WAIT_SECONDS = 15      # for any one condition in the page
HTTP_TIMEOUT = 10
KEY = "browser-test-key"
XSS_TEXT = '<img src=x onerror="window.__xss=1">'
TOKEN = "inspector-test-token"

# Collects Content-Security-Policy violations from the first script on: the page must cause none.
CSP_RECORDER = ("window.__cspViolations = [];"
                "document.addEventListener('securitypolicyviolation', (e) =>"
                " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));")


def missing_browser_parts():
    missing = []
    if not shutil.which("chromium"):
        missing.append("chromium")
    if not shutil.which("chromedriver"):
        missing.append("chromium-driver (chromedriver)")
    if webdriver is None:
        missing.append(f"python3-selenium (for {sys.executable})")
    return missing


def artifacts_dir():
    path = os.environ.get("PRM_MOCK_ARTIFACTS_DIR") or os.path.join(
        os.environ.get("PRM_MOCK_BUILD_DIR", os.getcwd()), "artifacts")
    os.makedirs(path, exist_ok=True)
    return path


def http(method, url, body=None, headers=None, context=None):
    """(status, parsed JSON or None) of one request; error statuses are returned, not raised."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT, context=context) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    try:
        return status, json.loads(text)
    except ValueError:
        return status, None


def publish(mock, payload, url=None, context=None):
    status, _ = http("POST", url or mock.publish_url, payload,
                     {"Content-Type": "application/json", "X-API-Key": KEY}, context)
    return status


def admin_headers(token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    return headers


def reset(mock, token=None):
    status, _ = http("POST", mock.origin + "/__admin/reset", {}, admin_headers(token))
    assert status == 200, status


def journal(mock, token=None):
    status, listing = http("GET", mock.origin + "/__admin/requests", None, admin_headers(token))
    assert status == 200, status
    return listing["requests"]


def start_browser(*extra_arguments):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,800", "--no-first-run", "--disable-extensions",
                     "--disable-background-networking", "--disable-component-update",
                     *extra_arguments):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")),
                              options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_RECORDER})
    return driver


class InspectorPage(unittest.TestCase):
    mock = None
    driver = None

    @classmethod
    def setUpClass(cls):
        cls.mock = PrmMock()
        cls.mock.start()
        try:
            cls.driver = start_browser()
        except BaseException:
            cls.mock.close()
            raise
        cls.artifacts = artifacts_dir()
        print(f"\nscreenshots go to {cls.artifacts}", flush=True)

    @classmethod
    def tearDownClass(cls):
        if cls.driver is not None:
            cls.driver.quit()
        if cls.mock is not None:
            cls.mock.close()

    # --- helpers -------------------------------------------------------------------------------
    def viewport(self, width, height, mobile=False):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def wait_for(self, condition, what):
        try:
            return WebDriverWait(self.driver, WAIT_SECONDS).until(lambda driver: condition())
        except TimeoutException:
            status = self.find("#connection").text
            self.fail(f"timed out after {WAIT_SECONDS}s waiting for {what}; the page says {status!r}")

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def open_page(self, origin=None, path="/__admin/"):
        self.driver.get((origin or self.mock.origin) + path)
        # A marker that a reload would wipe: rows must arrive with the page still the same one.
        self.js("window.__loadedOnce = true;")

    def wait_until_live(self):
        self.wait_for(lambda: "live" in self.find("#connection").get_attribute("class"),
                      "the page to follow the event stream")

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def rows(self):
        return self.find_all("#request-rows tr.row")

    def wait_for_rows(self, count):
        self.wait_for(lambda: len(self.rows()) == count, f"{count} rows in the table")
        return self.rows()

    def row_for(self, entry_id):
        return self.find(f'#request-rows tr.row[data-id="{entry_id}"]')

    def wait_for_detail(self, entry_id):
        self.wait_for(lambda: self.find("#detail").is_displayed() and
                      self.find("#detail").get_attribute("data-id") == entry_id,
                      f"the detail pane to show {entry_id}")

    def assert_page_stayed_clean(self):
        self.assertTrue(self.js("return window.__loadedOnce === true"), "the page was reloaded")
        self.assertEqual(self.js("return window.__cspViolations"), [],
                         "the page broke its own Content-Security-Policy")
        severe = [entry["message"] for entry in self.driver.get_log("browser")
                  if entry["level"] == "SEVERE"]
        self.assertEqual(severe, [], "errors in the browser console")

    def screenshot(self, name):
        path = os.path.join(self.artifacts, name)
        self.assertTrue(self.driver.save_screenshot(path), path)
        print(f"screenshot: {path}", flush=True)
        return path

    def setUp(self):
        reset(self.mock)
        self.viewport(1280, 800)
        self.driver.get_log("browser")  # forget what earlier tests logged

    # --- tests ---------------------------------------------------------------------------------
    def test_requests_appear_live_and_the_detail_shows_each_violation_at_its_pointer(self):
        self.open_page()
        self.wait_until_live()
        self.assertEqual(self.rows(), [])

        self.assertEqual(publish(self.mock, smallest_payload(prompt="valid-one")), 200)
        self.assertEqual(publish(self.mock, payload_without("hash")), 400)
        self.assertEqual(publish(self.mock, smallest_payload(compiled=XSS_TEXT)), 200)
        valid, invalid, hostile = journal(self.mock)

        rows = self.wait_for_rows(3)
        self.assertEqual([row.get_attribute("data-id") for row in rows],
                         [hostile["id"], invalid["id"], valid["id"]], "newest first")
        self.assertEqual([row.find_element(By.CSS_SELECTOR, ".status").text for row in rows],
                         ["200", "400", "200"])
        invalid_row = self.row_for(invalid["id"])
        self.assertIn("/artifact/hash missing required property 'hash'",
                      invalid_row.get_attribute("textContent"))
        self.assertIn("success", self.row_for(valid["id"]).get_attribute("textContent"))

        invalid_row.click()
        self.wait_for_detail(invalid["id"])
        notes = self.find_all('#detail .json-note.violation[data-pointer="/artifact/hash"]')
        self.assertEqual(len(notes), 1, "one note for the one violation")
        note = notes[0]
        self.assertTrue(note.is_displayed())
        self.assertIn("/artifact/hash", note.text)
        self.assertIn("missing required property 'hash'", note.text)
        # hash is absent, so the note stands at the object that lacks it, which is highlighted.
        holder = note.find_element(By.XPATH, "./ancestor::div[contains(@class,'json-node')][1]")
        self.assertEqual(holder.get_attribute("data-pointer"), "/artifact")
        self.assertIn("mark-violation",
                      holder.find_element(By.CSS_SELECTOR, ".json-line").get_attribute("class"))
        self.assertIn("POST /api/registries/artifacts", self.find("#detail-title").text)
        self.assertIn("[redacted]", self.find("#detail").text, "the API key as the journal has it")
        self.assertNotIn(KEY, self.find("#detail").text)
        self.screenshot("inspector-1280x800.png")

        self.row_for(hostile["id"]).click()
        self.wait_for_detail(hostile["id"])
        shown = [node for node in self.find_all("#detail .json-string")
                 if node.text == json.dumps(XSS_TEXT)]
        self.assertEqual(len(shown), 1, "the <img> markup is shown as the string it is")
        self.assertTrue(shown[0].is_displayed())
        self.assertEqual(self.find_all("img"), [], "no element made from the body's markup")
        self.assertEqual(self.js("return typeof window.__xss"), "undefined")

        # The page's own requests leave the journal alone (no favicon request, no admin calls).
        self.assertEqual(len(journal(self.mock)), 3)
        self.assert_page_stayed_clean()

    def test_the_response_sent_and_near_misses_are_in_the_detail(self):
        self.open_page()
        self.wait_until_live()
        self.assertEqual(publish(self.mock, payload_without("hash")), 400)
        (invalid,) = journal(self.mock)
        self.wait_for_rows(1)[0].click()
        self.wait_for_detail(invalid["id"])
        detail = self.find("#detail")
        self.wait_for(lambda: "CONTRACT_VIOLATION" in detail.text, "the response body's code")
        self.wait_for(lambda: "Looking for fixtures" not in detail.text, "the near misses")
        self.assertNotIn("Not available", detail.text)
        self.assert_page_stayed_clean()

    def test_keyboard_reaches_rows_with_tab_and_moves_with_arrows(self):
        self.open_page()
        self.wait_until_live()
        for prompt in ("first", "second", "third"):
            self.assertEqual(publish(self.mock, smallest_payload(prompt=prompt)), 200)
        entries = journal(self.mock)
        self.wait_for_rows(3)

        # Tab from the top of the page reaches the tabs, then the table's rows.
        self.js("document.activeElement.blur()")
        reached_tab = reached_row = False
        for _ in range(30):
            self.driver.switch_to.active_element.send_keys(Keys.TAB)
            active = self.driver.switch_to.active_element
            reached_tab = reached_tab or active.get_attribute("role") == "tab"
            if active.get_attribute("data-id"):
                reached_row = True
                break
        self.assertTrue(reached_tab, "Tab reaches the tabs")
        self.assertTrue(reached_row, "Tab reaches the request rows")
        active = self.driver.switch_to.active_element
        self.assertEqual(active.get_attribute("data-id"), entries[2]["id"], "the newest row first")

        active.send_keys(Keys.ARROW_DOWN)
        active = self.driver.switch_to.active_element
        self.assertEqual(active.get_attribute("data-id"), entries[1]["id"])
        self.assertEqual(active.get_attribute("aria-selected"), "true")
        self.assertFalse(self.find("#detail").is_displayed())

        active.send_keys(Keys.ENTER)
        self.wait_for_detail(entries[1]["id"])
        self.assertIn('"second"', self.find("#detail").text)
        # With the detail open, the arrows carry it along.
        self.driver.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
        self.wait_for_detail(entries[0]["id"])

        self.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        self.wait_for(lambda: not self.find("#detail").is_displayed(), "Escape to close the detail")
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("data-id"),
                         entries[0]["id"], "focus goes back to the row")
        self.assert_page_stayed_clean()

    def test_fixtures_tab_lists_the_fixtures_with_their_hits(self):
        self.assertEqual(publish(self.mock, smallest_payload()), 200)
        self.assertEqual(publish(self.mock, smallest_payload(version="1.2.4")), 200)
        self.assertEqual(publish(self.mock, smallest_payload(prompt="rate-limit-me")), 429)
        self.open_page()
        self.wait_until_live()
        self.wait_for_rows(3)

        tab = self.find("#tab-requests")
        tab.send_keys(Keys.ARROW_RIGHT)  # the tablist's keys move to the next tab
        self.wait_for(lambda: self.find("#panel-fixtures").is_displayed(), "the fixtures tab")
        self.assertEqual(self.find("#tab-fixtures").get_attribute("aria-selected"), "true")
        _, listing = http("GET", self.mock.origin + "/__admin/fixtures")
        self.wait_for(lambda: len(self.find_all("#fixture-rows tr")) == listing["count"],
                      "every fixture in the table")

        def hits(name):  # read in one step: Refresh replaces the rows
            return self.js("const cell = document.querySelector("
                           "`#fixture-rows tr[data-name='${arguments[0]}'] .hits`);"
                           "return cell && cell.textContent;", name)

        self.assertEqual(hits("success"), "2")
        self.assertEqual(hits("rate-limited"), "1")
        self.assertEqual(hits("server-error"), "0")

        self.assertEqual(publish(self.mock, smallest_payload(prompt="server-error-me")), 500)
        self.find("#fixtures-refresh").click()
        self.wait_for(lambda: hits("server-error") == "1", "the refreshed hit count")
        self.assert_page_stayed_clean()

    def test_phone_width_stacks_without_horizontal_scrolling(self):
        self.viewport(390, 844, mobile=True)
        self.open_page()
        self.wait_until_live()
        self.assertEqual(self.js("return window.innerWidth"), 390)
        long_word = "x" * 400  # no break opportunity: it must wrap anyway
        self.assertEqual(publish(self.mock, payload_without("hash")), 400)
        self.assertEqual(publish(self.mock, smallest_payload(compiled=long_word)), 200)
        invalid, long_one = journal(self.mock)
        self.wait_for_rows(2)

        def overflow():
            return self.js("return [document.scrollingElement.scrollWidth, window.innerWidth]")

        self.row_for(invalid["id"]).click()
        self.wait_for_detail(invalid["id"])
        width, inner = overflow()
        self.assertLessEqual(width, inner, "horizontal overflow with the detail open")
        table_box = self.find(".table-wrap").rect
        detail_box = self.find("#detail").rect
        self.assertGreaterEqual(detail_box["y"], table_box["y"] + table_box["height"] - 1,
                                "the detail stacks below the table")
        self.screenshot("inspector-390x844.png")

        self.row_for(long_one["id"]).click()
        self.wait_for_detail(long_one["id"])
        width, inner = overflow()
        self.assertLessEqual(width, inner, "horizontal overflow with a long unbroken string")

        self.find("#tab-fixtures").click()
        self.wait_for(lambda: len(self.find_all("#fixture-rows tr")) > 0, "the fixtures")
        width, inner = overflow()
        self.assertLessEqual(width, inner, "horizontal overflow on the fixtures tab")
        self.assert_page_stayed_clean()


class InspectorPageWithAdminToken(unittest.TestCase):
    """--admin-token: the page itself opens, asks for the token, and works once it has it."""

    def setUp(self):
        self.mock = PrmMock("--admin-token", TOKEN)
        self.mock.start()
        self.addCleanup(self.mock.close)
        self.driver = start_browser()
        self.addCleanup(self.driver.quit)

    def wait_for(self, condition, what):
        try:
            return WebDriverWait(self.driver, WAIT_SECONDS).until(lambda driver: condition())
        except TimeoutException:
            self.fail(f"timed out after {WAIT_SECONDS}s waiting for {what}")

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def rows(self):
        return self.driver.find_elements(By.CSS_SELECTOR, "#request-rows tr.row")

    def test_the_page_asks_for_the_token_and_keeps_it_for_the_tab(self):
        origin = f"http://localhost:{self.mock.port}"  # the other loopback name the mock answers
        self.driver.get(origin + "/__admin/")
        self.wait_for(lambda: self.find("#token-form").is_displayed(), "the token prompt")
        self.assertEqual(self.rows(), [])
        self.assertEqual(publish(self.mock, smallest_payload()), 200)

        self.find("#token-input").send_keys("not-the-token")
        self.find("#token-form button").click()
        self.wait_for(lambda: "refused" in self.find("#token-problem").text,
                      "the wrong token to be refused")

        self.find("#token-input").clear()
        self.find("#token-input").send_keys(TOKEN)
        self.find("#token-form button").click()
        self.wait_for(lambda: len(self.rows()) == 1, "the request sent before the token")
        self.assertFalse(self.find("#token-form").is_displayed())
        self.assertEqual(publish(self.mock, payload_without("hash")), 400)
        self.wait_for(lambda: len(self.rows()) == 2, "a request sent after the token")
        self.assertEqual(
            self.driver.execute_script("return sessionStorage.getItem('prm-mock-admin-token')"),
            TOKEN)

        self.find("#tab-fixtures").click()
        self.wait_for(lambda: self.driver.find_elements(By.CSS_SELECTOR, "#fixture-rows tr"),
                      "the fixtures, with the token")

        # Reloaded, the tab still has the token: no prompt, the journal shows at once.
        self.driver.refresh()
        self.wait_for(lambda: len(self.rows()) == 2, "the journal after a reload")
        self.assertFalse(self.find("#token-form").is_displayed())


class InspectorPageOverHttps(unittest.TestCase):
    """Served with --tls-cert the mock has no event stream: the page reads the journal by polling."""

    def setUp(self):
        directory = tempfile.TemporaryDirectory(prefix="prm-mock-browser-")
        self.addCleanup(directory.cleanup)
        self.cert = os.path.join(directory.name, "cert.pem")
        key = os.path.join(directory.name, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", self.cert], check=True, capture_output=True)
        self.mock = PrmMock("--tls-cert", self.cert, "--tls-key", key)
        self.mock.start()
        self.addCleanup(self.mock.close)
        # The certificate is the test's own: Chromium is told not to check it.
        self.driver = start_browser("--ignore-certificate-errors")
        self.addCleanup(self.driver.quit)

    def test_the_page_polls_the_journal_instead(self):
        origin = f"https://127.0.0.1:{self.mock.port}"
        self.driver.get(origin + "/__admin/")
        status = self.driver.find_element(By.CSS_SELECTOR, "#connection")
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda driver: "polling" in status.get_attribute("class"))
        context = ssl.create_default_context(cafile=self.cert)
        self.assertEqual(publish(self.mock, payload_without("hash"),
                                 url=origin + "/api/registries/artifacts", context=context), 400)
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda driver: driver.find_elements(By.CSS_SELECTOR, "#request-rows tr.row"))
        row = self.driver.find_element(By.CSS_SELECTOR, "#request-rows tr.row")
        self.assertIn("/artifact/hash", row.get_attribute("textContent"))


if __name__ == "__main__":
    missing = missing_browser_parts()
    if missing:
        print("SKIP: the browser test needs " + ", ".join(missing) +
              "; scripts/install-deps.sh installs them (Debian: apt-get install chromium "
              "chromium-driver python3-selenium)")
        sys.exit(SKIP_RETURN_CODE)
    unittest.main(verbosity=2)
