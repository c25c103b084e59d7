"""TEST-ONLY: the moto server the tests run (`python -m harness.emulator -H 127.0.0.1 -p PORT`), with
the gaps of moto 5.2.5 that stop the examples from applying filled in, each saying why.

Nothing is faked: each fix makes moto answer a real API call the way AWS does, where moto
answers with an error instead.
"""

from __future__ import annotations

import sys

from moto import server
from moto.sagemaker import models as sagemaker

_find_sagemaker_resource = sagemaker.SageMakerModelBackend._get_resource_from_arn


def _find_sagemaker_resource_or_lifecycle_config(backend: sagemaker.SageMakerModelBackend, arn: str):
    """SageMaker's ListTags/AddTags on a notebook instance lifecycle configuration. moto's lookup by
    ARN lacks that type and answers 500, which the aws provider, reading a configuration's tags after
    creating it, retries for ever."""
    kind, name = arn.split(":")[-1].split("/", 1)
    if kind != "notebook-instance-lifecycle-config":
        return _find_sagemaker_resource(backend, arn)
    config = backend.notebook_instance_lifecycle_configurations.get(name)
    if config is None:
        raise sagemaker.ValidationError(message=f"Could not find {kind} with name {name}")
    if not hasattr(config, "tags"):
        config.tags = []
    return config


def fill_gaps() -> None:
    sagemaker.SageMakerModelBackend._get_resource_from_arn = _find_sagemaker_resource_or_lifecycle_config


if __name__ == "__main__":
    fill_gaps()
    server.main(sys.argv[1:])
