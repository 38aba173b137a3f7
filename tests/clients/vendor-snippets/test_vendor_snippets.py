"""The vendor's own publish snippets, run by each language's own interpreter against prm-mock.

The API reference page of `prm-registry-publish` shows the publish call in eight languages; the six
that run on Debian are in snippets/, byte for byte as published (README.md here has the table).
Each test starts its own prm-mock on port 0, copies one snippet into a temporary directory with
its URL pointed at the mock, runs it, and then checks two things:

- what the snippet's client saw (its printed output: the 200 echo of the published identity);
- what the mock received, from the journal (`GET /__admin/requests`): exactly one POST to
  /api/registries/artifacts, answered 200, its parsed body member by member in the order sent,
  its Content-Length (so the bytes, pretty-printed or compact, are the ones the snippet holds),
  `Content-Type: application/json` and the API key as the journal shows it (redacted).

The only change made to a snippet is its URL. The page writes the API's base URL
`https://elacity.ai/api` as `https://api` (a documentation artefact), so a user replaces that with
the mock's base URL: `https://api/registries/artifacts` becomes
`http://127.0.0.1:<port>/api/registries/artifacts`. The Ruby snippet turns TLS on itself
(`use_ssl = true`), so it runs against a mock started with `--tls-cert/--tls-key` on a certificate
made here, which Ruby trusts through SSL_CERT_FILE (OpenSSL's default store reads it): the snippet
keeps `https://`. The key placeholder `<apiKey>` is sent as written; the mock is started with
`--api-key '<apiKey>'`, so a 200 also proves the snippet's key header arrived.

Every body the snippets send is valid against the contract, so each gets 200. The values are the
placeholder "string", which breaks three of the registry's advisory rules (version, registryRef
and hash formats): by default those are warnings, not errors, and the journal lists them.

A toolchain that is missing fails its test: scripts/install-deps.sh installs them all, so in CI
a missing one is a broken install. Locally, PRM_MOCK_ALLOW_MISSING_TOOLCHAINS=1 turns that into a
skip whose message says what to install (ctest reports it as skipped).
"""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import uuid
import zipfile

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "e2e"))
from prm_mock_process import PrmMock, url_host  # noqa: E402

SNIPPETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippets")
VENDOR_URL = "https://api/registries/artifacts"
PUBLISH_PATH = "/api/registries/artifacts"
API_KEY = "<apiKey>"  # the snippets' placeholder, sent as written
ADMIN_TIMEOUT = 10
# A snippet run is one request, but `go run` compiles first and `java File.java` compiles the
# source in memory: generous, since the machine may be shared with sanitizer builds.
SNIPPET_TIMEOUT = 120

# The request every snippet sends, in the order the page writes its members.
PAYLOAD = {
    "registryRef": "string",
    "artifact": {
        "prompt": "string",
        "version": "string",
        "model": "string",
        "compiled": "string",
        "hash": "string",
        "schema": {},
        "components": {},
        "metadata": {},
    },
}
# The three spellings of it on the page, derived here independently of the snippet files:
REQUESTS_JSON = json.dumps(PAYLOAD)                    # Python: what requests' json= writes
COMPACT_JSON = json.dumps(PAYLOAD, separators=(",", ":"))  # JavaScript's string literal
PRETTY_JSON = json.dumps(PAYLOAD, indent=2)            # Go, Ruby, Java and PHP: "\n" and two spaces

# The fields the default `success` fixture echoes, and the advisory warnings "string" earns.
ECHOED_FIELDS = {"registryRef", "prompt", "version", "model", "hash"}
ADVISORY_WARNING_POINTERS = ["/artifact/hash", "/artifact/version", "/registryRef"]

# Variables that would send a snippet's request somewhere else (Ruby's Net::HTTP, PHP's curl and
# Python's requests all honour them): a developer's or CI's proxy must not sit between the two.
PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy", "ftp_proxy"}


def fnv1a_32_hex(text):
    """The journal's fingerprint of a key shorter than 16 characters: 8 hex digits of the 32-bit
    FNV-1a hash of its UTF-8 bytes (computed here independently of the server's code)."""
    value = 2166136261
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return f"{value:08x}"


REDACTED_KEY = "[redacted]\u2026" + fnv1a_32_hex(API_KEY)


def without_proxies(env):
    return {k: v for k, v in env.items() if k.lower() not in PROXY_VARIABLES}


def compact(value):
    """A JSON value as one line in its own member order, to compare order as well as content."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class SnippetTestCase(unittest.TestCase):
    """One snippet against its own prm-mock. Subclasses run the snippet and check its output."""

    tls = False

    def setUp(self):
        workdir = tempfile.TemporaryDirectory(prefix="prm-mock-vendor-snippet-")
        self.addCleanup(workdir.cleanup)
        self.workdir = workdir.name
        args = ["--api-key", API_KEY]
        if self.tls:
            self.certificate = self.make_certificate()
            args += ["--tls-cert", self.certificate, "--tls-key", self.private_key]
        self.mock = PrmMock(*args)
        self.mock.start()
        self.addCleanup(self.stop_mock)
        scheme = "https" if self.tls else "http"
        self.origin = f"{scheme}://{url_host('127.0.0.1')}:{self.mock.port}"

    def stop_mock(self):
        """Stops the mock by its PID (SIGTERM). It must exit 0: under the TSan and ASan builds a
        sanitizer report in the server, while real clients used it, then fails the test."""
        status = self.mock.stop()
        stderr = self.mock.stderr_text()
        self.mock.close()
        self.assertEqual(status, 0, f"prm-mock exited with {status}; its stderr:\n{stderr}")

    # --- toolchains --------------------------------------------------------------------------
    def missing_toolchain(self, what):
        message = f"{what} is not installed (scripts/install-deps.sh installs it)"
        if os.environ.get("PRM_MOCK_ALLOW_MISSING_TOOLCHAINS") == "1":
            self.skipTest("toolchain missing, skipped: " + message)
        self.fail(message + "; set PRM_MOCK_ALLOW_MISSING_TOOLCHAINS=1 to skip it locally")

    def require_program(self, name, package):
        path = shutil.which(name)
        if path is None:
            self.missing_toolchain(f"{name} (Debian package {package})")
        return path

    def require_file(self, path, package):
        if not os.path.isfile(path):
            self.missing_toolchain(f"{path} (Debian package {package})")
        return path

    def version_of(self, argv):
        """A toolchain's version line, for the test's output (README's "Works with" table)."""
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        self.assertEqual(done.returncode, 0, f"{argv}: {done.stderr}")
        return (done.stdout or done.stderr).strip().splitlines()[0]

    def report_versions(self, text):
        print(f"\n{type(self).__name__} client versions: {text}", file=sys.stderr)

    # --- the snippet -------------------------------------------------------------------------
    def make_certificate(self):
        """A self-signed certificate for 127.0.0.1 (the name the snippet's URL will use), as
        README.md's HTTPS section shows. EC P-256: generating it takes milliseconds."""
        self.private_key = os.path.join(self.workdir, "key.pem")
        certificate = os.path.join(self.workdir, "cert.pem")
        done = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", self.private_key, "-out", certificate],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(done.returncode, 0, done.stderr)
        return certificate

    def snippet_text(self, name):
        """The snippet as published, with only its URL pointed at this test's mock."""
        with open(os.path.join(SNIPPETS, name), encoding="utf-8") as f:
            text = f.read()
        self.assertEqual(text.count(VENDOR_URL), 1, f"{name} should name {VENDOR_URL} once")
        return text.replace(VENDOR_URL, self.origin + PUBLISH_PATH)

    def write(self, name, text):
        path = os.path.join(self.workdir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path

    def run_snippet(self, argv, env=None):
        """Runs a snippet in the work directory; it must exit 0. Returns its stdout."""
        done = subprocess.run(
            argv, cwd=self.workdir, capture_output=True, text=True, timeout=SNIPPET_TIMEOUT,
            stdin=subprocess.DEVNULL, env=without_proxies({**os.environ, **(env or {})}))
        self.assertEqual(done.returncode, 0,
                         f"{argv} exited {done.returncode}\nstdout:\n{done.stdout}\n"
                         f"stderr:\n{done.stderr}\nmock stderr:\n{self.mock.stderr_text()}")
        self.snippet_stderr = done.stderr
        return done.stdout

    # --- what the client saw -----------------------------------------------------------------
    def assert_published_echo(self, data, stdout):
        """The 200 body of the default `success` fixture: the identity the snippet published."""
        self.assertIsInstance(data, dict, stdout)
        self.assertEqual(set(data), ECHOED_FIELDS | {"id", "publishedAt"}, stdout)
        for field in ECHOED_FIELDS:
            self.assertEqual(data[field], "string", field)
        uuid.UUID(data["id"])  # raises unless the mock generated a UUID

    # --- what the mock received --------------------------------------------------------------
    def journal(self):
        response = requests.get(self.origin + "/__admin/requests", timeout=ADMIN_TIMEOUT,
                                verify=self.certificate if self.tls else True)
        self.assertEqual(response.status_code, 200, response.text)
        listing = response.json()
        # The key itself must be nowhere in what the journal shows.
        self.assertNotIn(API_KEY, response.text)
        return listing

    def only_entry(self):
        listing = self.journal()
        self.assertEqual((listing["total"], listing["count"]), (1, 1), listing)
        return listing["requests"][0]

    def assert_journaled(self, entry, sent_text, status=200):
        """One publish of `sent_text` (the body's exact text), answered `status`."""
        headers = {name.lower(): value for name, value in entry["headers"].items()}
        self.assertEqual(entry["method"], "POST")
        self.assertEqual(entry["path"], PUBLISH_PATH)
        self.assertEqual(entry["status"], status, entry)
        self.assertEqual(headers.get("x-api-key"), REDACTED_KEY, headers)
        self.assertEqual(headers.get("content-type"), "application/json", headers)
        # The journal keeps the parsed body, in the order its members arrived; Content-Length is
        # then what tells a compact body from a pretty-printed one with the same members.
        self.assertEqual(compact(entry["body"]), compact(json.loads(sent_text)))
        self.assertEqual(headers.get("content-length"), str(len(sent_text.encode("utf-8"))),
                         headers)
        self.assertFalse(entry["bodyTruncated"])
        return headers

    def assert_valid_with_advisory_warnings(self, entry):
        self.assertEqual(entry["violations"], [], entry)
        self.assertEqual(entry["fixture"], "success")
        self.assertEqual(sorted(w["pointer"] for w in entry["warnings"]),
                         ADVISORY_WARNING_POINTERS, entry["warnings"])


class PythonRequests(SnippetTestCase):
    def test_snippet_publishes_and_is_journaled(self):
        self.report_versions(f"Python {sys.version.split()[0]}, requests {requests.__version__}")
        self.write("publish.py", self.snippet_text("publish.py"))
        # The same interpreter (and so the same requests) as this test.
        stdout = self.run_snippet([sys.executable, "publish.py"])
        # The snippet prints response.json(): a dict's repr.
        self.assert_published_echo(ast.literal_eval(stdout.strip()), stdout)
        entry = self.only_entry()
        headers = self.assert_journaled(entry, REQUESTS_JSON)
        self.assertEqual(headers.get("user-agent"), f"python-requests/{requests.__version__}")
        self.assert_valid_with_advisory_warnings(entry)


class JavaScriptFetch(SnippetTestCase):
    def test_snippet_publishes_and_is_journaled(self):
        node = self.require_program("node", "nodejs")
        self.report_versions(self.version_of(
            [node, "-p", "`Node.js ${process.version}, undici ${process.versions.undici}`"]))
        # The snippet awaits at top level, which Node allows in an ES module: hence .mjs.
        self.write("publish.mjs", self.snippet_text("publish.mjs"))
        stdout = self.run_snippet([node, "publish.mjs"])
        # The snippet catches every error and console.error()s it, exiting 0 all the same: so its
        # stdout must hold the logged object (util.inspect's form: `  key: 'value',` lines).
        data = dict(re.findall(r"^\s+(\w+): '([^'\n]*)',?$", stdout, re.M))
        self.assert_published_echo(data, stdout + self.snippet_stderr)
        entry = self.only_entry()
        self.assert_journaled(entry, COMPACT_JSON)
        self.assert_valid_with_advisory_warnings(entry)


class GoNetHttp(SnippetTestCase):
    def test_snippet_publishes_and_is_journaled(self):
        go = self.require_program("go", "golang-go")
        self.report_versions(self.version_of([go, "version"]))
        self.write("publish.go", self.snippet_text("publish.go"))
        # Build cache and module path inside the work directory ($HOME may be unset or shared);
        # the snippet imports only the standard library, and nothing may be downloaded.
        env = {"GOCACHE": os.path.join(self.workdir, "go-cache"),
               "GOPATH": os.path.join(self.workdir, "go-path"),
               "GOPROXY": "off", "GOTOOLCHAIN": "local", "GOFLAGS": ""}
        stdout = self.run_snippet([go, "run", "publish.go"], env=env)
        # fmt.Println(res) prints the *http.Response struct, then the body on the next line.
        first, _, rest = stdout.partition("\n")
        self.assertTrue(first.startswith("&{200 OK 200 HTTP/1.1 "), first)
        self.assert_published_echo(json.loads(rest), stdout)
        entry = self.only_entry()
        self.assert_journaled(entry, PRETTY_JSON)
        self.assert_valid_with_advisory_warnings(entry)


class RubyNetHttpOverTls(SnippetTestCase):
    tls = True

    def ruby(self):
        ruby = self.require_program("ruby", "ruby")
        self.report_versions(self.version_of(
            [ruby, "-rnet/http", "-ropenssl", "-e",
             'puts "Ruby #{RUBY_VERSION}, net-http #{Net::HTTP::VERSION}, '
             '#{OpenSSL::OPENSSL_LIBRARY_VERSION}"']))
        self.write("publish.rb", self.snippet_text("publish.rb"))
        return ruby

    def test_snippet_publishes_over_https_and_is_journaled(self):
        ruby = self.ruby()
        stdout = self.run_snippet([ruby, "publish.rb"], env={"SSL_CERT_FILE": self.certificate})
        self.assert_published_echo(json.loads(stdout), stdout)
        entry = self.only_entry()
        self.assert_journaled(entry, PRETTY_JSON)
        self.assert_valid_with_advisory_warnings(entry)

    def test_snippet_checks_the_certificate(self):
        # Without the test certificate in its trust store the snippet must refuse the mock: so
        # the test above passes because SSL_CERT_FILE is trusted, not because nothing is checked.
        ruby = self.ruby()
        env = without_proxies({**os.environ, "SSL_CERT_FILE": os.devnull})
        done = subprocess.run([ruby, "publish.rb"], cwd=self.workdir, capture_output=True,
                              text=True, timeout=SNIPPET_TIMEOUT, stdin=subprocess.DEVNULL,
                              env=env)
        self.assertNotEqual(done.returncode, 0, done.stdout)
        self.assertIn("certificate verify failed", done.stderr)
        self.assertEqual(self.journal()["total"], 0)  # no request was ever sent


# The Java snippet is a method body using Unirest 1.x (com.mashape.unirest), which Debian packages
# as libunirest-java-java; these are its jars and their dependencies, as that package installs them.
UNIREST_JAR = "/usr/share/java/unirest-java.jar"
UNIREST_CLASSPATH = [UNIREST_JAR] + [
    f"/usr/share/java/{name}.jar"
    for name in ("httpclient", "httpcore", "httpasyncclient", "httpcore-nio", "httpmime",
                 "commons-logging", "commons-codec", "com.android.json")]


def unirest_version():
    with zipfile.ZipFile(UNIREST_JAR) as jar:
        text = jar.read("META-INF/maven/com.mashape.unirest/unirest-java/pom.properties")
    return re.search(r"^version=(.+)$", text.decode(), re.M).group(1).strip()


class JavaUnirest(SnippetTestCase):
    def test_snippet_publishes_and_is_journaled(self):
        java = self.require_program("java", "default-jdk-headless")
        for jar in UNIREST_CLASSPATH:
            self.require_file(jar, "libunirest-java-java")
        self.report_versions(f"{self.version_of([java, '-version'])}, Unirest {unirest_version()}")
        # The snippet is two imports and one statement, not a program (and jshell cannot run
        # it: it ends the statement at the first line break, before `.header(...)`). So it goes,
        # unchanged, into a main method, as a user would paste it; the two lines after it print
        # what the call returned, which the snippet itself does not.
        lines = self.snippet_text("publish.java").splitlines(keepends=True)
        imports = "".join(line for line in lines if line.startswith("import "))
        statements = "".join(line for line in lines if not line.startswith("import "))
        self.write("Publish.java", imports + "\npublic class Publish {\n"
                   "public static void main(String[] args) throws Exception {\n" + statements +
                   "System.out.println(response.getStatus());\n"
                   "System.out.println(response.getBody());\n}\n}\n")
        # `java File.java` compiles and runs a one-file program; Unirest's threads are daemons,
        # so the JVM exits when main returns.
        stdout = self.run_snippet([java, "-cp", ":".join(UNIREST_CLASSPATH), "Publish.java"])
        status, _, body = stdout.partition("\n")
        self.assertEqual(status, "200", stdout)
        self.assert_published_echo(json.loads(body), stdout)
        entry = self.only_entry()
        self.assert_journaled(entry, PRETTY_JSON)
        self.assert_valid_with_advisory_warnings(entry)


GUZZLE_AUTOLOAD = "/usr/share/php/GuzzleHttp/autoload.php"


class PhpGuzzle(SnippetTestCase):
    """Guzzle sends through libcurl when PHP's curl extension is loaded, else through PHP's own
    http:// stream wrapper: two HTTP clients, and which one a user gets depends on their PHP. The
    snippet runs once with each."""

    def php(self):
        php = self.require_program("php", "php-cli")
        self.require_file(GUZZLE_AUTOLOAD, "php-guzzlehttp-guzzle")
        # The snippet loads Composer's autoloader from vendor/autoload.php (relative to where it
        # runs). Here Guzzle comes from Debian, whose package has an autoloader of its own.
        self.write(os.path.join("vendor", "autoload.php"),
                   "<?php\n// Stands in for Composer's autoloader: Guzzle as Debian packages it.\n"
                   f"require_once '{GUZZLE_AUTOLOAD}';\n")
        self.write("publish.php", self.snippet_text("publish.php"))
        return php

    def versions(self, php, handler):
        guzzle = self.version_of(
            ["dpkg-query", "-W", "-f", "${Version}\n", "php-guzzlehttp-guzzle"])
        runtime = self.version_of(
            [php, "-r", 'echo PHP_VERSION, " ", function_exists("curl_version")'
             ' ? curl_version()["version"] : "none", "\\n";'])
        php_version, libcurl = runtime.split()
        if handler == "curl handler":
            handler += f" (libcurl {libcurl})"
        self.report_versions(f"PHP {php_version}, Guzzle {guzzle}, {handler}")

    def check(self, stdout):
        self.assert_published_echo(json.loads(stdout), stdout)
        entry = self.only_entry()
        headers = self.assert_journaled(entry, PRETTY_JSON)
        self.assert_valid_with_advisory_warnings(entry)
        return headers

    def test_snippet_with_the_curl_handler(self):
        php = self.php()
        has_curl = subprocess.run([php, "-r", 'exit(function_exists("curl_exec") ? 0 : 1);'],
                                  timeout=60, stdin=subprocess.DEVNULL).returncode == 0
        if not has_curl:
            self.missing_toolchain("PHP's curl extension (Debian package php-curl)")
        self.versions(php, "curl handler")
        headers = self.check(self.run_snippet([php, "publish.php"]))
        # libcurl keeps the connection open (no Connection header), unlike the stream wrapper.
        self.assertNotIn("connection", headers)

    def test_snippet_with_the_stream_handler(self):
        php = self.php()
        self.versions(php, "stream handler")
        # Guzzle picks curl only if curl_exec and curl_multi_exec exist; disabling them is what
        # a PHP without the curl extension looks like to it.
        stdout = self.run_snippet(
            [php, "-d", "disable_functions=curl_exec,curl_multi_exec", "publish.php"])
        headers = self.check(stdout)
        # PHP's http:// wrapper always closes: the sign that this run did not go through curl.
        self.assertEqual(headers.get("connection"), "close")


class SwiftBody(SnippetTestCase):
    """The Swift snippet cannot run on Debian (no Swift toolchain is packaged), and its body is the
    one the mock refuses: it writes the three empty objects as `[]`, which in Swift is an empty
    array (an empty dictionary is `[:]`), and JSONSerialization writes an array as a JSON array.
    This sends that body as the snippet would (member order aside: a Swift dictionary has none)
    and checks what the mock answers: the contract wants objects there."""

    def test_empty_array_literals_are_three_type_violations(self):
        artifact = {**PAYLOAD["artifact"], "schema": [], "components": [], "metadata": []}
        body = compact({"registryRef": "string", "artifact": artifact})
        response = requests.post(
            self.origin + PUBLISH_PATH, data=body.encode(), timeout=ADMIN_TIMEOUT,
            headers={"X-API-Key": API_KEY, "Content-Type": "application/json"})
        self.assertEqual(response.status_code, 400, response.text)
        error = response.json()
        self.assertEqual(error["code"], "CONTRACT_VIOLATION")
        expected = [{"location": "body", "pointer": f"/artifact/{name}", "keyword": "type",
                     "message": "expected object, found array"}
                    for name in ("components", "metadata", "schema")]
        self.assertEqual(sorted(error["violations"], key=lambda v: v["pointer"]), expected)
        entry = self.only_entry()
        self.assert_journaled(entry, body, status=400)
        self.assertEqual(sorted(entry["violations"], key=lambda v: v["pointer"]), expected)


if __name__ == "__main__":
    unittest.main()
