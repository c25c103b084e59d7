"""Writing what synthesis and the specs give: the module files and their fingerprints, the README
docs sections and the typed constructs. `synth`, `docs` and `watch` all write through here, so a
file `watch` wrote is one a later `synth` or `docs --check` finds current.

Nothing here loads cdktf: the module texts come in already synthesized.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from metaflow_cdktf import construct_codegen, fingerprint
from metaflow_cdktf.docs import DocsTarget, sync_docs, update_readme
from metaflow_cdktf.files import write_atomically
from metaflow_cdktf.interface import ModuleSpec
from metaflow_cdktf.lines import LINES, readme_description
from metaflow_cdktf.modules import SPECS
from metaflow_cdktf.paths import TERRAFORM_ROOT, module_dir


def display_path(path: Path) -> str:
    """`path` as messages show it: from the directory holding terraform/ (a checkout's root)."""
    return str(path.relative_to(TERRAFORM_ROOT.parent)) if path.is_relative_to(TERRAFORM_ROOT.parent) else str(path)


def write_modules(texts: Mapping[Path, str]) -> list[Path]:
    """Write each synthesized module file and the fingerprints; return the module files that changed."""
    changed = [path for path, text in texts.items() if write_atomically(path, text)]
    write_atomically(fingerprint.fingerprints_path(), fingerprint.record(texts))
    return changed


def sync_generated(*, check: bool) -> list[Path]:
    """Bring what is generated from the specs and the synthesized modules up to date: the README
    docs sections and the typed constructs. Returns the files changed (or stale, with check)."""
    changed = sync_docs(readme_targets(SPECS), check=check)
    target, constructs = construct_codegen.TARGET, construct_codegen.render_constructs(SPECS)
    if not target.exists() or target.read_text() != constructs:
        changed.append(target)
        if not check:
            write_atomically(target, constructs)
    return changed


def check_generated(texts: Mapping[Path, str], specs: Sequence[ModuleSpec]) -> None:
    """Render every README section from the module texts `texts` (not written yet) and the typed
    constructs, writing nothing: raises the DocsError that `sync_generated` would raise once they
    are written, so that nothing is written at all."""
    for target in readme_targets(specs):
        module = json.loads(texts[target.directory / target.module_file])
        update_readme(target.directory / target.readme_file, module, title=target.title,
                      description=target.description, check=True)
    construct_codegen.render_constructs(specs)


def readme_targets(specs: Iterable[ModuleSpec]) -> list[DocsTarget]:
    """Each module's directory on each provider line, with the prose of a new README there."""
    return [DocsTarget(module_dir(spec.name, line.root), spec.title, readme_description(spec.description, line))
            for line in LINES for spec in specs]
