"""Run the real Terraform CLI against synthesized modules, offline.

Nothing here reaches a provider registry: every provider comes from a local
filesystem mirror (unpacked layout), named in a CLI configuration file that this
module writes itself, so the user's own ~/.terraformrc or TF_CLI_CONFIG_FILE
never changes the outcome.

Discovery:
  - the Terraform binary: $METAFLOW_CDKTF_TERRAFORM, else `terraform` on PATH;
  - the mirror holding hashicorp/aws AWS_PROVIDER_VERSION (the version the cdktf
    bindings were generated for): $METAFLOW_CDKTF_PROVIDER_MIRROR, else the
    well-known plugin directories and every directory directly under /opt.

Why a plugin cache: the aws provider is ~700 MB. With `plugin_cache_dir` set,
`terraform init` installs each provider into the cache once and gives every
working directory a symlink into it. For an unpacked mirror Terraform also
links the cache entry to the mirror rather than copying it, so no init ever
copies the binary. `plugin_cache_may_break_dependency_lock_file` is not needed
for that (measured with Terraform 1.11: without it, a working directory with no
lock file gets the same symlink; init only re-links the cache entry and reports
"Installed" instead of "Using ... from the shared cache directory", in the same
~0.5 s), so it is left unset and the lock file keeps its usual guarantees.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

AWS_PROVIDER_VERSION = "5.100.0"
AWS_PROVIDER = "registry.terraform.io/hashicorp/aws"

TERRAFORM_ENV_VAR = "METAFLOW_CDKTF_TERRAFORM"
MIRROR_ENV_VAR = "METAFLOW_CDKTF_PROVIDER_MIRROR"

# Where Terraform itself looks for implied local mirrors, per its CLI docs.
WELL_KNOWN_PLUGIN_DIRS = (
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)
# Images often unpack a mirror under /opt/<something>; each child is a candidate root.
OPT_DIR = Path("/opt")

# Variables that would make a run depend on the caller's shell rather than on
# the CLI configuration written here (TF_PLUGIN_CACHE_DIR, for one, overrides it).
_INTERFERING_ENV_VARS = (
    "TF_CLI_ARGS",
    "TF_DATA_DIR",
    "TF_PLUGIN_CACHE_DIR",
    "TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE",
    "TF_REATTACH_PROVIDERS",
    "TF_WORKSPACE",
)

_GO_OS = {"linux": "linux", "darwin": "darwin", "win32": "windows", "cygwin": "windows"}
_GO_ARCH = {
    "x86_64": "amd64",
    "amd64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "i386": "386",
    "i686": "386",
    "x86": "386",
    "armv7l": "arm",
    "armv6l": "arm",
}


class TerraformUnavailable(RuntimeError):
    """Terraform, or a provider mirror it needs, cannot be found on this machine."""


class TerraformError(RuntimeError):
    """A Terraform command exited non-zero; carries everything it printed."""

    def __init__(self, args: Sequence[str], workdir: Path, returncode: int, stdout: str, stderr: str):
        self.args_run = list(args)
        self.workdir = workdir
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        super().__init__(
            f"`{' '.join(self.args_run)}` in {workdir} exited {returncode}\n"
            f"--- stdout ---\n{stdout.rstrip()}\n--- stderr ---\n{stderr.rstrip()}"
        )


# --- Discovery ----------------------------------------------------------------


def terraform_platform() -> str:
    """This machine as Terraform names platforms in mirror paths, e.g. `linux_amd64`."""
    os_name = _GO_OS.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    return f"{os_name}_{_GO_ARCH.get(machine, machine)}"


def find_terraform() -> str:
    """Path of the Terraform binary: $METAFLOW_CDKTF_TERRAFORM, else `terraform` on PATH."""
    override = os.environ.get(TERRAFORM_ENV_VAR)
    if override:
        found = shutil.which(override)
        if found is None:
            raise TerraformUnavailable(
                f"{TERRAFORM_ENV_VAR}={override!r} is not an executable Terraform binary. "
                f"Point {TERRAFORM_ENV_VAR} at a Terraform executable (tested with 1.11), or unset it to use "
                "`terraform` from PATH."
            )
        return found
    found = shutil.which("terraform")
    if found is None:
        raise TerraformUnavailable(
            f"No `terraform` executable on PATH ({os.environ.get('PATH', '')}) and {TERRAFORM_ENV_VAR} "
            f"is not set. Install Terraform (tested with 1.11) or set {TERRAFORM_ENV_VAR}=/path/to/terraform."
        )
    return found


def provider_package_dir(mirror_root: Path, provider: str, version: str, target: str | None = None) -> Path:
    """The unpacked-layout directory of one provider package, e.g.
    <root>/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64."""
    return Path(mirror_root) / provider / version / (target or terraform_platform())


def mirror_holds(mirror_root: Path, provider: str, version: str, target: str | None = None) -> bool:
    """Whether `mirror_root` has an unpacked package of `provider` `version` for this platform."""
    package = provider_package_dir(mirror_root, provider, version, target)
    executable_prefix = "terraform-provider-" + provider.rsplit("/", 1)[-1]
    return package.is_dir() and any(p.name.startswith(executable_prefix) for p in package.iterdir())


def candidate_mirror_roots() -> list[Path]:
    """Where a mirror may live when $METAFLOW_CDKTF_PROVIDER_MIRROR is not set, in search order."""
    roots = [Path(d).expanduser() for d in WELL_KNOWN_PLUGIN_DIRS]
    if OPT_DIR.is_dir():
        roots += sorted(p for p in OPT_DIR.iterdir() if p.is_dir())
    return roots


def find_provider_mirror(version: str = AWS_PROVIDER_VERSION) -> Path:
    """Root of a filesystem mirror (unpacked layout) holding hashicorp/aws `version`."""
    expected = provider_package_dir(Path("<root>"), AWS_PROVIDER, version)
    override = os.environ.get(MIRROR_ENV_VAR)
    if override:
        root = Path(override).expanduser()
        if not mirror_holds(root, AWS_PROVIDER, version):
            raise TerraformUnavailable(
                f"{MIRROR_ENV_VAR}={override!r} does not hold hashicorp/aws {version}: expected an "
                f"executable terraform-provider-aws_* in {provider_package_dir(root, AWS_PROVIDER, version)}. "
                f"Set {MIRROR_ENV_VAR} to the mirror root (the directory containing registry.terraform.io/), "
                "or unset it to search the usual places."
            )
        return root
    searched = candidate_mirror_roots()
    for root in searched:
        if mirror_holds(root, AWS_PROVIDER, version):
            return root
    raise TerraformUnavailable(
        f"No filesystem mirror holds hashicorp/aws {version} for {terraform_platform()}: looked for "
        f"{expected}/terraform-provider-aws_* with <root> in: {', '.join(map(str, searched))}. "
        f"Unpack the provider into such a mirror (e.g. `terraform providers mirror` then unzip), "
        f"or set {MIRROR_ENV_VAR} to the mirror root (the directory containing registry.terraform.io/)."
    )


# --- CLI configuration --------------------------------------------------------


def _hcl_string(value: str | os.PathLike) -> str:
    # JSON string escapes are a subset of what the CLI config's HCL accepts.
    return json.dumps(str(value), ensure_ascii=False)


def _hcl_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_hcl_string(v) for v in values) + "]"


def cli_config_text(mirrors: Sequence[tuple[Path, Sequence[str]]], plugin_cache_dir: Path) -> str:
    """A CLI configuration that installs only from `mirrors` and caches in `plugin_cache_dir`."""
    lines = ["provider_installation {"]
    for root, providers in mirrors:
        lines += [
            "  filesystem_mirror {",
            f"    path    = {_hcl_string(Path(root).resolve())}",
            f"    include = {_hcl_list(providers)}",
            "  }",
        ]
    # An explicit `direct` that excludes everything: without it Terraform would
    # fall back to the registry for any provider no mirror includes.
    lines += [
        "  direct {",
        '    exclude = ["registry.terraform.io/*/*"]',
        "  }",
        "}",
        f"plugin_cache_dir = {_hcl_string(Path(plugin_cache_dir).resolve())}",
    ]
    return "\n".join(lines) + "\n"


def write_cli_config(path: Path, *, mirrors: Sequence[tuple[Path, Sequence[str]]], plugin_cache_dir: Path) -> Path:
    """Write the CLI configuration (see `cli_config_text`) to `path`; creates the cache dir."""
    path = Path(path)
    Path(plugin_cache_dir).mkdir(parents=True, exist_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(cli_config_text(mirrors, plugin_cache_dir))
    return path


# --- Running Terraform ----------------------------------------------------------


def format_diagnostics(result: Mapping) -> str:
    """`terraform validate -json` output as readable text, for assertion messages."""
    diagnostics = result.get("diagnostics", [])
    header = (
        f"valid={result.get('valid')} errors={result.get('error_count', 0)} warnings={result.get('warning_count', 0)}"
    )
    return "\n".join([header, *(_format_diagnostic(d) for d in diagnostics)])


def _format_diagnostic(diagnostic: Mapping) -> str:
    lines = [f"{diagnostic.get('severity', '?')}: {diagnostic.get('summary', '')}"]
    where = diagnostic.get("range")
    if where:
        start = where.get("start", {})
        lines.append(f"  at {where.get('filename')}:{start.get('line')}:{start.get('column')}")
    if diagnostic.get("address"):
        lines.append(f"  in {diagnostic['address']}")
    snippet = diagnostic.get("snippet") or {}
    if snippet.get("code"):
        context = f" ({snippet['context']})" if snippet.get("context") else ""
        lines.append(f"  code{context}: {snippet['code'].strip()}")
    if diagnostic.get("detail"):
        lines += ["  " + line for line in diagnostic["detail"].splitlines()]
    return "\n".join(lines)


@dataclass(frozen=True)
class Terraform:
    """A Terraform binary bound to one CLI configuration (mirrors + plugin cache)."""

    binary: str
    cli_config: Path
    # Where cli_config tells init to install providers once and link them from; None if not known.
    plugin_cache_dir: Path | None = None

    @classmethod
    def with_mirrors(
        cls,
        config_dir: Path,
        mirrors: Sequence[tuple[Path, Sequence[str]]],
        plugin_cache_dir: Path | None = None,
    ) -> Terraform:
        """The discovered binary, configured to install from `mirrors` only.

        The CLI config goes in `config_dir`, and so does the plugin cache unless
        `plugin_cache_dir` is given.
        """
        config_dir = Path(config_dir)
        cache = (Path(plugin_cache_dir) if plugin_cache_dir else config_dir / "plugin-cache").resolve()
        config = write_cli_config(config_dir / "terraform.tfrc", mirrors=mirrors, plugin_cache_dir=cache)
        return cls(find_terraform(), config, cache)

    @classmethod
    def for_aws(cls, config_dir: Path, extra_mirrors: Sequence[tuple[Path, Sequence[str]]] = ()) -> Terraform:
        """Like `with_mirrors`, with the discovered hashicorp/aws mirror first."""
        aws_mirror = (find_provider_mirror(), [AWS_PROVIDER])
        return cls.with_mirrors(config_dir, [aws_mirror, *extra_mirrors])

    def env(self) -> dict[str, str]:
        env = {
            name: value
            for name, value in os.environ.items()
            if name not in _INTERFERING_ENV_VARS and not name.startswith("TF_CLI_ARGS_")
        }
        env.update(
            TF_CLI_CONFIG_FILE=str(self.cli_config),
            TF_IN_AUTOMATION="1",
            CHECKPOINT_DISABLE="1",
            TF_INPUT="0",
        )
        return env

    def run(
        self, workdir: Path, *args: str, check: bool = True, timeout: float | None = None
    ) -> subprocess.CompletedProcess:
        """Run `terraform <args>` in `workdir`; raise TerraformError on a non-zero exit if `check`."""
        command = [self.binary, *args]
        completed = subprocess.run(
            command, check=False, cwd=workdir, env=self.env(), capture_output=True, text=True, timeout=timeout
        )
        if check and completed.returncode != 0:
            raise TerraformError(command, Path(workdir), completed.returncode, completed.stdout, completed.stderr)
        return completed

    def init(self, workdir: Path, *args: str) -> subprocess.CompletedProcess:
        return self.run(workdir, "init", "-input=false", "-no-color", *args)

    def validate(self, workdir: Path) -> dict:
        """`terraform init -backend=false` then `terraform validate -json`, parsed.

        Returns the JSON document (valid, error_count, warning_count, diagnostics);
        an invalid configuration is a result, not an exception. Init failures raise.
        """
        self.init(workdir, "-backend=false")
        # validate exits 1 for an invalid configuration but still prints the JSON.
        completed = self.run(workdir, "validate", "-json", "-no-color", check=False)
        try:
            return json.loads(completed.stdout)
        except json.JSONDecodeError:
            command = [self.binary, "validate", "-json"]
            raise TerraformError(
                command, Path(workdir), completed.returncode, completed.stdout, completed.stderr
            ) from None

    def apply(self, workdir: Path, *args: str) -> subprocess.CompletedProcess:
        return self.run(workdir, "apply", "-auto-approve", "-input=false", "-no-color", *args)

    def output(self, workdir: Path) -> dict:
        """`terraform output -json`: {name: {"value", "type", "sensitive"}}."""
        return json.loads(self.run(workdir, "output", "-json").stdout)

    format_diagnostics = staticmethod(format_diagnostics)
