import datetime as dt

import pytest

from satupintu.lib.workdays import Calendar, fiscal_year_end

D = dt.date
calendar = Calendar()


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        (D(2026, 11, 23), 3, D(2026, 11, 26)),  # Mon → Thu: the receipt day does not count
        (D(2026, 11, 27), 1, D(2026, 11, 30)),  # Fri → Mon: the weekend does not count
        (D(2026, 12, 22), 7, D(2027, 1, 6)),  # cuti 24 Dec, Christmas 25 Dec, New Year 1 Jan, Isra Mi'raj 5 Jan
        (D(2026, 12, 22), 3, D(2026, 12, 29)),
        (D(2027, 3, 5), 7, D(2027, 3, 24)),  # Nyepi 8, cuti 9, Idul Fitri 10–11, cuti 12 and 15 March
        (D(2027, 3, 16), 7, D(2027, 3, 29)),  # cuti bersama for Good Friday on 25, Good Friday 26
        (D(2027, 5, 14), 3, D(2027, 5, 25)),  # Idul Adha 17, cuti 18–19, Waisak 20
    ],
)
def test_due_date_is_nth_working_day_after_receipt(received, n, due):
    assert calendar.add_working_days(received, n) == due


def test_it_can_count_cuti_bersama_as_working_days():
    relaxed = Calendar(cuti_bersama_working=True)
    assert not calendar.is_working_day(D(2026, 12, 24))
    assert relaxed.is_working_day(D(2026, 12, 24))
    assert not relaxed.is_working_day(D(2026, 12, 25))
    assert relaxed.add_working_days(D(2026, 12, 22), 7) == D(2027, 1, 4)


def test_local_non_working_days_are_skipped():
    local = Calendar([D(2026, 11, 24)])
    assert local.add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 25)


def test_working_days_between_counts_days_after_start_up_to_end():
    assert calendar.working_days_between(D(2026, 11, 23), D(2026, 11, 30)) == 5
    assert calendar.working_days_between(D(2026, 11, 30), D(2026, 11, 23)) == -5
    assert calendar.working_days_between(D(2026, 12, 23), D(2026, 12, 28)) == 1


def test_zero_days_is_the_day_itself_and_negative_is_refused():
    assert calendar.add_working_days(D(2026, 11, 28), 0) == D(2026, 11, 28)
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 11, 28), -1)


def test_fiscal_year_services_are_due_on_31_december():
    assert fiscal_year_end(D(2026, 3, 2)) == D(2026, 12, 31)
