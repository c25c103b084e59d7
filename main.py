#!/usr/bin/env python3
"""metaflow-cdktf: the Metaflow Terraform modules, written in CDKTF Python.

Run `python main.py --help` for the commands; `cdktf synth` runs this file too.
"""

import sys

from metaflow_cdktf.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
