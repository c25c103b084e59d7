"""TEST-ONLY tooling: nothing of the product imports it.

    terraform.py    finds Terraform and the provider mirror, runs Terraform offline
    moto_server.py  the AWS emulator (moto in server mode, loopback only)
    standins/       stand-ins for the hashicorp/archive, random and local providers
    provider_schema.py  the hashicorp/aws schema read from a provider binding's jsii assembly
    schema_check.py     configuration checked against such a schema, without the provider binary
"""
