"""A claim proposed from a span an editor selected (ingest/review.py): the extractor's own
reading when it found the figure, else the figure, qualifier and category read from the
sentence and the rest from the nearest claim; and re-parsing keeps editors' claims."""

from datetime import date

import pytest

from claims.models import Article, Claim
from claims.services import ReviewError
from ingest.extraction import (
    BattleRef,
    ExtractedClaim,
    ReferenceData,
    SourceRef,
    extract_article,
)
from ingest.review import span_propose
from ingest.services import article_parse
from tests.factories import ArticleFactory

TEXT = (
    "The mayor said on Friday that about 300 soldiers were killed in the fighting.\n\n"
    "More than 45 were wounded near the bridge. The council met at 9 pm."
)


def at(text: str) -> tuple[int, int]:
    start = TEXT.index(text)
    return start, start + len(text)


def neighbour() -> ExtractedClaim:
    start, end = at("300")
    return ExtractedClaim(
        figure_low=300,
        figure_high=300,
        qualifier="approx",
        category="killed",
        side="ukraine",
        excerpt=TEXT.split("\n")[0],
        start=start,
        end=end,
        claimant="The mayor",
        claim_date=date(2023, 3, 3),
    )


def test_a_figure_the_extractor_found_is_taken_whole():
    extraction = extract_article(TEXT, published=date(2023, 3, 5)).claims
    found = next(c for c in extraction if c.figure_low == 300)
    proposal = span_propose(
        body=TEXT, start=found.start, end=found.end, published=None, extraction=extraction
    )
    assert (proposal.qualifier, proposal.category) == (found.qualifier, found.category)
    assert proposal.notes[0] == "the extractor's own reading of this figure"


def test_a_missed_figure_is_read_from_its_sentence_and_its_neighbour():
    start, end = at("45")
    proposal = span_propose(
        body=TEXT, start=start - 3, end=end + 1, published=None, extraction=[neighbour()]
    )
    assert (proposal.start, proposal.end) == (start, end)
    assert (proposal.qualifier, proposal.figure_low, proposal.figure_high) == ("at_least", 45, None)
    assert proposal.category == Claim.Category.WOUNDED
    assert (proposal.side, proposal.claimant) == ("ukraine", "The mayor")
    assert proposal.excerpt.startswith("More than 45")
    assert proposal.claim_date == date(2023, 3, 3)  # the neighbour's too


def test_side_claimant_date_and_battle_are_read_from_the_sentence_first():
    text = (
        "Defence Minister Jane Doe said on March 3 that more than 70 Russian soldiers were "
        "killed near Placeville."
    )
    reference = ReferenceData(
        battles=(
            BattleRef(
                name="Battle of Placeville",
                conflict="Test War",
                aliases=("Placeville",),
                start=date(2023, 1, 1),
                end=date(2023, 12, 31),
            ),
        ),
        sources=(SourceRef(name="Jane Doe", kind="person", affiliation="ukraine"),),
    )
    start = text.index("70")
    proposal = span_propose(
        body=text,
        start=start,
        end=start + 2,
        published=date(2023, 3, 10),
        extraction=[],
        reference=reference,
    )
    assert (proposal.qualifier, proposal.figure_low, proposal.category) == (
        "at_least",
        70,
        "killed",
    )
    assert proposal.side == "russia"
    assert proposal.claimant == "Jane Doe"
    assert proposal.claim_date == date(2023, 3, 3)
    assert proposal.battle == "Battle of Placeville"


def test_without_any_claim_the_date_is_the_published_one():
    start, end = at("45")
    proposal = span_propose(
        body=TEXT, start=start, end=end, published=date(2023, 3, 5), extraction=[]
    )
    assert proposal.claim_date == date(2023, 3, 5) and proposal.side == ""


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, 3, "inside the article"),
        (5, 5, "inside the article"),
        (0, len(TEXT) + 1, "inside the article"),
        (*at("mayor"), "No figure"),
    ],
)
def test_bad_selections_are_refused_with_a_reason(start, end, message):
    with pytest.raises(ReviewError, match=message):
        span_propose(body=TEXT, start=start, end=end, published=None, extraction=[])


def test_a_selection_longer_than_a_figure_is_refused():
    body = TEXT + " The end." * 40
    with pytest.raises(ReviewError, match="at most"):
        span_propose(body=body, start=0, end=len(body), published=None, extraction=[])


@pytest.mark.django_db
def test_reparsing_keeps_an_editors_claim_and_does_not_offer_its_figure_again():
    article = ArticleFactory(body=TEXT, status=Article.Status.QUEUED)
    start, end = at("300")
    mine = Claim.objects.create(
        article=article,
        side="ukraine",
        category=Claim.Category.KILLED,
        qualifier=Claim.Qualifier.APPROX,
        figure_low=300,
        figure_high=300,
        excerpt="x",
        start_offset=start,
        end_offset=end,
        added_by_editor=True,
    )
    article_parse(article_id=article.pk, force=True)
    assert Claim.objects.filter(pk=mine.pk).exists()
    assert article.claims.filter(start_offset=start).count() == 1
