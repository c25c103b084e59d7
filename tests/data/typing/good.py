"""A correct use of the constructs: a type checker reports nothing. tests/test_typing.py also checks
copies of it with one mistake each."""

from cdktf import App, TerraformStack

from metaflow_cdktf import Datastore, MetadataService

app = App()
stack = TerraformStack(app, "typed")
datastore = Datastore(
    stack, "datastore", metadata_service_security_group_id="sg-1", metaflow_vpc_id="vpc-1",
    resource_prefix="metaflow-", resource_suffix="-dev", standard_tags={"team": "ml"},
    subnet1_id="subnet-1", subnet2_id="subnet-2", db_instance_type="db.t3.small",
)
service = MetadataService(
    stack, "service", access_list_cidr_blocks=[], database_password=datastore.database_password,
    database_username=datastore.database_username,
    datastore_s3_bucket_kms_key_arn=datastore.datastore_s3_bucket_kms_key_arn,
    fargate_execution_role_arn="arn:aws:iam::123456789012:role/x", metaflow_vpc_id="vpc-1",
    resource_prefix="metaflow-", resource_suffix="-dev",
    rds_master_instance_endpoint=datastore.rds_master_instance_endpoint, s3_bucket_arn=datastore.s3_bucket_arn,
    standard_tags={}, subnet1_id="subnet-1", subnet2_id="subnet-2", vpc_cidr_blocks=["10.0.0.0/16"],
    metadata_service_cpu=1024,
)
url: str = service.METAFLOW_SERVICE_URL
