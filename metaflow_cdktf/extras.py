"""The `synth` extra: what building the modules needs beyond what the constructs need.

`pip install metaflow-cdktf` brings the constructs' run-time needs only; the provider bindings
(about 450 MB) and watchfiles come with `metaflow-cdktf[synth]`, which this repository's own
environment installs. The commands that build the modules (`synth`, `watch`, `bench`) check for
them first, reading the extra's list from the installed package's metadata (pyproject.toml is the
one place it is written).
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, distribution, requires

PACKAGE = "metaflow-cdktf"
EXTRA = "synth"
INSTALL_HINT = f"pip install '{PACKAGE}[{EXTRA}]'"
# A requirement of the extra as package metadata writes it: `name==1.0; extra == "synth"`.
_REQUIREMENT = re.compile(rf"""^\s*([A-Za-z0-9][A-Za-z0-9._-]*).*;.*\bextra\s*==\s*["']{EXTRA}["']""")


def missing_distributions() -> list[str]:
    """The distributions of the extra that are not installed (none when the package itself is not
    installed, as in a bare checkout: there, its imports say what is missing)."""
    try:
        listed = requires(PACKAGE) or []
    except PackageNotFoundError:
        return []
    names = [match.group(1) for requirement in listed if (match := _REQUIREMENT.match(requirement))]
    return [name for name in names if not _installed(name)]


def _installed(name: str) -> bool:
    try:
        distribution(name)
    except PackageNotFoundError:
        return False
    return True


def missing_message(command: str) -> str | None:
    """Why `command` cannot run here, naming the extra to install, or None when it can."""
    missing = missing_distributions()
    if not missing:
        return None
    return (f"`{command}` builds the modules, which needs the provider bindings and watchfiles of the "
            f"`{EXTRA}` extra: {INSTALL_HINT} (not installed: {', '.join(missing)})")
