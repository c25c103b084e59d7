"""TEST-ONLY tooling: nothing of the product imports it.

    terraform.py         finds Terraform and the provider mirror, runs Terraform offline
    moto_server.py       the AWS emulator as a server process (loopback only), and Terraform pointed at it
    emulator.py          that server: moto with the gaps the examples hit filled in, each saying why
    deploy.py            applies an example against the emulator and looks at the result
    standins/            stand-ins for the hashicorp/archive, random and local providers
    iam.py               decides whether identity-policy statements allow a request
    policy_documents.py  the policy statements a synthesized module gives a role, with test values
    metaflow_calls.py    the AWS API calls a package's source makes (an AST scan)
    security_scan.py     checkov's findings on the plan of a Terraform root
    provider_schema.py   the hashicorp/aws schema read from a provider binding's jsii assembly
    schema_check.py      configuration checked against such a schema, without the provider binary
    venvs.py             fresh virtualenvs holding the wheel as users install it from PyPI
"""
