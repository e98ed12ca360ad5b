"""The one transition engine: every workflow (applications, complaints, import batches) declares
its steps as a table of `Transition`s and moves its rows through a `Machine`.

A transition says where it may start (`sources`), where it ends (`target`), which capability of
the permission map it needs (None: a step of the system itself), whether a written reason is
required, a guard that returns the reason it refuses (or None), its effect and the event it
appends. Refusals are `Refused` exceptions whose message is the user-facing Indonesian reason.
Django-free: the workflows pass in how to read a row's state, how to ask the permission map and
their own refusal texts, so this module knows neither models nor gettext.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


class Refused(Exception):
    """A refused step; the message is the Indonesian reason shown to the user."""


def no_guard(obj, actor, data) -> str | None:
    return None


def no_effect(actor, obj, data) -> dict | None:
    return None


@dataclass(frozen=True)
class Transition:
    """One step. `guard(obj, actor, data)` returns a refusal reason or None; `effect(actor, obj,
    data)` changes the row before the new state is saved and returns the event's extra data."""

    name: str
    label: str
    sources: frozenset
    target: str
    capability: str | None = None
    event: Any = None
    guard: Callable = no_guard
    needs_reason: bool = False
    effect: Callable = no_effect


@dataclass(frozen=True)
class Texts:
    """A workflow's refusal messages (already translated when called)."""

    wrong_state: Callable  # (obj) -> str
    not_allowed: Callable  # (transition) -> str
    reason_missing: Callable | None = None  # (transition) -> str; needed when a step needs a reason


class Machine:
    """A workflow's table: `check()` says why a step is refused, `allowed()` what an actor may try.

    `state(obj)` reads a row's state, `may(actor, capability)` asks the permission map, and
    `gate(obj, actor)` (optional) is a refusal that holds for every step of the workflow, checked
    after the state and before the rest (e.g. a complaint about the actor themselves).
    """

    def __init__(
        self,
        transitions: Iterable[Transition],
        *,
        state: Callable,
        may: Callable,
        texts: Texts,
        gate: Callable | None = None,
    ):
        self.transitions = {t.name: t for t in transitions}
        if texts.reason_missing is None and any(t.needs_reason for t in self):
            raise ValueError("a step needs a reason: give Texts.reason_missing")
        self._state, self._may, self._texts, self._gate = state, may, texts, gate

    def __iter__(self):
        return iter(self.transitions.values())

    def permits(self, transition: Transition, actor) -> bool:
        return transition.capability is None or self._may(actor, transition.capability)

    def allowed(self, actor, state: str) -> list[Transition]:
        """The steps `actor` may try from `state` (guards are checked when one is taken)."""
        return [t for t in self if state in t.sources and self.permits(t, actor)]

    def check(self, transition: Transition, obj, actor, data: dict | None = None) -> str | None:
        """Why `actor` may not take `transition` on `obj` now, or None when it may."""
        data = data or {}
        if self._state(obj) not in transition.sources:
            return self._texts.wrong_state(obj)
        refusal = self._gate(obj, actor) if self._gate else None
        if refusal:
            return refusal
        if not self.permits(transition, actor):
            return self._texts.not_allowed(transition)
        if transition.needs_reason and not (data.get("reason") or "").strip():
            return self._texts.reason_missing(transition)
        return transition.guard(obj, actor, data)

    def require(self, transition: Transition, obj, actor, data: dict | None = None) -> None:
        """`check()`, raising `Refused` with the reason."""
        refusal = self.check(transition, obj, actor, data)
        if refusal:
            raise Refused(refusal)

    def as_mermaid(
        self, *, starts: Iterable[tuple[str, str]], ends: Iterable[str], leave_out=frozenset(), target=None
    ) -> str:
        """A state diagram: `starts` as (state, label) from [*], every transition from each of its
        sources (except those whose sources are `leave_out`, e.g. a step possible from every open
        state), and `ends` to [*]. `target(transition, source)` gives where a step leads from a
        source, for workflows whose steps may leave some states as they are."""
        target = target or (lambda t, source: t.target)
        lines = ["stateDiagram-v2", *(f"    [*] --> {state}: {label}" for state, label in starts)]
        for t in self:
            if t.sources == leave_out:
                continue
            lines += [f"    {source} --> {target(t, source)}: {t.name}" for source in sorted(t.sources)]
        lines += [f"    {state} --> [*]" for state in ends]
        return "\n".join(lines) + "\n"

    def as_markdown(self, *, who: Callable, states: Iterable[str], target=None) -> str:
        """The table as Markdown: per step its sources, target, who may take it (`who(capability)`
        names the holders of the step's capability; without one, its guard decides or, without a
        guard, it is a step of the system), event, guard and whether a reason is required. `states`
        gives the order in which sources are listed; `target` is as in `as_mermaid`."""
        order = list(states)
        target = target or (lambda t, source: t.target)
        lines = ["| step | from | to | who | event | guard | reason |", "|---|---|---|---|---|---|---|"]
        for t in self:
            sources = ", ".join(f"`{s}`" for s in order if s in t.sources)
            holders = who(t.capability) if t.capability else "system" if t.guard is no_guard else "the guard decides"
            event = "—" if t.event is None else int(t.event)
            guard = "—" if t.guard is no_guard else f"`{t.guard.__name__}`"
            reason = "required" if t.needs_reason else "—"
            kept = [f"`{s}`" for s in order if s in t.sources and s != t.target and target(t, s) == s]
            to = f"`{t.target}`" + (f" ({', '.join(kept)} unchanged)" if kept else "")
            lines.append(f"| `{t.name}` | {sources} | {to} | {holders} | {event} | {guard} | {reason} |")
        return "\n".join(lines) + "\n"
