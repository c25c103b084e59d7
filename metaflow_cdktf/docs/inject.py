"""Writing the section into a README between the markers: terraform-docs' inject mode
(`internal/cli/writer.go`), stricter about markers it would silently misuse."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from metaflow_cdktf.docs.errors import DocsError
from metaflow_cdktf.docs.markdown_table import render_tf_docs, templates
from metaflow_cdktf.docs.model import load_module_json
from metaflow_cdktf.files import write_atomically

BEGIN_MARKER = "<!-- BEGIN_TF_DOCS -->"
END_MARKER = "<!-- END_TF_DOCS -->"
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
    """Regenerate the docs section of one README; True if it changed (or, with check, would).

    Text outside the markers is kept byte for byte. A README without markers
    gets the section appended, a missing one is created from the new-README
    template. Broken markers raise DocsError and leave the file as it was.
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
    try:
        section = render_tf_docs(module)
    except DocsError as error:
        raise DocsError(f"{module_origin}: {error}") from None
    current = _read_text(readme_path)
    if current is None:
        return None, _new_readme(title, description, section)
    return current, _inject_section(readme_path, current, section)


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
    generated = BEGIN_MARKER + section + END_MARKER
    begins, ends = current.count(BEGIN_MARKER), current.count(END_MARKER)
    if begins == 0 and ends == 0:
        # terraform-docs appends after a newline (no final newline), or
        # writes the section alone into an empty file.
        return current + "\n" + generated if current else generated
    if begins == 0:
        raise DocsError(f"{readme_path}: has {END_MARKER} but no {BEGIN_MARKER}")
    if ends == 0:
        raise DocsError(f"{readme_path}: has {BEGIN_MARKER} but no {END_MARKER}")
    if begins > 1 or ends > 1:
        raise DocsError(
            f"{readme_path}: markers must appear once each, found {begins} x {BEGIN_MARKER} "
            f"and {ends} x {END_MARKER}"
        )
    begin, end = current.index(BEGIN_MARKER), current.index(END_MARKER)
    if end < begin:
        raise DocsError(f"{readme_path}: {END_MARKER} comes before {BEGIN_MARKER}")
    return current[:begin] + generated + current[end + len(END_MARKER) :]


def _new_readme(title: str, description: str, section: str) -> str:
    return templates().get_template(NEW_README_TEMPLATE).render(
        title=title,
        description=description,
        tf_docs=BEGIN_MARKER + section + END_MARKER,
    )
