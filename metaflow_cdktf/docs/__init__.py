"""The terraform-docs section of each module's README, generated from its main.tf.json.

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

This reads the synthesized JSON with plain `json` + jinja2: no cdktf, jsii or
provider bindings, so checking all READMEs costs milliseconds.
"""

from metaflow_cdktf.docs.errors import DocsError
from metaflow_cdktf.docs.inject import BEGIN_MARKER, END_MARKER, DocsTarget, sync_docs, update_readme
from metaflow_cdktf.docs.markdown_table import render_tf_docs

__all__ = ["BEGIN_MARKER", "END_MARKER", "DocsError", "DocsTarget", "render_tf_docs", "sync_docs", "update_readme"]
