"""The case page's parts written in Python (cases_tags.case_stepper, case_timeline) give the HTML the
template language gave for them, in both languages."""

import pytest
from django.template import Context, Template
from django.utils import translation

from satupintu.cases.models import Event, EventType
from satupintu.cases.status import Status
from satupintu.cases.templatetags.cases_tags import case_stepper, case_timeline
from tests.conftest import KEDEN, apply_for, household_in

pytestmark = pytest.mark.django_db

STEPPER = Template(
    """{% load i18n cases_tags %}<ol class="stepper" aria-label="{% translate 'Tahapan permohonan' %}">"""
    """{% for number, label, state in application|case_steps %}
  <li class="step-{{ state }}"{% if state == "current" %} aria-current="step"{% endif %}>"""
    """<span class="step-number">{{ number }}</span> {{ label }}{% if state == "done" %}"""
    """<span class="visually-hidden"> ({% translate "selesai" context "langkah yang sudah dilalui" %})</span>"""
    """{% endif %}</li>{% endfor %}
</ol>"""
)
TIMELINE = Template(
    """{% load i18n cases_tags %}<ol class="timeline" id="timeline">
  {% for e in events %}
  <li class="ev-{{ e.type }}"><time>{{ e.at|date:"d/m/Y H:i" }}</time> <strong>{{ e.get_type_display }}</strong>
    {% if e.from_status and e.from_status != e.to_status %}<span class="muted">({% blocktranslate with """
    """old=e.from_status|status_label new=e.to_status|status_label %}dari “{{ old }}” ke “{{ new }}”"""
    """{% endblocktranslate %})</span>{% endif %}
    · {% if e.actor %}{{ e.actor.get_full_name|default:e.actor.username }}{% else %}{% translate "sistem" %}{% endif %}
    {% if e.extra.document %}· <a href="{% url 'documents:detail' e.extra.document %}">"""
    """{{ e.extra.document_number }}</a>{% endif %}
    {% if e.reason %}<div class="reason">{{ e.reason }}</div>{% endif %}</li>
  {% endfor %}
</ol>"""
)


class Case:
    def __init__(self, status):
        self.status = status


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_stepper_is_the_template_s_for_every_status(language):
    with translation.override(language):
        for status in Status.values:
            application = Case(status)
            assert case_stepper(application) == STEPPER.render(Context({"application": application}))


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_history_is_the_template_s_for_every_kind_of_event(language, petugas, kepala, regions):
    application = apply_for(petugas, household_in(KEDEN, "Warga"))[0]
    kepala.first_name = kepala.last_name = ""
    kepala.save()
    Event.objects.create(application=application, actor=None, type=EventType.OVERDUE, reason="Lewat <b>batas</b> & c")
    Event.objects.create(
        application=application, actor=kepala, type=EventType.DOCUMENTS_COMPLETE, from_status="received",
        to_status="data_check",
    )  # fmt: skip
    Event.objects.create(
        application=application, actor=petugas, type=EventType.ISSUED, from_status="approved", to_status="approved",
        extra={"document": 42, "document_number": "474/0001/<UPT>"},
    )  # fmt: skip
    events = list(Event.objects.filter(application=application).select_related("actor").order_by("at", "id"))
    assert len(events) >= 4
    with translation.override(language):
        assert case_timeline(events) == TIMELINE.render(Context({"events": events}))
        assert case_timeline([]) == TIMELINE.render(Context({"events": []}))


def test_a_step_passed_reads_done_in_english_not_the_end_of_a_period():
    with translation.override("en"):
        assert "(done)" in case_stepper(Case(Status.ISSUED))
    with translation.override("id"):
        assert "(selesai)" in case_stepper(Case(Status.ISSUED))
