"""`from modules import Datastore` keeps working inside this repository: the constructs' import
path before the package was installable. New code imports from `metaflow_cdktf`."""

import metaflow_cdktf
from metaflow_cdktf.modules import SPECS  # noqa: F401  (as before: the specs, without jsii)


def __getattr__(name: str):
    return getattr(metaflow_cdktf, name)
