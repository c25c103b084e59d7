"""metaflow-cdktf: the Terraform modules that run Metaflow on AWS, written in CDKTF Python.

    from metaflow_cdktf import Metaflow, MetadataService, Datastore, Computation, StepFunctions, Ui, Common
    from metaflow_cdktf import SagemakerNotebook, UserRole, JobQueues

Each is a construct for one module (module_constructs.py, generated from the specs in
modules/): keyword arguments typed from the module's variables, outputs as attributes.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

# jsii prints an 11-line banner in every process because the machine's Node 20 is past its
# end-of-life for jsii. It is not actionable here and buries the progress lines, so it is
# silenced for Node 20 only, before anything of this package can load jsii: any other
# unsupported Node still shows it. Set the variable to "" to see it again.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

__all__ = ["Common", "Computation", "Datastore", "JobQueues", "MetadataService", "Metaflow", "SagemakerNotebook",
           "StepFunctions", "Ui", "UserRole"]

if TYPE_CHECKING:
    from metaflow_cdktf.module_constructs import (
        Common,
        Computation,
        Datastore,
        JobQueues,
        MetadataService,
        Metaflow,
        SagemakerNotebook,
        StepFunctions,
        Ui,
        UserRole,
    )
else:
    def __getattr__(name: str):
        # The constructs load cdktf (jsii); the CLI, the docs and the specs, which share this
        # package, must not pay for that, so they are imported on first use.
        if name in __all__:
            from metaflow_cdktf import module_constructs

            return getattr(module_constructs, name)
        raise AttributeError(f"module 'metaflow_cdktf' has no attribute {name!r}")
