"""The round pages: list, opening, the ranked list with each component explained and the proposal
line, moves with a reason, approval after a confirmation page, the printable list; each page runs a
fixed number of queries however long the list."""

import pytest
from django.urls import reverse

from satupintu.allocation import actions
from satupintu.allocation.models import AllocationRound, RoundState

from .conftest import waiting

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(kasi, rtlh, three_waiting):
    programme, source = rtlh
    return actions.open_round(actor=kasi, programme=programme, source=source)


def test_opening_a_round_from_the_list_page_shows_its_ranked_list(client, kasi, rtlh, three_waiting):
    client.force_login(kasi)
    page = client.get(reverse("allocation:list"))
    assert "Buka putaran baru" in page.content.decode()
    _programme, source = rtlh
    data = {"source": source.pk, "submission_key": "6f1c1f9e-31a4-4a49-8f0a-1b1f5d1b2c3d"}
    response = client.post(reverse("allocation:open"), data)
    assert client.post(reverse("allocation:open"), data).url == response.url  # a retry finds the same round
    assert AllocationRound.objects.count() == 1
    detail = client.get(response.url).content.decode()
    assert "Garis usulan" in detail
    assert "Tingkat kemiskinan" in detail and "DTSEN desil 1" in detail
    assert "lebih dahulu diterima" in detail and "asumsi" in detail


def test_the_ranked_list_runs_the_same_queries_for_three_or_thirty_applicants(
    client, kepala, petugas, round_, django_assert_max_num_queries
):
    client.force_login(kepala)
    url = round_.get_absolute_url()
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for _ in range(27):
        waiting(petugas, desil=4)
    programme, source = round_.programme, round_.source
    bigger = actions.open_round(actor=kepala, programme=programme, source=source)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(bigger.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("allocation:print", args=[bigger.pk])).status_code == 200


def test_a_move_without_a_reason_is_refused_on_the_page_and_with_one_is_shown(client, kepala, round_):
    client.force_login(kepala)
    third = round_.entries.get(rank=3)
    url = reverse("allocation:move", args=[round_.pk, third.pk])
    refused = client.post(url, {"proposed": "1", "reason": ""}, follow=True).content.decode()
    assert "memerlukan alasan" in refused
    third.refresh_from_db()
    assert not third.proposed
    shown = client.post(url, {"proposed": "1", "reason": "Rumah roboh"}, follow=True).content.decode()
    assert "Penyimpangan dari urutan peringkat" in shown and "Rumah roboh" in shown


def test_approving_goes_through_a_confirmation_page_and_shows_over_ceiling_refusals(client, kepala, round_):
    client.force_login(kepala)
    url = reverse("allocation:approve", args=[round_.pk])
    assert "Ya, setujui" in client.get(url).content.decode()
    actions.move_entry(actor=kepala, entry=round_.entries.get(rank=3), proposed=True, reason="Darurat")
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 409 and "Melebihi" in refused.content.decode()
    actions.move_entry(actor=kepala, entry=round_.entries.get(rank=3), proposed=False)
    assert client.post(url, {"reason": "Sesuai pagu"}).status_code == 302
    round_.refresh_from_db()
    assert round_.state == RoundState.APPROVED


def test_roles_without_the_capabilities_do_not_reach_the_pages(client, operator_keden, kasi, round_):
    client.force_login(operator_keden)
    assert client.get(reverse("allocation:list")).status_code == 404
    assert client.get(round_.get_absolute_url()).status_code == 404
    client.force_login(kasi)
    assert client.get(reverse("allocation:approve", args=[round_.pk])).status_code == 404


def test_the_ranked_list_is_scoped_to_the_users_area(petugas, operator_keden, operator_trobayan, round_):
    from satupintu.allocation import selectors

    assert selectors.entries(round_, petugas).count() == 3
    assert selectors.entries(round_, operator_keden).count() == 2
    assert selectors.entries(round_, operator_trobayan).count() == 1


def test_deviation_reasons_on_the_round_page_are_shown_only_inside_the_users_area(
    client, kepala, auditor, regions, round_
):
    from satupintu.accounts.models import Role
    from tests.conftest import TROBAYAN, make_user

    moved = round_.entries.get(rank=3)
    assert moved.application.desa_id != TROBAYAN
    actions.move_entry(actor=kepala, entry=moved, proposed=True, reason="Rumah roboh diterjang angin")
    client.force_login(kepala)
    assert "Rumah roboh diterjang angin" in client.get(round_.get_absolute_url()).content.decode()
    client.force_login(auditor)
    audited = client.get(round_.get_absolute_url()).content.decode()
    assert "Rumah roboh diterjang angin" not in audited and moved.application.number not in audited
    assert "1 permohonan dipindahkan" in audited  # the aggregate only
    client.force_login(make_user("petugas.trobayan", Role.PETUGAS_LAYANAN, TROBAYAN))
    elsewhere = client.get(round_.get_absolute_url()).content.decode()
    assert "Rumah roboh diterjang angin" not in elsewhere and moved.application.number not in elsewhere


def test_a_non_ascii_digit_in_the_programme_filter_is_ignored(client, kasi, round_):
    client.force_login(kasi)
    assert client.get(reverse("allocation:list"), {"program": "²"}).status_code == 200
