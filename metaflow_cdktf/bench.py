"""`bench`: synthesis cost against the jsii floor, as whole processes.

The floor is a fresh Python process that imports exactly the provider binding
submodules a synthesis process imports (read off a real synthesis, the probe)
and nothing else: loading the bindings through jsii is the cost no synthesis can
avoid. Each case runs `runs` times after one warm-up run (which also warms jsii's
package cache); the median wall time and the median of the peak RSS, summed over
the process tree (Python and the jsii Node.js kernel), are reported side by side.

Case (e) is the edit loop: one `watch` process runs beside the others while a
module definition is edited from outside, at least five times; each edit is timed
from the saved file's mtime to the change time of the last output file written,
both read off the files, so nothing the watcher reports about itself is used.

Case (f) is a user's app: README's Compose example (the constructs, and the aws
provider block from metaflow_cdktf.provider) run as `python app.py`, and beside it
the same app configuring the provider through the binding's AwsProvider.
"""

from __future__ import annotations

import json
import math
import os
import platform
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from metaflow_cdktf.paths import CHECKOUT_ROOT, copy_project
from metaflow_cdktf.process import PeakRss

DESCRIPTION = (
    "Measure, as whole processes in a temporary copy of the project and interleaved: (a) the floor, a fresh "
    "Python importing exactly the provider binding submodules a real synthesis imports; (b) a forced synth "
    "of every module; (c) a synth with nothing changed; (d) docs --check; (e) `watch`, timed from saving a "
    "module definition to the last output written, over at least five edits; (f) README's Compose example as a "
    "user's app, and the same app with the provider binding's AwsProvider. Prints the median wall time and "
    "peak RSS (Python and the jsii Node.js process together) of each and writes them as JSON."
)

# Targets from the project's performance issue.
MAX_SYNTH_TIME_RATIO = 1.15
MAX_SYNTH_RSS_RATIO = 1.10
MAX_NO_CHANGE_SECONDS = 1.0
MAX_DOCS_CHECK_SECONDS = 0.5
MAX_WATCH_SECONDS = 1.0
MIN_WATCH_SPEEDUP = 10.0

# Case (e) edits a module definition as a person would: the description of the first variable
# declared in this spec, toggled between its text and the text with a suffix.
WATCH_EDITED = Path("metaflow_cdktf", "modules", "step_functions", "spec.py")
WATCH_EDIT_SUFFIX = " (edited)"
MIN_WATCH_EDITS = 5

# Run in the project: one synthesis of every module, recording which provider binding submodules
# the project's code imports (each import loads the provider's whole assembly, but this names
# what synthesis asks for) and which of the project's own modules it loads.
_PROBE = """
import builtins, json, sys
asked_for = set()
real_import = builtins.__import__
def recording_import(name, globals=None, locals=None, fromlist=(), level=0):
    importer = (globals or {}).get("__name__", "")
    if (level == 0 and name.startswith("cdktf_cdktf_provider_") and "." in name
            and importer.startswith("metaflow_cdktf")):
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


def measure(command: list[str], cwd: Path) -> Measurement:
    """Run `command` to completion; its wall time and the peak RSS of its process tree."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with PeakRss(process.pid) as rss:
        _, errors = process.communicate()
        elapsed = time.monotonic() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {errors.decode()[-2000:]}")
    return Measurement(round(elapsed, 3), rss.mb)


class WatchProcess:
    """`watch` running in a copy of the project, read line by line (stdout and stderr together).

    A round ends with one line naming the time it took, or with an error block (`error: ...`
    to `  nothing written: ...`); a save that changes nothing prints nothing.
    """

    ROUND_DONE = re.compile(r"\((\d+\.\d+) s from (save|start)\)$")
    ERROR_DONE = "  nothing written: the last good output stays"

    def __init__(self, project: Path, python: str = sys.executable, *arguments: str) -> None:
        self.command = [python, "-m", "metaflow_cdktf", "watch", *arguments]
        self.output: list[str] = []  # every line so far
        self._lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self.process = subprocess.Popen(self.command, cwd=project, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def __enter__(self) -> WatchProcess:
        return self

    def __exit__(self, *_) -> None:
        if self.process.poll() is None:
            self.stop()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def next_line(self, timeout: float) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"watch printed nothing for {timeout:.0f} s; so far:\n"
                               + "\n".join(self.output[-20:])) from None
        if line is None:
            raise RuntimeError(f"watch exited {self.process.wait()}:\n" + "\n".join(self.output[-20:]))
        self.output.append(line)
        return line

    def wait_until_watching(self, timeout: float = 600) -> list[str]:
        """The lines up to `watching ...`, printed once the first round is over."""
        lines = [self.next_line(timeout)]
        while not lines[-1].startswith("watching "):
            lines.append(self.next_line(timeout))
        return lines

    def next_round(self, timeout: float = 300) -> list[str]:
        """The lines of the next round to end: its one line, or its error block."""
        lines = [self.next_line(timeout)]
        while not (self.ROUND_DONE.search(lines[-1]) or lines[-1] == self.ERROR_DONE):
            lines.append(self.next_line(timeout))
        return lines

    def stop(self, number: int = signal.SIGINT, timeout: float = 60) -> int:
        """Send `number` (Ctrl-C by default); the exit status."""
        self.process.send_signal(number)
        status = self.process.wait(timeout)
        while (line := self._lines.get()) is not None:  # what was printed last
            self.output.append(line)
        return status


def toggle_first_description(text: str) -> str:
    """`text` of a spec with its first variable's description suffixed, or unsuffixed."""
    match = re.search(r'Variable\(\s*"\w+",\s*"[^"]*",\s*"([^"]*)"', text)
    if match is None:
        raise RuntimeError(f"{WATCH_EDITED} declares no Variable(name, type, description) for case (e) to edit")
    description = match.group(1)
    toggled = description.removesuffix(WATCH_EDIT_SUFFIX) if description.endswith(WATCH_EDIT_SUFFIX) \
        else description + WATCH_EDIT_SUFFIX
    return text[:match.start(1)] + toggled + text[match.end(1):]


def measure_watch_edit(watcher: WatchProcess, project: Path) -> Measurement:
    """Edit the module definition once; the time from its save to the last output file written
    (both read off the files) and the watcher's peak RSS meanwhile."""
    edited = project / WATCH_EDITED
    # sampled less often than a case's process: the sampler must not slow the round it measures
    with PeakRss(watcher.process.pid, every=0.1) as rss:
        edited.write_text(toggle_first_description(edited.read_text()))
        saved = edited.stat().st_mtime_ns
        lines = watcher.next_round()
    if not watcher.ROUND_DONE.search(lines[-1]):
        raise RuntimeError("watch failed on an edit of a module definition:\n" + "\n".join(lines))
    # os.replace, the writer's last step, sets a file's change time (not its modification time)
    written = [changed for changed in (path.stat().st_ctime_ns for path in _outputs(project)) if changed >= saved]
    if not written:
        raise RuntimeError(f"watch wrote nothing after an edit of {WATCH_EDITED}:\n" + "\n".join(lines))
    return Measurement(round((max(written) - saved) / 1e9, 3), rss.mb)


def _outputs(project: Path) -> list[Path]:
    """Every file synthesis writes in `project`: the Terraform tree and the typed constructs."""
    return [*(path for path in (project / "terraform").rglob("*") if path.is_file()),
            project / "metaflow_cdktf" / "module_constructs.py"]


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
        commands.update(compose_cases(python, project))
        for name, command in commands.items():
            measure(command, project)  # warm-up: jsii package cache, page cache, .pyc files
            results[name] = CaseResult(name, command, [])
        with WatchProcess(project, python) as watcher:
            watcher.wait_until_watching()
            # warm-up: Node.js compiles cdktf's code over the first rounds after the load
            measure_watch_edit(watcher, project)
            results["watch"] = CaseResult("watch", watcher.command, [])
            edits_per_round = math.ceil(max(MIN_WATCH_EDITS, runs) / runs)
            # Interleave the cases so that a slow moment of the machine hits all of them alike.
            for round_number in range(runs):
                for name, command in commands.items():
                    results[name].runs.append(measure(command, project))
                for _ in range(edits_per_round):
                    results["watch"].runs.append(measure_watch_edit(watcher, project))
                progress(f"round {round_number + 1}/{runs}: " + ", ".join(
                    f"{name} {results[name].runs[-1].seconds:.2f} s" for name in results))
    return report(results, runs, binding_submodules)


def report(results: dict[str, CaseResult], runs: int, binding_submodules: list[str]) -> dict:
    floor, synth, watch = results["floor"], results["synth"], results["watch"]
    compose, compose_binding = results["compose"], results["compose_binding"]
    ratios = {
        "synth_time_vs_floor": round(synth.median_seconds / floor.median_seconds, 3),
        "synth_rss_vs_floor": round(synth.median_peak_rss_mb / floor.median_peak_rss_mb, 3),
        "synth_time_vs_watch": round(synth.median_seconds / watch.median_seconds, 3),
        "compose_binding_vs_compose": round(compose_binding.median_seconds / compose.median_seconds, 3),
    }
    targets = {
        "synth_time_vs_floor": ratios["synth_time_vs_floor"] <= MAX_SYNTH_TIME_RATIO,
        "synth_rss_vs_floor": ratios["synth_rss_vs_floor"] <= MAX_SYNTH_RSS_RATIO,
        "synth_no_change_seconds": results["synth_no_change"].median_seconds < MAX_NO_CHANGE_SECONDS,
        "docs_check_seconds": results["docs_check"].median_seconds < MAX_DOCS_CHECK_SECONDS,
        "watch_seconds": watch.median_seconds <= MAX_WATCH_SECONDS,
        "synth_time_vs_watch": ratios["synth_time_vs_watch"] >= MIN_WATCH_SPEEDUP,
        "compose_seconds": compose.median_seconds <= MAX_COMPOSE_SECONDS,
        "compose_binding_vs_compose": ratios["compose_binding_vs_compose"] >= MIN_COMPOSE_SPEEDUP,
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
    lines.append(f"watch: {result['cases']['watch']['median_seconds']:.2f} s from save to written "
                 f"(target <= {MAX_WATCH_SECONDS} s), {ratios['synth_time_vs_watch']:.1f}x faster than synth "
                 f"(target >= {MIN_WATCH_SPEEDUP:.0f}x)")
    lines.append(f"compose: README's Compose example {result['cases']['compose']['median_seconds']:.2f} s "
                 f"(target <= {MAX_COMPOSE_SECONDS} s), {ratios['compose_binding_vs_compose']:.1f}x faster than with "
                 f"the binding's AwsProvider (target >= {MIN_COMPOSE_SPEEDUP:.0f}x)")
    missed = [name for name, met in result["targets_met"].items() if not met]
    lines.append("all targets met" if not missed else f"targets missed: {', '.join(missed)}")
    return "\n".join(lines)


def write_json(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")


# --- Case (f): a user's app, composing the constructs -------------------------------------------
# README's Compose example, as a user pastes it, synthesized as a whole process; and its twin that
# configures the provider through the binding instead of metaflow_cdktf.provider, side by side.

README_COMPOSE_HEADING = "### Compose"
HELPER_IMPORT = "from metaflow_cdktf.provider import AwsProvider"
BINDING_IMPORT = "from cdktf_cdktf_provider_aws.provider import AwsProvider"
MAX_COMPOSE_SECONDS = 1.5
MIN_COMPOSE_SPEEDUP = 10.0


def readme_python_examples(text: str) -> list[tuple[str, str]]:
    """(the heading above it, its code) of every ```python block of a README, in order."""
    examples, heading = [], ""
    # a heading, or a fenced block (whose lines are never headings), python or not
    for match in re.finditer(r"^(#{1,6} [^\n]*)$|^```(\w*)\n(.*?)^```$", text, flags=re.M | re.S):
        if match.group(1):
            heading = match.group(1)
        elif match.group(2) == "python":
            examples.append((heading, match.group(3)))
    return examples


def compose_apps(readme: str) -> dict[str, str]:
    """{case name: app source}: README's Compose example, and the same app with the binding's AwsProvider."""
    compose = [code for heading, code in readme_python_examples(readme) if heading == README_COMPOSE_HEADING]
    if not compose or compose[0].count(HELPER_IMPORT) != 1:
        raise RuntimeError(f"README's {README_COMPOSE_HEADING!r} section has no Python example importing "
                           f"`{HELPER_IMPORT}` once: case (f) measures that example and its twin with the binding")
    return {"compose": compose[0], "compose_binding": compose[0].replace(HELPER_IMPORT, BINDING_IMPORT)}


def compose_cases(python: str, project: Path) -> dict[str, list[str]]:
    """The commands of case (f): README's Compose example and its twin with the binding, written into
    `project` (a script's directory comes first on sys.path, so they use the project's package)."""
    if CHECKOUT_ROOT is None:
        raise RuntimeError("case (f) measures README's Compose example: run bench in a checkout of the repository")
    commands = {}
    for name, source in compose_apps((CHECKOUT_ROOT / "README.md").read_text()).items():
        (project / f"{name}_app.py").write_text(source)
        commands[name] = [python, f"{name}_app.py"]
    return commands
