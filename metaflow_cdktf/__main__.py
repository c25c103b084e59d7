"""`python -m metaflow_cdktf`: the same command line as `python main.py`."""

import sys

from metaflow_cdktf.cli import main

sys.exit(main(sys.argv[1:], prog="python -m metaflow_cdktf"))
