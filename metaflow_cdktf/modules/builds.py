"""Imports every module's build file, which attaches its build function to its spec.

This loads the provider bindings (jsii, ~10 s): only synthesis imports it.
"""

from __future__ import annotations

from metaflow_cdktf.modules.common import build as common  # noqa: F401
from metaflow_cdktf.modules.computation import build as computation  # noqa: F401
from metaflow_cdktf.modules.datastore import build as datastore  # noqa: F401
from metaflow_cdktf.modules.job_queues import build as job_queues  # noqa: F401
from metaflow_cdktf.modules.metadata_service import build as metadata_service  # noqa: F401
from metaflow_cdktf.modules.metaflow import build as metaflow  # noqa: F401
from metaflow_cdktf.modules.sagemaker_notebook import build as sagemaker_notebook  # noqa: F401
from metaflow_cdktf.modules.step_functions import build as step_functions  # noqa: F401
from metaflow_cdktf.modules.ui import build as ui  # noqa: F401
from metaflow_cdktf.modules.user_role import build as user_role  # noqa: F401
