"""The assessment layer on the battle and claim pages (issue 15, part 4)."""

from datetime import date

import pytest

from claims.models import Claim
from tests.factories import ArticleFactory, BattleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def approved(**fields) -> Claim:
    return ClaimFactory(status=Claim.Status.APPROVED, **fields)


@pytest.fixture
def battle_with_a_dispute():
    battle = BattleFactory(slug="hill-forty")
    same = {
        "battle": battle,
        "side": "russia",
        "category": "killed",
        "claim_date": date(2023, 4, 2),
    }
    low = approved(
        claimant=SourceFactory(name="Ministry spokesman"),
        figure_low=300,
        figure_high=300,
        basis="official",
        **same,
    )
    high = approved(
        claimant=SourceFactory(name="Monitoring group"),
        figure_low=2500,
        figure_high=2500,
        basis="visual",
        **same,
    )
    calm = approved(
        claimant=SourceFactory(name="Local mayor"),
        side="ukraine",
        figure_low=40,
        figure_high=40,
        battle=battle,
    )
    return battle, low, high, calm


def figures_listed(html: str, claims: list[Claim]) -> set[int]:
    return {claim.pk for claim in claims if f'href="/claims/{claim.pk}/"' in html}


def test_battle_page_marks_contested_claims_and_filters_on_them(client, battle_with_a_dispute):
    battle, low, high, calm = battle_with_a_dispute
    every = [low, high, calm]
    html = client.get(f"/battles/{battle.slug}/").content.decode()
    assert html.count('<span class="contested"') == 2
    assert 'name="contested"' in html and 'name="basis"' in html

    contested = client.get(f"/battles/{battle.slug}/", {"contested": "true"}).content.decode()
    assert figures_listed(contested, every) == {low.pk, high.pk}
    calm_only = client.get(f"/battles/{battle.slug}/", {"contested": "false"}).content.decode()
    assert figures_listed(calm_only, every) == {calm.pk}
    official = client.get(f"/battles/{battle.slug}/", {"basis": "official"}).content.decode()
    assert figures_listed(official, every) == {low.pk}


def test_claim_page_names_the_claims_that_contradict_it(client, battle_with_a_dispute):
    _, low, high, calm = battle_with_a_dispute
    low.reported_by.add(ArticleFactory())
    html = client.get(f"/claims/{low.pk}/").content.decode()
    assert "Contradicted by" in html
    assert f'href="/claims/{high.pk}/"' in html and "Monitoring group" in html
    assert "1 other article reports it" in html

    calm_html = client.get(f"/claims/{calm.pk}/").content.decode()
    assert "Contradicted by" not in calm_html
    assert "no other article reports it" in calm_html
