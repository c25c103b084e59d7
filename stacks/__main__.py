"""The CDKTF app `cdktf synth` / `cdktf deploy` run (cdktf.json's "app"): the modules are brought
up to date (`synth`, which returns at once when nothing changed), then the deployable stacks
are synthesized where the cdktf CLI expects them (CDKTF_OUTDIR)."""

import sys

from cdktf import App

from metaflow_cdktf.cli import main as metaflow_cdktf
from stacks.full import build_full_stack
from stacks.minimal import build_minimal_stack
from stacks.provider import MissingContext


def synth_stacks() -> int:
    app = App()
    try:
        build_minimal_stack(app)
        build_full_stack(app)
    except MissingContext as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(metaflow_cdktf(["synth", "--quiet"]) or synth_stacks())
