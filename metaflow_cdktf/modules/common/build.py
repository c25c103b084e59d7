"""`common`'s values: locals, no resources."""

from __future__ import annotations

from metaflow_cdktf.modules.common.spec import SPEC
from metaflow_cdktf.synthesis.building import local

DEFAULT_METADATA_SERVICE_CONTAINER_IMAGE = "netflixoss/metaflow_metadata_service:v2.3.0"
DEFAULT_UI_STATIC_CONTAINER_IMAGE = "public.ecr.aws/outerbounds/metaflow_ui:v1.1.2"

@SPEC.builds
def build(scope):
    return {
        "default_metadata_service_container_image": local(
            scope, "default_metadata_service_container_image", DEFAULT_METADATA_SERVICE_CONTAINER_IMAGE
        ),
        "default_ui_static_container_image": local(
            scope, "default_ui_static_container_image", DEFAULT_UI_STATIC_CONTAINER_IMAGE
        ),
    }
