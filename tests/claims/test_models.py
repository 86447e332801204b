import pytest
from django.db import IntegrityError, transaction

from claims.models import Article, Claim
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("qualifier", "low", "high", "constraint"),
    [
        # With no figure at all the qualifier's rule fails too; databases name either.
        ("exact", None, None, "claim_has_a_figure|claim_exact_or_approx_is_one_figure"),
        ("range", 15000, 7000, "claim_figures_in_order"),
        ("exact", 100, 200, "claim_exact_or_approx_is_one_figure"),
        ("approx", 100, None, "claim_exact_or_approx_is_one_figure"),
        ("at_least", 100, 100, "claim_at_least_has_only_low"),
        ("at_most", 100, 100, "claim_at_most_has_only_high"),
        ("range", 100, None, "claim_range_has_both"),
        ("exact", -5, -5, "claim_figures_not_negative"),
    ],
)
def test_database_refuses_impossible_figures(qualifier, low, high, constraint):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        ClaimFactory(qualifier=qualifier, figure_low=low, figure_high=high)
    assert any(name in str(error.value) for name in constraint.split("|"))


@pytest.mark.parametrize(
    ("qualifier", "low", "high", "shown"),
    [
        ("exact", 22816, 22816, "22,816"),
        ("approx", 4000, 4000, "≈ 4,000"),
        ("at_least", 20000, None, "≥ 20,000"),
        ("at_most", None, 40000, "≤ 40,000"),
        ("range", 7000, 15000, "7,000–15,000"),
    ],
)
def test_claim_figure_reads_as_a_person_writes_it(qualifier, low, high, shown):
    claim = ClaimFactory(qualifier=qualifier, figure_low=low, figure_high=high)
    assert claim.figure_display == shown


def test_offsets_must_be_in_order():
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(start_offset=30, end_offset=10)


def test_confidence_must_be_between_zero_and_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(confidence=1.5)


def test_same_text_hash_is_one_article():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(content_hash=article.content_hash)


def test_url_is_unique_only_when_given():
    ArticleFactory(url="")
    ArticleFactory(url="")
    ArticleFactory(url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(url="https://example.org/a")
    assert Article.objects.count() == 3


def test_every_change_to_a_claim_is_recorded_with_its_author(editor):
    claim = ClaimFactory()
    claim._history_user = editor
    claim.figure_low = claim.figure_high = 1300
    claim.save()
    history = list(claim.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[-1].figure_low == 1300
    assert history[-1].history_user == editor
    assert Claim.history.count() == 2
