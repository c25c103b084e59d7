"""The Terraform modules of metaflow-cdktf, one file each.

`SPECS` lists them in dependency order. Each module is also a CDKTF construct,
`from modules import MetadataService`, built on first use so that reading the
specs (docs, checks) never starts jsii.
"""

from __future__ import annotations

from modules import common, computation, datastore, metadata_service, metaflow, step_functions, ui

SPECS = (
    common.SPEC,
    metadata_service.SPEC,
    datastore.SPEC,
    computation.SPEC,
    step_functions.SPEC,
    ui.SPEC,
    metaflow.SPEC,
)

_BY_CLASS_NAME = {spec.class_name(): spec for spec in SPECS}


def __getattr__(name: str):
    if name in _BY_CLASS_NAME:
        from metaflow_cdktf.construct import module_class

        return module_class(_BY_CLASS_NAME[name])
    raise AttributeError(f"module 'modules' has no attribute {name!r}")
