"""The modules' container definitions, built as data, are today's committed text byte for byte."""

from __future__ import annotations

import json

import pytest

from metaflow_cdktf.modules.metadata_service import build as metadata_service
from metaflow_cdktf.modules.ui import build as ui
from metaflow_cdktf.synthesis.container_definitions import as_json_template, as_jsonencode
from project import module_file


def committed_container_definitions(module: str, task: str) -> str:
    document = json.loads(module_file(module).read_text())
    return document["resource"]["aws_ecs_task_definition"][task]["container_definitions"]


def test_the_metadata_services_definitions_are_todays_json_text():
    assert as_json_template([metadata_service.CONTAINER]) == committed_container_definitions("metadata-service", "this")


@pytest.mark.parametrize(("task", "container"), [("ui_backend", ui.BACKEND_CONTAINER),
                                                  ("ui_static", ui.STATIC_CONTAINER)], ids=["backend", "static"])
def test_the_uis_definitions_are_todays_jsonencode_expressions(task, container):
    assert "${" + as_jsonencode([container]) + "}" == committed_container_definitions("ui", task)
