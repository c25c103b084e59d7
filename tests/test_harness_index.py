"""tests/harness/__init__.py's index names exactly the harness's files."""

from __future__ import annotations

import ast
import re

from project import REPO_ROOT

HARNESS = REPO_ROOT / "tests" / "harness"


def test_the_harness_index_names_every_file_of_the_harness_and_no_other():
    index = ast.get_docstring(ast.parse((HARNESS / "__init__.py").read_text())) or ""
    named = set(re.findall(r"^\s*([\w.]+(?:\.py|/))  ", index, flags=re.M))
    present = {path.name + ("/" if path.is_dir() else "") for path in HARNESS.iterdir()
               if path.name not in ("__init__.py", "__pycache__")}
    assert named == present
