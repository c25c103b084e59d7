"""TEST-ONLY stand-in for the hashicorp/local Terraform provider.

hashicorp/local is not mirrored on the test machines, so Terraform runs this
program as that provider (see `standins.build_standin_mirror`). It serves the
`local_file` and `local_sensitive_file` resources with the real provider's
schemas (v2.6.1: attribute names, optional/computed/sensitive flags, the
permission defaults, "0777" and "0700", every argument forcing replacement) and
its rules: exactly one content source (`content`, `sensitive_content` for
local_file only, `content_base64`, `source`); permissions as 3 or 4 octal
digits. It really writes the file (creating missing parent directories with
`directory_permission`, the file with `file_permission`, both before umask),
really deletes it, and computes `id` (SHA-1 of the content) and the content_*
checksums as the real provider does. Like the real provider's read, a file
that is gone or whose content no longer matches `id` drops out of state, so
the next apply writes it again. Never ship or use this outside tests.

Differences from the real provider, none visible to the examples under test:
no import, no data sources.

Runs as a plugin through the PyPI `tf` framework: `python local_provider.py`.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from tf import runner, schema, types
from tf.iface import (
    Config,
    CreateContext,
    DeleteContext,
    ReadContext,
    Resource,
    State,
    UpdateContext,
)
from tf.types import Unknown
from tf.utils import Diagnostics

from harness.standins.provider_base import ArgumentlessProvider

PERMISSIONS = ("file_permission", "directory_permission")


def permission_error(text: str) -> str | None:
    """The real provider's check of a permission string; None when it is valid."""
    if len(text) not in (3, 4):
        return "bad mode permission: string length should be 3 or 4 digits"
    try:
        value = int(text, 8)
    except ValueError:
        return "bad mode permission: string must be expressed in octal numeric notation"
    if value > 0o777:
        return "bad mode permission: string must be expressed in octal numeric notation"
    return None


def content_bytes(state: State) -> bytes:
    """The bytes the file gets, from whichever source is set."""
    if state.get("content") is not None:
        return state["content"].encode()
    if state.get("sensitive_content") is not None:
        return state["sensitive_content"].encode()
    if state.get("content_base64") is not None:
        return base64.b64decode(state["content_base64"], validate=True)
    return Path(state["source"]).read_bytes()


def checksums(data: bytes) -> dict:
    """`id` and the computed content_* attributes, as the real provider sets them."""
    sha1 = hashlib.sha1(data).hexdigest()
    sha256 = hashlib.sha256(data).digest()
    sha512 = hashlib.sha512(data).digest()
    return {
        "id": sha1,
        "content_md5": hashlib.md5(data).hexdigest(),
        "content_sha1": sha1,
        "content_sha256": sha256.hex(),
        "content_base64sha256": base64.b64encode(sha256).decode(),
        "content_sha512": sha512.hex(),
        "content_base64sha512": base64.b64encode(sha512).decode(),
    }


def write_file(filename: str, data: bytes, file_permission: str, directory_permission: str) -> None:
    """Create missing parents and (over)write the file, modes applied before umask like Go's os.MkdirAll/WriteFile."""
    path = Path(filename)
    path.parent.mkdir(mode=int(directory_permission, 8), parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, int(file_permission, 8))
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


class LocalFile(Resource):
    NAME = "file"
    DEFAULT_PERMISSION = "0777"
    CONTENT_SOURCES = ("content", "sensitive_content", "content_base64", "source")
    SENSITIVE_CONTENT = False  # local_sensitive_file marks content and content_base64 sensitive

    def __init__(self, provider: LocalProvider):
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return cls.NAME

    @classmethod
    def get_schema(cls) -> schema.Schema:
        S = types.String()

        def argument(name: str, **extra) -> schema.Attribute:
            return schema.Attribute(name, S, optional=True, requires_replace=True, **extra)

        def permission(name: str) -> schema.Attribute:
            return argument(name, computed=True, default=cls.DEFAULT_PERMISSION)

        def source(name: str) -> schema.Attribute:
            if name == "sensitive_content":
                return argument(name, sensitive=True, deprecated=True)
            return argument(name, sensitive=cls.SENSITIVE_CONTENT and name != "source")

        def computed(name: str) -> schema.Attribute:
            return schema.Attribute(name, S, computed=True)

        return schema.Schema(
            version=0,
            description="TEST-ONLY stand-in: generates a local file with the given content.",
            attributes=[
                schema.Attribute("filename", S, required=True, requires_replace=True),
                *(source(name) for name in cls.CONTENT_SOURCES),
                permission("file_permission"),
                permission("directory_permission"),
                computed("id"),
                computed("content_md5"),
                computed("content_sha1"),
                computed("content_sha256"),
                computed("content_base64sha256"),
                computed("content_sha512"),
                computed("content_base64sha512"),
            ],
        )

    def validate(self, diags: Diagnostics, type_name: str, config: Config):
        super().validate(diags, type_name, config)
        # Unknown (not yet computed) counts as set, as in the real provider's ExactlyOneOf validator.
        given = [name for name in self.CONTENT_SOURCES if config.get(name) is not None]
        if len(given) != 1:
            diags.add_error(
                "Invalid Attribute Combination",
                f"Exactly one of these attributes must be configured: [{','.join(self.CONTENT_SOURCES)}]",
            )
        for name in PERMISSIONS:
            value = config.get(name)
            if isinstance(value, str) and value is not Unknown:
                problem = permission_error(value)
                if problem:
                    diags.add_error("Invalid Attribute Value", f"Attribute {name} {problem}, got: {value}", [name])

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        try:
            data = content_bytes(planned)
            write_file(planned["filename"], data, planned["file_permission"], planned["directory_permission"])
        except (OSError, ValueError) as error:
            ctx.diagnostics.add_error(
                "Create local file error", f"An unexpected error occurred while writing the file: {error}"
            )
            return None
        return {**planned, **checksums(data)}

    def read(self, ctx: ReadContext, current: State) -> State | None:
        # A missing or changed file leaves state, so the plan recreates it (as the real provider does).
        try:
            data = Path(current["filename"]).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            ctx.diagnostics.add_error(
                "Read local file error", f"An unexpected error occurred while reading the file: {error}"
            )
            return current
        if hashlib.sha1(data).hexdigest() != current.get("id"):
            return None
        return current

    def update(self, ctx: UpdateContext, current: State, planned: State) -> State | None:
        # Every argument forces replacement, so an update only carries the plan over.
        return planned

    def delete(self, ctx: DeleteContext, current: State):
        try:
            Path(current["filename"]).unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            ctx.diagnostics.add_error(
                "Delete local file error", f"An unexpected error occurred while deleting the file: {error}"
            )


class LocalSensitiveFile(LocalFile):
    NAME = "sensitive_file"
    DEFAULT_PERMISSION = "0700"
    CONTENT_SOURCES = ("content", "content_base64", "source")
    SENSITIVE_CONTENT = True


class LocalProvider(ArgumentlessProvider):
    name = "local"
    resources = (LocalFile, LocalSensitiveFile)
    data_sources = ()


if __name__ == "__main__":
    runner.run_provider(LocalProvider())
