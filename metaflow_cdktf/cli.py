"""The command line (`python main.py`, `python -m metaflow_cdktf`, `metaflow-cdktf`):
synth (the default), docs, watch and bench."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

from metaflow_cdktf import bench, extras, fingerprint
from metaflow_cdktf.docs import DocsError
from metaflow_cdktf.generate import display_path, sync_generated, write_modules
from metaflow_cdktf.modules import SPECS, MissingBuild

DESCRIPTION = (
    "Synthesize the Metaflow Terraform modules (terraform/main.tf.json and "
    "terraform/modules/<name>/main.tf.json for hashicorp/aws 5, the same under terraform-aws6/ for aws 6) "
    "from their CDKTF Python definitions, and keep their README docs current."
)

# The commands that build the modules, which need the `synth` extra (extras.py).
BUILDING_COMMANDS = ("synth", "watch", "bench")


# An on/off switch of a command: its flag and what it does.
Switch = tuple[str, str]
QUIET: Switch = ("--quiet", "print nothing but errors")


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION, epilog="With no command, runs `synth`.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    _command(commands, "synth", run_synth, "synthesize every module and regenerate its README docs",
             "Synthesize every module into terraform/ (the root module at its top, the others under "
             "modules/<name>/), and the same for hashicorp/aws 6 into terraform-aws6/, then regenerate the "
             "README docs sections. When nothing synthesis reads changed since the last synth, the modules "
             "are left as they are without loading cdktf.",
             QUIET, ("--force", "synthesize even when no input changed since the last synth"))

    _command(commands, "docs", run_docs,
             "regenerate the README usage and TF_DOCS sections from the synthesized modules",
             "Rewrite the text between <!-- BEGIN_USAGE --> and <!-- END_USAGE --> and between "
             "<!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS --> in each module's README.md from its synthesized "
             "main.tf.json.",
             ("--check", "change nothing; exit 1 naming every stale README or module"))

    watch = _command(
        commands, "watch", run_watch, "re-synthesize the modules and their README docs on every save",
        "Load cdktf and the provider bindings once, then, on every save to what synthesis reads "
        "(metaflow_cdktf/interface.py, lines.py, paths.py, modules/, synthesis/, lambda_src/) or to "
        "the docs generator (metaflow_cdktf/docs/, its templates), reload the edited Python and "
        "synthesize again, in under a second, the modules the save can change (those whose build "
        "imports the saved file, directly or not): the module files, README sections, typed "
        "constructs and fingerprints that changed are written, one line per round. Bad input writes "
        "nothing and is reported with its file and line; the last good output stays. Ctrl-C ends it.",
        QUIET)
    watch.add_argument("--restart-above", type=_at_least_one, default=1.15, metavar="FACTOR",
                       help="start over in a fresh process (reloading cdktf, ~10 s) once resident memory is "
                            "FACTOR times that after the first round; cdktf keeps every App built, about 2 MB a "
                            "round (default 1.15)")

    measure = _command(commands, "bench", run_bench, "measure synthesis against the jsii import floor",
                       bench.DESCRIPTION,
                       ("--print-json", "also print the JSON on stdout"),
                       ("--enforce", "exit 1 when a target is missed"))
    measure.add_argument("--runs", type=_positive_int, default=5, help="measured runs per case (default 5)")
    measure.add_argument("--json", type=Path, default=Path(".bench/bench.json"),
                         help="where to write the results (default .bench/bench.json)")
    return parser


def _command(commands, name: str, run: Callable[[argparse.Namespace], int], summary: str, description: str,
             *switches: Switch) -> argparse.ArgumentParser:
    """A subcommand that calls `run` with the parsed arguments, with its on/off switches."""
    command = commands.add_parser(name, help=summary, description=description)
    for flag, meaning in switches:
        command.add_argument(flag, action="store_true", help=meaning)
    command.set_defaults(run=run)
    return command


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _at_least_one(text: str) -> float:
    value = float(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: Sequence[str], prog: str | None = None) -> int:
    parser = build_parser(prog)
    arguments = parser.parse_args(list(argv) or ["synth"])
    if arguments.command is None:
        parser.print_usage(sys.stderr)
        return 2
    if arguments.command in BUILDING_COMMANDS and (missing := extras.missing_message(arguments.command)):
        print(f"error: {missing}", file=sys.stderr)
        return 1
    try:
        return arguments.run(arguments)
    except (DocsError, MissingBuild) as error:  # a README, module file or build file to fix: no traceback
        print(f"error: {error}", file=sys.stderr)
        return 1


def _printer(quiet: bool) -> Callable[[str], None]:
    return (lambda _: None) if quiet else (lambda text: print(text, flush=True))


def run_synth(arguments: argparse.Namespace) -> int:
    say = _printer(arguments.quiet)
    started = time.monotonic()
    if arguments.force or fingerprint.stale_modules(SPECS):
        # Deferred on purpose: this loads cdktf and the provider bindings (~10 s), which the
        # no-change path and every other command do without.
        from metaflow_cdktf.synthesis.synthesizer import synthesize

        texts = synthesize(SPECS, progress=lambda name: say(
            f"synthesized {name} ({time.monotonic() - started:.1f} s)"))
        for path in write_modules(texts):
            say(f"wrote {display_path(path)}")
    else:
        say("modules up to date: inputs unchanged since the last synth (--force to synthesize anyway)")
    for path in sync_generated(check=False):
        say(f"wrote {display_path(path)}")
    say(f"done in {time.monotonic() - started:.1f} s")
    return 0


def run_docs(arguments: argparse.Namespace) -> int:
    if arguments.check:
        stale = [*fingerprint.stale_modules(SPECS), *sync_generated(check=True)]
        for path in stale:
            print(f"stale: {display_path(path)}", file=sys.stderr)
        if stale:
            print("run `python main.py synth` to bring them up to date", file=sys.stderr)
        return 1 if stale else 0
    for path in sync_generated(check=False):
        print(f"wrote {display_path(path)}")
    return 0


def run_watch(arguments: argparse.Namespace) -> int:
    # Deferred on purpose: watchfiles (and the anyio it imports) cost ~50 ms, which synth's
    # no-change path and docs --check do without. The watcher loads cdktf itself.
    from metaflow_cdktf import watch

    return watch.run(quiet=arguments.quiet, restart_above=arguments.restart_above)


def run_bench(arguments: argparse.Namespace) -> int:
    result = bench.run_bench(arguments.runs, progress=lambda line: print(line, flush=True))
    bench.write_json(result, arguments.json)
    print(bench.format_table(result))
    print(f"wrote {arguments.json}")
    if arguments.print_json:
        print(json.dumps(result, indent=2, sort_keys=True))
    return 1 if arguments.enforce and not all(result["targets_met"].values()) else 0


def run() -> None:
    """The `metaflow-cdktf` console script."""
    sys.exit(main(sys.argv[1:]))
