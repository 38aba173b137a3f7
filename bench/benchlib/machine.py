"""Facts about the machine and the tree that a result only means something with."""
import os
import platform
import re
import subprocess
from datetime import datetime, timezone


def load_average():
    with open("/proc/loadavg") as file:
        return float(file.read().split()[0])


def _command(argv):
    try:
        completed = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        return (completed.stdout + completed.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def _cpu_model():
    with open("/proc/cpuinfo") as file:
        match = re.search(r"^model name\s*:\s*(.+)$", file.read(), re.MULTILINE)
    return match.group(1) if match else platform.processor() or "unknown"


def facts(root):
    dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    with open("/proc/meminfo") as file:
        mem_kib = int(file.readline().split()[1])
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _command(["git", "-C", root, "rev-parse", "--short", "HEAD"]),
        "tree": "with uncommitted changes" if dirty else "clean",
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "compiler": _command(["c++", "--version"]),
        "wrk": _command(["wrk", "--version"]),
        "nginx": _command(["nginx", "-v"]),
        "load_at_start": load_average(),
    }
