"""The review form offers the article's published date beside the claim date (issue 14): one
click puts it in the field, and saving dates the claim."""

from datetime import date

import pytest

from tests.factories import ArticleFactory, ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_dates_an_undated_claim_with_the_articles_date_in_one_click(
    live_server, page, editor
):
    article = ArticleFactory(published_date=date(2024, 3, 4))
    claim = ClaimFactory(article=article, claim_date=None, claim_date_precision="month")

    page.goto(f"{live_server.url}/admin/login/?next=/admin/claims/claim/{claim.pk}/change/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#id_claim_date")
    assert page.input_value("#id_claim_date") == ""

    page.click("button.use-article-date")
    assert page.input_value("#id_claim_date") == "2024-03-04"
    assert page.input_value("#id_claim_date_precision") == "day"
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")

    claim.refresh_from_db()
    assert (claim.claim_date, claim.claim_date_precision) == (date(2024, 3, 4), "day")
    assert page.console_errors == []


def test_no_button_when_the_article_has_no_date(live_server, page, editor):
    claim = ClaimFactory(article=ArticleFactory(published_date=None), claim_date=None)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/claims/claim/{claim.pk}/change/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#id_claim_date")
    assert page.locator("button.use-article-date").count() == 0
    assert "no published date" in page.inner_text(".review-meta")
