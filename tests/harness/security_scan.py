"""TEST-ONLY: checkov's findings on the plan of a Terraform root.

- `plan_as_json(terraform, root)`: `terraform init`, `plan -out` and `show -json` of a root
  (whose aws provider the caller has pointed at the emulator), written beside it as
  `plan.json` and returned parsed.
- `run_checkov(plan_path, config)`: checkov, run once as a subprocess with the project's
  configuration file, and its failed checks as `Finding`s.

checkov reads the plan's values where they are known, and the configuration's references
where they are not; a value passed in through a variable from another module's resource
is unknown at plan time and shows to it as unset.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# checkov loads every check it has before scanning (about 20 s on 2 cores).
CHECKOV_TIMEOUT_S = 600
TERRAFORM_TIMEOUT_S = 300


class CheckovError(RuntimeError):
    """checkov did not produce a report."""


@dataclass(frozen=True, order=True)
class Finding:
    """One failed check on one resource; `name` says what the check wants, for messages."""

    check: str
    resource: str
    name: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.check} on {self.resource}" + (f" ({self.name})" if self.name else "")


def plan_as_json(terraform, root: Path) -> dict:
    """The plan of `root` as `terraform show -json` prints it; also written to root/plan.json."""
    for args in (("init", "-input=false", "-no-color"),
                 ("plan", "-input=false", "-no-color", "-out=plan.tfplan")):
        terraform.run(root, *args, timeout=TERRAFORM_TIMEOUT_S)
    shown = terraform.run(root, "show", "-json", "plan.tfplan", timeout=TERRAFORM_TIMEOUT_S).stdout
    (root / "plan.json").write_text(shown)
    return json.loads(shown)


def run_checkov(plan_path: Path, config: Path) -> list[Finding]:
    """checkov's failed checks on the plan at `plan_path`, with the settings in `config`."""
    command = [sys.executable, "-m", "checkov.main", "--config-file", str(config), "--file", str(plan_path)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=CHECKOV_TIMEOUT_S)
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        report = None
    # The configuration sets soft-fail: any other exit status means checkov itself failed.
    if completed.returncode != 0 or report is None:
        raise CheckovError(
            f"`{' '.join(command)}` exited {completed.returncode} without a JSON report\n"
            f"--- stderr (last 40 lines) ---\n" + "\n".join(completed.stderr.splitlines()[-40:])
        )
    # One report per framework (a list when there are several); a clean scan has no results.
    reports = report if isinstance(report, list) else [report]
    return sorted(
        Finding(failed["check_id"], failed["resource"], failed["check_name"])
        for each in reports
        for failed in each.get("results", {}).get("failed_checks", [])
    )
