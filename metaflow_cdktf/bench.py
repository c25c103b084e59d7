"""`bench`: synthesis cost against the jsii floor, as whole processes.

The floor is a fresh Python process that imports exactly the provider binding
submodules a synthesis process imports (read off a real synthesis, the probe)
and nothing else: loading the bindings through jsii is the cost no synthesis can
avoid. Each case runs `runs` times after one warm-up run (which also warms jsii's
package cache); the median wall time and the median of the peak RSS, summed over
the process tree (Python and the jsii Node.js kernel), are reported side by side.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from metaflow_cdktf.paths import copy_project

DESCRIPTION = (
    "Measure, as whole processes in a temporary copy of the project and interleaved: (a) the floor, a fresh "
    "Python importing exactly the provider binding submodules a real synthesis imports; (b) a forced synth "
    "of every module; (c) a synth with nothing changed; (d) docs --check. Prints the median wall time and "
    "peak RSS (Python and the jsii Node.js process together) of each and writes them as JSON."
)

# Targets from the project's performance issue.
MAX_SYNTH_TIME_RATIO = 1.15
MAX_SYNTH_RSS_RATIO = 1.10
MAX_NO_CHANGE_SECONDS = 1.0
MAX_DOCS_CHECK_SECONDS = 0.5

# Run in the project: one synthesis of every module, recording which provider binding submodules
# the project's code imports (each import loads the provider's whole assembly, but this names
# what synthesis asks for) and which of the project's own modules it loads.
_PROBE = """
import builtins, json, sys
asked_for = set()
real_import = builtins.__import__
def recording_import(name, globals=None, locals=None, fromlist=(), level=0):
    importer = (globals or {}).get("__name__", "")
    if level == 0 and name.startswith("cdktf_cdktf_provider_") and "." in name and importer.startswith("metaflow_cdktf"):
        asked_for.add(name)
    return real_import(name, globals, locals, fromlist, level)
builtins.__import__ = recording_import
from metaflow_cdktf.modules import SPECS
from metaflow_cdktf.synthesis.synthesizer import synthesize
synthesize(SPECS)
print(json.dumps({
    "binding_submodules": sorted(asked_for),
    "project_files": sorted(module.__file__ for name, module in list(sys.modules.items())
                            if name.split(".")[0] == "metaflow_cdktf" and getattr(module, "__file__", None)),
}))
"""


def synthesis_imports(project: Path, python: str = sys.executable) -> dict[str, list[str]]:
    """What a real synthesis process in `project` imports: the provider binding submodules its
    code asks for (e.g. cdktf_cdktf_provider_aws.lb) and the files of the package it loads."""
    completed = subprocess.run([python, "-c", _PROBE], cwd=project, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"the synthesis probe exited {completed.returncode}: {completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


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


def cases(python: str, binding_submodules: list[str]) -> dict[str, list[str]]:
    cli = [python, "-m", "metaflow_cdktf"]
    return {
        "floor": [python, "-c", "; ".join(f"import {name}" for name in binding_submodules)],
        "synth": [*cli, "synth", "--force", "--quiet"],
        "synth_no_change": [*cli, "synth", "--quiet"],
        "docs_check": [*cli, "docs", "--check"],
    }


def run_bench(runs: int, progress=print) -> dict:
    python = sys.executable
    results: dict[str, CaseResult] = {}
    with tempfile.TemporaryDirectory(prefix="metaflow-cdktf-bench-") as scratch:
        project = copy_project(Path(scratch) / "project")
        # The floor inherits this process's environment, where importing the package silenced
        # jsii's Node banner as synthesis does: it must not pay for a banner synthesis silences.
        binding_submodules = synthesis_imports(project, python)["binding_submodules"]
        progress(f"probe: a synthesis imports {len(binding_submodules)} binding submodules")
        commands = cases(python, binding_submodules)
        for name, command in commands.items():
            measure(command, project)  # warm-up: jsii package cache, page cache, .pyc files
            results[name] = CaseResult(name, command, [])
        # Interleave the cases so that a slow moment of the machine hits all of them alike.
        for round_number in range(runs):
            for name, command in commands.items():
                results[name].runs.append(measure(command, project))
            progress(f"round {round_number + 1}/{runs}: " + ", ".join(
                f"{name} {results[name].runs[-1].seconds:.2f} s" for name in commands))
    return report(results, runs, binding_submodules)


def report(results: dict[str, CaseResult], runs: int, binding_submodules: list[str]) -> dict:
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
        "binding_submodules": binding_submodules,
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
