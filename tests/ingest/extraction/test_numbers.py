import random

import pytest

from ingest.extraction.numbers import _MASK_HINT, find_figures, has_mask_hint, parse_number


def values(text):
    return [(f.text, f.low, f.high) for f in find_figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22,816", 22816),
        ("1.5 million", 1_500_000),
        ("three thousand", 3000),
        ("twenty-six", 26),
        ("four-thousand-200", 4200),
        ("15-thousand", 15000),
        ("a quarter of a million", 250_000),
        ("nearly three dozen", None),
        ("three dozen", 36),
        ("60K", 60000),
        ("1.234", 1234),
        ("1,4 million", 1_400_000),
        ("95 214", 95214),
    ],
)
def test_parse_number_reads_every_way_a_figure_is_written(text, expected):
    assert parse_number(text) == expected


def test_ranges_join_between_to_and_hyphen():
    assert values("between 7,000 and 15,000") == [("7,000 and 15,000", 7000, 15000)]
    assert values("7,000 to 15,000 dead") == [("7,000 to 15,000", 7000, 15000)]
    assert values("7,000-15,000 dead") == [("7,000-15,000", 7000, 15000)]
    assert values("from 189 000 to 273 000") == [("189 000 to 273 000", 189000, 273000)]


def test_a_multiplier_written_once_applies_to_both_ends_of_a_range():
    assert values("about 2-3 thousand victims") == [("2-3 thousand", 2000, 3000)]


def test_dates_times_ordinals_and_model_numbers_are_not_figures():
    text = "On July 21, 2024 7:10 PM the 36th Brigade's Ka-52 and Leopard 2 tanks, 4/10/2023"
    assert values(text) == []


def test_ratios_written_as_ranges_are_not_figures():
    assert values("losses are 8 to 1") == []
    assert values("ended with 1 to 8 casualties") == []


def test_decimals_are_not_counts():
    assert values("by a factor of 7.5") == []


def test_offsets_point_at_the_figure_as_written():
    text = "Russia lost over 38,000 troops"
    (figure,) = find_figures(text)
    assert text[figure.start : figure.end] == "38,000"


def test_numbers_beyond_any_casualty_count_and_exponents_are_not_figures():
    assert values("1000000000000000000000000000000 soldiers, or 10^30, or 1e30") == []


def test_the_fast_mask_hint_test_agrees_with_the_hint_pattern():
    pieces = ["a", "Z", "1", "-", ":", "/", " ", ".", "e", "+", "p", "m", "PM", "Jan", "Ma"]
    pieces += ["Dec", "Su ", "MiG ", "T ", "Leopard ", "2024-", "x"]
    rng = random.Random(3)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        assert has_mask_hint(text) == bool(_MASK_HINT.search(text)), text
