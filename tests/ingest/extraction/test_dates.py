from datetime import date

from ingest.extraction import extract_article
from ingest.extraction.dates import DateMention, find_dates, resolve
from ingest.extraction.metadata import read_metadata


def claim_dates(text, published=None):
    return [c.claim_date for c in extract_article(text, published=published).claims]


def test_said_on_a_day_resolves_against_the_published_date():
    text = "Some 20,000 Russian troops were killed, the president said on July 18."
    assert claim_dates(text, date(2024, 7, 21)) == [date(2024, 7, 18)]


def test_a_day_before_new_year_belongs_to_the_previous_year():
    text = "More than 3,000 soldiers were killed or injured, the president said on Dec. 23."
    assert claim_dates(text, date(2025, 1, 1)) == [date(2024, 12, 23)]


def test_weekdays_and_yesterday_count_back_from_the_published_date():
    assert claim_dates(
        "Over 200 troops were killed, officials reported Monday.", date(2023, 5, 1)
    ) == [date(2023, 5, 1)]
    assert claim_dates(
        "Five civilians were killed yesterday, the governor said.", date(2024, 2, 15)
    ) == [date(2024, 2, 14)]


def test_a_month_alone_does_not_fix_the_day():
    text = "In June, the army said 4,000 Russian troops were killed."
    assert claim_dates(text, date(2024, 7, 21)) == [None]


def test_as_of_fixes_the_day_and_ends_the_period():
    (claim,) = extract_article(
        "Researchers confirmed 59,000 Russian soldiers killed as of July 12.",
        published=date(2024, 7, 21),
    ).claims
    assert (claim.claim_date, claim.period_end) == (date(2024, 7, 12), date(2024, 7, 12))


def test_since_opens_the_period():
    (claim,) = extract_article(
        "Russia had lost 22,816 people since Sept. 1, 2022, the official said.",
        published=date(2023, 6, 5),
    ).claims
    assert claim.period_start == date(2022, 9, 1)


def test_without_a_published_date_the_latest_full_date_is_a_floor():
    mention = DateMention(0, 0, month=6, day=4)
    assert resolve(mention, published=None, floor=date(2023, 1, 30)) == date(2023, 6, 4)


def test_find_dates_reads_common_formats():
    found = find_dates("July 21, 2024 and 01 May 2023 and 2024-07-21 and 4/10/2023")
    assert [(d.year, d.month, d.day) for d in found] == [
        (2024, 7, 21),
        (2023, 5, 1),
        (2024, 7, 21),
        (2023, 10, 4),
    ]


def test_metadata_reads_the_leading_date_tag_and_byline():
    text = (
        " date 2024-07-21 Skip to content\n"
        "Around 20,000 Russians died in the offensive, president says\n\n"
        "by The Test Desk July 21, 2024 7:10 PM 2 min read\n"
    )
    metadata = read_metadata(text)
    assert metadata.published == date(2024, 7, 21)
    assert metadata.title == "Around 20,000 Russians died in the offensive, president says"
    assert metadata.author.startswith("The Test Desk")


def test_as_of_fixes_the_day_over_an_event_date_said_before_it():
    text = (
        "Since the fighting began on March 3, at least 2,150 people have died as of Friday, "
        "the agency said."
    )
    assert claim_dates(text, date(2024, 6, 12)) == [date(2024, 6, 7)]
