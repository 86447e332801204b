"""Pages for anonymous visitors come from the public cache until the data changes; signed-in
reviewers always get them fresh."""

import pytest

from claims.models import Claim
from claims.services import claim_approve, claim_return_to_draft
from tests.factories import BattleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def battle():
    return BattleFactory(name="Battle of Testville", slug="testville")


def test_a_second_anonymous_visit_runs_no_query(client, battle, django_assert_num_queries):
    ClaimFactory(battle=battle, status=Claim.Status.APPROVED, figure_low=40, figure_high=40)
    first = client.get("/battles/testville/")

    with django_assert_num_queries(0):
        again = client.get("/battles/testville/")

    assert again.status_code == 200 and again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_an_approval_shows_on_the_next_anonymous_visit(client, battle, editor):
    claim = ClaimFactory(battle=battle, status=Claim.Status.DRAFT, figure_low=777, figure_high=777)
    assert "777" not in client.get("/battles/testville/").content.decode()

    claim_approve(claim=claim, user=editor)

    assert "777" in client.get("/battles/testville/").content.decode()


def test_a_withdrawn_claim_leaves_the_cached_pages(client, battle, editor):
    claim = ClaimFactory(battle=battle, status=Claim.Status.APPROVED)
    assert client.get(f"/claims/{claim.pk}/").status_code == 200

    claim_return_to_draft(claim=claim, user=editor)

    assert client.get(f"/claims/{claim.pk}/").status_code == 404


def test_pages_that_fail_are_not_cached(client, battle, editor):
    claim = ClaimFactory(battle=battle, status=Claim.Status.DRAFT)
    assert client.get(f"/claims/{claim.pk}/").status_code == 404
    # Not through a service, so no signal: a cached 404 would still be served.
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.APPROVED)

    assert client.get(f"/claims/{claim.pk}/").status_code == 200


def test_a_reviewer_never_gets_the_anonymous_page(client, battle, editor):
    draft = ClaimFactory(battle=battle, status=Claim.Status.DRAFT)
    ClaimFactory(battle=battle, status=Claim.Status.APPROVED)
    anonymous = client.get("/battles/testville/").content.decode()
    assert 'href="/admin/"' not in anonymous

    client.force_login(editor)

    assert client.get(f"/claims/{draft.pk}/").status_code == 200  # a draft preview
    assert 'href="/admin/"' in client.get("/battles/testville/").content.decode()
