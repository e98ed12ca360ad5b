"""The transition engine on a toy workflow (a door), without Django."""

from types import SimpleNamespace

import pytest

from satupintu.lib.transitions import Machine, Refused, Texts, Transition

TEXTS = Texts(
    wrong_state=lambda door: f"pintu {door.state}",
    not_allowed=lambda step: f"tidak berwenang: {step.name}",
    reason_missing=lambda step: "alasan wajib",
)


def _lock(door, actor, data):
    return None if data.get("key") else "kunci mana?"


def _opened(actor, door, data):
    door.opened_by = actor.name
    return {"by": actor.name}


DOOR = Machine(
    [
        Transition("open", "Buka", frozenset({"closed"}), "open", effect=_opened),
        Transition("close", "Tutup", frozenset({"open"}), "closed"),
        Transition("lock", "Kunci", frozenset({"closed"}), "locked", "door.lock", guard=_lock, needs_reason=True),
    ],
    state=lambda door: door.state,
    may=lambda actor, capability: capability in actor.capabilities,
    texts=TEXTS,
)
GUARD = SimpleNamespace(name="satpam", capabilities={"door.lock"})
GUEST = SimpleNamespace(name="tamu", capabilities=set())


def door(state):
    return SimpleNamespace(state=state)


def test_it_lists_the_steps_an_actor_may_try_from_a_state():
    assert [t.name for t in DOOR.allowed(GUARD, "closed")] == ["open", "lock"]
    assert [t.name for t in DOOR.allowed(GUEST, "closed")] == ["open"]


def test_it_checks_state_then_capability_then_reason_then_guard():
    lock = DOOR.transitions["lock"]
    assert DOOR.check(lock, door("open"), GUARD, {}) == "pintu open"
    assert DOOR.check(lock, door("closed"), GUEST, {}) == "tidak berwenang: lock"
    assert DOOR.check(lock, door("closed"), GUARD, {"reason": "  "}) == "alasan wajib"
    assert DOOR.check(lock, door("closed"), GUARD, {"reason": "malam"}) == "kunci mana?"
    assert DOOR.check(lock, door("closed"), GUARD, {"reason": "malam", "key": 1}) is None


def test_a_workflow_gate_is_checked_after_the_state_and_before_the_rest():
    gated = Machine(DOOR, state=lambda d: d.state, may=lambda a, c: False, texts=TEXTS, gate=lambda d, a: "bukan Anda")
    assert gated.check(gated.transitions["open"], door("open"), GUEST) == "pintu open"
    assert gated.check(gated.transitions["open"], door("closed"), GUEST) == "bukan Anda"


def test_require_raises_refused_with_the_reason():
    with pytest.raises(Refused, match="pintu locked"):
        DOOR.require(DOOR.transitions["open"], door("locked"), GUEST)


def test_the_effect_returns_the_events_extra_data():
    d = door("closed")
    assert DOOR.transitions["open"].effect(GUEST, d, {}) == {"by": "tamu"}
    assert d.opened_by == "tamu"


def test_a_table_with_a_reason_but_no_reason_text_is_refused_when_declared():
    with pytest.raises(ValueError):
        Machine(DOOR, state=lambda d: d.state, may=lambda a, c: True, texts=Texts(str, str))


def test_it_draws_the_state_diagram_from_the_table():
    assert DOOR.as_mermaid(starts=[("closed", "dipasang")], ends=["locked"]) == (
        "stateDiagram-v2\n"
        "    [*] --> closed: dipasang\n"
        "    closed --> open: open\n"
        "    open --> closed: close\n"
        "    closed --> locked: lock\n"
        "    locked --> [*]\n"
    )
