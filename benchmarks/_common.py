"""Shared helpers for the benchmark scripts: timing, medians, the machine line."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def machine() -> str:
    """One line describing the machine the numbers come from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"Python {platform.python_version()}")


def timed(func: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def median(values: list[float]) -> float:
    return statistics.median(values)


def header(title: str) -> None:
    print(f"== {title}")
    print(f"   machine: {machine()}")


_TICK = os.sysconf("SC_CLK_TCK")


def _proc_table() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds so far) of every process we can see."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        table[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK)
    return table


def _busy_cpu() -> float:
    """CPU seconds all cores of the machine have been busy since boot (``/proc/stat``)."""
    with open("/proc/stat", encoding="ascii") as f:
        user, nice, system, _idle, _iowait, irq, softirq, steal = (
            int(x) for x in f.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / _TICK


def _ctrl_c_default() -> None:
    """Start a measured command with SIGINT at its default, as from a terminal: a benchmark
    run in the background of a shell (``make bench &``) would pass SIGINT on ignored, and the
    tests that interrupt a command would wait for their timeouts (minutes of wall time)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def measure(argv: list[str], env: dict[str, str] | None = None, cwd: Path | str = REPO,
            interval: float = 0.05, *, check: bool = True) -> dict:
    """Run ``argv`` and return its wall seconds, the CPU seconds of its whole process tree
    (sampled every ``interval``: a process that lives less than that may be missed), the
    CPU seconds the rest of the machine used meanwhile (other users' load), its standard
    output and exit status (``check``: raise when it is not 0)."""
    import threading

    busy0, start = _busy_cpu(), time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=_ctrl_c_default)
    seen: dict[int, float] = {}

    def sample() -> None:
        while proc.poll() is None:
            table = _proc_table()
            for pid, (_, cpu) in table.items():
                p, depth = pid, 0
                while p in table and p != proc.pid and depth < 20:
                    p, depth = table[p][0], depth + 1
                if p == proc.pid:
                    seen[pid] = max(seen.get(pid, 0.0), cpu)
            time.sleep(interval)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    thread.join()
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): "
                           f"{err.decode(errors='replace')[-2000:]}")
    ours = sum(seen.values())
    others = max(0.0, _busy_cpu() - busy0 - ours)
    return {"wall": wall, "cpu": ours, "others": others, "returncode": proc.returncode,
            "stdout": out.decode(errors="replace")}


def clone_head(dest: Path, rev: str = "HEAD") -> Path:
    """A fresh clone of this repository's HEAD (or of the commit ``rev`` names) at ``dest``
    (uncommitted changes are not in it: see :func:`note_uncommitted`)."""
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(REPO), str(dest)],
                   check=True)
    subprocess.run(["git", "checkout", "--quiet", commit], cwd=dest, check=True)
    return dest


def note_uncommitted() -> None:
    """Say so when the working copy has changes a clone of HEAD leaves out."""
    if subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True,
                      text=True).stdout.strip():
        print("   note: uncommitted changes are not measured (the clone is of HEAD)")
