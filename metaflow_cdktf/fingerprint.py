"""What the synthesized modules were made from, so unchanged inputs skip synthesis.

`terraform/.fingerprints.json` records a hash of every input that can change a
main.tf.json (the module sources, which may share definitions, the synthesis
code, the lambda sources embedded, the locked package versions) and, per module,
a hash of the file written. Reading it needs no cdktf: `synth` returns at once and
`docs --check` names stale modules without importing jsii.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterable, Mapping

from metaflow_cdktf.interface import ModuleSpec

from metaflow_cdktf.paths import REPO_ROOT

FINGERPRINTS_FILE = "terraform/.fingerprints.json"

# Everything that shapes what synthesis writes; all modules are synthesized together. The
# whole package is hashed, not a list of its files, so a new shared helper cannot be missed.
INPUTS = (
    "metaflow_cdktf",
    "modules",
    "lambda_src",
    "Pipfile.lock",
)


def input_files(root: Path, relative: str) -> list[Path]:
    path = root / relative
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [path]


def input_hash(root: Path = REPO_ROOT) -> str:
    digest = hashlib.sha256()
    for relative in INPUTS:
        for path in input_files(root, relative):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() if path.exists() else b"<missing>")
            digest.update(b"\0")
    return digest.hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def record(specs: Iterable[ModuleSpec], texts: Mapping[str, str], root: Path = REPO_ROOT) -> str:
    """The fingerprints file's text for modules just synthesized into `texts`."""
    entries = {"inputs": input_hash(root),
               "outputs": {spec.name: text_hash(texts[spec.name]) for spec in specs}}
    return json.dumps(entries, indent=2, sort_keys=True) + "\n"


def stale_modules(specs: Iterable[ModuleSpec], root: Path = REPO_ROOT) -> list[str]:
    """Modules whose main.tf.json is missing, edited by hand, or older than their inputs."""
    path = root / FINGERPRINTS_FILE
    recorded = json.loads(path.read_text()) if path.exists() else {}
    inputs_changed = recorded.get("inputs") != input_hash(root)
    outputs = recorded.get("outputs", {})
    stale = []
    for spec in specs:
        module_file = root / "terraform" / spec.name / "main.tf.json"
        if (inputs_changed or spec.name not in outputs or not module_file.exists()
                or outputs[spec.name] != text_hash(module_file.read_text())):
            stale.append(spec.name)
    return stale
