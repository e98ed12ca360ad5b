"""Pages of allocation rounds: the list, opening one, the ranked list with each component explained
and the proposal line, moves with a reason, approval after a confirmation page, cancellation and a
printable ranked list. Every list is paged; each page runs a fixed number of queries."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from satupintu import parameters
from satupintu.accounts import permissions as perm
from satupintu.budgets.models import FundingSource, Programme
from satupintu.catalogue.rules import priority
from satupintu.lib.forms import NamedEmptyChoices
from satupintu.lib.transitions import Refused

from . import actions, costs, selectors
from .models import AllocationRound, EventType, RoundEntry, RoundState

PAGE = 50
PRINT_PAGE = 500


def _can_see(user) -> bool:
    return perm.has_any(user, (perm.BUDGET_READ, perm.ROUND_OPEN, perm.ROUND_APPROVE))


def _require_seen(user) -> None:
    if not _can_see(user):
        raise Http404


class OpenForm(NamedEmptyChoices, forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Program dan sumber dana"),
        queryset=FundingSource.objects.filter(programme__service__code__in=priority.BOUNDED).select_related(
            "programme"
        ),
    )
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].label_from_instance = lambda s: f"{s.programme} · {s.name}"


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


@login_required
def round_list(request):
    _require_seen(request.user)
    queryset = selectors.rounds()
    programme = request.GET.get("program", "")
    if programme.isascii() and programme.isdigit():
        queryset = queryset.filter(programme_id=int(programme))
    page = Paginator(queryset, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocation/list.html",
        {
            "page": page,
            "programmes": Programme.objects.filter(service__code__in=priority.BOUNDED).select_related("service"),
            "programme": programme,
            "form": OpenForm() if perm.has(request.user, perm.ROUND_OPEN) else None,
        },
    )


@login_required
def round_open(request):
    if not perm.has(request.user, perm.ROUND_OPEN):
        raise Http404
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source"]
        key = form.cleaned_data["submission_key"]
        try:
            round_ = actions.open_round(
                actor=request.user, programme=source.programme, source=source, submission=str(key or "")
            )
        except Refused as error:
            form.add_error(None, str(error))
        else:
            return redirect("allocation:detail", pk=round_.pk)
    return render(request, "allocation/open.html", {"form": form})


def _round(request, pk) -> AllocationRound:
    _require_seen(request.user)
    return get_object_or_404(selectors.rounds().select_related("decided_by"), pk=pk)


def _events_seen(round_, user) -> list:
    """The round's history; a move's written reason and application number are household-level,
    so they are kept only for moves of applicants inside the user's area."""
    events = list(round_.events.select_related("actor").order_by("at", "id"))
    moved = {e.extra.get("application") for e in events if e.type == EventType.MOVED}
    seen = set(
        selectors.entries(round_, user)
        .filter(application__number__in=moved)
        .values_list("application__number", flat=True)
    )
    for event in events:
        if event.type == EventType.MOVED and event.extra.get("application") not in seen:
            event.reason = ""
    return events


@login_required
def round_detail(request, pk):
    round_ = _round(request, pk)
    page = Paginator(selectors.entries(round_, request.user), PAGE).get_page(request.GET.get("page"))
    rule = priority.by_ref(round_.rule_ref)
    cost_parameters = [
        (name, parameters.at(name, round_.ranked_on)) for name in costs.parameters_of(round_.programme.service.code)
    ]
    return render(
        request,
        "allocation/detail.html",
        {
            "round": round_,
            "page": page,
            "rule": rule,
            "cost_parameters": cost_parameters,
            "totals": selectors.proposal_totals(round_),
            "deviations": selectors.entries(round_, request.user).exclude(deviation_reason=""),
            "deviation_count": round_.entries.exclude(deviation_reason="").count(),
            "events": _events_seen(round_, request.user),
            "may_move": round_.state == RoundState.PROPOSED and perm.has(request.user, perm.ROUND_APPROVE),
            "may_approve": round_.state == RoundState.PROPOSED and perm.has(request.user, perm.ROUND_APPROVE),
            "may_cancel": round_.state in (RoundState.OPEN, RoundState.PROPOSED)
            and perm.has(request.user, perm.ROUND_OPEN),
            "reason_form": ReasonForm(),
        },
    )


@login_required
def round_print(request, pk):
    round_ = _round(request, pk)
    page = Paginator(selectors.entries(round_, request.user), PRINT_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "allocation/print.html", {"round": round_, "page": page, "rule": priority.by_ref(round_.rule_ref)}
    )


@login_required
@require_POST
def entry_move(request, pk, entry_pk):
    round_ = _round(request, pk)
    if not perm.has(request.user, perm.ROUND_APPROVE):
        raise Http404
    entry = get_object_or_404(RoundEntry.objects.filter(round=round_), pk=entry_pk)
    try:
        actions.move_entry(
            actor=request.user,
            entry=entry,
            proposed=request.POST.get("proposed") == "1",
            reason=request.POST.get("reason", ""),
        )
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Peserta peringkat %(rank)s dipindahkan.") % {"rank": entry.rank})
    return redirect(f"{round_.get_absolute_url()}?page={request.POST.get('page', 1)}#e{entry.pk}")


@login_required
def round_approve(request, pk):
    round_ = _round(request, pk)
    if not perm.has(request.user, perm.ROUND_APPROVE):
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.approve_round(actor=request.user, round_=round_, reason=form.cleaned_data["reason"])
        except Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Putaran %(number)s disetujui.") % {"number": round_.number})
            return redirect(round_.get_absolute_url())
    return render(
        request,
        "allocation/approve.html",
        {"round": round_, "form": form, "totals": selectors.proposal_totals(round_)},
        status=409 if form.errors and request.method == "POST" else 200,
    )


@login_required
@require_POST
def round_cancel(request, pk):
    round_ = _round(request, pk)
    if not perm.has(request.user, perm.ROUND_OPEN):
        raise Http404
    try:
        actions.cancel_round(actor=request.user, round_=round_, reason=request.POST.get("reason", ""))
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Putaran %(number)s dibatalkan.") % {"number": round_.number})
    return redirect(round_.get_absolute_url())
