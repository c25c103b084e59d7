"""`watch`: one process loads cdktf once and re-synthesizes the modules on every save.

Loading cdktf and the provider bindings through jsii costs ~10 s; once they are
loaded, synthesizing every module costs ~1 s, one module a tenth of that. The
watcher pays the load once,
then, for each burst of saves to what synthesis reads (`fingerprint.SOURCE_INPUTS`)
or to the docs generator (its templates and code), runs a round:

1. Every module of this package except this one is dropped from `sys.modules` and
   imported again from disk: an edited spec reaches its build, the registry that
   lists it and the functions that write the output alike, and no object of an
   earlier round is used again. cdktf, jsii and the bindings are other packages and
   stay loaded.
2. The modules the saves can change (`dependents`: those whose build file imports a
   saved file, directly or not; every module when the synthesis code itself changed)
   are synthesized in a fresh cdktf App, the others keep the last round's text, and
   every README section is rendered in memory. Bad input (a syntax error, an
   exception in a build, a build returning other outputs than its spec declares, a
   README the docs cannot use) is reported with its file and line, and nothing is
   written: the last good output stays until a good save.
3. What changed is written by `generate`, as `synth` writes it (the module files and
   the fingerprints, then the README sections and the typed constructs), so a later
   `synth` or `docs --check` finds everything current.

Memory: Python's side stays flat (what the load created is frozen out of garbage
collection, each round's objects are collected after it), but Node.js keeps every
App a round builds, about 2 MB a round, which no jsii call can release; past a
budget the watcher starts over in a fresh process (see `run`).
"""

from __future__ import annotations

import atexit
import gc
import importlib
import inspect
import os
import shlex
import shutil
import signal
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Callable, Iterator, Mapping, Sequence

from jinja2 import TemplateSyntaxError
from watchfiles import Change, DefaultFilter

# RustNotify is what watchfiles.watch() wraps. It is used directly because it starts watching when
# created, before the ~10 s load, so a save made meanwhile starts a round; watch() would start
# only once iterated, after the load.
from watchfiles._rust_notify import RustNotify

from metaflow_cdktf import dependents, fingerprint
from metaflow_cdktf.generate import display_path
from metaflow_cdktf.interface import ModuleSpec
from metaflow_cdktf.paths import LAMBDA_SRC, PACKAGE_DIR
from metaflow_cdktf.process import tree_rss_kb

# What a round reads that a person edits: what synthesis reads and the docs generator.
WATCHED = (*fingerprint.SOURCE_INPUTS, PACKAGE_DIR / "docs")
# A burst of events (an editor's write, rename and chmod of one save; a checkout) ends after
# STEP_MS without another, or after DEBOUNCE_MS in all.
STEP_MS = 20
DEBOUNCE_MS = 1_600
# Editors' swap and backup files, bytecode, __pycache__: never a save of a watched file.
_NOT_A_SAVE = DefaultFilter()


class BadInput(Exception):
    """A round that wrote nothing because the project's code or files failed; the message says
    where (file and line) and what."""


def run(*, quiet: bool, restart_above: float) -> int:
    """Watch until SIGINT (Ctrl-C) or SIGTERM; return 128 + that signal's number.

    Node.js keeps every cdktf App a round builds (cdktf's process-wide token map refers to
    each App's stacks, and jsii frees no object it handed out): about 2 MB a round. Once the
    process tree's resident memory reaches `restart_above` times what it was after the first
    round, the watcher returns 0 and, as the last thing the process does, starts over in a
    fresh process (the same command, the same PID), reloading cdktf.
    """
    return Watcher(quiet=quiet, restart_above=restart_above).run()


class Watcher:
    """The watching process: its output, its signals, and what the last round started from."""

    def __init__(self, *, quiet: bool, restart_above: float) -> None:
        self.say: Callable[[str], None] = (lambda _: None) if quiet else (lambda text: print(text, flush=True))
        self.signals = Signals()
        self.restart_above = restart_above
        self.restarting = False
        self.inputs: str | None = None  # the hash of the watched files the last round started from
        self.succeeded = False  # whether that round wrote its output
        self.synthesized: dict[Path, str] = {}  # each module file's text as the last round that wrote left it
        self.unsynthesized: set[Path] = set()  # the files saved since that round

    def run(self) -> int:
        # Registered first, so it runs last at exit: after jsii has stopped Node.js and the private
        # temporary directory is gone. The environment is the one this process started with.
        atexit.register(self._restart_if_due, dict(os.environ))
        # A source saved twice within one second at the same size would match the bytecode written
        # for the first save (pyc files record the source's mtime in whole seconds): compile afresh.
        sys.dont_write_bytecode = True
        start_node_in_its_own_session(use_private_tmpdir())
        roots = [str(root) for root in watch_roots()]
        with self.signals.installed(), RustNotify(roots, False, False, 0, True, False) as notify:
            try:
                self.say("loading cdktf and the provider bindings (about 10 s)")
                self.round("synthesized every module", time.time(), "from start", saved=None)
                self.signals.stop_if_received()
                # What is loaded now (cdktf, jsii, the bindings: millions of objects) stays loaded:
                # left out of every later collection, a round's collection takes milliseconds.
                gc.collect()
                gc.freeze()
                first_rss_kb = tree_rss_kb(os.getpid())
                self.say(f"watching {', '.join(display_path(path) for path in WATCHED)} (Ctrl-C to stop)")
                for saved in saves(notify):
                    self.round(describe_saves(saved), save_instant(saved), "from save", saved=saved)
                    self.signals.stop_if_received()
                    gc.collect()  # the round's modules and objects, which refer to each other
                    rss_kb = tree_rss_kb(os.getpid())
                    if rss_kb >= self.restart_above * first_rss_kb:
                        self.say(f"resident memory is {rss_kb / first_rss_kb:.2f}x that after the first round "
                                 f"({rss_kb // 1024} MB; cdktf keeps every App built): restarting to release it")
                        self.restarting = True
                        return 0
            except KeyboardInterrupt:  # the one way out but a restart
                pass
        self.say("stopped")
        return 128 + (self.signals.received or signal.SIGINT)

    def _restart_if_due(self, environment: dict[str, str]) -> None:
        if self.restarting:
            os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], environment)

    def round(self, what: str, since: float, since_label: str, saved: Sequence[Path] | None) -> None:
        """Synthesize what the files `saved` since the last round can change (None: every module)
        and write it, unless the watched files are as the last round found them; print the round's
        one line, or its error (even with --quiet): `what` happened, and the time from `since`,
        labelled `since_label` ("from save")."""
        self.unsynthesized.update(saved or ())
        try:
            inputs = fingerprint.input_hash(WATCHED)
        except OSError:
            return  # a file went away while read: its removal is a change, and starts another round
        if inputs == self.inputs:
            if self.succeeded:  # what is written was made from the files as they are
                self.unsynthesized.clear()
            return  # saved unchanged, or only a file that came and went (an editor's)
        self.inputs, self.succeeded = inputs, False
        try:
            done = synthesize_and_write(inputs, self.signals, self.synthesized,
                                        None if saved is None else self.unsynthesized)
        except BadInput as problem:
            print(f"error: {problem}\n  nothing written: the last good output stays", file=sys.stderr, flush=True)
            return
        if done is None:
            return  # saved again meanwhile: the next round, already due, reports
        self.synthesized, self.succeeded = done.texts, True
        self.unsynthesized.clear()
        elapsed = f"{time.time() - since:.2f} s {since_label}"
        written = ", ".join(display_path(path) for path in done.written)
        changes = f"wrote {written}" if written else "no output changed"
        synthesized = "" if saved is None else f"{done.modules_synthesized}; "
        self.say(f"{what}: {synthesized}{changes} ({elapsed})")


def use_private_tmpdir() -> Path:
    """Keep the temporary files of this process (cdktf's output directories) and of jsii's
    Node.js process (started later, with this environment) in one directory, removed at exit
    whatever happened to Node.js."""
    directory = tempfile.mkdtemp(prefix="metaflow-cdktf-watch-")
    os.environ["TMPDIR"] = tempfile.tempdir = directory
    # Registered before jsii registers the exit handler that stops Node.js, so it runs after it.
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return Path(directory)


def start_node_in_its_own_session(directory: Path) -> None:
    """Have jsii start Node.js (as $JSII_NODE, or node) through a trampoline in `directory` that
    gives it a session of its own. Ctrl-C in a terminal signals the whole foreground process
    group: Node.js would die in the middle of a round, print its broken channel and leave its
    files, where this process lets the round finish and then stops Node.js in order."""
    node = os.environ.get("JSII_NODE", "node")
    trampoline = directory / "node"
    start = "import os, sys; os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])"
    trampoline.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -c {shlex.quote(start)} '
                          f'{shlex.quote(node)} "$@"\n')
    trampoline.chmod(0o700)
    os.environ["JSII_NODE"] = str(trampoline)


def watch_roots() -> list[Path]:
    """The directories to watch: those of the watched paths, none inside another. Directories,
    not files: an editor that saves by renaming a new file over the old one replaces the file."""
    directories = {path if path.is_dir() else path.parent for path in WATCHED}
    return sorted(d for d in directories if not any(d != other and d.is_relative_to(other) for other in directories))


def is_watched(path: Path) -> bool:
    # Matched below the checkout (or the installed package), so that a directory named like an
    # ignored one above it (.venv, .tox) cannot hide the project.
    return (any(path == watched or path.is_relative_to(watched) for watched in WATCHED)
            and _NOT_A_SAVE(Change.modified, str(path.relative_to(PACKAGE_DIR.parent))))


def saves(notify: RustNotify) -> Iterator[list[Path]]:
    """Each burst of changes to the watched files, as the paths changed. Changes made while a
    round runs are kept by the notifier and come as the next burst."""
    while True:
        changes = notify.watch(DEBOUNCE_MS, STEP_MS, 0, None)
        if isinstance(changes, str):  # "signal": without a timeout or a stop event, the only one
            raise KeyboardInterrupt
        saved = sorted({Path(path) for _, path in changes if is_watched(Path(path))})
        if saved:
            yield saved


def save_instant(saved: Sequence[Path]) -> float:
    """When the burst was saved: the latest mtime of its files (now, if all were deleted)."""
    times = []
    for path in saved:
        try:
            times.append(path.stat().st_mtime)
        except FileNotFoundError:
            pass
    return max(times, default=time.time())


def describe_saves(saved: Sequence[Path]) -> str:
    # an editor's temporary file, renamed over the one saved, is gone: name what is there
    names = [display_path(path) for path in [path for path in saved if path.exists()] or saved]
    return ", ".join(names) if len(names) <= 3 else f"{', '.join(names[:3])} and {len(names) - 3} more"


@dataclass(frozen=True)
class Round:
    """What a round that wrote left: every module's text, the files it changed, and which modules
    it synthesized, as its line says it ("synthesized ui, metaflow")."""
    texts: dict[Path, str]
    written: list[Path]
    modules_synthesized: str


def synthesize_and_write(inputs: str, signals: Signals, previous: Mapping[Path, str],
                         saved: set[Path] | None) -> Round | None:
    """Synthesize, from the files as they are now (their hash: `inputs`), the modules the files
    `saved` since the round that left the texts `previous` can change (every module when `saved`
    is None or the modules are not those of `previous`), and write what changed; None, writing
    nothing, when a watched file changed meanwhile. Raises BadInput, writing nothing, when the
    project's code fails."""
    forget_project_modules()
    stale: Sequence[ModuleSpec] = ()
    built: list[str] = []
    try:
        specs = importlib.import_module("metaflow_cdktf.modules").SPECS
        generate = importlib.import_module("metaflow_cdktf.generate")
        synthesizer = importlib.import_module("metaflow_cdktf.synthesis.synthesizer")
        files = importlib.import_module("metaflow_cdktf.fingerprint").module_files(specs)
        if saved is not None and previous.keys() == set(files):
            stale = dependents.affected_modules(specs, saved)
        else:
            stale = specs
        # A signal from here waits for the round to end (well under a second): a module is never
        # left without its README, nor cdktf's output directory behind.
        with signals.deferred():
            fresh = synthesizer.synthesize(stale, progress=built.append) if stale else {}
            texts = {path: fresh.get(path) or previous[path] for path in files}
            generate.check_generated(texts, specs)
            if fingerprint.input_hash(WATCHED) != inputs:
                return None
            return Round(texts, generate.write_modules(texts) + generate.sync_generated(check=False),
                         describe_synthesized(stale, specs))
    except Exception as error:
        being_built = next((spec for spec in stale if spec.name not in built), None)
        raise BadInput(describe_error(error, being_built)) from None
    finally:
        forget_project_modules()


def describe_synthesized(synthesized: Sequence[ModuleSpec], specs: Sequence[ModuleSpec]) -> str:
    if len(synthesized) == len(specs):
        return "synthesized every module"
    if not synthesized:
        return "synthesized no module"
    return f"synthesized {', '.join(spec.name for spec in synthesized)}"


def forget_project_modules() -> None:
    """Drop every module of this package but this one from sys.modules: the next import of
    any of them reads its file again."""
    package = __name__.partition(".")[0]
    for name in [name for name in sys.modules if name.partition(".")[0] == package and name != __name__]:
        del sys.modules[name]
    importlib.invalidate_caches()  # a module file added since the last round is found


# --- Errors ------------------------------------------------------------------------------------


def describe_error(error: BaseException, being_built: ModuleSpec | None) -> str:
    """`file:line: Type: message`, then the frames of the traceback in the project's code.

    The line is where the mistake most likely is: a syntax error's own; else the innermost
    frame in the module definitions (a build or spec, rather than the helper that raised);
    else, for an error the synthesis code raises about a module (a build returning other
    outputs than its spec declares), that module's build function; else the innermost frame
    in the project's code.
    """
    message = f"{type(error).__name__}: {_message(error)}"
    if isinstance(error, (SyntaxError, TemplateSyntaxError)) and error.filename and error.lineno:
        return f"{display_path(Path(error.filename).resolve())}:{error.lineno}: {message}"
    if type(error).__module__.startswith(f"{__package__}.docs"):
        return message  # the docs generator's errors name the README or module file
    frames = [(Path(frame.filename).resolve(), frame) for frame in traceback.extract_tb(error.__traceback__)]
    frames = [(path, frame) for path, frame in frames if _in_project(path)]
    definitions = [(path, frame) for path, frame in frames if path.is_relative_to(PACKAGE_DIR / "modules")]
    if definitions:
        place = _frame_place(*definitions[-1])
    elif being_built is not None and frames and frames[-1][0].is_relative_to(PACKAGE_DIR / "synthesis"):
        place = _function_place(being_built.build)
    elif frames:
        place = _frame_place(*frames[-1])
    else:
        return message
    trail = "".join(f"\n    {_frame_place(path, frame)} in {frame.name}" for path, frame in frames)
    return f"{place}: {message}{trail}"


def _message(error: BaseException) -> str:
    if isinstance(error, SyntaxError):
        return error.msg
    # jsii errors carry the JavaScript stack after the message
    return str(error).strip().splitlines()[0] if str(error).strip() else ""


def _in_project(path: Path) -> bool:
    return path != Path(__file__).resolve() and (path.is_relative_to(PACKAGE_DIR) or path.is_relative_to(LAMBDA_SRC))


def _frame_place(path: Path, frame: traceback.FrameSummary) -> str:
    return f"{display_path(path)}:{frame.lineno}"


def _function_place(function: Callable) -> str:
    function = inspect.unwrap(function)
    source = inspect.getsourcefile(function)
    return f"{display_path(Path(source).resolve())}:{function.__code__.co_firstlineno}" if source else repr(function)


# --- Signals -----------------------------------------------------------------------------------


class Signals:
    """SIGINT (Ctrl-C) and SIGTERM end the watcher. While a round synthesizes and writes they
    wait for it to finish; anywhere else they end it at once."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._deferring = False

    @contextmanager
    def installed(self) -> Iterator[None]:
        previous = {number: signal.signal(number, self._handle) for number in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Hold signals back while in the block; the caller ends the watcher after it."""
        self._deferring = True
        try:
            yield
        except Exception:
            if self.received is None:
                raise
            raise KeyboardInterrupt from None  # the stop outranks whatever failed meanwhile
        finally:
            self._deferring = False

    def stop_if_received(self) -> None:
        if self.received is not None:
            raise KeyboardInterrupt

    def _handle(self, number: int, frame: FrameType | None) -> None:
        self.received = number
        if not self._deferring:
            raise KeyboardInterrupt
