"""`watch` in a copy of the project, edited from outside as a person would: a good edit is written
and leaves everything current; a syntax error, an exception in a build and a build that leaves out
an output its spec declares write nothing and say where; the next good save recovers; memory stays
flat; Ctrl-C ends it leaving no temporary file; past its memory budget it starts over.

One watcher serves the tests of this file but the last, in order: starting one loads cdktf (~10 s,
1.2 GB). Nothing here asserts a duration (`python main.py bench` times the watcher).
"""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from metaflow_cdktf import bench
from metaflow_cdktf.process import tree_rss_kb
from project import copy_project, files_under, run_main

UI_SPEC = Path("metaflow_cdktf/modules/ui/spec.py")
UI_BUILD = Path("metaflow_cdktf/modules/ui/build.py")
SHARED_AWS = Path("metaflow_cdktf/synthesis/aws.py")
DOCS_TEMPLATE = Path("metaflow_cdktf/docs/templates/tf_docs.md.j2")
# Declared by ui's spec and passed through by the root module: an edit reaches both modules.
BACKEND_ENV_DESCRIPTION = "Additional environment variables for UI backend container"
MAX_RSS_GROWTH = 1.15  # the bound, after 50 rounds


@dataclass
class Session:
    project: Path
    tmpdir: Path
    watcher: bench.WatchProcess
    first_rss_kb: int  # after the first round: cdktf loaded, every module synthesized once
    rounds: int = 1
    originals: dict[Path, str] = field(default_factory=dict)

    def save(self, relative: Path, text: str) -> list[str]:
        """Write `relative` (changed from the last round's text) and return the lines of the round."""
        path = self.project / relative
        self.originals.setdefault(relative, path.read_text())
        path.write_text(text)
        lines = self.watcher.next_round()
        self.rounds += 1
        return lines

    def edit(self, relative: Path, old: str, new: str) -> list[str]:
        text = (self.project / relative).read_text()
        assert text.count(old) == 1, f"{relative} no longer holds {old!r} once: update the test"
        return self.save(relative, text.replace(old, new))

    def restore(self, relative: Path) -> list[str]:
        return self.save(relative, self.originals[relative])

    def outputs(self) -> dict[Path, bytes]:
        return {**files_under(self.project / "terraform"),
                Path("module_constructs.py"): (self.project / "metaflow_cdktf" / "module_constructs.py").read_bytes()}

    def line_of(self, relative: Path, text: str) -> int:
        lines = (self.project / relative).read_text().splitlines()
        return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("watch") / "project")
    tmpdir = tmp_path_factory.mktemp("watch-tmpdir")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", str(tmpdir))  # the watcher's own, checked empty when it has ended
        watcher = bench.WatchProcess(project)
    with watcher:
        startup = watcher.wait_until_watching()
        assert "synthesized every module: no output changed" in "\n".join(startup)
        yield Session(project, tmpdir, watcher, tree_rss_kb(watcher.process.pid))


def round_line(lines: list[str]) -> str:
    assert len(lines) == 1 and not lines[0].startswith("error:"), "\n".join(lines)
    return lines[0]


def error_block(lines: list[str]) -> str:
    assert lines[0].startswith("error: ") and lines[-1] == bench.WatchProcess.ERROR_DONE, "\n".join(lines)
    return "\n".join(lines)


def docs_check_passes(project: Path) -> None:
    check = run_main(project, "docs", "--check")
    assert (check.returncode, check.stderr) == (0, "")


def test_a_good_edit_rewrites_the_modules_it_changes_and_leaves_everything_current(session):
    line = round_line(session.edit(UI_SPEC, BACKEND_ENV_DESCRIPTION, BACKEND_ENV_DESCRIPTION + " (edited)"))

    # the root module declares ui's variable itself: the spec reached every module importing it
    for written in ("terraform/modules/ui/main.tf.json", "terraform/modules/ui/README.md",
                    "terraform/main.tf.json", "terraform/README.md", "metaflow_cdktf/module_constructs.py"):
        assert written in line
        assert BACKEND_ENV_DESCRIPTION + " (edited)" in (session.project / written).read_text()
    # ui's build and the root module's import ui's spec; no other module's does
    assert line.startswith(f"{UI_SPEC}: synthesized ui, metaflow; wrote ")
    assert "terraform/modules/datastore" not in line
    docs_check_passes(session.project)


def test_a_syntax_error_writes_nothing_and_names_its_file_and_line(session):
    before = session.outputs()
    line = session.line_of(UI_SPEC, "EXTRA_UI_BACKEND_ENV_VARS = Variable(")

    error = error_block(session.edit(UI_SPEC, "EXTRA_UI_BACKEND_ENV_VARS = Variable(",
                                     "EXTRA_UI_BACKEND_ENV_VARS = Variable(("))

    assert error.startswith(f"error: {UI_SPEC}:{line}: SyntaxError: ")
    assert session.outputs() == before


def test_an_exception_in_a_build_writes_nothing_and_names_its_file_and_line(session):
    round_line(session.restore(UI_SPEC))
    before = session.outputs()
    line = session.line_of(UI_BUILD, "def build(scope):") + 1

    error = error_block(session.edit(UI_BUILD, "def build(scope):\n",
                                     "def build(scope):\n    raise ValueError('a mistake in the build')\n"))

    assert error.startswith(f"error: {UI_BUILD}:{line}: ValueError: a mistake in the build")
    assert f"    {UI_BUILD}:{line} in build" in error  # the traceback's frames in the project's code
    assert session.outputs() == before


def test_a_build_that_leaves_out_an_output_its_spec_declares_writes_nothing_and_names_the_build(session):
    round_line(session.restore(UI_BUILD))
    before = session.outputs()
    decorator = session.line_of(UI_BUILD, "def build(scope):") - 1  # the build function starts at @SPEC.builds

    error = error_block(session.edit(UI_BUILD, '        "alb_arn": lb.arn,\n', ""))

    assert error.startswith(f"error: {UI_BUILD}:{decorator}: BuildMismatch: module ui: build returned outputs "
                            "['alb_dns_name'], its spec declares ['alb_arn', 'alb_dns_name']")
    assert session.outputs() == before


def test_the_next_good_save_recovers(session):
    assert round_line(session.restore(UI_BUILD)).startswith(f"{UI_BUILD}: synthesized ui; no output changed (")
    docs_check_passes(session.project)

    line = round_line(session.edit(UI_SPEC, BACKEND_ENV_DESCRIPTION, BACKEND_ENV_DESCRIPTION + " (recovered)"))

    assert "terraform/modules/ui/main.tf.json" in line
    docs_check_passes(session.project)


def test_an_edit_of_what_the_builds_share_synthesizes_every_module_importing_it(session):
    before = session.outputs()

    line = round_line(session.edit(SHARED_AWS, "# --- Tags ---", "# --- Tags (edited) ---"))

    everything_but_common = ("datastore, computation, step-functions, ui, metaflow, sagemaker-notebook, user-role, "
                             "job-queues")
    assert line.startswith(f"{SHARED_AWS}: synthesized metadata-service, {everything_but_common}; no output changed (")
    # a comment: the same modules, made from other inputs
    assert {path for path, data in session.outputs().items() if before[path] != data} == {Path(".fingerprints.json")}
    docs_check_passes(session.project)
    round_line(session.restore(SHARED_AWS))


def test_an_edit_of_the_docs_templates_synthesizes_no_module_and_rewrites_every_readme(session):
    before = session.outputs()

    line = round_line(session.edit(DOCS_TEMPLATE, "## Inputs", "## Input variables"))

    assert line.startswith(f"{DOCS_TEMPLATE}: synthesized no module; wrote terraform/")
    changed = {path for path, data in session.outputs().items() if before[path] != data}
    assert changed == {path for path in before if path.name == "README.md"}  # not even the fingerprints
    docs_check_passes(session.project)
    assert "synthesized no module; wrote terraform/" in round_line(session.restore(DOCS_TEMPLATE))
    assert session.outputs() == before


def test_memory_stays_flat_over_fifty_rounds(session):
    while session.rounds < 50:
        bench.measure_watch_edit(session.watcher, session.project)
        session.rounds += 1

    growth = tree_rss_kb(session.watcher.process.pid) / session.first_rss_kb

    assert growth <= MAX_RSS_GROWTH, f"resident memory grew {growth:.3f}x over {session.rounds} rounds"


def test_ctrl_c_right_after_a_save_ends_it_leaving_no_temporary_file(session):
    spec = session.project / bench.WATCH_EDITED
    spec.write_text(bench.toggle_first_description(spec.read_text()))

    status = session.watcher.stop(signal.SIGINT)

    assert status == 128 + signal.SIGINT
    assert session.watcher.output[-1] == "stopped"
    assert [line for line in session.watcher.output if "Traceback" in line or "Exception ignored" in line] == []
    assert list(session.tmpdir.iterdir()) == []  # cdktf's output directories, jsii's files
    assert list(session.project.rglob("*.tmp")) == []  # the atomic writer's
    assert not [pid for pid in os.listdir("/proc") if pid.isdigit() and _runs_from(pid, session.tmpdir)]


def _runs_from(pid: str, directory: Path) -> bool:
    """Whether process `pid` (jsii's Node.js, say) runs a file from `directory`."""
    try:
        return str(directory) in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False


def test_past_its_memory_budget_it_starts_over_in_a_fresh_process(tmp_path):
    project = copy_project(tmp_path / "project")
    with bench.WatchProcess(project, sys.executable, "--restart-above", "1") as watcher:
        watcher.wait_until_watching()

        # a round that synthesizes every module but common: memory grows past 1x the first round's
        shared = project / SHARED_AWS
        shared.write_text(shared.read_text().replace("# --- Tags ---", "# --- Tags (edited) ---"))
        assert "synthesized metadata-service, " in round_line(watcher.next_round())
        restart = watcher.wait_until_watching()

        assert restart[0].startswith("resident memory is ") and restart[0].endswith(": restarting to release it")
        assert restart[1] == "loading cdktf and the provider bindings (about 10 s)"
        # a fresh interpreter in the same process finds what the last round wrote current
        assert restart[2].startswith("synthesized every module: no output changed (")
        assert watcher.stop() == 128 + signal.SIGINT
    docs_check_passes(project)
