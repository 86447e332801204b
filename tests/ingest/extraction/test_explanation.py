"""The 'Why' line an editor sees: one short clause per field, quoting whole words."""

import re
from datetime import date

from ingest.extraction import extract_article

ARTICLE = (
    "Officials in the region said on Thursday that 23 residents have died in the shelling.\n"
    "Yesterday, 140 Russian soldiers were killed near Bakhmut, said Colonel Andriy Bondar.\n"
    "According to the regional health department, about 310 people were wounded in May.\n"
)


def notes(text, reference):
    claims = extract_article(text, published=date(2023, 3, 10), reference=reference).claims
    return [claim.notes for claim in claims]


def test_each_field_says_which_words_decided_it(reference):
    first, second, third = notes(ARTICLE, reference)
    assert "killed: 'have died'" in first
    assert "claimant: 'Officials in the region said'" in first
    assert "date: 'on Thursday'" in first
    assert "killed: 'were killed'" in second
    assert "claimant: 'said Colonel Andriy Bondar'" in second
    assert "battle: 'Bakhmut'" in second
    assert "date: 'Yesterday'" in second
    assert "claimant: 'According to the regional health department'" in third
    assert "qualifier: 'about'" in third


def test_quoted_words_are_never_pieces_of_words(reference):
    for claim_notes in notes(ARTICLE, reference):
        for note in claim_notes:
            for quoted in re.findall(r": '([^']+)'", note):
                at = ARTICLE.lower().find(quoted.lower())
                assert at >= 0, note
                end = at + len(quoted)
                assert at == 0 or not ARTICLE[at - 1].isalnum(), note
                assert end == len(ARTICLE) or not ARTICLE[end].isalnum(), note


def test_the_side_quotes_the_counted_noun_phrase(reference):
    (claim,) = extract_article(
        "Some 60 Russian paratroopers were killed.", reference=reference
    ).claims
    assert "side: 'Russian paratroopers'" in claim.notes
