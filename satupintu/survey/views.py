from django.http import Http404
from django.shortcuts import render

from .actions import AlreadyAnswered, response_submit
from .forms import SurveyForm
from .models import Invitation, Response


def answer(request, token):
    """The survey behind the invitation's unguessable token; one response per application."""
    invitation = Invitation.objects.select_related("application__service").filter(token=token).first()
    if invitation is None:
        raise Http404
    if Response.objects.filter(invitation=invitation).exists():
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
