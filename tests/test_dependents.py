"""Which modules a save can change (`watch` synthesizes only those), read off the import statements
of the package as it is: no jsii, no code of the modules runs."""

from __future__ import annotations

import pytest

from metaflow_cdktf.dependents import ImportGraph, changed_modules
from metaflow_cdktf.modules import SPECS, build_file
from metaflow_cdktf.paths import LAMBDA_SRC, PACKAGE_DIR
from project import write_package

MODULES = PACKAGE_DIR / "modules"
BUILD_FILES = {spec.name: build_file(spec) for spec in SPECS}
EVERY_MODULE = set(BUILD_FILES)


def test_every_module_has_its_build_file():
    assert all(path.is_file() for path in BUILD_FILES.values())


@pytest.mark.parametrize(("saved", "changed"), [
    # a spec: its module, and the root module, which imports every submodule's spec
    ("modules/step_functions/spec.py", {"step-functions", "metaflow"}),
    ("modules/datastore/spec.py", {"datastore", "metaflow"}),
    # common's spec names the default images that metadata-service and ui use too
    ("modules/common/spec.py", {"common", "metadata-service", "ui", "metaflow"}),
    # a build: its module only (the root module reads the other modules' specs, not their builds)
    ("modules/ui/build.py", {"ui"}),
    ("modules/user_role/build.py", {"user-role"}),
    # what builds share: each module whose build imports it, directly or not
    ("synthesis/aws.py", EVERY_MODULE - {"common"}),
    ("modules/shared.py", EVERY_MODULE),
    ("interface.py", EVERY_MODULE),
])
def test_a_save_changes_the_modules_whose_build_imports_it(saved, changed):
    assert changed_modules(BUILD_FILES, [PACKAGE_DIR / saved]) == changed


@pytest.mark.parametrize("saved", [
    PACKAGE_DIR / "synthesis" / "synthesizer.py",  # synthesis itself: no build imports it
    PACKAGE_DIR / "synthesis" / "postprocess.py",
    LAMBDA_SRC / "db_migrate" / "index.py",  # read as data by metadata-service's build
    MODULES / "__init__.py",  # the list of modules
    MODULES / "new_helper.py",  # a file no build imports yet
    MODULES / "ui" / "deleted.py",  # a file that is no longer there
])
def test_a_save_synthesis_reads_but_no_build_imports_changes_every_module(saved):
    assert changed_modules(BUILD_FILES, [saved]) == EVERY_MODULE


def test_a_save_synthesis_does_not_read_changes_no_module():
    saved = [PACKAGE_DIR / "docs" / "templates" / "tf_docs.md.j2", PACKAGE_DIR / "docs" / "inject.py"]
    assert changed_modules(BUILD_FILES, saved) == set()


def test_several_saves_change_what_each_changes():
    saved = [MODULES / "ui" / "build.py", MODULES / "datastore" / "spec.py"]
    assert changed_modules(BUILD_FILES, saved) == {"ui", "datastore", "metaflow"}


def test_the_graph_follows_every_form_of_import(tmp_path):
    package = write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "",
        "pkg/sub/main.py": (
            "import os\n"
            "import pkg.plain\n"
            "from pkg.sub.sibling import VALUE\n"
            "from . import relative\n"
            "from ..parent import thing\n"
            "from pkg import named_module\n"
            "def later():\n"
            "    if True:\n"
            "        from pkg import deferred\n"
        ),
        "pkg/plain.py": "from pkg.transitive import X\n",
        "pkg/sub/sibling.py": "",
        "pkg/sub/relative.py": "",
        "pkg/parent.py": "",
        "pkg/named_module.py": "",
        "pkg/deferred.py": "",
        "pkg/transitive.py": "",
        "pkg/unused.py": "",
    })

    closure = ImportGraph(package).closure(package / "sub" / "main.py")

    assert {str(path.relative_to(package)) for path in closure} == {
        "sub/main.py", "plain.py", "transitive.py", "sub/sibling.py", "sub/relative.py", "parent.py",
        "named_module.py", "deferred.py",
        "__init__.py", "sub/__init__.py",  # `from pkg import x` and `from . import x` read the package
    }


def test_a_name_imported_from_a_module_is_not_taken_for_a_module(tmp_path):
    package = write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/main.py": "from pkg.values import helper\n",
        "pkg/values.py": "helper = 1\n",
        "pkg/values/helper.py": "",  # would be pkg.values.helper only if pkg.values were a package
    })
    assert ImportGraph(package).imports(package / "main.py") == {package / "values.py"}
