"""What the synthesized modules were made from, so unchanged inputs skip synthesis.

`terraform/.fingerprints.json` records a hash of everything synthesis reads (the
module definitions, the synthesis code, the lambda source it embeds, the versions
of cdktf and the provider bindings installed) and, per module, a hash of the file
written. Reading it needs no cdktf: `synth` returns at once and `docs --check`
names stale modules without importing jsii. Nothing else counts: editing the
CLI, `bench`, the docs code or the tests leaves every module current.

The versions are compared only where synthesis could run, with every one of those
distributions installed: an install without the `synth` extra (no bindings) may
have other releases of cdktf, jsii and constructs than synthesis used, which says
nothing about the modules it carries.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Iterable, Mapping

from metaflow_cdktf.interface import ModuleSpec
from metaflow_cdktf.lines import LINES
from metaflow_cdktf.paths import FINGERPRINTS_FILE, LAMBDA_SRC, PACKAGE_DIR, TERRAFORM_ROOT, module_file

# The files and directories synthesis reads (tests/test_fast_path.py checks this list against
# what a real synthesis process loads).
SOURCE_INPUTS = (
    PACKAGE_DIR / "interface.py",
    PACKAGE_DIR / "lines.py",
    PACKAGE_DIR / "paths.py",
    PACKAGE_DIR / "modules",
    PACKAGE_DIR / "synthesis",
    LAMBDA_SRC,
)
# The distributions whose code shapes cdktf's output.
DISTRIBUTION_INPUTS = (
    "cdktf",
    "constructs",
    "jsii",
    "cdktf-cdktf-provider-aws",
    "cdktf-cdktf-provider-archive",
    "cdktf-cdktf-provider-random",
)


def input_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and _is_source(p.relative_to(path)))
    return [path]


def _is_source(relative: Path) -> bool:
    """Not bytecode, and not an editor's swap, lock or backup file (`.x.py.swp`, `#x.py#`, `x.py~`)."""
    return "__pycache__" not in relative.parts and not relative.name.startswith((".", "#")) \
        and not relative.name.endswith("~")


def _installed_version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "<not installed>"


def input_hash(sources: Iterable[Path] = SOURCE_INPUTS) -> str:
    digest = hashlib.sha256()
    for source in sources:
        for path in input_files(source):
            digest.update(path.relative_to(source.parent).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() if path.exists() else b"<missing>")
            digest.update(b"\0")
    return digest.hexdigest()


def installed_distributions() -> dict[str, str]:
    """{distribution synthesis uses: its installed version, or "<not installed>"}."""
    return {distribution: _installed_version(distribution) for distribution in DISTRIBUTION_INPUTS}


def _distributions_changed(recorded: Mapping[str, str] | None) -> bool:
    installed = installed_distributions()
    return "<not installed>" not in installed.values() and recorded != installed


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def record(texts: Mapping[Path, str], terraform_root: Path = TERRAFORM_ROOT) -> str:
    """The fingerprints file's text for module files just synthesized into `texts` ({file: text})."""
    outputs = {_key(path, terraform_root): text_hash(text) for path, text in texts.items()}
    return json.dumps({"inputs": input_hash(), "distributions": installed_distributions(), "outputs": outputs},
                      indent=2, sort_keys=True) + "\n"


def fingerprints_path(terraform_root: Path = TERRAFORM_ROOT) -> Path:
    return terraform_root / FINGERPRINTS_FILE


def module_files(specs: Iterable[ModuleSpec], terraform_root: Path = TERRAFORM_ROOT) -> list[Path]:
    """Every module file synthesis writes for `specs`, in each line's tree (the trees sit side by
    side: `terraform_root` is the 5 line's)."""
    return [module_file(spec.name, terraform_root.parent / line.root.name) for line in LINES for spec in specs]


def stale_modules(specs: Iterable[ModuleSpec], terraform_root: Path = TERRAFORM_ROOT) -> list[Path]:
    """The module files, of every line, missing, edited by hand, or older than their inputs."""
    path = fingerprints_path(terraform_root)
    recorded = json.loads(path.read_text()) if path.exists() else {}
    inputs_changed = recorded.get("inputs") != input_hash() or _distributions_changed(recorded.get("distributions"))
    outputs = recorded.get("outputs", {})
    return [written for written in module_files(specs, terraform_root)
            if inputs_changed or not written.exists()
            or outputs.get(_key(written, terraform_root)) != text_hash(written.read_text())]


def _key(module_file_path: Path, terraform_root: Path) -> str:
    """A module file as the fingerprints name it: from the directory the trees sit in."""
    return module_file_path.relative_to(terraform_root.parent).as_posix()
