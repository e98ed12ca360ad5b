from django.http import Http404
from django.shortcuts import redirect, render

from satupintu.accounts.pins import attempt_allowed, pin_matches

from . import selectors
from .actions import AlreadyAnswered, response_submit
from .forms import EntryForm, SurveyForm


def answer(request, token):
    """The survey behind the invitation's unguessable token; one response per application."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    if selectors.answered(invitation):
        return render(request, "survey/done.html", {"already": True})
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response_submit(
                invitation=invitation, answers=form.cleaned_data, suggestion=form.cleaned_data["suggestion"]
            )
        except AlreadyAnswered:
            return render(request, "survey/done.html", {"already": True})
        return render(request, "survey/done.html", {"already": False})
    return render(request, "survey/answer.html", {"form": form, "service": invitation.application.service})


def entry(request):
    """From the receipt (number + PIN) to the survey, once the case is complete."""
    form = EntryForm(request.POST or None)
    state = ""
    if request.method == "POST":
        if form.is_valid():
            if not attempt_allowed(request, form.cleaned_data["number"]):
                return render(request, "survey/entry.html", {"form": form, "state": "throttled"}, status=429)
            application = selectors.application_by_receipt(form.cleaned_data["number"])
            valid = pin_matches(form.cleaned_data["pin"], application.pin_hash if application else None)
            if not (application and valid):
                state = "failed"
            elif not hasattr(application, "survey_invitation"):
                state = "not_yet"
            else:
                return redirect("survey:answer", token=application.survey_invitation.token)
    return render(request, "survey/entry.html", {"form": form, "state": state})
