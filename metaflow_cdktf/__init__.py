"""metaflow-cdktf: the Terraform modules that run Metaflow on AWS, written in CDKTF Python.

    from metaflow_cdktf import Metaflow, Datastore, MetadataService, ...

One construct per module in `modules.SPECS`, named after it (`metadata-service`: MetadataService),
generated into module_constructs.py: keyword arguments typed from the module's variables, outputs
as attributes. `__all__` lists them all.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from metaflow_cdktf.modules import SPECS  # plain data: no jsii

# jsii prints an 11-line banner in every process because the machine's Node 20 is past its
# end-of-life for jsii. It is not actionable here and buries the progress lines, so it is
# silenced for Node 20 only, before anything of this package can load jsii: any other
# unsupported Node still shows it. Set the variable to "" to see it again.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

if TYPE_CHECKING:
    # Type checkers read the names module_constructs.py was generated with.
    from metaflow_cdktf.module_constructs import *  # noqa: F403
    from metaflow_cdktf.module_constructs import __all__ as __all__
else:
    # The same names, from the specs: the CLI, the docs and the specs, which share this package,
    # do not load cdktf (jsii) for them, so the constructs are imported on first use.
    __all__ = [spec.class_name() for spec in SPECS]

    def __getattr__(name: str):
        if name in __all__:
            import metaflow_cdktf.module_constructs as constructs

            return getattr(constructs, name)
        raise AttributeError(f"module 'metaflow_cdktf' has no attribute {name!r}")
