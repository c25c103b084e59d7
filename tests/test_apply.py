"""A real `terraform apply` and `destroy` of examples/minimal, offline, against moto.

The example and the modules are copied to a temporary directory laid out as in
the repo; a TEST-ONLY `moto_provider_override.tf` there points the aws provider
at a moto server on 127.0.0.1 (tests/harness/deploy.py, moto_server.py). The ACM certificate the
UI's HTTPS listener needs is a self-signed one imported into the emulator
first, as a user would bring their own.

What the emulator holds is checked with boto3 after apply, a second plan must
show nothing but the emulator's known read-back gaps (KNOWN_EMULATOR_DRIFT),
and after destroy nothing the deployment created may remain, except what AWS
itself keeps (DESTROY_KEEPS).

Run with `pytest -m apply` (or `pytest tests/test_apply.py`); about 4 minutes.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from harness.deploy import Deployment, apply_example, destroy, example_workspace, unexpected_changes
from harness.moto_server import (
    ACCOUNT_ID,
    DESTROY_KEEPS,
    added,
    expected_target_groups,
    inventory,
    moto_version,
    target_groups,
)
from metaflow_cdktf.modules.common.spec import NEWEST_METADATA_SERVICE_CONTAINER_IMAGE
from project import EXAMPLES, TERRAFORM_LEFTOVERS, TERRAFORM_ROOT

pytestmark = pytest.mark.apply

EXAMPLE = "minimal"
# Step Functions on, so the DynamoDB table and its roles are applied too.
EXAMPLE_VARS = {"enable_step_functions": "true"}


def suffix_of(deployment: Deployment) -> str:
    """The random suffix in every resource name of the deployment."""
    return deployment.output("resource_suffix")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, terraform, moto, certificate_arn) -> Deployment:
    """examples/minimal applied to the emulator (init + apply), with what that added."""
    workspace = example_workspace(tmp_path_factory.mktemp("apply"), TERRAFORM_ROOT, EXAMPLES, TERRAFORM_LEFTOVERS)
    return apply_example(terraform, moto, workspace / "examples" / EXAMPLE,
                         {**EXAMPLE_VARS, "ui_certificate_arn": certificate_arn})


@pytest.fixture(scope="module")
def destroyed(terraform, moto, deployment) -> Deployment:
    return destroy(terraform, moto, deployment)


# --- after apply ---------------------------------------------------------------------------


def test_network_is_a_vpc_with_two_public_subnets_in_two_zones(moto, deployment):
    ec2 = moto.client("ec2")
    vpc = ec2.describe_vpcs(VpcIds=[deployment.output("vpc_id")])["Vpcs"][0]
    assert vpc["CidrBlock"] == "10.10.0.0/16"
    hostnames = ec2.describe_vpc_attribute(VpcId=vpc["VpcId"], Attribute="enableDnsHostnames")
    assert hostnames["EnableDnsHostnames"]["Value"] is True

    subnets = ec2.describe_subnets(SubnetIds=deployment.output("subnet_ids"))["Subnets"]
    assert sorted(s["CidrBlock"] for s in subnets) == ["10.10.128.0/21", "10.10.136.0/21"]
    assert len({s["AvailabilityZone"] for s in subnets}) == 2
    assert all(s["VpcId"] == vpc["VpcId"] and s["MapPublicIpOnLaunch"] for s in subnets)

    gateways = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc["VpcId"]]}])
    assert len(gateways["InternetGateways"]) == 1
    gateway_id = gateways["InternetGateways"][0]["InternetGatewayId"]
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["RouteTables"]
    public = [t for t in tables if any(r.get("GatewayId") == gateway_id for r in t["Routes"])]
    assert len(public) == 1
    assert {a.get("SubnetId") for a in public[0]["Associations"]} >= set(deployment.output("subnet_ids"))


def test_bucket_is_encrypted_with_the_datastore_kms_key(moto, deployment):
    s3, bucket = moto.client("s3"), deployment.output("metaflow_s3_bucket_name")
    key_arn = deployment.output("datastore_s3_bucket_kms_key_arn")
    assert bucket in deployment.created["s3 buckets"]
    assert deployment.output("METAFLOW_DATASTORE_SYSROOT_S3") == f"s3://{bucket}/metaflow"

    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert [r["ApplyServerSideEncryptionByDefault"] for r in rules] == [
        {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}
    ]
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
    )

    kms = moto.client("kms")
    key = kms.describe_key(KeyId=key_arn)["KeyMetadata"]
    assert key["KeyState"] == "Enabled"
    assert key["KeyManager"] == "CUSTOMER"
    assert kms.get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True
    (statement,) = json.loads(kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"])["Statement"]
    assert statement["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}

    (deny,) = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    assert (deny["Effect"], deny["Action"], deny["Condition"]) == (
        "Deny", "s3:*", {"Bool": {"aws:SecureTransport": "false"}})


def test_database_is_an_encrypted_postgres_instance_in_the_two_subnets(moto, deployment):
    (identifier,) = deployment.created["rds instances"]
    instance = moto.client("rds").describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
    assert instance["DBInstanceStatus"] == "available"
    assert instance["Engine"] == "postgres"
    # the example's: what RDS creates today (the module's defaults, 11 on db.t2.small, it does not)
    assert (instance["EngineVersion"].split(".")[0], instance["DBInstanceClass"]) == ("17", "db.t4g.small")
    assert instance["StorageEncrypted"] is True
    assert instance["PubliclyAccessible"] is False
    assert instance["KmsKeyId"] != deployment.output("datastore_s3_bucket_kms_key_arn")  # its own key
    assert {s["SubnetIdentifier"] for s in instance["DBSubnetGroup"]["Subnets"]} == set(deployment.output("subnet_ids"))
    kms = moto.client("kms")
    assert kms.describe_key(KeyId=instance["KmsKeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    assert kms.get_key_rotation_status(KeyId=instance["KmsKeyId"])["KeyRotationEnabled"] is True
    assert (instance["CopyTagsToSnapshot"], instance["IAMDatabaseAuthenticationEnabled"]) == (True, True)

    # its PostgreSQL log goes to a log group of the module's, encrypted with the database's key
    assert instance["EnabledCloudwatchLogsExports"] == ["postgresql"]
    name = f"/aws/rds/instance/{identifier}/postgresql"
    (log_group,) = moto.client("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    assert log_group["kmsKeyId"] == kms.describe_key(KeyId=instance["KmsKeyId"])["KeyMetadata"]["Arn"]

    # it answers the metadata service and opens no connection of its own
    (group,) = moto.client("ec2").describe_security_groups(
        GroupIds=[g["VpcSecurityGroupId"] for g in instance["VpcSecurityGroups"]])["SecurityGroups"]
    assert group["IpPermissionsEgress"] == []


def test_ecs_cluster_runs_the_metadata_service_and_the_ui_on_fargate(moto, deployment):
    suffix = suffix_of(deployment)
    cluster = f"metaflow-{suffix}"
    assert cluster in deployment.created["ecs clusters"]
    ecs = moto.client("ecs")
    arns = ecs.list_services(cluster=cluster)["serviceArns"]
    services = {s["serviceName"]: s for s in ecs.describe_services(cluster=cluster, services=arns)["services"]}
    assert set(services) == {
        f"metaflow-metadata-service-{suffix}",
        f"metaflow-ui_backend-{suffix}",
        f"metaflow-ui_static-{suffix}",
    }
    for service in services.values():
        assert service["status"] == "ACTIVE"
        assert service["launchType"] == "FARGATE"
        network = service["networkConfiguration"]["awsvpcConfiguration"]
        assert set(network["subnets"]) == set(deployment.output("subnet_ids"))
        assert network["assignPublicIp"] == "ENABLED"  # the example's with_public_ip

    metadata = services[f"metaflow-metadata-service-{suffix}"]
    groups = moto.client("elbv2").describe_target_groups(
        TargetGroupArns=[b["targetGroupArn"] for b in metadata["loadBalancers"]]
    )
    assert sorted(g["Port"] for g in groups["TargetGroups"]) == [8080, 8082]

    # the tasks start with the services' own execution role, not the Batch jobs' one
    role = moto.client("iam").get_role(RoleName=f"metaflow-services-execution-role-{suffix}")["Role"]
    definitions = [ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
                   for service in services.values()]
    assert {definition["executionRoleArn"] for definition in definitions} == {role["Arn"]}
    # the metadata service and the UI backend connect to PostgreSQL 17 over TLS, with an image that can
    database_clients = [container for definition in definitions for container in definition["containerDefinitions"]
                        if not container["name"].startswith("metaflow-ui_static")]
    assert len(database_clients) == 2
    for container in database_clients:
        assert {"name": "MF_METADATA_DB_SSL_MODE", "value": "require"} in container["environment"]
        assert container["image"] == NEWEST_METADATA_SERVICE_CONTAINER_IMAGE


def test_nlb_and_alb_with_their_target_groups_and_listeners(moto, deployment, certificate_arn):
    suffix, elbv2 = suffix_of(deployment), moto.client("elbv2")
    balancers = {lb["LoadBalancerName"]: lb for lb in elbv2.describe_load_balancers()["LoadBalancers"]}
    nlb, alb = balancers[f"metaflow-nlb-{suffix}"], balancers[f"metaflow-alb-{suffix}"]
    assert (nlb["Type"], nlb["Scheme"]) == ("network", "internal")
    assert alb["Type"] == "application"
    assert alb["DNSName"] == deployment.output("ui_alb_dns_name")
    for lb in (nlb, alb):
        assert {z["SubnetId"] for z in lb["AvailabilityZones"]} == set(deployment.output("subnet_ids"))
        assert lb["State"]["Code"] == "active"

    expected_nlb_groups, expected_alb_groups = expected_target_groups(suffix)
    assert target_groups(elbv2, nlb) == expected_nlb_groups
    assert target_groups(elbv2, alb) == expected_alb_groups
    nlb_listeners = elbv2.describe_listeners(LoadBalancerArn=nlb["LoadBalancerArn"])["Listeners"]
    assert sorted((listener["Protocol"], listener["Port"]) for listener in nlb_listeners) == [
        ("TCP", 80), ("TCP", 8082)]
    (https,) = elbv2.describe_listeners(LoadBalancerArn=alb["LoadBalancerArn"])["Listeners"]
    assert (https["Protocol"], https["Port"]) == ("HTTPS", 443)
    assert [c["CertificateArn"] for c in https["Certificates"]] == [certificate_arn]
    assert https["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"

    def attributes(lb):
        return {a["Key"]: a["Value"] for a in elbv2.describe_load_balancer_attributes(
            LoadBalancerArn=lb["LoadBalancerArn"])["Attributes"]}

    assert attributes(nlb)["load_balancing.cross_zone.enabled"] == "true"
    assert attributes(alb)["routing.http.drop_invalid_header_fields.enabled"] == "true"
    (static,) = elbv2.describe_target_groups(Names=[f"metaflow-ui-static-{suffix}"])["TargetGroups"]
    assert (static["HealthCheckPath"], static["Matcher"]) == ("/", {"HttpCode": "200"})


def test_ui_security_groups_let_out_only_what_the_load_balancer_and_the_tasks_reach(moto, deployment):
    ec2, suffix = moto.client("ec2"), suffix_of(deployment)

    def egress(name):
        (group,) = ec2.describe_security_groups(
            Filters=[{"Name": "group-name", "Values": [name]}])["SecurityGroups"]
        return sorted((rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) for rule in group["IpPermissionsEgress"])

    assert egress(f"metaflow-alb-sg-{suffix}") == [("tcp", 443, 443), ("tcp", 3000, 3000), ("tcp", 8083, 8083)]
    # and DNS servers the VPC's DHCP options may name, in the VPC
    assert egress(f"metaflow-ui-backend-sg-{suffix}") == [("tcp", 53, 53), ("tcp", 443, 443), ("tcp", 5432, 5432),
                                                          ("udp", 53, 53)]


def test_api_gateway_stage_and_api_key_in_a_usage_plan(moto, deployment):
    suffix, apigw = suffix_of(deployment), moto.client("apigateway")
    (api,) = [a for a in apigw.get_rest_apis()["items"] if a["name"] == f"metaflow-api-{suffix}"]
    assert deployment.output("METAFLOW_SERVICE_URL") == f"https://{api['id']}.execute-api.us-west-2.amazonaws.com/api/"

    stage = apigw.get_stage(restApiId=api["id"], stageName="api")
    assert apigw.get_deployment(restApiId=api["id"], deploymentId=stage["deploymentId"])["id"] == stage["deploymentId"]
    assert stage["tracingEnabled"] is True
    resources = apigw.get_resources(restApiId=api["id"])["items"]
    paths = {r["path"]: set(r.get("resourceMethods", {})) for r in resources}
    assert paths == {"/": set(), "/{proxy+}": {"ANY"}, "/db_schema_status": {"GET"}}

    (validator,) = apigw.get_request_validators(restApiId=api["id"])["items"]
    # (a false validateRequestBody is not sent, so moto leaves it out)
    assert (validator["validateRequestParameters"], validator.get("validateRequestBody", False)) == (True, False)
    for resource in resources:
        for method in resource.get("resourceMethods", {}):
            found = apigw.get_method(restApiId=api["id"], resourceId=resource["id"], httpMethod=method)
            assert found["requestValidatorId"] == validator["id"]

    key = apigw.get_api_key(apiKey=deployment.output("api_gateway_rest_api_id_key_id"))
    assert key["name"] == f"metaflow-key-{suffix}"
    assert key["enabled"] is True
    (plan,) = [p for p in apigw.get_usage_plans(keyId=key["id"])["items"]]
    assert plan["apiStages"] == [{"apiId": api["id"], "stage": "api"}]

    (link,) = apigw.get_vpc_links()["items"]
    nlb = moto.client("elbv2").describe_load_balancers(Names=[f"metaflow-nlb-{suffix}"])["LoadBalancers"][0]
    assert link["targetArns"] == [nlb["LoadBalancerArn"]]


def test_batch_compute_environment_and_job_queue(moto, deployment):
    batch, queue_arn = moto.client("batch"), deployment.output("METAFLOW_BATCH_JOB_QUEUE")
    (queue,) = batch.describe_job_queues(jobQueues=[queue_arn])["jobQueues"]
    assert (queue["state"], queue["status"]) == ("ENABLED", "VALID")
    (order,) = queue["computeEnvironmentOrder"]

    (environment,) = batch.describe_compute_environments(computeEnvironments=[order["computeEnvironment"]])[
        "computeEnvironments"
    ]
    assert environment["computeEnvironmentName"].startswith(f"metaflow-cpu-{suffix_of(deployment)}")
    assert (environment["type"], environment["state"], environment["status"]) == ("MANAGED", "ENABLED", "VALID")
    resources = environment["computeResources"]
    assert resources["type"] == "EC2"
    assert (resources["minvCpus"], resources["maxvCpus"]) == (8, 64)
    assert set(resources["subnets"]) == set(deployment.output("subnet_ids"))
    assert resources["instanceRole"].endswith(f":instance-profile/metaflow-ecs-iam-role-{suffix_of(deployment)}")
    assert environment["serviceRole"].endswith(f":role/metaflow-batch-execution-role-{suffix_of(deployment)}")
    template = moto.client("ec2").describe_launch_templates(
        LaunchTemplateIds=[resources["launchTemplate"]["launchTemplateId"]]
    )["LaunchTemplates"][0]
    assert template["LaunchTemplateName"] == f"metaflow-batch-launch-tmpl-cpu-100gb-{suffix_of(deployment)}"
    # Amazon Linux 2023 (Batch's default since January 2026, stated), and the example's IMDSv2
    assert [c["imageType"] for c in resources.get("ec2Configuration", [])] == ["ECS_AL2023"]
    (version,) = moto.client("ec2").describe_launch_template_versions(
        LaunchTemplateId=template["LaunchTemplateId"])["LaunchTemplateVersions"]
    metadata = version["LaunchTemplateData"]["MetadataOptions"]
    assert (metadata["HttpTokens"], metadata["HttpPutResponseHopLimit"]) == ("required", 2)
    (disk,) = version["LaunchTemplateData"]["BlockDeviceMappings"]
    assert (disk["Ebs"]["VolumeType"], disk["Ebs"]["Iops"]) == ("gp3", 3000)


def test_step_functions_dynamodb_table(moto, deployment):
    name = deployment.output("METAFLOW_SFN_DYNAMO_DB_TABLE")
    assert name == f"metaflow-step_functions_state-{suffix_of(deployment)}"
    dynamodb = moto.client("dynamodb")
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["KeySchema"] == [{"AttributeName": "pathspec", "KeyType": "HASH"}]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["SSEDescription"]["Status"] == "ENABLED"
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "ttl")
    backups = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"

    # the Step Functions role registers job definitions and ends jobs of this account and region only
    batch = moto.client("iam").get_role_policy(RoleName=f"metaflow-step_functions_role-{suffix_of(deployment)}",
                                               PolicyName="aws_batch")["PolicyDocument"]["Statement"]
    narrowed = {s["Action"]: s["Resource"] for s in batch if s["Action"] in ("batch:RegisterJobDefinition",
                                                                             "batch:TerminateJob")}
    assert narrowed == {"batch:RegisterJobDefinition": f"arn:aws:batch:us-west-2:{ACCOUNT_ID}:job-definition/*",
                        "batch:TerminateJob": f"arn:aws:batch:us-west-2:{ACCOUNT_ID}:job/*"}


def test_iam_roles_and_the_batch_task_role_policies(moto, deployment):
    suffix, iam = suffix_of(deployment), moto.client("iam")
    expected = {
        f"metaflow-{name}-{suffix}"
        for name in (
            "batch_s3_task_role",
            "batch-execution-role",
            "ecs-execution-role",
            "ecs-iam-role",
            "lambda_ecs_execute",
            "metadata-ecs-task",
            "ui-ecs-task",
            "step_functions_role",
            "eventbridge_role",
            "services-execution-role",
        )
    }
    assert deployment.created["iam roles"] == expected
    assert deployment.created["iam instance profiles"] == {f"metaflow-ecs-iam-role-{suffix}"}

    task_role = f"metaflow-batch_s3_task_role-{suffix}"
    assert set(iam.list_role_policies(RoleName=task_role)["PolicyNames"]) == {
        "s3_list", "custom_s3", "s3_kms", "deny_presigned", "sagemaker", "iam_pass_role", "dynamodb", "cloudwatch",
    }  # fmt: skip
    # the execution role ships logs to this account's and region's log groups only
    execution = iam.get_role_policy(RoleName=f"metaflow-ecs-execution-role-{suffix}", PolicyName="ecs_access")
    logs = [s for s in execution["PolicyDocument"]["Statement"] if "logs:PutLogEvents" in s["Action"]]
    here = f"arn:aws:logs:us-west-2:{ACCOUNT_ID}:log-group:*"
    assert [sorted(s["Resource"]) for s in logs] == [[here, f"{here}:log-stream:*"]]

    attached = iam.list_attached_role_policies(RoleName=f"metaflow-ecs-iam-role-{suffix}")["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AmazonEC2ContainerServiceforEC2Role"]
    profile = json.loads(deployment.root.joinpath("metaflow_profile.json").read_text())
    assert profile["METAFLOW_ECS_S3_ACCESS_IAM_ROLE"] == iam.get_role(RoleName=task_role)["Role"]["Arn"]


def test_services_read_the_database_password_from_ssm_not_from_their_task_definitions(moto, deployment):
    suffix = suffix_of(deployment)
    ecs, ssm, iam = moto.client("ecs"), moto.client("ssm"), moto.client("iam")
    # task definition family: the SecureString its container reads MF_METADATA_DB_PSWD from
    families = {
        f"metaflow-service-{suffix}": f"metaflow-metadata-db-password-{suffix}",
        f"metaflow-ui_backend-{suffix}": f"metaflow-ui-db-password-{suffix}",
    }
    passwords = set()
    for family, parameter_name in families.items():
        (container,) = ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]["containerDefinitions"]
        assert "MF_METADATA_DB_PSWD" not in {variable["name"] for variable in container["environment"]}
        parameter = ssm.get_parameter(Name=parameter_name, WithDecryption=True)["Parameter"]
        assert container["secrets"] == [{"name": "MF_METADATA_DB_PSWD", "valueFrom": parameter["ARN"]}]
        assert parameter["Type"] == "SecureString"
        passwords.add(parameter["Value"])

        # the services' execution role may read this parameter, and only it; the Batch jobs' may not
        grant = iam.get_role_policy(RoleName=f"metaflow-services-execution-role-{suffix}", PolicyName=parameter_name)
        (statement,) = grant["PolicyDocument"]["Statement"]
        assert (statement["Effect"], statement["Action"], statement["Resource"]) == (
            "Allow", "ssm:GetParameters", parameter["ARN"])
        batch_jobs_role = f"metaflow-ecs-execution-role-{suffix}"
        assert parameter_name not in iam.list_role_policies(RoleName=batch_jobs_role)["PolicyNames"]
    (password,) = passwords
    assert len(password) == 64  # the datastore's random_password


def test_the_services_log_groups_are_encrypted_with_keys_of_their_own(moto, deployment):
    logs, kms, suffix = moto.client("logs"), moto.client("kms"), suffix_of(deployment)
    keys = set()
    for name in (f"metaflow-metadata-{suffix}", f"metaflow-ui-{suffix}"):
        (group,) = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
        key = kms.describe_key(KeyId=group["kmsKeyId"])["KeyMetadata"]
        assert (key["KeyState"], key["KeyManager"]) == ("Enabled", "CUSTOMER")
        assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is True
        keys.add(key["Arn"])
    assert len(keys) == 2 and deployment.output("datastore_s3_bucket_kms_key_arn") not in keys


def test_db_migrate_lambda(moto, deployment):
    suffix = suffix_of(deployment)
    function = moto.client("lambda").get_function(FunctionName=f"metaflow-db_migrate-{suffix}")["Configuration"]
    assert (function["Runtime"], function["Handler"]) == ("python3.12", "index.handler")
    assert function["TracingConfig"] == {"Mode": "Active"}

    # it may create network interfaces only in its own subnets, with its own security group
    iam = moto.client("iam")
    role = f"metaflow-lambda_ecs_execute-{suffix}"
    vpc = iam.get_role_policy(RoleName=role, PolicyName="ecs_task_execute")["PolicyDocument"]["Statement"]
    (create,) = [s for s in vpc if s["Action"] == "ec2:CreateNetworkInterface"]
    ec2_arn = f"arn:aws:ec2:us-west-2:{ACCOUNT_ID}:"
    assert sorted(create["Resource"]) == sorted(
        [f"{ec2_arn}network-interface/*", *(f"{ec2_arn}subnet/{s}" for s in function["VpcConfig"]["SubnetIds"]),
         *(f"{ec2_arn}security-group/{g}" for g in function["VpcConfig"]["SecurityGroupIds"])])
    assert "xray" in iam.list_role_policies(RoleName=role)["PolicyNames"]

    nlb = moto.client("elbv2").describe_load_balancers(Names=[f"metaflow-nlb-{suffix}"])["LoadBalancers"][0]
    assert function["Environment"]["Variables"] == {"MD_LB_ADDRESS": f"http://{nlb['DNSName']}:8082"}
    assert set(function["VpcConfig"]["SubnetIds"]) == set(deployment.output("subnet_ids"))


def test_metaflow_profile_is_written_by_local_file(deployment):
    path = deployment.root / "metaflow_profile.json"
    assert deployment.output("metaflow_profile_path") == "./metaflow_profile.json"
    text = path.read_text()
    profile = json.loads(text)
    assert profile["METAFLOW_DATASTORE_SYSROOT_S3"] == deployment.output("METAFLOW_DATASTORE_SYSROOT_S3")
    assert profile["METAFLOW_BATCH_JOB_QUEUE"] == deployment.output("METAFLOW_BATCH_JOB_QUEUE")
    assert profile["METAFLOW_SERVICE_URL"] == deployment.output("METAFLOW_SERVICE_URL")
    assert profile["METAFLOW_SFN_DYNAMO_DB_TABLE"] == deployment.output("METAFLOW_SFN_DYNAMO_DB_TABLE")
    assert deployment.output("api_gateway_rest_api_id_key_id") in profile["METAFLOW_SERVICE_AUTH_KEY"]
    assert (profile["METAFLOW_DEFAULT_DATASTORE"], profile["METAFLOW_DEFAULT_METADATA"]) == ("s3", "service")

    state = json.loads((deployment.root / "terraform.tfstate").read_text())
    (config,) = [r for r in state["resources"] if r["type"] == "local_file"]
    assert config["instances"][0]["attributes"]["id"] == hashlib.sha1(text.encode()).hexdigest()


def test_second_plan_shows_only_the_emulators_known_read_back_gaps(terraform, moto, deployment):
    unexpected = unexpected_changes(terraform, moto, deployment)
    assert not unexpected, f"changes right after apply (moto {moto_version()}), not known emulator gaps: {unexpected}"


# --- after destroy -------------------------------------------------------------------------

def test_destroy_leaves_nothing_the_deployment_created(moto, destroyed):
    remaining = added(destroyed.baseline, inventory(moto))
    kept = {kind: remaining.pop(kind) for kind in DESTROY_KEEPS if kind in remaining}
    assert not remaining, f"left in moto {moto_version()} after destroy: {remaining}"
    snapshots = kept.get("db snapshots", set())
    assert len(snapshots) == 1, f"expected the one final snapshot, found {snapshots}"
    (snapshot,) = moto.client("rds").describe_db_snapshots(DBSnapshotIdentifier=snapshots.pop())["DBSnapshots"]
    assert snapshot["DBInstanceIdentifier"] in destroyed.created["rds instances"]
    suffix = suffix_of(destroyed)
    assert snapshot["DBSnapshotIdentifier"].startswith(f"metaflow-metaflow-final-snapshot-{suffix}-")


def test_destroy_schedules_the_kms_keys_for_deletion(moto, destroyed):
    kms = moto.client("kms")
    created = destroyed.created["kms keys"]
    # the datastore's keys for S3 and for RDS, and the keys of the services' log groups
    assert len(created) == 4
    assert {kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] for key in created} == {"PendingDeletion"}


def test_destroy_removes_the_profile_file(destroyed):
    assert not (destroyed.root / "metaflow_profile.json").exists()
