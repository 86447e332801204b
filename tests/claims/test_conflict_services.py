"""Which conflict a claim is about (issue 14): its battle's, or for a war-wide claim the one
conflict counting its side; kept so when an editor moves it, and set when an article is
parsed. Conflicts load from seeds/battles.json."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from claims.models import Battle, Claim, Conflict
from claims.services import claim_conflict_for, claim_update
from ingest.services import article_parse, article_submit
from tests.factories import BattleFactory, ClaimFactory, ConflictFactory

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def wars():
    marsh = ConflictFactory(name="War of the Marsh", sides=["marshland", "upland"])
    coast = ConflictFactory(name="Coastal war", sides=["coastland", "upland"])
    return marsh, coast


def test_a_claim_about_a_battle_is_about_its_war(wars):
    marsh, coast = wars
    battle = BattleFactory(conflict=marsh)
    assert claim_conflict_for(battle=battle, side="coastland") == marsh


def test_a_war_wide_claim_is_about_the_one_war_counting_its_side(wars):
    marsh, coast = wars
    assert claim_conflict_for(battle=None, side="marshland") == marsh
    assert claim_conflict_for(battle=None, side="coastland") == coast


def test_an_ambiguous_side_takes_the_articles_war_or_none(wars):
    marsh, coast = wars
    assert claim_conflict_for(battle=None, side="upland") is None
    assert claim_conflict_for(battle=None, side="upland", article_conflict=coast) == coast
    assert claim_conflict_for(battle=None, side="civilians", article_conflict=marsh) == marsh
    assert claim_conflict_for(battle=None, side="civilians") is None


def test_with_a_single_war_every_claim_is_about_it():
    only = ConflictFactory(name="The only war", sides=[])
    assert claim_conflict_for(battle=None, side="anyone") == only


def test_moving_a_claim_to_a_battle_moves_it_to_the_battles_war(wars, editor):
    marsh, coast = wars
    claim = ClaimFactory(battle=None, conflict=marsh)
    claim = claim_update(claim=claim, user=editor, data={"battle": BattleFactory(conflict=coast)})
    assert claim.conflict == coast
    assert Claim.objects.get(pk=claim.pk).conflict == coast


def test_load_reference_loads_conflicts_with_their_start_and_sides():
    call_command("load_reference", verbosity=0)
    war = Conflict.objects.get(name="Russo-Ukrainian War")
    assert war.start_date == date(2022, 2, 24) and "russia" in war.sides
    assert war.slug == "russo-ukrainian-war"
    assert Battle.objects.filter(conflict=war).count() >= 10
    call_command("load_reference", verbosity=0)  # idempotent
    assert Conflict.objects.filter(name="Russo-Ukrainian War").count() == 1


def test_parsing_places_a_war_wide_claim_in_its_war(django_capture_on_commit_callbacks):
    call_command("load_reference", verbosity=0)
    text = (
        "Losses report\nMay 4, 2024\n\n"
        "Russia has lost about 450,000 soldiers killed or wounded since the invasion began, "
        "the defence ministry said on Friday.\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        article = article_submit(content=text.encode(), filename="losses.txt").article
    article_parse(article_id=article.pk, force=True)
    claims = list(Claim.objects.filter(article=article, battle__isnull=True))
    assert claims, "the extractor found no war-wide claim"
    assert {claim.conflict.name for claim in claims} == {"Russo-Ukrainian War"}


def test_a_historical_comparison_in_an_article_is_placed_in_the_articles_war(
    django_capture_on_commit_callbacks,
):
    call_command("load_reference", verbosity=0)
    text = (
        "Losses report\nMay 4, 2024\n\n"
        "Russia has lost about 450,000 soldiers killed or wounded since the invasion began, "
        "the defence ministry said on Friday.\n"
        "In ten years the Soviet army lost about 15,000 soldiers killed, historians say.\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        article = article_submit(content=text.encode(), filename="compare.txt").article
    article_parse(article_id=article.pk, force=True)
    sides = dict(Claim.objects.filter(article=article).values_list("side", "conflict__name"))
    assert sides.get("soviet_union") == "Russo-Ukrainian War", sides
