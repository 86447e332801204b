import re

import pytest

from ingest.extraction.data import fold, phrase_regex, side_table
from ingest.extraction.numbers import FIGURE_RE

# Letters that IGNORECASE treats specially, mixed case and curly apostrophes.
ODD_TEXTS = [
    "İn İdlib, SİX Russian SOLDİERS were kılled and ſeven WOUNDED.",
    "Kharkıv: 1,200 ÜKRAİNİAN troops, Ka-52, the ENEMY’S losses; Hamas said so.",
    "Tımes: THREE thouſand dead, Israel’s army, İsraeli forces, a dozen POWs.",
    "Ǆ ǅ ǆ ß ẞ ﬁ Σ ς K Å: nothing here counts, say Ukraine's officials.",
]


def test_fold_keeps_length_and_offsets():
    for text in ODD_TEXTS:
        assert len(fold(text)) == len(text)


@pytest.mark.parametrize("boundary", [True, False])
def test_folded_pattern_matches_where_the_case_insensitive_one_does(boundary):
    words = [*side_table().demonyms, *side_table().places, "thousand", "six", "dozen", "killed"]
    words += ["wounded", "losses", "dead"]
    plain = phrase_regex(words, boundary=boundary)
    folded = phrase_regex(words, boundary=boundary, folded=True)
    for text in ODD_TEXTS:
        expected = [m.span() for m in plain.finditer(text)]
        assert expected
        assert [m.span() for m in folded.finditer(fold(text))] == expected


def test_folded_figures_match_the_case_insensitive_pattern():
    ignorecase = re.compile(FIGURE_RE.pattern, re.IGNORECASE)
    for text in ODD_TEXTS:
        expected = [m.span() for m in ignorecase.finditer(text)]
        assert [m.span() for m in FIGURE_RE.finditer(fold(text))] == expected


def test_every_projection_phrase_holds_a_word_the_quick_test_looks_for():
    from ingest.extraction.data import cues
    from ingest.extraction.figures import _PROJECTION_HINTS

    for phrase in cues().raw["projection_words"]:
        assert any(hint in phrase for hint in _PROJECTION_HINTS), phrase
