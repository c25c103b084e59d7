"""Writing the sections into a README between their markers: terraform-docs' inject mode
(`internal/cli/writer.go`), stricter about markers it would silently misuse.

Two sections: the terraform-docs one, which a README without its markers gets appended, and
above it the usage block (usage.py), which goes only where its own markers are: a README
without them (terraform/modules/metadata-service's, which stays upstream's) gets none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from metaflow_cdktf.docs.errors import DocsError
from metaflow_cdktf.docs.markdown_table import render_tf_docs, templates
from metaflow_cdktf.docs.model import load_module_json
from metaflow_cdktf.docs.usage import module_address, render_usage
from metaflow_cdktf.files import write_atomically

BEGIN_MARKER = "<!-- BEGIN_TF_DOCS -->"
END_MARKER = "<!-- END_TF_DOCS -->"
BEGIN_USAGE_MARKER = "<!-- BEGIN_USAGE -->"
END_USAGE_MARKER = "<!-- END_USAGE -->"
NEW_README_TEMPLATE = "module_readme.md.j2"


@dataclass(frozen=True)
class DocsTarget:
    """A module directory (its main.tf.json and README.md) and the prose of a new README."""

    directory: Path
    title: str
    description: str
    module_file: str = "main.tf.json"
    readme_file: str = "README.md"


def update_readme(
    readme_path: Path,
    module: Mapping[str, Any],
    *,
    title: str,
    description: str,
    check: bool = False,
) -> bool:
    """Regenerate the docs sections of one README; True if it changed (or, with check, would).

    Text outside the markers is kept byte for byte. A README without the
    terraform-docs markers gets that section appended, a missing one is created
    from the new-README template (with a usage block, for a module of this
    repository's trees). Broken markers raise DocsError and leave the file as it was.
    """
    readme_path = Path(readme_path)
    current, wanted = _plan_readme(
        readme_path, module, title=title, description=description,
        module_origin=f"the module for {readme_path}",
    )
    if current == wanted:
        return False
    if not check:
        write_atomically(readme_path, wanted)
    return True


def sync_docs(targets: list[DocsTarget], *, check: bool) -> list[Path]:
    """Bring every target's README up to date; the READMEs changed (or stale, with check).

    Every module is read and every README planned before anything is
    written, so one broken module or README leaves all of them untouched.
    """
    plans: list[tuple[Path, str]] = []
    for target in targets:
        module_path = Path(target.directory) / target.module_file
        readme_path = Path(target.directory) / target.readme_file
        current, wanted = _plan_readme(
            readme_path, load_module_json(module_path), title=target.title, description=target.description,
            module_origin=str(module_path),
        )
        if current != wanted:
            plans.append((readme_path, wanted))
    if not check:
        for readme_path, wanted in plans:
            write_atomically(readme_path, wanted)
    return [readme_path for readme_path, _ in plans]


def _plan_readme(
    readme_path: Path, module: Mapping[str, Any], *, title: str, description: str, module_origin: str
) -> tuple[str | None, str]:
    """(current text or None if missing, wanted text) for one README."""
    address = module_address(readme_path.parent)
    try:
        section = render_tf_docs(module)
        usage = render_usage(module, address) if address is not None else None
    except DocsError as error:
        raise DocsError(f"{module_origin}: {error}") from None
    current = _read_text(readme_path)
    if current is None:
        return None, _new_readme(title, description, section, usage)
    return current, _inject_section(readme_path, _inject_usage(readme_path, current, usage), section)


def _read_text(path: Path) -> str | None:
    # Bytes, not read_text(): universal-newline decoding would turn CRLF
    # prose into LF and "preserve" it wrongly.
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise DocsError(f"{path}: cannot read: {error.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocsError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None


def _inject_section(readme_path: Path, current: str, section: str) -> str:
    if not _has_markers(readme_path, current, BEGIN_MARKER, END_MARKER):
        # terraform-docs appends after a newline (no final newline), or
        # writes the section alone into an empty file.
        generated = BEGIN_MARKER + section + END_MARKER
        return current + "\n" + generated if current else generated
    return _replace_between(current, BEGIN_MARKER, END_MARKER, section)


def _inject_usage(readme_path: Path, current: str, usage: str | None) -> str:
    if not _has_markers(readme_path, current, BEGIN_USAGE_MARKER, END_USAGE_MARKER):
        return current
    if usage is None:
        raise DocsError(f"{readme_path}: has {BEGIN_USAGE_MARKER}, but only the modules of this repository's "
                        "trees have a source to show")
    if BEGIN_MARKER in current and current.index(END_USAGE_MARKER) > current.index(BEGIN_MARKER):
        raise DocsError(f"{readme_path}: the usage block must come before {BEGIN_MARKER}")
    return _replace_between(current, BEGIN_USAGE_MARKER, END_USAGE_MARKER, usage)


def _has_markers(readme_path: Path, current: str, begin_marker: str, end_marker: str) -> bool:
    """Whether the README has this pair of markers: False for neither, DocsError unless both
    appear once each, in order."""
    begins, ends = current.count(begin_marker), current.count(end_marker)
    if begins == 0 and ends == 0:
        return False
    if begins == 0:
        raise DocsError(f"{readme_path}: has {end_marker} but no {begin_marker}")
    if ends == 0:
        raise DocsError(f"{readme_path}: has {begin_marker} but no {end_marker}")
    if begins > 1 or ends > 1:
        raise DocsError(
            f"{readme_path}: markers must appear once each, found {begins} x {begin_marker} "
            f"and {ends} x {end_marker}"
        )
    if current.index(end_marker) < current.index(begin_marker):
        raise DocsError(f"{readme_path}: {end_marker} comes before {begin_marker}")
    return True


def _replace_between(current: str, begin_marker: str, end_marker: str, content: str) -> str:
    begin, end = current.index(begin_marker), current.index(end_marker)
    return current[:begin] + begin_marker + content + end_marker + current[end + len(end_marker) :]


def _new_readme(title: str, description: str, section: str, usage: str | None) -> str:
    return templates().get_template(NEW_README_TEMPLATE).render(
        title=title,
        description=description,
        usage=BEGIN_USAGE_MARKER + usage + END_USAGE_MARKER if usage is not None else None,
        tf_docs=BEGIN_MARKER + section + END_MARKER,
    )
