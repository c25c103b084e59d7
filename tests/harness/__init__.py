"""TEST-ONLY tooling: nothing of the product imports it.

    terraform.py    finds Terraform and the provider mirror, runs Terraform offline
    moto_server.py  the AWS emulator (moto in server mode, loopback only)
    standins/       stand-ins for the hashicorp/archive, random and local providers
"""
