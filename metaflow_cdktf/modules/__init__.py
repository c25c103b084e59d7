"""The Terraform modules of metaflow-cdktf, one package each.

Each module package holds `spec.py`, its interface as plain data (read without
jsii: docs, checks, the no-change fast path), and `build.py`, its resources built
with the typed provider bindings (imported by synthesis only, through `builds`).

`SPECS` lists the modules in dependency order.
"""

from __future__ import annotations

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
