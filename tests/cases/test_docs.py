from pathlib import Path

from satupintu.cases.workflow import as_markdown, as_mermaid

DOC = Path(__file__).resolve().parents[2] / "docs" / "core.md"


def test_the_documented_states_and_transitions_are_the_table():
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- workflow:start", 1)[1].split("-->", 1)[1].split("<!-- workflow:end -->", 1)[0]
    assert block == "\n" + as_markdown() + "\n```mermaid\n" + as_mermaid() + "```\n"
