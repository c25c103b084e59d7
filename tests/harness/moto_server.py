"""TEST-ONLY helpers to apply Terraform against moto, the AWS emulator, offline.

- `MotoServer`: moto's server (`python -m harness.emulator`, which fills in the gaps of
  moto the examples hit) as a subprocess on 127.0.0.1 and a free port, with a bounded
  start-up wait; `stop()` ends exactly that process.
- `provider_override`: the text of a `*_override.tf` that points the root's
  `provider "aws"` at the server (every service the modules use, fake
  credentials, no credential/account/metadata look-ups, path-style S3). It is
  written into a temporary copy of a root, never into the repo.
- `MotoServer.client(service)`: a boto3 client for the server, to see what the
  emulator holds.
- `inventory(moto)` / `added(before, after)`: what the emulator holds that a
  deployment can create, by kind, and what a deployment added to it.
- `self_signed_certificate(domain)`: a certificate to import into the emulator's
  ACM, as a user would bring their own.

The pytest fixtures built on these (`aws_env`, `moto`, `certificate_arn`) are in
tests/conftest.py.

Nothing here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import datetime
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from stacks.services import EMULATED_SERVICES

LOOPBACK = "127.0.0.1"
TESTS_DIR = Path(__file__).resolve().parent.parent
REGION = "us-west-2"
# moto's default account; the provider learns it from sts:GetCallerIdentity.
ACCOUNT_ID = "123456789012"
FAKE_ACCESS_KEY = "testing"
FAKE_SECRET_KEY = "testing"

# The moto these helpers were written against (Pipfile.lock pins it); older ones fail the apply.
MOTO_MINIMUM = "5.2.5"

STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
START_ATTEMPTS = 3

# The aws provider's `endpoints` keys of every service the example and its modules call, the
# data sources included: the one list the deployable CDKTF app's `awsEndpoint` uses as well.
ENDPOINT_SERVICES = EMULATED_SERVICES

# Environment variables through which the caller's own AWS set-up could reach
# Terraform or boto3 (a real profile, real credentials, a real endpoint).
AWS_ENV_VARS = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ENDPOINT_URL",
    "AWS_CA_BUNDLE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
)


class MotoUnavailable(RuntimeError):
    """The moto server could not be started."""


def moto_version() -> str:
    """The installed moto's version, or "0" when moto is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("moto")
    except PackageNotFoundError:
        return "0"


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


class MotoServer:
    """One moto server subprocess (`python -m harness.emulator`) on 127.0.0.1.

    Use as a context manager, or call `start()` and, in a `finally`, `stop()`.
    The server's output goes to `log_path`, so a failure can show it.
    """

    def __init__(self, log_path: Path, region: str = REGION):
        self.log_path = Path(log_path)
        self.region = region
        self.port: int | None = None
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the moto server is not started")
        return f"http://{LOOPBACK}:{self.port}"

    def start(self, timeout: float = STARTUP_TIMEOUT_S) -> MotoServer:
        """Start the server and wait (at most `timeout` s per attempt) until it answers.

        Picking a free port and binding it are two steps, so another process may
        take the port in between: then the server exits and the next attempt
        takes another port.
        """
        failures = []
        for _ in range(START_ATTEMPTS):
            self.port = free_port()
            env = {name: value for name, value in os.environ.items() if name not in AWS_ENV_VARS}
            env.update(
                MOTO_PORT=str(self.port),
                AWS_ACCESS_KEY_ID=FAKE_ACCESS_KEY,
                AWS_SECRET_ACCESS_KEY=FAKE_SECRET_KEY,
                # AWS's managed policies (their real documents, shipped with moto), so that
                # attaching e.g. service-role/AmazonEC2ContainerServiceforEC2Role works.
                MOTO_IAM_LOAD_MANAGED_POLICIES="true",
                # harness.emulator: moto's server, with the gaps the examples hit filled in
                PYTHONPATH=os.pathsep.join(filter(None, [str(TESTS_DIR), os.environ.get("PYTHONPATH")])),
            )
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "harness.emulator", "-H", LOOPBACK, "-p", str(self.port)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                )
            problem = self._wait_until_ready(timeout)
            if problem is None:
                return self
            failures.append(f"port {self.port}: {problem}")
            self.stop()
        raise MotoUnavailable(
            f"moto server did not start ({'; '.join(failures)}). Its output:\n{self.log_text()}\n"
            "It needs the PyPI package moto[server] in this Python environment (a dev dependency)."
        )

    def _wait_until_ready(self, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return f"exited with {self.process.returncode}"
            try:
                # Any HTTP answer (moto gives this one 201) means the server is up.
                with urllib.request.urlopen(f"{self.url}/moto-api/config", timeout=2):
                    return None
            except urllib.error.HTTPError:
                return None
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        return f"no answer within {timeout:.0f} s"

    def stop(self) -> None:
        """End the server process this object started (SIGTERM, then SIGKILL), if it runs."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_S)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # --- what the emulator holds ----------------------------------------------

    def client(self, service: str):
        """A boto3 client for `service` on this server, with the fake credentials."""
        import boto3

        return boto3.client(
            service,
            region_name=self.region,
            endpoint_url=self.url,
            aws_access_key_id=FAKE_ACCESS_KEY,
            aws_secret_access_key=FAKE_SECRET_KEY,
        )

    def provider_override(self) -> str:
        return provider_override(self.url, self.region)

    def write_provider_override(self, root: Path, name: str = "moto_provider_override.tf") -> Path:
        """Write the override into `root` (a temporary copy: never the repo's example)."""
        path = Path(root) / name
        path.write_text(self.provider_override())
        return path


def _hcl(value) -> str:
    # JSON strings and booleans are valid HCL literals.
    return json.dumps(value)


def provider_override(url: str, region: str = REGION) -> str:
    """A TEST-ONLY override of the root's `provider "aws"` block that sends every call to `url`."""
    settings = {
        "region": region,
        "access_key": FAKE_ACCESS_KEY,
        "secret_key": FAKE_SECRET_KEY,
        "skip_credentials_validation": True,
        "skip_requesting_account_id": True,
        "skip_metadata_api_check": True,
        "skip_region_validation": True,
        "s3_use_path_style": True,
    }
    width = max(map(len, settings))
    lines = [
        "# TEST-ONLY, written by tests/harness/moto_server.py into a temporary copy of the root:",
        f"# every AWS call goes to the moto emulator at {url}.",
        'provider "aws" {',
        *(f"  {name.ljust(width)} = {_hcl(value)}" for name, value in settings.items()),
        "",
        "  endpoints {",
        *(f"    {service.ljust(max(map(len, ENDPOINT_SERVICES)))} = {_hcl(url)}" for service in ENDPOINT_SERVICES),
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def isolated_aws_env(monkeypatch, home: Path) -> None:
    """Keep the caller's AWS configuration away from Terraform and boto3 (pytest monkeypatch)."""
    for name in AWS_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


# --- what a deployment adds to the emulator ------------------------------------


def inventory(moto: MotoServer) -> dict[str, set[str]]:
    """What the emulator holds that a deployment can create, by kind.

    Leaves out what AWS keeps after a delete for a while (INACTIVE ECS clusters,
    services and task definitions, KMS keys pending deletion, terminated
    instances and their network interfaces), AWS-managed KMS keys, service-linked
    roles and AWS's public SSM parameters.
    """
    c = moto.client
    ec2, ecs, kms, elbv2, apigw, iam = (c(s) for s in ("ec2", "ecs", "kms", "elbv2", "apigateway", "iam"))
    found: dict[str, set[str]] = {}

    found["s3 buckets"] = {b["Name"] for b in c("s3").list_buckets()["Buckets"]}
    aws_managed = {a["TargetKeyId"] for a in kms.list_aliases()["Aliases"] if a["AliasName"].startswith("alias/aws/")}
    found["kms keys"] = {
        k["KeyId"]
        for k in kms.list_keys()["Keys"]
        if k["KeyId"] not in aws_managed
        and kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] != "PendingDeletion"
    }
    rds = c("rds")
    found["rds instances"] = {d["DBInstanceIdentifier"] for d in rds.describe_db_instances()["DBInstances"]}
    found["rds clusters"] = {d["DBClusterIdentifier"] for d in rds.describe_db_clusters()["DBClusters"]}
    found["db subnet groups"] = {g["DBSubnetGroupName"] for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]}
    found["db snapshots"] = {s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots()["DBSnapshots"]}

    clusters = ecs.list_clusters()["clusterArns"]
    described = ecs.describe_clusters(clusters=clusters)["clusters"] if clusters else []
    active = [x for x in described if x["status"] == "ACTIVE"]
    found["ecs clusters"] = {x["clusterName"] for x in active}
    found["ecs services"] = set()
    for cluster in described:
        arns = ecs.list_services(cluster=cluster["clusterArn"])["serviceArns"]
        if arns:
            services = ecs.describe_services(cluster=cluster["clusterArn"], services=arns)["services"]
            found["ecs services"] |= {s["serviceName"] for s in services if s["status"] == "ACTIVE"}
    # (moto's ListTaskDefinitionFamilies ignores its status filter; ListTaskDefinitions does not.)
    found["ecs task definitions"] = {
        arn.rsplit("/", 1)[-1] for arn in ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"]
    }

    found["load balancers"] = {lb["LoadBalancerName"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]}
    found["target groups"] = {tg["TargetGroupName"] for tg in elbv2.describe_target_groups()["TargetGroups"]}

    found["rest apis"] = {a["name"] for a in apigw.get_rest_apis()["items"]}
    found["api keys"] = {k["name"] for k in apigw.get_api_keys()["items"]}
    found["usage plans"] = {p["name"] for p in apigw.get_usage_plans()["items"]}
    found["vpc links"] = {v["name"] for v in apigw.get_vpc_links()["items"]}

    batch = c("batch")
    found["batch compute environments"] = {
        e["computeEnvironmentName"] for e in batch.describe_compute_environments()["computeEnvironments"]
    }
    found["batch job queues"] = {q["jobQueueName"] for q in batch.describe_job_queues()["jobQueues"]}

    found["dynamodb tables"] = set(c("dynamodb").list_tables()["TableNames"])
    # A service-linked role (path /aws-service-role/) is created by AWS for its service on first use
    # (Batch's, for compute environments without a service role) and stays, as on AWS.
    found["iam roles"] = {r["RoleName"] for r in iam.list_roles()["Roles"]
                          if not r["Path"].startswith("/aws-service-role/")}
    found["iam instance profiles"] = {
        p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]
    }
    found["iam policies"] = {p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]}
    found["lambda functions"] = {f["FunctionName"] for f in c("lambda").list_functions()["Functions"]}
    # AWS's public parameters (/aws/service/..., read by the computation module) are reserved
    # names no deployment creates; moto lists the ones it has been asked for.
    found["ssm parameters"] = {
        p["Name"] for p in c("ssm").describe_parameters()["Parameters"] if not p["Name"].startswith("/aws/")
    }
    found["log groups"] = {g["logGroupName"] for g in c("logs").describe_log_groups()["logGroups"]}
    found["ecr repositories"] = {r["repositoryName"] for r in c("ecr").describe_repositories()["repositories"]}
    # (moto does not implement ListNotebookInstanceLifecycleConfigs: tests look those up by name)
    found["notebook instances"] = {
        n["NotebookInstanceName"] for n in c("sagemaker").list_notebook_instances()["NotebookInstances"]}

    found["vpcs"] = {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]}
    found["subnets"] = {s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]}
    found["internet gateways"] = {g["InternetGatewayId"] for g in ec2.describe_internet_gateways()["InternetGateways"]}
    found["route tables"] = {t["RouteTableId"] for t in ec2.describe_route_tables()["RouteTables"]}
    found["security groups"] = {g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    found["launch templates"] = {t["LaunchTemplateName"] for t in ec2.describe_launch_templates()["LaunchTemplates"]}
    instances = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
    gone = {i["InstanceId"] for i in instances if i["State"]["Name"] in ("terminated", "shutting-down")}
    found["ec2 instances"] = {i["InstanceId"] for i in instances} - gone
    # AWS deletes an instance's primary network interface with it; moto keeps it, still
    # "attached" to the terminated instance (e.g. the Batch instance), so those are left out.
    found["network interfaces"] = {
        n["NetworkInterfaceId"]
        for n in ec2.describe_network_interfaces()["NetworkInterfaces"]
        if (n.get("Attachment") or {}).get("InstanceId") not in gone
    }
    return found


def added(before: dict[str, set[str]], after: dict[str, set[str]]) -> dict[str, set[str]]:
    return {kind: after[kind] - before.get(kind, set()) for kind in after if after[kind] - before.get(kind, set())}


# What a destroy leaves behind on AWS itself, and so in the emulator too: {inventory kind: why}.
DESTROY_KEEPS = {
    # The datastore's RDS instance has skip_final_snapshot = false (as upstream): its final snapshot stays.
    "db snapshots": "the RDS instance's final snapshot",
}


def self_signed_certificate(domain: str) -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM) of a fresh self-signed certificate for `domain`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


def target_groups(elbv2, load_balancer: dict) -> dict[str, tuple[str, int, str]]:
    """{name: (protocol, port, target type)} of a load balancer's target groups."""
    groups = elbv2.describe_target_groups(LoadBalancerArn=load_balancer["LoadBalancerArn"])["TargetGroups"]
    return {g["TargetGroupName"]: (g["Protocol"], g["Port"], g["TargetType"]) for g in groups}


def expected_target_groups(suffix: str) -> tuple[dict, dict]:
    """The metadata service NLB's and the UI ALB's target groups, for resource_prefix "metaflow"."""
    nlb = {f"metaflow-mdtg-{suffix}": ("TCP", 8080, "ip"), f"metaflow-dbtg-{suffix}": ("TCP", 8082, "ip")}
    alb = {f"metaflow-ui-backend-{suffix}": ("HTTP", 8083, "ip"), f"metaflow-ui-static-{suffix}": ("HTTP", 3000, "ip")}
    return nlb, alb


OUTPUT_TAIL_LINES = 60


def tail(text: str, lines: int = OUTPUT_TAIL_LINES) -> str:
    """The last lines of a tool's output, for a failure message."""
    # Node 20's end-of-life banner (printed by jsii on every run) says nothing about the failure.
    kept = [line for line in text.rstrip().splitlines() if not line.lstrip("b'\"").startswith("!!")]
    return "\n".join(kept[-lines:])
