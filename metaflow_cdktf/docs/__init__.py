"""The generated sections of each module's README: the terraform-docs tables and, above them,
a usage block, both from its main.tf.json.

Each module README carries, between `<!-- BEGIN_TF_DOCS -->` and
`<!-- END_TF_DOCS -->`, exactly the text terraform-docs (v0.19, `markdown table`
formatter, default settings, inject mode) writes for the same module. Upstream's
READMEs are maintained with terraform-docs, so matching it byte for byte keeps ours
diff-free against theirs and lets either tool regenerate the section without churn.

The stages are terraform-docs' own, one file each, ported from its source (v0.19.0):

    model.py           read a Terraform JSON module (terraform/load.go, terraform-config-inspect)
    markdown_table.py  format the model as the markdown table (format/, template/anchor.go)
    values.py          print default values as Go's encoding/json does (internal/types)
    sanitize.py        escape table cells, clean up the section (template/sanitizer.go)
    urls.py            find URLs as mvdan.cc/xurls does (its tables in xurls.json)
    inject.py          write the section into a README (internal/cli/writer.go)

The usage block, between `<!-- BEGIN_USAGE -->` and `<!-- END_USAGE -->` above the
terraform-docs section, is one more format stage (terraform-docs has none; the layout is
terraform-aws-modules' "Usage"): a `module` call with every required input and an example
value, as `terraform fmt` writes it.

    usage.py           format the model's required inputs as a module call (templates/usage.md.j2)
    hcl.py             write values and align attributes as terraform fmt does (hclwrite)

inject.py writes it where a README has its markers, so a README kept as upstream's has none.

This reads the synthesized JSON with plain `json` + jinja2: no cdktf, jsii or
provider bindings, so checking all READMEs costs milliseconds.
"""

from metaflow_cdktf.docs.errors import DocsError
from metaflow_cdktf.docs.inject import (
    BEGIN_MARKER,
    BEGIN_USAGE_MARKER,
    END_MARKER,
    END_USAGE_MARKER,
    DocsTarget,
    sync_docs,
    update_readme,
)
from metaflow_cdktf.docs.markdown_table import render_tf_docs
from metaflow_cdktf.docs.usage import ModuleAddress, module_address, render_usage

__all__ = [
    "BEGIN_MARKER", "BEGIN_USAGE_MARKER", "END_MARKER", "END_USAGE_MARKER", "DocsError", "DocsTarget",
    "ModuleAddress", "module_address", "render_tf_docs", "render_usage", "sync_docs", "update_readme",
]
