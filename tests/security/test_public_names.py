"""One rule for which sources are public, on pages, in the API, its filters and the browsable
API's forms: a claimant or outlet is public only when an approved claim or a public article
refers to it. Names known from drafts or unreviewed uploads alone are not shown, and a filter
does not confirm that they exist."""

import pytest

from claims.models import Claim, Source
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_claim():
    return ClaimFactory(status=Claim.Status.APPROVED, claimant=SourceFactory(name="Colonel Public"))


@pytest.fixture
def private_names(public_claim):
    """A claimant of a draft alone, and the outlet of an upload nobody reviewed yet."""
    draft_claimant = SourceFactory(name="Major Hidden", slug="major-hidden")
    ClaimFactory(status=Claim.Status.DRAFT, claimant=draft_claimant, battle=public_claim.battle)
    unreviewed_outlet = SourceFactory(
        name="Gazette Unseen", slug="gazette-unseen", kind=Source.Kind.MEDIA
    )
    ArticleFactory(outlet=unreviewed_outlet)
    return [draft_claimant, unreviewed_outlet]


def test_source_pages_answer_404_for_names_known_from_drafts_alone(client, private_names):
    for source in private_names:
        assert client.get(f"/sources/{source.slug}/").status_code == 404
        assert client.get(f"/api/v1/sources/{source.slug}/").status_code == 404


def test_source_pages_show_claimants_of_approved_claims_and_outlets_of_public_articles(
    client, public_claim
):
    outlet = SourceFactory(name="Herald Shown", kind=Source.Kind.MEDIA)
    ClaimFactory(status=Claim.Status.APPROVED, article=ArticleFactory(outlet=outlet))

    for source in (public_claim.claimant, outlet):
        assert client.get(f"/sources/{source.slug}/").status_code == 200
        assert client.get(f"/api/v1/sources/{source.slug}/").status_code == 200


def test_the_claimant_filter_answers_a_private_name_as_an_unknown_one(
    api_client, private_names, public_claim
):
    private = api_client.get("/api/v1/claims/", {"claimant": "major-hidden"})
    unknown = api_client.get("/api/v1/claims/", {"claimant": "nobody-at-all"})
    public = api_client.get("/api/v1/claims/", {"claimant": public_claim.claimant.slug})

    assert private.status_code == unknown.status_code == 400
    assert private.json()["fields"] == unknown.json()["fields"]
    assert public.status_code == 200 and public.json()["count"] == 1


def test_the_battle_page_filter_answers_a_private_name_as_an_unknown_one(
    client, private_names, public_claim
):
    page = f"/battles/{public_claim.battle.slug}/"

    private = client.get(page, {"claimant": "major-hidden"}).content.decode()
    unknown = client.get(page, {"claimant": "nobody-at-all"}).content.decode()

    assert private.replace("major-hidden", "SLUG") == unknown.replace("nobody-at-all", "SLUG")
    assert "Major Hidden" not in private


def test_the_browsable_api_form_lists_public_claimants_only(client, private_names, public_claim):
    html = client.get("/api/v1/claims/", HTTP_ACCEPT="text/html").content.decode()

    assert "Colonel Public" in html
    assert "Major Hidden" not in html and "Gazette Unseen" not in html
