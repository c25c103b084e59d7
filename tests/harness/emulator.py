"""TEST-ONLY: the moto server the tests run (`python -m harness.emulator -H 127.0.0.1 -p PORT`), with
the gaps of moto 5.2.5 that stop the examples from applying filled in, each saying why.

Nothing is faked: each fix makes moto answer a real API call the way AWS does, where moto
answers with an error instead.
"""

from __future__ import annotations

import json
import sys
import threading

from moto import server
from moto.batch import models as batch
from moto.iam import access_control
from moto.iam.exceptions import NotFoundException
from moto.iam.policy_conditions import TrustRelationShipConditions
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


_statement_permits = access_control.IAMPolicyStatement.is_action_permitted


def _conditions_hold(condition: dict, request_context: dict[str, str]) -> bool:
    """AWS's rule: a condition on a key the request's context does not carry does not hold."""
    for each in TrustRelationShipConditions(condition):
        keys = each.context_keys
        if not all(key in request_context for key in keys):
            return False
        if not each.verify_condition([request_context[key] for key in keys]):
            return False
    return True


def _statement_applies_where_its_condition_holds(statement, action, resource="*", principal=None,
                                                 incoming_condition_values=None):
    """S3 evaluating a bucket policy (the datastore's denies requests without TLS). moto gives the
    statements no request context, treats a condition it cannot evaluate as holding, and answers
    DENIED for any statement whose condition does not hold, a Deny's as well: every object request
    to the datastore was refused. On AWS a statement applies only where its condition holds. (The
    emulator cannot tell TLS from plain HTTP, so it does not exercise that policy itself.)"""
    condition = statement._statement.get("Condition")
    if condition and not _conditions_hold(condition, incoming_condition_values or {}):
        return access_control.PermissionResult.NEUTRAL
    return _statement_permits(statement, action, resource, principal, incoming_condition_values)


_create_compute_environment = batch.BatchBackend.create_compute_environment
BATCH_SERVICE = "batch.amazonaws.com"
BATCH_SERVICE_LINKED_ROLE = "AWSServiceRoleForBatch"
# the server answers requests in threads, and Terraform creates compute environments in parallel
_service_linked_role_lock = threading.Lock()


def _batch_service_linked_role(iam) -> str:
    """The ARN of the account's Batch service-linked role, created as AWS creates it. (moto's own
    CreateServiceLinkedRole would name it AWSServiceRoleForbatch.)"""
    with _service_linked_role_lock:
        try:
            return iam.get_role(BATCH_SERVICE_LINKED_ROLE).arn
        except NotFoundException:
            trust = {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": BATCH_SERVICE}, "Action": "sts:AssumeRole"}]}
            return iam.create_role(BATCH_SERVICE_LINKED_ROLE, json.dumps(trust), f"/aws-service-role/{BATCH_SERVICE}/",
                                   permissions_boundary=None, description="", tags=[], max_session_duration="3600",
                                   linked_service=BATCH_SERVICE).arn


def _create_compute_environment_with_the_service_linked_role(backend: batch.BatchBackend, compute_environment_name,
                                                             _type, state, compute_resources, service_role,
                                                             tags=None):
    """Batch's CreateComputeEnvironment without a serviceRole (the job-queues module's). AWS then uses
    the account's Batch service-linked role, AWSServiceRoleForBatch, creating it first if the account
    has none (https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateComputeEnvironment.html);
    moto refuses with "ServiceRole is required"."""
    if not service_role:
        service_role = _batch_service_linked_role(backend.iam_backend)
    return _create_compute_environment(backend, compute_environment_name, _type, state, compute_resources,
                                       service_role, tags)


def fill_gaps() -> None:
    sagemaker.SageMakerModelBackend._get_resource_from_arn = _find_sagemaker_resource_or_lifecycle_config
    batch.BatchBackend.create_compute_environment = _create_compute_environment_with_the_service_linked_role
    access_control.IAMPolicyStatement.is_action_permitted = _statement_applies_where_its_condition_holds


if __name__ == "__main__":
    fill_gaps()
    server.main(sys.argv[1:])
