"""Start and stop the built prm-mock binary as a child process, for the process-level tests.

The binary comes from $PRM_MOCK_BIN (set by CTest). The server is always started on port 0 with
`--port-file`; start() waits for that file by polling it against a deadline (never a fixed sleep),
and stop() ends the child by its own PID: SIGTERM, wait, SIGKILL if it does not exit in time.

    with PrmMock("--api-key", "k1") as mock:
        requests.post(mock.publish_url, ...)

stdout and stderr go to temporary files (not pipes, so a chatty child can never block on a full
pipe); read them with stdout_text() / stderr_text(), completely after stop().
"""
import json
import os
import re
import signal
import subprocess
import tempfile
import time

DEFAULT_BASE_PATH = "/api"
PUBLISH_PATH = "/registries/artifacts"


def binary_path():
    path = os.environ.get("PRM_MOCK_BIN")
    if not path:
        raise RuntimeError("PRM_MOCK_BIN is not set: point it at the built prm-mock binary")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"PRM_MOCK_BIN={path!r} is not an executable file")
    return path


def child_environment(extra=None):
    """The test's environment without any PRM_MOCK_* flag twins (so a developer's shell settings
    cannot change a test), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRM_MOCK_")}
    env.update(extra or {})
    return env


def run_cli(*args, input=None, env=None, timeout=30):
    """Runs the binary to completion (for --help, validate, ...). Returns CompletedProcess with text
    output. subprocess.run kills the child if it outlives `timeout`."""
    return subprocess.run(
        [binary_path(), *args],
        input=input,
        capture_output=True,
        text=True,
        env=child_environment(env),
        timeout=timeout,
    )


def url_host(host):
    """The host as a URL needs it: an IPv6 literal in brackets ("::1" -> "[::1]")."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def wait_until(predicate, timeout, interval=0.01, what="condition"):
    """Polls `predicate` until it returns a truthy value or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class PrmMock:
    """One prm-mock server child process.

    args: extra command-line arguments (after `--port 0 --port-file F`).
    env: extra environment variables (PRM_MOCK_* twins are otherwise removed).
    quiet: pass --quiet (default True; the log-line tests pass False).
    base_path: the base path the tests expect the server to use, for base_url.
    host: passed as --host, and the host of origin/base_url (default: the mock's, 127.0.0.1).
    """

    def __init__(self, *args, env=None, quiet=True, base_path=DEFAULT_BASE_PATH,
                 startup_timeout=20.0, stop_timeout=15.0, command=None, host=None):
        self.args = list(args)
        self.host = host
        self.env = dict(env or {})
        self.quiet = quiet
        self.base_path = base_path
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.command = command  # e.g. "serve"; None relies on serve being the default
        self.proc = None
        self.port = None
        self.returncode = None
        self._dir = None
        self._stdout = None
        self._stderr = None

    # --- lifecycle -------------------------------------------------------------------------
    def start(self):
        self._dir = tempfile.TemporaryDirectory(prefix="prm-mock-e2e-")
        self.port_file = os.path.join(self._dir.name, "port")
        self._stdout = open(os.path.join(self._dir.name, "stdout"), "w+b")
        self._stderr = open(os.path.join(self._dir.name, "stderr"), "w+b")
        argv = [binary_path()]
        if self.command:
            argv.append(self.command)
        argv += ["--port", "0", "--port-file", self.port_file]
        if self.host is not None:
            argv += ["--host", self.host]
        if self.quiet:
            argv.append("--quiet")
        argv += self.args
        self.argv = argv
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=self._stdout,
            stderr=self._stderr,
            env=child_environment(self.env),
        )
        try:
            self.port = self._wait_for_port()
        except BaseException:
            self.stop()
            raise
        return self

    def _read_port_file(self):
        if self.proc.poll() is not None:
            raise RuntimeError(
                f"prm-mock exited with {self.proc.returncode} before writing its port file\n"
                f"argv: {self.argv}\nstderr:\n{self.stderr_text()}")
        try:
            with open(self.port_file, "r", encoding="ascii") as f:
                text = f.read()
        except FileNotFoundError:
            return None
        # The file is written atomically (temp + rename), so once it exists it must be complete.
        if not re.fullmatch(r"[0-9]+\n", text):
            raise AssertionError(f"port file content {text!r} is not '<port>\\n'")
        port = int(text)
        if not 0 < port < 65536:
            raise AssertionError(f"port file names port {port}")
        return port

    def _wait_for_port(self):
        return wait_until(self._read_port_file, self.startup_timeout, what="the port file")

    def send_signal(self, sig=signal.SIGTERM):
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, sig)

    def wait(self, timeout=None):
        """Waits for the child to exit; returns its exit code (raises TimeoutExpired)."""
        self.returncode = self.proc.wait(timeout=self.stop_timeout if timeout is None else timeout)
        return self.returncode

    def stop(self, sig=signal.SIGTERM):
        """Ends the child by its PID: `sig`, wait up to stop_timeout, then SIGKILL.
        Returns the exit code (negative: killed by a signal). Safe to call more than once."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, sig)
                self.proc.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.killed_after_timeout = True
                self.proc.kill()  # SIGKILL to this PID only
                self.proc.wait()
            except ProcessLookupError:
                self.proc.wait()
        self.returncode = self.proc.returncode
        return self.returncode

    killed_after_timeout = False

    def close(self):
        """stop() and remove the temporary directory (output files are read into memory first)."""
        self.stop()
        if self._dir is not None:
            self._final_stdout = self.stdout_text()
            self._final_stderr = self.stderr_text()
            for f in (self._stdout, self._stderr):
                f.close()
            self._dir.cleanup()
            self._dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
        return False

    # --- addresses -------------------------------------------------------------------------
    @property
    def origin(self):
        return f"http://{url_host(self.host or '127.0.0.1')}:{self.port}"

    @property
    def base_url(self):
        return self.origin + self.base_path

    @property
    def publish_url(self):
        return self.base_url + PUBLISH_PATH

    # --- output ----------------------------------------------------------------------------
    def _read(self, f, final):
        if self._dir is None:
            return getattr(self, final, "")
        with open(f.name, "rb") as g:
            return g.read().decode("utf-8", errors="replace")

    def stdout_text(self):
        return self._read(self._stdout, "_final_stdout")

    def stderr_text(self):
        return self._read(self._stderr, "_final_stderr")

    def stderr_bytes(self):
        """stderr exactly as written (stderr_text replaces bytes that are not UTF-8)."""
        with open(self._stderr.name, "rb") as f:
            return f.read()


# --- request bodies shared by the tests -----------------------------------------------------
def smallest_payload(**artifact_overrides):
    """The vendor snippets' body: schema/components/metadata empty, body/tools omitted."""
    artifact = {
        "prompt": "welcome-email",
        "version": "1.2.3",
        "model": "gpt-4o",
        "compiled": "Hello {{name}}",
        "hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "schema": {},
        "components": {},
        "metadata": {},
    }
    artifact.update(artifact_overrides)
    return {"registryRef": "acme/marketing", "artifact": artifact}


def payload_without(field):
    payload = smallest_payload()
    del payload["artifact"][field]
    return payload


def dumps(payload, **kw):
    return json.dumps(payload, **kw)
