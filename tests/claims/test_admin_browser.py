"""An editor works the review queue in a real browser: log in, open the queue, "approve & next",
and the claim is then in the public data."""

import pytest

from claims.models import Claim
from claims.selectors import claim_list_public
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_approves_a_claim_with_approve_and_next_and_it_becomes_public(
    live_server, page, screenshot, editor, client
):
    article = ArticleFactory(
        title="Fighting near the river",
        body="Officials said 1,200 soldiers died.\n\nLater, 300 more were wounded.",
    )
    first = ClaimFactory(article=article, start_offset=15, end_offset=20)
    second = ClaimFactory(
        article=article,
        start_offset=44,
        end_offset=47,
        category=Claim.Category.WOUNDED,
        figure_low=300,
        figure_high=300,
        excerpt="Later, 300 more were wounded.",
    )
    assert client.get(f"/claims/{first.pk}/").status_code == 404  # a draft is not public

    page.goto(f"{live_server.url}/admin/login/?next=/admin/claims/claim/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#result_list")
    assert "Review queue" in page.inner_text("h1")
    screenshot("admin-review-queue")

    page.click("#result_list tbody tr:first-child th a")
    page.wait_for_selector("#approve-next")
    assert page.inner_text(".review-excerpt mark.figure") == "1,200"
    screenshot("admin-claim-page")
    page.click("#approve-next")

    page.wait_for_url(f"**/admin/claims/claim/{second.pk}/change/")
    assert page.inner_text(".review-excerpt mark.figure") == "300"
    assert "Approved" in page.inner_text(".messagelist")

    # The article page marks both figures, each linked to its claim.
    page.click(".review-meta a")
    page.wait_for_selector(".article-body")
    assert page.locator(".article-body a.figure").count() == 2
    assert page.locator(".article-body a.figure-approved").inner_text() == "1,200"
    screenshot("admin-article-page")

    first.refresh_from_db()
    assert first.status == Claim.Status.APPROVED
    assert first.reviewed_by == editor
    assert claim_list_public().filter(pk=first.pk).exists()
    assert not claim_list_public().filter(pk=second.pk).exists()

    response = page.goto(f"{live_server.url}/claims/{first.pk}/")
    assert response.status == 200
    assert "1,200" in page.content()
    screenshot("public-claim-after-approval")
    assert page.console_errors == []
