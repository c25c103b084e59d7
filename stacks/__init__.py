"""The deployable CDKTF stacks of this repository (`cdktf deploy <stack>`), composed from the
module constructs of `metaflow_cdktf` as any other CDKTF app would compose them.

    provider.py   the aws provider settings: a region, or an emulator's endpoints
    minimal.py    metaflow-minimal, the Python twin of examples/minimal
    __main__.py   the app cdktf.json runs: the modules brought up to date, then these stacks
"""

import metaflow_cdktf  # noqa: F401  (first: it silences jsii's Node banner before cdktf loads)
