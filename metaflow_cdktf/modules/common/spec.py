"""`common`'s interface: no variables, the default container images as outputs."""

from __future__ import annotations

from metaflow_cdktf.interface import ModuleSpec, Output

SPEC = ModuleSpec(
    name="common",
    title="Common",
    description="Values shared by the other Metaflow modules, such as the default container images.",
    variables=(),
    outputs=(
        Output("default_metadata_service_container_image"),
        Output("default_ui_static_container_image"),
    ),
    required_providers={},
    required_version=None,
)
