"""The `main.py` command line: synth (the default) and docs."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Sequence

DESCRIPTION = (
    "Synthesize the Metaflow Terraform modules (terraform/<name>/main.tf.json) from their "
    "CDKTF Python definitions in modules/, and keep their README docs current."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description=DESCRIPTION,
                                     epilog="With no command, runs `synth`.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    synth = commands.add_parser(
        "synth", help="synthesize every module and regenerate its README docs",
        description="Synthesize every module into terraform/<name>/main.tf.json, regenerate the "
                    "README docs sections, and synthesize the deployable CDKTF stacks.")
    synth.add_argument("--quiet", action="store_true", help="print nothing but errors")
    synth.add_argument("--force", action="store_true",
                       help="synthesize even when no input changed since the last synth")
    synth.set_defaults(run=run_synth)

    docs = commands.add_parser(
        "docs", help="regenerate the README TF_DOCS sections from the synthesized modules",
        description="Rewrite the text between <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS --> in "
                    "each terraform/<name>/README.md from the synthesized main.tf.json.")
    docs.add_argument("--check", action="store_true",
                      help="change nothing; exit 1 naming every stale README or module")
    docs.set_defaults(run=run_docs)

    bench = commands.add_parser(
        "bench", help="measure synthesis against the jsii import floor",
        description="Measure, as whole processes in a temporary copy of the project: the floor (a "
                    "fresh Python importing exactly the provider submodules the modules use), a forced "
                    "synth, a synth with nothing changed, and docs --check. Prints median wall time "
                    "and peak RSS of each and writes them as JSON.")
    bench.add_argument("--runs", type=_positive_int, default=5, help="measured runs per case (default 5)")
    bench.add_argument("--json", type=Path, default=Path(".bench/bench.json"),
                       help="where to write the results (default .bench/bench.json)")
    bench.add_argument("--print-json", action="store_true", help="also print the JSON on stdout")
    bench.add_argument("--enforce", action="store_true", help="exit 1 when a target is missed")
    bench.set_defaults(run=run_bench)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: Sequence[str]) -> int:
    parser = build_parser()
    arguments = parser.parse_args(list(argv) or ["synth"])
    if arguments.command is None:
        parser.print_usage(sys.stderr)
        return 2
    from metaflow_cdktf.docs import DocsError

    try:
        return arguments.run(arguments)
    except DocsError as error:  # a README or module file the user can fix: no traceback
        print(f"error: {error}", file=sys.stderr)
        return 1


def run_synth(arguments: argparse.Namespace) -> int:
    from metaflow_cdktf import fingerprint
    from metaflow_cdktf.paths import REPO_ROOT
    from metaflow_cdktf.synth import synthesize, write_atomically, write_modules
    from modules import SPECS

    say = (lambda _: None) if arguments.quiet else (lambda text: print(text, flush=True))
    started = time.monotonic()
    # Under `cdktf synth`/`deploy` the CLI needs the app's stacks, so synthesis always runs.
    cdktf_cli = "CDKTF_OUTDIR" in os.environ
    if arguments.force or cdktf_cli or fingerprint.stale_modules(SPECS):
        texts = synthesize(SPECS, progress=lambda name: say(
            f"synthesized {name} ({time.monotonic() - started:.1f} s)"))
        for path in write_modules(texts):
            say(f"wrote {path.relative_to(REPO_ROOT)}")
        write_atomically(REPO_ROOT / fingerprint.FINGERPRINTS_FILE, fingerprint.record(SPECS, texts))
    else:
        say("modules up to date: inputs unchanged since the last synth (--force to synthesize anyway)")
    for path in _sync_docs(check=False):
        say(f"wrote {path.relative_to(REPO_ROOT)}")
    if cdktf_cli:
        from metaflow_cdktf.app import MissingContext, synth_app

        try:
            synth_app(os.environ["CDKTF_OUTDIR"])
        except MissingContext as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    say(f"done in {time.monotonic() - started:.1f} s")
    return 0


def run_docs(arguments: argparse.Namespace) -> int:
    from metaflow_cdktf import fingerprint
    from metaflow_cdktf.paths import REPO_ROOT
    from modules import SPECS

    if arguments.check:
        stale = [f"terraform/{name}/main.tf.json" for name in fingerprint.stale_modules(SPECS)]
        stale += [str(path.relative_to(REPO_ROOT)) for path in _sync_docs(check=True)]
        for path in stale:
            print(f"stale: {path}", file=sys.stderr)
        if stale:
            print("run `python main.py synth` to bring them up to date", file=sys.stderr)
        return 1 if stale else 0
    for path in _sync_docs(check=False):
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


def _sync_docs(*, check: bool):
    from metaflow_cdktf.docs import DocsTarget, sync_docs
    from metaflow_cdktf.paths import TERRAFORM_ROOT
    from modules import SPECS

    targets = [DocsTarget(spec.name, spec.title, spec.description) for spec in SPECS]
    return sync_docs(TERRAFORM_ROOT, targets, check=check)


def run_bench(arguments: argparse.Namespace) -> int:
    import json

    from metaflow_cdktf.bench import format_table, run_bench as measure_all, write_json

    result = measure_all(arguments.runs, progress=lambda line: print(line, flush=True))
    write_json(result, arguments.json)
    print(format_table(result))
    print(f"wrote {arguments.json}")
    if arguments.print_json:
        print(json.dumps(result, indent=2, sort_keys=True))
    return 1 if arguments.enforce and not all(result["targets_met"].values()) else 0
