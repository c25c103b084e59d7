"""`common`: defaults the other modules share (container images)."""

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
    build="modules.common:build",
)

DEFAULT_METADATA_SERVICE_CONTAINER_IMAGE = "netflixoss/metaflow_metadata_service:v2.3.0"
DEFAULT_UI_STATIC_CONTAINER_IMAGE = "public.ecr.aws/outerbounds/metaflow_ui:v1.1.2"


def build(scope):
    from metaflow_cdktf.building import local

    return {
        "default_metadata_service_container_image": local(
            scope, "default_metadata_service_container_image", DEFAULT_METADATA_SERVICE_CONTAINER_IMAGE
        ),
        "default_ui_static_container_image": local(
            scope, "default_ui_static_container_image", DEFAULT_UI_STATIC_CONTAINER_IMAGE
        ),
    }
