import pytest

from ingest.extraction.numbers import find_figures
from ingest.extraction.qualifiers import qualify


def qualifier_of(sentence):
    figure = find_figures(sentence)[0]
    return qualify(sentence, figure)[:3]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Around 20,000 troops died", ("approx", 20000, 20000)),
        ("an estimated 5,000 were killed", ("approx", 5000, 5000)),
        ("closer to 23,000 dead", ("approx", 23000, 23000)),
        ("nearly 400 were wounded", ("approx", 400, 400)),
        ("over 700 servicemen", ("at_least", 700, None)),
        ("more than 1,000 pieces", ("at_least", 1000, None)),
        ("in excess of 300 killed", ("at_least", 300, None)),
        ("exceeded 22,600 servicemen", ("at_least", 22600, None)),
        ("up to 40,000 total", ("at_most", None, 40000)),
        ("as many as 500 troops", ("at_most", None, 500)),
        ("as high as 90 dead", ("at_most", None, 90)),
        ("between 7,000 and 15,000", ("range", 7000, 15000)),
        ("roughly 15,500-17,500", ("range", 15500, 17500)),
        ("another 80,000 have been wounded", ("exact", 80000, 80000)),
    ],
)
def test_qualifier_words_set_the_bounds(sentence, expected):
    assert qualifier_of(sentence) == expected


def test_the_longest_qualifier_phrase_wins():
    assert qualifier_of("no fewer than 60 civilians died") == ("at_least", 60, None)
    assert qualifier_of("up to about 40 were hurt") == ("approx", 40, 40)
