"""`main.py bench`: synthesis cost against the jsii floor, as whole processes.

The floor is a fresh Python process that imports exactly the provider binding
submodules the modules use and nothing else: loading the bindings through jsii
is the cost no synthesis can avoid. Each case runs `runs` times after one
warm-up run (which also warms jsii's package cache); the median wall time and
the median of the peak RSS, summed over the process tree (Python and the
jsii Node.js kernel), are reported side by side.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from metaflow_cdktf.paths import REPO_ROOT, copy_project
from metaflow_cdktf.synth import silence_node_end_of_life_banner

# Targets from the project's performance issue.
MAX_SYNTH_TIME_RATIO = 1.15
MAX_SYNTH_RSS_RATIO = 1.10
MAX_NO_CHANGE_SECONDS = 1.0
MAX_DOCS_CHECK_SECONDS = 0.5

_BINDING_IMPORT = re.compile(r"^\s*from (cdktf_cdktf_provider_\w+\.\w+) import", re.M)


def binding_submodules(root: Path = REPO_ROOT) -> list[str]:
    """Every provider binding submodule the modules import, e.g. cdktf_cdktf_provider_aws.lb."""
    found: set[str] = set()
    for source in sorted((root / "modules").glob("*.py")):
        found.update(_BINDING_IMPORT.findall(source.read_text()))
    return sorted(found)


@dataclass
class Measurement:
    seconds: float
    peak_rss_mb: float


@dataclass
class CaseResult:
    name: str
    command: list[str]
    runs: list[Measurement]

    @property
    def median_seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def median_peak_rss_mb(self) -> float:
        return statistics.median(run.peak_rss_mb for run in self.runs)

    def as_dict(self) -> dict:
        return {"command": self.command, "median_seconds": round(self.median_seconds, 3),
                "median_peak_rss_mb": round(self.median_peak_rss_mb, 1),
                "runs": [asdict(run) for run in self.runs]}


def _tree_rss_kb(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as statm:
                resident_pages = int(statm.read().split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = resident_pages * os.sysconf("SC_PAGE_SIZE") // 1024
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in tree)


def measure(command: list[str], cwd: Path, sample_every: float = 0.02) -> Measurement:
    """Run `command` to completion; its wall time and the peak RSS of its process tree."""
    peak = 0
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            done.wait(sample_every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    elapsed = time.monotonic() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {errors.decode()[-2000:]}")
    return Measurement(round(elapsed, 3), round(peak / 1024, 1))


def cases(python: str) -> dict[str, list[str]]:
    imports = "; ".join(f"import {name}" for name in binding_submodules())
    return {
        "floor": [python, "-c", imports],
        "synth": [python, "main.py", "synth", "--force", "--quiet"],
        "synth_no_change": [python, "main.py", "synth", "--quiet"],
        "docs_check": [python, "main.py", "docs", "--check"],
    }


def run_bench(runs: int, progress=print) -> dict:
    python = sys.executable
    silence_node_end_of_life_banner()  # inherited by the floor: it must not pay for a banner synth silences
    results: dict[str, CaseResult] = {}
    with tempfile.TemporaryDirectory(prefix="metaflow-cdktf-bench-") as scratch:
        project = copy_project(Path(scratch) / "project")
        commands = cases(python)
        for name, command in commands.items():
            measure(command, project)  # warm-up: jsii package cache, page cache, .pyc files
            results[name] = CaseResult(name, command, [])
        # Interleave the cases so that a slow moment of the machine hits all of them alike.
        for round_number in range(runs):
            for name, command in commands.items():
                results[name].runs.append(measure(command, project))
            progress(f"round {round_number + 1}/{runs}: " + ", ".join(
                f"{name} {results[name].runs[-1].seconds:.2f} s" for name in commands))
    return report(results, runs)


def report(results: dict[str, CaseResult], runs: int) -> dict:
    floor, synth = results["floor"], results["synth"]
    ratios = {
        "synth_time_vs_floor": round(synth.median_seconds / floor.median_seconds, 3),
        "synth_rss_vs_floor": round(synth.median_peak_rss_mb / floor.median_peak_rss_mb, 3),
    }
    targets = {
        "synth_time_vs_floor": ratios["synth_time_vs_floor"] <= MAX_SYNTH_TIME_RATIO,
        "synth_rss_vs_floor": ratios["synth_rss_vs_floor"] <= MAX_SYNTH_RSS_RATIO,
        "synth_no_change_seconds": results["synth_no_change"].median_seconds < MAX_NO_CHANGE_SECONDS,
        "docs_check_seconds": results["docs_check"].median_seconds < MAX_DOCS_CHECK_SECONDS,
    }
    return {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "runs": runs,
        "binding_submodules": len(binding_submodules()),
        "cases": {name: result.as_dict() for name, result in results.items()},
        "ratios": ratios,
        "targets_met": targets,
    }


def format_table(result: dict) -> str:
    lines = [f"{'case':<17} {'median wall':>12} {'median peak RSS':>16}"]
    for name, case in result["cases"].items():
        lines.append(f"{name:<17} {case['median_seconds']:>10.2f} s {case['median_peak_rss_mb']:>13.0f} MB")
    ratios = result["ratios"]
    lines.append(f"synth / floor: time {ratios['synth_time_vs_floor']:.3f}x (target <= {MAX_SYNTH_TIME_RATIO}), "
                 f"peak RSS {ratios['synth_rss_vs_floor']:.3f}x (target <= {MAX_SYNTH_RSS_RATIO})")
    missed = [name for name, met in result["targets_met"].items() if not met]
    lines.append("all targets met" if not missed else f"targets missed: {', '.join(missed)}")
    return "\n".join(lines)


def write_json(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
