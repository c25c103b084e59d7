"""A module is registered by its spec's place in `SPECS`: its package, its build file, its construct
and the package's public names all follow from the list, without jsii."""

from __future__ import annotations

import ast
import importlib

import pytest

import metaflow_cdktf
from metaflow_cdktf.construct_codegen import TARGET
from metaflow_cdktf.dependents import ImportGraph
from metaflow_cdktf.interface import ModuleSpec
from metaflow_cdktf.modules import SPECS, MissingBuild, build_file, build_module, import_build, package_name
from metaflow_cdktf.paths import PACKAGE_DIR


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_each_spec_is_the_spec_of_the_package_named_after_it(spec):
    assert importlib.import_module(f"metaflow_cdktf.modules.{package_name(spec)}.spec").SPEC is spec
    assert build_file(spec) == PACKAGE_DIR / "modules" / package_name(spec) / "build.py"
    assert build_file(spec).is_file()
    assert build_module(spec) == f"metaflow_cdktf.modules.{package_name(spec)}.build"


def test_specs_are_in_dependency_order():
    """Each module after every module whose spec its own spec or build imports (the modules it calls
    and those whose variables or outputs it reuses), as docs/adding-a-module.md says."""
    graph = ImportGraph(PACKAGE_DIR)
    position = {PACKAGE_DIR / "modules" / package_name(spec) / "spec.py": index for index, spec in enumerate(SPECS)}
    for index, spec in enumerate(SPECS):
        used = graph.closure(build_file(spec)) | graph.closure(build_file(spec).with_name("spec.py"))
        later = [SPECS[position[file]].name for file in used if position.get(file, -1) > index]
        assert not later, f"module {spec.name} uses {later}, listed after it in SPECS"


def _names_assigned_to_all(tree: ast.Module) -> list[str]:
    (assignment,) = [node for node in tree.body if isinstance(node, ast.Assign)
                     and any(isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets)]
    return ast.literal_eval(assignment.value)


def test_the_public_names_are_the_constructs_generated_from_the_specs():
    generated = ast.parse(TARGET.read_text())
    classes = [node.name for node in generated.body if isinstance(node, ast.ClassDef)]
    expected = [spec.class_name() for spec in SPECS]

    assert metaflow_cdktf.__all__ == expected
    assert _names_assigned_to_all(generated) == expected == classes


def test_a_public_name_is_a_construct_and_another_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'Datastor'"):
        metaflow_cdktf.Datastor  # noqa: B018


def test_a_module_without_a_build_file_is_named():
    spec = ModuleSpec("no-such-module", "No", "None.", (), (), {}, None)
    with pytest.raises(MissingBuild, match=r"module no-such-module: its build file .*/modules/no_such_module/build\.py "
                                           r"is missing"):
        import_build(spec)


def test_a_build_file_that_builds_another_spec_is_named(tmp_path, monkeypatch):
    # a build file decorating another module's spec: its own stays without a build function
    (tmp_path / "stray_build.py").write_text("from metaflow_cdktf.interface import ModuleSpec\n"
                                             "OTHER = ModuleSpec('other', 'O', 'O.', (), (), {}, None)\n"
                                             "@OTHER.builds\ndef build(scope):\n    return {}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("metaflow_cdktf.modules.build_file", lambda spec: tmp_path / "stray_build.py")
    monkeypatch.setattr("metaflow_cdktf.modules.build_module", lambda spec: "stray_build")
    spec = ModuleSpec("lonely", "Lonely", "Alone.", (), (), {}, None)
    with pytest.raises(MissingBuild, match=r"module lonely: .*stray_build\.py attaches no build function"):
        import_build(spec)
