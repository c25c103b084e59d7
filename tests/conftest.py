"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from harness.moto_server import MOTO_MINIMUM, MotoServer, isolated_aws_env, moto_version, self_signed_certificate
from harness.provider_schema import Binding, ProviderSchema, SchemaSourceUnavailable, load_schema
from harness.standins import STANDIN_PROVIDERS, build_standin_mirror
from harness.terraform import Terraform, TerraformUnavailable

# --- Order -----------------------------------------------------------------------
# The files that take longest (applies and plans against moto, a watcher's fifty rounds, real synthesis
# processes, the batched `terraform validate` roots), started first: pytest.ini runs the files in
# parallel, and a run whose last file is a long one waits for it alone. A scheduling hint only: a
# file missing here runs after these, in collection order.
SLOWEST_FILES = (
    "test_full_example.py", "test_apply.py", "test_cdktf_deploy.py", "test_watch.py", "test_synth.py",
    "test_security.py", "test_validations.py", "test_fast_path.py", "test_lint.py",
    "test_validate.py", "test_todays_aws.py", "test_package.py", "test_provider_schema.py", "test_stacks.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: position for position, name in enumerate(SLOWEST_FILES)}
    # a stable sort: the tests of a file keep their order
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


# --- Terraform ------------------------------------------------------------------


@pytest.fixture(scope="session")
def terraform(tmp_path_factory) -> Terraform:
    """Terraform installing hashicorp/aws from the machine's mirror and archive/random from the
    test stand-ins, never from the network, sharing one plugin cache for the whole session.

    A machine without Terraform or the aws mirror fails here (not skips): those
    tests are the point of the suite, and the message says what to install or set.
    """
    root = tmp_path_factory.mktemp("terraform")
    standins = (build_standin_mirror(root / "standin-mirror"), STANDIN_PROVIDERS)
    try:
        return Terraform.for_aws(root, extra_mirrors=[standins])
    except TerraformUnavailable as error:
        unavailable = str(error)
    # Outside the except block, so the report is the message alone, not a chained traceback.
    pytest.fail(unavailable, pytrace=False)


# --- Provider schemas -------------------------------------------------------------


@pytest.fixture(scope="session")
def provider_schema():
    """A function giving a binding's hashicorp/aws schema model (tests/harness/provider_schema.py),
    each loaded at most once a session: from the on-disk cache when an earlier session derived it,
    else from the binding's assembly (the installed one, or a wheel downloaded from PyPI and
    checked against its pinned sha256).

    A wheel PyPI cannot serve, or one whose hash differs, fails the test (not skips), naming it.
    """
    loaded: dict[Binding, ProviderSchema] = {}

    def schema_of(binding: Binding) -> ProviderSchema:
        if binding in loaded:
            return loaded[binding]
        try:
            loaded[binding] = load_schema(binding)
            return loaded[binding]
        except SchemaSourceUnavailable as error:
            unavailable = str(error)
        # Outside the except block, so the report is the message alone, not a chained traceback.
        pytest.fail(unavailable, pytrace=False)

    return schema_of


# --- Synthesis ------------------------------------------------------------------


@pytest.fixture(scope="session")
def synthesized() -> dict[Path, str]:
    """{module file: its text} from one in-process synthesis of every module, on every line.

    Importing the provider bindings costs ~10 s and 1.6 GB, so the suite pays it once, and only
    when a test needs it (hence the imports here, not at the top of the file).
    """
    from metaflow_cdktf.modules import SPECS
    from metaflow_cdktf.synthesis.synthesizer import synthesize

    return synthesize(SPECS)


# --- Emulator -------------------------------------------------------------------
# moto in server mode, for the tests that apply with real Terraform (test_apply.py,
# test_cdktf_deploy.py). Module-scoped: each such test module gets its own server.


@pytest.fixture(scope="module")
def aws_env(tmp_path_factory):
    """The caller's AWS profile, credentials and endpoint kept away from Terraform and boto3."""
    with pytest.MonkeyPatch.context() as patch:
        isolated_aws_env(patch, tmp_path_factory.mktemp("aws-home"))
        yield


@pytest.fixture(scope="module")
def moto(tmp_path_factory, aws_env) -> MotoServer:
    """A fresh moto server on 127.0.0.1 for each test module, stopped after it."""
    if Version(moto_version()) < Version(MOTO_MINIMUM):
        installed = f"moto {moto_version()} is installed" if moto_version() != "0" else "moto is not installed"
        pytest.fail(
            f"{installed}; these tests need moto[server] >= {MOTO_MINIMUM}, the version the harness is written "
            "against (tests/harness/moto_server.py). Run `pipenv sync --dev`.",
            pytrace=False,
        )
    server = MotoServer(tmp_path_factory.mktemp("moto") / "moto.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def certificate_arn(moto) -> str:
    """A self-signed certificate imported into the emulator's ACM, for the UI's HTTPS listener."""
    certificate, key = self_signed_certificate("metaflow.example.test")
    return moto.client("acm").import_certificate(Certificate=certificate, PrivateKey=key)["CertificateArn"]
