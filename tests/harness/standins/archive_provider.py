"""TEST-ONLY stand-in for the hashicorp/archive Terraform provider.

hashicorp/archive is not mirrored on the test machines, so Terraform runs this
program as that provider (see `standins.build_standin_mirror`). It serves the
`archive_file` data source with the real provider's schema (v2.7.1) and its
config rules, and really builds the zip: entries sorted as the real provider
does, with a fixed timestamp, so the same inputs always give the same bytes and
hashes. Only `type = "zip"` is supported. Never ship or use this outside tests.

Runs as a plugin through the PyPI `tf` framework: `python archive_provider.py`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

from tf import runner, schema, types
from tf.blocks import SetNestedBlock
from tf.iface import Config, DataSource, ReadDataContext, State
from tf.types import Unknown
from tf.utils import Diagnostics

from harness.standins.provider_base import ArgumentlessProvider

# zip cannot represent earlier dates; any fixed date keeps the bytes stable.
FIXED_ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
DEFAULT_ENTRY_MODE = 0o644

# The real provider's rule: one of these must be set (source_content needs its filename).
SOURCE_KINDS = ("source", "source_content_filename", "source_file", "source_dir")
# ... and each of these conflicts with the ones listed.
CONFLICTS = {
    "source": ("source_file", "source_dir", "source_content", "source_content_filename"),
    "source_content": ("source_file", "source_dir"),
    "source_content_filename": ("source_file", "source_dir"),
    "source_file": ("source_dir", "source_content", "source_content_filename"),
    "source_dir": ("source_file", "source_content", "source_content_filename"),
    "excludes": ("source_file", "source_content", "source_content_filename"),
}


def _is_set(config: Config, name: str) -> bool:
    # Unknown (not yet computed) counts as set, as in the real provider's validators.
    value = config.get(name)
    return value is not None and value != []


def parse_file_mode(text: str) -> int:
    """Parse output_file_mode like Go's strconv.ParseUint(text, 0, 32): "0644" is octal."""
    lowered = text.strip().lower()
    for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
        if lowered.startswith(prefix):
            return int(lowered[2:], base)
    if len(lowered) > 1 and lowered.startswith("0"):
        return int(lowered[1:], 8)
    return int(lowered, 10)


def is_excluded(relative_name: str, excludes: list[str]) -> bool:
    """The real provider's matching: equal to a pattern, or matching it from the start with `*` as `.*`."""
    for pattern in excludes:
        if not pattern:
            continue
        if pattern == relative_name:
            return True
        if "*" in pattern and re.match(".*".join(map(re.escape, pattern.split("*"))), relative_name):
            return True
    return False


def directory_entries(
    source_dir: Path, excludes: list[str], exclude_symlink_directories: bool
) -> Iterator[tuple[str, Path]]:
    """(archive name, file) for every file under `source_dir`, in lexical walk order like Go's filepath.Walk."""

    def walk(directory: Path) -> Iterator[tuple[str, Path]]:
        for child in sorted(directory.iterdir(), key=lambda p: p.name):
            relative = child.relative_to(source_dir).as_posix()
            if is_excluded(relative, excludes):
                continue
            if child.is_dir():
                if not (exclude_symlink_directories and child.is_symlink()):
                    yield from walk(child)
            else:
                yield relative, child

    return walk(source_dir)


def zip_entry(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, so the mode below is honoured on extraction
    info.external_attr = (stat.S_IFREG | stat.S_IMODE(mode)) << 16
    return info


def build_zip(entries: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content, mode in entries:
            archive.writestr(zip_entry(name, mode), content)
    return buffer.getvalue()


def archive_entries(config: Config) -> list[tuple[str, bytes, int]]:
    """(name, content, mode) of everything the configuration puts in the archive, in archive order."""
    forced_mode = parse_file_mode(config["output_file_mode"]) if config.get("output_file_mode") else None

    def mode_of(path: Path | None) -> int:
        if forced_mode is not None:
            return forced_mode
        return path.stat().st_mode if path is not None else DEFAULT_ENTRY_MODE

    if config.get("source_dir"):
        source_dir = Path(config["source_dir"])
        if not source_dir.is_dir():
            raise ValueError(f"could not archive missing directory: {source_dir}")
        found = directory_entries(
            source_dir, list(config.get("excludes") or []), bool(config.get("exclude_symlink_directories"))
        )
        return [(name, path.read_bytes(), mode_of(path)) for name, path in found]
    if config.get("source_file"):
        path = Path(config["source_file"])
        if not path.is_file():
            raise ValueError(f"could not archive missing file: {path}")
        return [(path.name, path.read_bytes(), mode_of(path))]
    if config.get("source_content_filename"):
        content = (config.get("source_content") or "").encode()
        return [(config["source_content_filename"], content, mode_of(None))]
    # The real provider keys sources by filename (last one wins) and sorts them.
    sources = {block["filename"]: block["content"].encode() for block in config.get("source") or []}
    return [(name, sources[name], mode_of(None)) for name in sorted(sources)]


def checksums(data: bytes) -> dict:
    sha256 = hashlib.sha256(data).digest()
    sha512 = hashlib.sha512(data).digest()
    sha1_hex = hashlib.sha1(data).hexdigest()
    return {
        "id": sha1_hex,
        "output_size": len(data),
        "output_md5": hashlib.md5(data).hexdigest(),
        "output_sha": sha1_hex,
        "output_sha256": sha256.hex(),
        "output_base64sha256": base64.b64encode(sha256).decode(),
        "output_sha512": sha512.hex(),
        "output_base64sha512": base64.b64encode(sha512).decode(),
    }


class ArchiveFile(DataSource):
    def __init__(self, provider: ArchiveProvider):
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return "file"

    @classmethod
    def get_schema(cls) -> schema.Schema:
        S, B = types.String(), types.Bool()
        source_block = schema.Block(
            attributes=[
                schema.Attribute("content", S, required=True),
                schema.Attribute("filename", S, required=True),
            ]
        )
        return schema.Schema(
            description="TEST-ONLY stand-in: generates a zip archive from content, a file, or a directory.",
            attributes=[
                schema.Attribute("id", S, computed=True),
                schema.Attribute("type", S, required=True),
                schema.Attribute("source_content", S, optional=True),
                schema.Attribute("source_content_filename", S, optional=True),
                schema.Attribute("source_file", S, optional=True),
                schema.Attribute("source_dir", S, optional=True),
                schema.Attribute("excludes", types.Set(S), optional=True),
                schema.Attribute("exclude_symlink_directories", B, optional=True),
                schema.Attribute("output_path", S, required=True),
                schema.Attribute("output_size", types.Number(), computed=True),
                schema.Attribute("output_file_mode", S, optional=True),
                schema.Attribute("output_md5", S, computed=True),
                schema.Attribute("output_sha", S, computed=True),
                schema.Attribute("output_sha256", S, computed=True),
                schema.Attribute("output_base64sha256", S, computed=True),
                schema.Attribute("output_sha512", S, computed=True),
                schema.Attribute("output_base64sha512", S, computed=True),
            ],
            block_types=[SetNestedBlock("source", source_block)],
        )

    def validate(self, diags: Diagnostics, type_name: str, config: Config):
        super().validate(diags, type_name, config)
        if not any(_is_set(config, kind) for kind in SOURCE_KINDS):
            diags.add_error(
                "Invalid Attribute Combination",
                "At least one attribute out of [source, source_content_filename, source_file, source_dir] "
                "must be specified",
            )
        for name, conflicting in CONFLICTS.items():
            clashes = [other for other in conflicting if _is_set(config, name) and _is_set(config, other)]
            if clashes:
                diags.add_error(
                    "Invalid Attribute Combination",
                    f"Attribute {clashes[0]!r} cannot be specified when {name!r} is specified",
                    path=[name],
                )
        archive_type = config.get("type")
        if archive_type is not Unknown and archive_type is not None and archive_type != "zip":
            diags.add_error(
                "Archive type not supported by the stand-in",
                f"archive type not supported: {archive_type} (this test stand-in builds zip only)",
                path=["type"],
            )
        mode = config.get("output_file_mode")
        if isinstance(mode, str):
            try:
                parse_file_mode(mode)
            except ValueError:
                diags.add_error(
                    "Invalid output_file_mode", f"error parsing output_file_mode value: {mode}", ["output_file_mode"]
                )

    def read(self, ctx: ReadDataContext, config: Config) -> State | None:
        try:
            data = build_zip(archive_entries(config))
            output = Path(config["output_path"])
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_bytes(data)
        except (OSError, ValueError) as error:
            ctx.diagnostics.add_error("Archive creation error", f"error creating archive: {error}")
            return None
        # Echo the configuration untouched: Terraform rejects a data source that changes configured values.
        return {**config, **checksums(data)}


class ArchiveProvider(ArgumentlessProvider):
    name = "archive"
    resources = ()
    data_sources = (ArchiveFile,)


if __name__ == "__main__":
    runner.run_provider(ArchiveProvider())
