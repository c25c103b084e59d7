"""What AWS as it is today needs of the modules (README, "Differences from upstream"), read off the
synthesized JSON: the database connection over TLS, Batch without the retired AMI, the order in
which AWS accepts the pieces, DNS inside the VPC, the services' own execution role."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from interface import load_module
from metaflow_cdktf.modules.common.spec import NEWEST_METADATA_SERVICE_CONTAINER_IMAGE
from project import DATA, TERRAFORM_LEFTOVERS, TERRAFORM_ROOT

SSL_MODE = ("MF_METADATA_DB_SSL_MODE", "require")


def resources(module: dict, type_: str) -> dict:
    return module.get("resource", {}).get(type_, {})


# --- The database connection ------------------------------------------------------------------


def test_the_metadata_service_connects_to_its_database_over_tls():
    task = resources(load_module("metadata-service"), "aws_ecs_task_definition")["this"]
    # the container definitions are JSON with Terraform templates inside its strings
    environment = re.search(r'"environment": \[(.*?)\]', task["container_definitions"], re.S).group(1)
    assert f'{{"name": "{SSL_MODE[0]}", "value": "{SSL_MODE[1]}"}}' in environment


def test_the_ui_backend_connects_to_the_same_database_over_tls():
    ui = load_module("ui")
    assert ui["locals"]["default_ui_backend_env_vars"][SSL_MODE[0]] == SSL_MODE[1]
    backend = resources(ui, "aws_ecs_task_definition")["ui_backend"]["container_definitions"]
    assert "merge(local.default_ui_backend_env_vars, var.extra_ui_backend_env_vars)" in backend


# --- Batch ------------------------------------------------------------------------------------


def test_computation_reads_no_amazon_linux_2_image():
    text = json.dumps(load_module("computation"))
    assert "amazon-linux-2/" not in text
    assert "ecs_optimized_cpu_ami" not in text


def test_the_batch_volume_asks_for_gp3s_baseline_iops_at_least():
    template = resources(load_module("computation"), "aws_launch_template")["cpu"]
    (disk,) = template["block_device_mappings"]
    assert disk["ebs"]["volume_type"] == "gp3"
    assert disk["ebs"]["iops"] >= 3000


# --- Ordering ---------------------------------------------------------------------------------


def test_the_api_deployment_waits_for_every_method_and_integration():
    module = load_module("metadata-service")
    deployment = resources(module, "aws_api_gateway_deployment")["this"]
    expected = {f"{type_}.{name}" for type_ in ("aws_api_gateway_method", "aws_api_gateway_integration")
                for name in resources(module, type_)}
    assert expected <= set(deployment["depends_on"])
    assert len(expected) == 4


def routes_to(module: dict) -> dict[str, str]:
    """{target group address: the listener or listener rule address that forwards to it}."""
    routes = {}
    for type_, actions in (("aws_lb_listener", "default_action"), ("aws_lb_listener_rule", "action")):
        for name, block in resources(module, type_).items():
            for action in block.get(actions, []):
                target = re.fullmatch(r"\$\{(aws_lb_target_group\.\w+)\.(?:arn|id)\}",
                                      action.get("target_group_arn", ""))
                if target:
                    routes[target.group(1)] = f"{type_}.{name}"
    return routes


@pytest.mark.parametrize("name", ["metadata-service", "ui"])
def test_each_ecs_service_waits_for_the_listeners_routing_to_its_target_groups(name):
    module = load_module(name)
    routes = routes_to(module)
    services = resources(module, "aws_ecs_service")
    assert services
    for service in services.values():
        for balancer in service["load_balancer"]:
            target_group = re.fullmatch(r"\$\{(aws_lb_target_group\.\w+)\.arn\}", balancer["target_group_arn"]).group(1)
            assert routes[target_group] in service["depends_on"]


# --- DNS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "group", "vpc_cidr_blocks"), [
    ("metadata-service", "metadata_service_security_group", "${var.vpc_cidr_blocks}"),
    ("ui", "fargate_security_group", "${data.aws_vpc.this.cidr_block_associations[*].cidr_block}"),
])
def test_the_tasks_reach_dns_servers_in_their_vpc(name, group, vpc_cidr_blocks):
    module = load_module(name)
    egress = resources(module, "aws_security_group")[group]["egress"]
    dns = {(rule["protocol"], rule["from_port"], rule["to_port"]) for rule in egress
           if rule["cidr_blocks"] == vpc_cidr_blocks}
    assert dns == {("udp", 53, 53), ("tcp", 53, 53)}


# --- The services' execution role ----------------------------------------------------------------


def test_the_services_start_with_a_role_of_their_own_not_the_batch_jobs_one():
    root = load_module("metaflow")
    own = "${aws_iam_role.services_execution_role.arn}"
    for call in ("metaflow-metadata-service", "metaflow-ui"):
        assert root["module"][call]["fargate_execution_role_arn"] == own
    # the Batch jobs' execution role is the profile's, and reaches nothing of the services'
    assert "module.metaflow-computation.ecs_execution_role_arn" in root["output"]["metaflow_profile_json"]["value"]
    role = resources(root, "aws_iam_role")["services_execution_role"]
    assert role["assume_role_policy"] == "${data.aws_iam_policy_document.services_execution_role_assume_role.json}"
    (trust,) = root["data"]["aws_iam_policy_document"]["services_execution_role_assume_role"]["statement"]
    assert trust["principals"] == [{"identifiers": ["ecs-tasks.amazonaws.com"], "type": "Service"}]


def test_the_services_execution_role_pulls_images_and_ships_logs_only():
    root = load_module("metaflow")
    statements = root["data"]["aws_iam_policy_document"]["services_execution_policy"]["statement"]
    actions = {action for statement in statements for action in statement["actions"]}
    assert actions == {"ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                       "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents"}


# --- The Batch service role against AWS's managed policy ------------------------------------------

MANAGED_BATCH_SERVICE_ROLE = DATA / "aws" / "AWSBatchServiceRole-v13.json"


def grants_of_managed(document: dict) -> set[tuple]:
    """(action, resource, condition) triples a managed policy document allows."""
    grants = set()
    for statement in document["Statement"]:
        actions, resources = statement["Action"], statement["Resource"]
        conditions = tuple(sorted((test, key, json.dumps(value if isinstance(value, list) else [value]))
                                  for test, pairs in statement.get("Condition", {}).items()
                                  for key, value in pairs.items()))
        for action in [actions] if isinstance(actions, str) else actions:
            for resource in [resources] if isinstance(resources, str) else resources:
                grants.add((action, resource, conditions))
    return grants


def grants_of_role(module: dict, role: str, partition: str = "aws") -> set[tuple]:
    """The same triples for the inline policies a module attaches to `role`, its documents'
    `${var.iam_partition}` read as `partition`."""
    documents = module["data"]["aws_iam_policy_document"]
    grants = set()
    for policy in resources(module, "aws_iam_role_policy").values():
        if policy["role"] != f"${{aws_iam_role.{role}.name}}":
            continue
        name = re.fullmatch(r"\$\{data\.aws_iam_policy_document\.(\w+)\.json\}", policy["policy"]).group(1)
        for statement in documents[name]["statement"]:
            assert statement["effect"] == "Allow"
            conditions = tuple(sorted((c["test"], c["variable"], json.dumps(c["values"]))
                                      for c in statement.get("condition", [])))
            for action in statement["actions"]:
                for resource in statement["resources"]:
                    grants.add((action, resource.replace("${var.iam_partition}", partition), conditions))
    return grants


def test_the_batch_service_role_grants_what_awss_current_managed_policy_grants():
    managed = grants_of_managed(json.loads(MANAGED_BATCH_SERVICE_ROLE.read_text()))
    assert grants_of_role(load_module("computation"), "batch_execution_role") == managed
    # in GovCloud, the ECS task ARNs it tags are the partition's own
    assert ("ecs:TagResource", "arn:aws-us-gov:ecs:*:*:task/*_Batch_*", ()) in grants_of_role(
        load_module("computation"), "batch_execution_role", partition="aws-us-gov")


# --- The database version against the metadata service image ---------------------------------------


def test_the_root_module_refuses_postgres_17_with_an_image_that_cannot_use_tls(tmp_path, terraform, moto):
    """A plan against the emulator stops at the services' execution role, naming the image to pass.
    (The examples apply PostgreSQL 17 with that image: test_apply.py, test_full_example.py.)"""
    ignore = shutil.ignore_patterns(*TERRAFORM_LEFTOVERS)
    shutil.copytree(TERRAFORM_ROOT, tmp_path / "terraform", ignore=ignore)
    root = tmp_path / "consumers" / "old-image-on-postgres-17"
    shutil.copytree(DATA / "consumers" / root.name, root, ignore=ignore)
    moto.write_provider_override(root)
    terraform.run(root, "init", "-input=false", "-no-color", timeout=600)

    planned = terraform.run(root, "plan", "-input=false", "-no-color", check=False, timeout=600)

    assert planned.returncode == 1
    message = " ".join(planned.stderr.split())
    assert "Resource precondition failed" in message
    assert "in resource.aws_iam_role.services_execution_role" in message
    assert f'pass metadata_service_container_image = "{NEWEST_METADATA_SERVICE_CONTAINER_IMAGE}"' in message
    assert message.count("Error:") == 1
