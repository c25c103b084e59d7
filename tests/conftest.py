"""Shared pytest fixtures."""

from __future__ import annotations

import pytest

from metaflow_cdktf.terraform import Terraform, TerraformUnavailable
from standins import STANDIN_PROVIDERS, build_standin_mirror

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


# --- Synthesis ------------------------------------------------------------------


@pytest.fixture(scope="session")
def synthesized() -> dict[str, str]:
    """{module name: main.tf.json text} from one in-process synthesis of every module.

    Importing the provider bindings costs ~10 s and 1.6 GB, so the suite pays it once.
    """
    from metaflow_cdktf.synth import synthesize
    from modules import SPECS

    return synthesize(SPECS)
