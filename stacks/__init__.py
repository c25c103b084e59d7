"""The deployable CDKTF stacks of this repository (`cdktf deploy <stack>`), composed from the
module constructs of `metaflow_cdktf` as any other CDKTF app would compose them.

    provider.py    the aws provider settings: a region, or an emulator's endpoints
    services.py    the AWS services they call (what an emulator must answer)
    network.py     the VPC with two public subnets they deploy on (as examples/network)
    deployment.py  what both stacks hold: providers, suffix, network, the root module
    minimal.py     metaflow-minimal, the Python twin of examples/minimal
    full.py        metaflow-full, the Python twin of examples/full
    __main__.py    the app cdktf.json runs: the modules brought up to date, then these stacks
"""

import metaflow_cdktf  # noqa: F401  (first: it silences jsii's Node banner before cdktf loads)
