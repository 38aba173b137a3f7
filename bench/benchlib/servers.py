"""Start, probe, measure and stop the servers bench/run compares, each by its own PID."""
import os
import signal
import socket
import subprocess
import time

from .publish_request import publish_status

# Between two readiness probes. Short enough to time a ~10 ms start-up, long enough that the probe
# does not take a core away from the process it is waiting for on a 2-core machine.
PROBE_PAUSE_S = 0.0002
READY_DEADLINE_S = 60.0


class ServerFailed(RuntimeError):
    pass


def free_port():
    """A port nothing listens on now (for nginx, which cannot report the port it picked)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One server process. `argv` may contain {port_file}; `port` is known up front or read from it."""

    def __init__(self, label, argv, work_dir, port=None):
        self.label = label
        self.work_dir = work_dir
        self.port_file = os.path.join(work_dir, "port")
        self.argv = [arg.format(port_file=self.port_file) for arg in argv]
        self.fixed_port = port
        self.port = None
        self.process = None
        self.log_path = os.path.join(work_dir, "server.log")

    def start(self):
        """Starts the process and returns the seconds from exec to its first 200 to a publish."""
        if os.path.exists(self.port_file):
            os.remove(self.port_file)
        with open(self.log_path, "ab") as log:
            started = time.perf_counter()
            self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        self.port = self.fixed_port
        while time.perf_counter() - started < READY_DEADLINE_S:
            if self.process.poll() is not None:
                raise ServerFailed(f"{self.label} exited with {self.process.returncode}; {self._log_tail()}")
            if self.port is None:
                self.port = self._read_port_file()
            if self.port is not None and publish_status(self.port) == 200:
                return time.perf_counter() - started
            time.sleep(PROBE_PAUSE_S)
        self.stop()
        raise ServerFailed(f"{self.label} did not answer a publish with 200 within {READY_DEADLINE_S} s")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def url(self):
        return f"http://127.0.0.1:{self.port}/api/registries/artifacts"

    def rss_kib(self):
        """Resident memory of the process and its children (nginx's workers), in KiB."""
        return sum(_vm_rss_kib(pid) for pid in [self.process.pid] + _children(self.process.pid))

    def cpu_seconds(self):
        """User + system CPU the process and its children (nginx's workers) have used so far."""
        return sum(_cpu_seconds(pid) for pid in [self.process.pid] + _children(self.process.pid))

    def _read_port_file(self):
        try:
            with open(self.port_file) as file:
                text = file.read().strip()
        except FileNotFoundError:
            return None
        return int(text) if text.isdigit() else None  # a file still being written reads short

    def _log_tail(self):
        try:
            with open(self.log_path, errors="replace") as log:
                return "log: " + log.read()[-2000:]
        except OSError:
            return "no log"


def _vm_rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as file:
            # Fields after the command name, which is in parentheses and may contain spaces.
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as file:
            return [int(child) for child in file.read().split()]
    except OSError:
        return []


def prm_mock(binary, work_dir, label="prm-mock", extra_args=()):
    return Server(label, [binary, "--port", "0", "--port-file", "{port_file}", "--quiet", *extra_args], work_dir)


def bare_httplib(binary, work_dir):
    return Server("bare cpp-httplib", [binary, "{port_file}"], work_dir)


def nginx(template_path, work_dir):
    port = free_port()
    with open(template_path) as file:
        config = file.read().replace("@PREFIX@", work_dir).replace("@PORT@", str(port))
    config_path = os.path.join(work_dir, "nginx.conf")
    with open(config_path, "w") as file:
        file.write(config)
    # -e: the error log before the config is read would otherwise go to /var/log/nginx.
    argv = ["nginx", "-p", work_dir, "-c", config_path, "-e", os.path.join(work_dir, "error.log")]
    return Server("nginx return 200", argv, work_dir, port=port)
