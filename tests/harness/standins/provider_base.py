"""TEST-ONLY: what the stand-in providers have in common.

None of the real providers (archive, local, random) takes provider-block
arguments, so a stand-in is its name plus the resources and data sources it
serves.
"""

from __future__ import annotations

from tf import schema
from tf.iface import Config, Provider
from tf.utils import Diagnostics


class ArgumentlessProvider(Provider):
    """A hashicorp/<name> provider whose `provider` block takes no arguments."""

    name: str = ""
    resources: tuple = ()
    data_sources: tuple = ()

    def full_name(self) -> str:
        return f"registry.terraform.io/hashicorp/{self.name}"

    def get_model_prefix(self) -> str:
        return f"{self.name}_"

    def get_provider_schema(self, diags: Diagnostics) -> schema.Schema:
        return schema.Schema()

    def validate_config(self, diags: Diagnostics, config: Config):
        pass

    def configure_provider(self, diags: Diagnostics, config: Config):
        pass  # nothing to set up: stand-ins touch only local files and the secrets module

    def get_data_sources(self) -> list:
        return list(self.data_sources)

    def get_resources(self) -> list:
        return list(self.resources)
