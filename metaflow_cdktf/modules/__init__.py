"""The Terraform modules of metaflow-cdktf, one package each, and `SPECS`, the one list of them.

A module `my-module` is the package `modules/my_module/` (its name with underscores): `spec.py`
holds `SPEC`, its interface as plain data (read without jsii: docs, checks, the no-change fast
path, the constructs), and `build.py` its resources, built with the typed provider bindings and
attached to the spec by `@SPEC.builds` (imported by synthesis only, through `builds`).

Listing a spec in `SPECS` is all there is to registering its module: synthesis, the README
sections, the typed construct and the package's public names follow from the list.

`SPECS` is in dependency order: each module after every module it calls, or whose variables or
outputs its own spec or build reuses (tests/test_registration.py checks it).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from metaflow_cdktf.interface import ModuleSpec
from metaflow_cdktf.modules.common.spec import SPEC as COMMON
from metaflow_cdktf.modules.computation.spec import SPEC as COMPUTATION
from metaflow_cdktf.modules.datastore.spec import SPEC as DATASTORE
from metaflow_cdktf.modules.job_queues.spec import SPEC as JOB_QUEUES
from metaflow_cdktf.modules.metadata_service.spec import SPEC as METADATA_SERVICE
from metaflow_cdktf.modules.metaflow.spec import SPEC as METAFLOW
from metaflow_cdktf.modules.sagemaker_notebook.spec import SPEC as SAGEMAKER_NOTEBOOK
from metaflow_cdktf.modules.step_functions.spec import SPEC as STEP_FUNCTIONS
from metaflow_cdktf.modules.ui.spec import SPEC as UI
from metaflow_cdktf.modules.user_role.spec import SPEC as USER_ROLE

SPECS = (COMMON, METADATA_SERVICE, DATASTORE, COMPUTATION, STEP_FUNCTIONS, UI, METAFLOW, SAGEMAKER_NOTEBOOK, USER_ROLE,
         JOB_QUEUES)
SPECS_BY_NAME = {spec.name: spec for spec in SPECS}


def package_name(spec: ModuleSpec) -> str:
    """The package of module `spec` under modules/: its name with underscores (metadata_service)."""
    return spec.name.replace("-", "_")


def build_module(spec: ModuleSpec) -> str:
    """The import name of module `spec`'s build file: metaflow_cdktf.modules.<package>.build."""
    return f"{__name__}.{package_name(spec)}.build"


def build_file(spec: ModuleSpec) -> Path:
    return Path(__file__).resolve().parent / package_name(spec) / "build.py"


class MissingBuild(LookupError):
    """A module in SPECS without a build file, or whose build file attaches no build function to it."""


def import_build(spec: ModuleSpec) -> None:
    """Import module `spec`'s build file, which attaches its build function to the spec (loading
    the provider bindings: see `builds`). Raises MissingBuild naming the module and the file."""
    path = build_file(spec)
    if not path.is_file():
        raise MissingBuild(f"module {spec.name}: its build file {path} is missing (a module's build is "
                           f"modules/<its name with underscores>/build.py)")
    importlib.import_module(build_module(spec))
    if not spec.has_build:
        raise MissingBuild(f"module {spec.name}: {path} attaches no build function to its spec (decorate the "
                           f"function with @SPEC.builds, SPEC imported from the module's spec.py)")
