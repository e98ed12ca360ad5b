from pathlib import Path

from satupintu.emergency.actions import as_markdown, as_mermaid

DOC = Path(__file__).resolve().parents[2] / "docs" / "emergency.md"


def test_the_documented_call_steps_are_generated_from_the_table():
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- call-steps:start", 1)[1].split("-->", 1)[1].split("<!-- call-steps:end -->", 1)[0]
    assert block == "\n" + as_markdown() + "\n```mermaid\n" + as_mermaid() + "```\n"
