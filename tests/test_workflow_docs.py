"""The state tables in the docs are generated from the workflows' transition tables."""

from pathlib import Path

import pytest

from satupintu.cases import workflow as cases
from satupintu.complaints import actions as complaints
from satupintu.imports import workflow as imports

DOCS = Path(__file__).resolve().parents[1] / "docs"


def block(doc: str, marker: str) -> str:
    text = (DOCS / doc).read_text(encoding="utf-8")
    return text.split(f"<!-- {marker}:start", 1)[1].split("-->", 1)[1].split(f"<!-- {marker}:end -->", 1)[0]


@pytest.mark.parametrize(
    ("doc", "marker", "workflow"),
    [
        ("core.md", "workflow", cases),
        ("justice.md", "complaint-steps", complaints),
        ("imports.md", "import-states", imports),
    ],
)
def test_each_documented_state_table_and_diagram_is_generated_from_its_workflow(doc, marker, workflow):
    expected = "\n" + workflow.as_markdown() + "\n```mermaid\n" + workflow.as_mermaid() + "```\n"
    assert block(doc, marker) == expected, f"docs/{doc} between the {marker} markers should read:\n{expected}"
