"""Every workflow moves its rows through the one engine of lib/transitions.py."""

import ast
from pathlib import Path

import pytest

from satupintu.cases import actions as case_actions
from satupintu.cases import workflow as case_workflow
from satupintu.complaints import actions as complaint_actions
from satupintu.documents.actions import DocumentError
from satupintu.imports import workflow as import_workflow
from satupintu.imports.reader import FileRefused
from satupintu.lib.transitions import Machine, Refused

ROOT = Path(__file__).resolve().parents[1] / "satupintu"


@pytest.mark.parametrize("machine", [case_workflow.MACHINE, complaint_actions.MACHINE, import_workflow.MACHINE])
def test_each_workflow_is_a_table_of_the_engine(machine):
    assert isinstance(machine, Machine)


@pytest.mark.parametrize(
    "refusal",
    [case_actions.TransitionRefused, complaint_actions.StepRefused, import_workflow.TransitionRefused, DocumentError,
     FileRefused],
)  # fmt: skip
def test_every_refusal_is_a_refused(refusal):
    assert issubclass(refusal, Refused)


def test_no_other_module_declares_transitions_of_its_own():
    """A class with `sources` is a transition declaration: only the engine has one (workflows subclass it)."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(item, ast.AnnAssign) and getattr(item.target, "id", "") == "sources" for item in node.body
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert found == ["lib/transitions.py:Transition"]
