"""`common`'s interface: no variables, the default container images as outputs."""

from __future__ import annotations

from metaflow_cdktf.interface import ModuleSpec, Output
from metaflow_cdktf.modules.shared import AWS_FROM_4_67

# The newest metadata service release (Netflix/metaflow-service v2.5.1, June 2026). From v2.4.4 on,
# the service and its migrations read MF_METADATA_DB_SSL_MODE; earlier ones connect without TLS,
# which PostgreSQL 15 and later refuse on RDS. The default image (build.py) stays upstream's v2.3.0:
# a newer one migrates the schema of every deployment that picks it up.
NEWEST_METADATA_SERVICE_CONTAINER_IMAGE = "netflixoss/metaflow_metadata_service:v2.5.1"
# The tag of a metadata service image older than v2.4.4.
METADATA_SERVICE_IMAGE_WITHOUT_TLS = r"metaflow_metadata_service:v?([01]\.[0-9]+\.[0-9]+|2\.[0-3]\.[0-9]+|2\.4\.[0-3])$"

SPEC = ModuleSpec(
    name="common",
    title="Common",
    description="Values shared by the other Metaflow modules, such as the default container images.",
    variables=(),
    outputs=(
        Output("default_metadata_service_container_image"),
        Output("default_ui_static_container_image"),
    ),
    # no resources: the bounds its callers (metadata-service, ui, the root module) take through it
    required_providers={"aws": AWS_FROM_4_67},
    required_version=None,
)
