"""TEST-ONLY helpers to apply Terraform against moto, the AWS emulator, offline.

- `MotoServer`: `python -m moto.server` as a subprocess on 127.0.0.1 and a free
  port, with a bounded start-up wait; `stop()` ends exactly that process.
- `provider_override`: the text of a `*_override.tf` that points the root's
  `provider "aws"` at the server (every service the modules use, fake
  credentials, no credential/account/metadata look-ups, path-style S3). It is
  written into a temporary copy of a root, never into the repo.
- `MotoServer.client(service)`: a boto3 client for the server, to see what the
  emulator holds.

Nothing here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

LOOPBACK = "127.0.0.1"
REGION = "us-west-2"
# moto's default account; the provider learns it from sts:GetCallerIdentity.
ACCOUNT_ID = "123456789012"
FAKE_ACCESS_KEY = "testing"
FAKE_SECRET_KEY = "testing"

STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
START_ATTEMPTS = 3

# The aws provider's `endpoints` keys (hashicorp/aws 5.100) of every service the
# example and its modules call, the data sources included.
ENDPOINT_SERVICES = (
    "acm",
    "apigateway",
    "batch",
    "cloudwatch",
    "dynamodb",
    "ec2",
    "ecr",
    "ecs",
    "elb",
    "elbv2",
    "events",
    "iam",
    "kms",
    "lambda",
    "logs",
    "rds",
    "s3",
    "sfn",
    "ssm",
    "sts",
)

# Environment variables through which the caller's own AWS set-up could reach
# Terraform or boto3 (a real profile, real credentials, a real endpoint).
AWS_ENV_VARS = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ENDPOINT_URL",
    "AWS_CA_BUNDLE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
)


class MotoUnavailable(RuntimeError):
    """The moto server could not be started."""


def moto_version() -> str:
    """The installed moto's version, or "0" when moto is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("moto")
    except PackageNotFoundError:
        return "0"


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


class MotoServer:
    """One `python -m moto.server` subprocess on 127.0.0.1.

    Use as a context manager, or call `start()` and, in a `finally`, `stop()`.
    The server's output goes to `log_path`, so a failure can show it.
    """

    def __init__(self, log_path: Path, region: str = REGION):
        self.log_path = Path(log_path)
        self.region = region
        self.port: int | None = None
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the moto server is not started")
        return f"http://{LOOPBACK}:{self.port}"

    def start(self, timeout: float = STARTUP_TIMEOUT_S) -> MotoServer:
        """Start the server and wait (at most `timeout` s per attempt) until it answers.

        Picking a free port and binding it are two steps, so another process may
        take the port in between: then the server exits and the next attempt
        takes another port.
        """
        failures = []
        for _ in range(START_ATTEMPTS):
            self.port = free_port()
            env = {name: value for name, value in os.environ.items() if name not in AWS_ENV_VARS}
            env.update(
                MOTO_PORT=str(self.port),
                AWS_ACCESS_KEY_ID=FAKE_ACCESS_KEY,
                AWS_SECRET_ACCESS_KEY=FAKE_SECRET_KEY,
                # AWS's managed policies (their real documents, shipped with moto), so that
                # attaching e.g. service-role/AmazonEC2ContainerServiceforEC2Role works.
                MOTO_IAM_LOAD_MANAGED_POLICIES="true",
            )
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "moto.server", "-H", LOOPBACK, "-p", str(self.port)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                )
            problem = self._wait_until_ready(timeout)
            if problem is None:
                return self
            failures.append(f"port {self.port}: {problem}")
            self.stop()
        raise MotoUnavailable(
            f"moto server did not start ({'; '.join(failures)}). Its output:\n{self.log_text()}\n"
            "It needs the PyPI package moto[server] in this Python environment (a dev dependency)."
        )

    def _wait_until_ready(self, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return f"exited with {self.process.returncode}"
            try:
                # Any HTTP answer (moto gives this one 201) means the server is up.
                with urllib.request.urlopen(f"{self.url}/moto-api/config", timeout=2):
                    return None
            except urllib.error.HTTPError:
                return None
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        return f"no answer within {timeout:.0f} s"

    def stop(self) -> None:
        """End the server process this object started (SIGTERM, then SIGKILL), if it runs."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_S)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # --- what the emulator holds ----------------------------------------------

    def client(self, service: str):
        """A boto3 client for `service` on this server, with the fake credentials."""
        import boto3

        return boto3.client(
            service,
            region_name=self.region,
            endpoint_url=self.url,
            aws_access_key_id=FAKE_ACCESS_KEY,
            aws_secret_access_key=FAKE_SECRET_KEY,
        )

    def provider_override(self) -> str:
        return provider_override(self.url, self.region)

    def write_provider_override(self, root: Path, name: str = "moto_provider_override.tf") -> Path:
        """Write the override into `root` (a temporary copy: never the repo's example)."""
        path = Path(root) / name
        path.write_text(self.provider_override())
        return path


def _hcl(value) -> str:
    # JSON strings and booleans are valid HCL literals.
    return json.dumps(value)


def provider_override(url: str, region: str = REGION) -> str:
    """A TEST-ONLY override of the root's `provider "aws"` block that sends every call to `url`."""
    settings = {
        "region": region,
        "access_key": FAKE_ACCESS_KEY,
        "secret_key": FAKE_SECRET_KEY,
        "skip_credentials_validation": True,
        "skip_requesting_account_id": True,
        "skip_metadata_api_check": True,
        "skip_region_validation": True,
        "s3_use_path_style": True,
    }
    width = max(map(len, settings))
    lines = [
        "# TEST-ONLY, written by tests/moto_server.py into a temporary copy of the root:",
        f"# every AWS call goes to the moto emulator at {url}.",
        'provider "aws" {',
        *(f"  {name.ljust(width)} = {_hcl(value)}" for name, value in settings.items()),
        "",
        "  endpoints {",
        *(f"    {service.ljust(max(map(len, ENDPOINT_SERVICES)))} = {_hcl(url)}" for service in ENDPOINT_SERVICES),
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def isolated_aws_env(monkeypatch, home: Path) -> None:
    """Keep the caller's AWS configuration away from Terraform and boto3 (pytest monkeypatch)."""
    for name in AWS_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
