from decimal import Decimal

import pytest

from satupintu.lib.ikm import compute, grade_for


def test_all_fours_is_100_and_grade_a():
    result = compute([[4] * 9] * 3)
    assert result.ikm == Decimal("100.00")
    assert (result.grade, result.quality) == ("A", "Sangat Baik")


def test_a_hand_worked_example():
    # Two respondents. Element means: 3.5, 3, 3, 4, 3.5, 3, 3.5, 2.5, 3 → sum 29, mean 29/9 = 3.2222…
    # IKM = 3.2222… × 25 = 80.555… → 80.56, grade B (76.61–88.30).
    responses = [
        [4, 3, 3, 4, 4, 3, 4, 2, 3],
        [3, 3, 3, 4, 3, 3, 3, 3, 3],
    ]
    result = compute(responses)
    assert result.element_means["persyaratan"] == Decimal("3.500")
    assert result.element_means["pengaduan"] == Decimal("2.500")
    assert result.weighted_mean == Decimal("3.222")
    assert result.ikm == Decimal("80.56")
    assert result.grade == "B"


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_grade_bands_follow_permenpanrb_14_2017(value, grade):
    assert grade_for(Decimal(value))[0] == grade


def test_all_ones_is_25_and_grade_d():
    assert compute([[1] * 9]).ikm == Decimal("25.00")


def test_an_answer_outside_1_to_4_is_refused():
    with pytest.raises(ValueError, match="harus 1–4"):
        compute([[5, 4, 4, 4, 4, 4, 4, 4, 4]])


def test_no_responses_give_no_index():
    assert compute([]) is None
