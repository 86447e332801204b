"""Periods (issue 14 part 3): one invented sentence or two per phrase class."""

from datetime import date

import pytest

from ingest.extraction import extract_article
from ingest.extraction.types import ExtractedClaim, ReferenceData


def periods(
    text: str, reference: ReferenceData, published: date | None = None
) -> list[tuple[date | None, date | None, str | None]]:
    claims = extract_article(text, published=published, reference=reference).claims
    return [_period(c) for c in claims]


def _period(claim: ExtractedClaim) -> tuple[date | None, date | None, str | None]:
    return claim.period_start, claim.period_end, claim.period_kind


def test_the_past_24_hours_is_a_daily_tally_ending_on_the_claim_date(reference):
    text = "Over the past 24 hours the army lost 410 soldiers, Ukraine's General Staff said."
    assert periods(text, reference, date(2024, 10, 12)) == [
        (date(2024, 10, 11), date(2024, 10, 12), "daily")
    ]


def test_over_the_day_and_in_one_day_are_daily(reference):
    text = "The enemy lost up to 95 troops over the day, the ministry said on Monday."
    assert periods(text, reference, date(2024, 9, 4)) == [
        (date(2024, 9, 1), date(2024, 9, 2), "daily")
    ]
    assert periods("Russia lost 12 tanks in one day.", reference) == [(None, None, "daily")]


def test_the_past_week_is_a_period_of_seven_days(reference):
    text = "At least 64 civilians were killed in the past week, the monitor said."
    assert periods(text, reference, date(2023, 3, 8)) == [
        (date(2023, 3, 1), date(2023, 3, 8), "period")
    ]


def test_since_the_full_scale_invasion_counts_from_the_conflicts_start(reference):
    text = "Since the full-scale invasion, Russia has lost 612,000 soldiers, Kyiv said."
    assert periods(text, reference, date(2024, 9, 30)) == [
        (date(2022, 2, 24), date(2024, 9, 30), "cumulative")
    ]


def test_since_the_start_of_the_war_needs_the_war_it_is_about(reference):
    text = "Since the start of the war, 31,000 Palestinians have been killed, officials said."
    assert periods(text, reference, date(2024, 3, 1)) == [
        (date(2023, 10, 7), date(2024, 3, 1), "cumulative")
    ]
    # Without reference data the war's start is unknown; the kind is still stated.
    assert periods(text, ReferenceData(), date(2024, 3, 1)) == [
        (None, date(2024, 3, 1), "cumulative")
    ]


def test_since_the_month_the_war_began_is_the_wars_start(reference):
    text = "Ukraine says 70,000 Russian troops have been killed since February."
    assert periods(text, reference, date(2022, 9, 10)) == [
        (date(2022, 2, 24), date(2022, 9, 10), "cumulative")
    ]


def test_since_another_date_is_a_period_to_the_claim_date(reference):
    text = "Since June 3, a total of 1,150 soldiers have been killed, the monitor said."
    assert periods(text, reference, date(2023, 7, 1)) == [
        (date(2023, 6, 3), date(2023, 7, 1), "period")
    ]


def test_in_a_month_covers_that_month(reference):
    text = "Russian losses in April reached 26,100 troops, the ministry announced."
    assert periods(text, reference, date(2024, 5, 2)) == [
        (date(2024, 4, 1), date(2024, 4, 30), "period")
    ]


def test_a_month_when_something_was_said_is_no_period(reference):
    text = "The ministry stated in March that 40,000 Russian soldiers had been killed."
    assert periods(text, reference, date(2024, 5, 2)) == [(None, None, None)]


def test_from_one_date_to_another_is_the_period_between(reference):
    text = "The group counted 2,100 civilians killed in the city from March 4 to May 20."
    assert periods(text, reference, date(2017, 6, 1)) == [
        (date(2017, 3, 4), date(2017, 5, 20), "period")
    ]
    text = "Over 9,000 soldiers were killed in the mountains from 1980 until 1985."
    assert periods(text, reference) == [(date(1980, 1, 1), date(1985, 12, 31), "period")]


def test_as_of_a_date_is_a_running_total_up_to_it(reference):
    text = "As of May 9, Russia had lost 480,000 soldiers, the General Staff said."
    assert periods(text, reference, date(2024, 5, 10)) == [(None, date(2024, 5, 9), "cumulative")]


def test_each_figure_takes_the_period_nearest_to_it(reference):
    text = (
        "Russian forces lost 1,100 soldiers in the past day, bringing their losses since the "
        "invasion began to 690,000, the General Staff said."
    )
    assert periods(text, reference, date(2024, 10, 30)) == [
        (date(2024, 10, 29), date(2024, 10, 30), "daily"),
        (date(2022, 2, 24), date(2024, 10, 30), "cumulative"),
    ]


def test_during_the_fighting_for_a_battle_counts_from_the_battles_start(reference):
    text = "During the fighting in the Kursk region the enemy lost 4,100 soldiers, Moscow said."
    assert periods(text, reference, date(2024, 8, 30)) == [
        (date(2024, 8, 6), date(2024, 8, 30), "cumulative")
    ]


def test_the_same_period_is_that_of_the_figure_before(reference):
    text = (
        "Since March 1, the army lost 2,000 soldiers, the minister said. "
        "It captured 85 enemy soldiers during the same period, he added."
    )
    start_end = (date(2024, 3, 1), date(2024, 4, 2), "period")
    assert periods(text, reference, date(2024, 4, 2)) == [start_end, start_end]


def test_a_sentence_without_a_period_leaves_the_fields_empty(reference):
    text = "The Pentagon said 300 soldiers were wounded near the river."
    assert periods(text, reference, date(2024, 4, 2)) == [(None, None, None)]


@pytest.mark.parametrize("published", [None, date(2024, 1, 2)])
def test_a_list_line_takes_the_period_of_its_introduction(reference, published):
    text = "Enemy losses over the past day, the General Staff said:\n- tanks – 9\n"
    found = periods(text, reference, published)
    assert found and all(kind == "daily" for _, _, kind in found)


def test_the_why_line_names_the_period_words(reference):
    (claim,) = extract_article(
        "Over the past 24 hours the army lost 410 soldiers, the General Staff said.",
        published=date(2024, 10, 12),
        reference=reference,
    ).claims
    assert "period: 'Over the past 24 hours'" in claim.notes
