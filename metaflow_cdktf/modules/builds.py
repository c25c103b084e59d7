"""Imports the build file of every module in `SPECS` (modules/<package>/build.py: see
`modules.import_build`), which attaches its build function to its spec.

This loads the provider bindings (jsii, ~10 s): only synthesis imports it.
"""

from __future__ import annotations

from metaflow_cdktf.modules import SPECS, import_build

for spec in SPECS:
    import_build(spec)
