"""Runs wrk and reads the JSON line wrk/report.lua prints (exact percentiles, error counts)."""
import json
import os
import signal
import subprocess

WRK_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "wrk")
# wrk's own default: a request unanswered this long counts as a timeout error.
TIMEOUT = "2s"


def script(name):
    return os.path.join(WRK_DIR, name + ".lua")


def _argv(url, script_name, connections, duration_s, threads):
    threads = min(threads, connections)  # wrk needs at least one connection per thread
    return ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration_s}s", f"--timeout={TIMEOUT}",
            "-s", script(script_name), url]


def parse(output):
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            result = json.loads(line[len("BENCH_JSON "):])
            result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
            errors = result["errors"]
            result["socket_errors"] = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
            return result
    raise RuntimeError("wrk printed no BENCH_JSON line:\n" + output[-2000:])


def start(url, script_name, connections, duration_s, threads):
    """wrk for duration_s, running while the caller watches the server; finish() collects it."""
    return subprocess.Popen(_argv(url, script_name, connections, duration_s, threads),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process):
    output, errors = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"wrk exited with {process.returncode}: {errors[-2000:]}")
    return parse(output)


def run(url, script_name, connections, duration_s, threads):
    return finish(start(url, script_name, connections, duration_s, threads))


class Background:
    """wrk running until stop(): for loads measured by request count rather than by time."""

    def __init__(self, url, script_name, connections, threads, limit_s=3600):
        self.process = subprocess.Popen(_argv(url, script_name, connections, limit_s, threads),
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def stop(self):
        self.process.send_signal(signal.SIGINT)  # wrk stops and still prints its summary
        output, _ = self.process.communicate(timeout=30)
        return parse(output)
