"""In a real browser: an article carrying script and event-handler payloads is uploaded,
parsed and approved, and no page (public or admin) runs any of it; every page keeps to the
Content-Security-Policy."""

import pytest
from django.core.management import call_command

from claims.models import Article, Claim
from claims.services import claim_approve
from tests.factories import BattleFactory, ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = (
    "Kyiv, March 3. <script>window.pwned = 'script'</script> The general staff said about "
    "1,200 Russian soldiers were killed near Bakhmut on Monday. "
    '<img src=x onerror="window.pwned = \'img\'"> "><svg onload="window.pwned=\'svg\'"> '
    "<a href=\"javascript:window.pwned='link'\">read more</a> "
    "</textarea><script>window.pwned='textarea'</script>"
)


def login(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#content")


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.pwned") is None, f"{url} ran a payload"


def test_an_article_with_script_payloads_runs_nothing_anywhere(
    live_server, page, screenshot, editor
):
    call_command("load_reference", verbosity=0)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, live_server, editor)

    page.goto(f"{live_server.url}/admin/claims/article/upload/")
    page.fill("#id_text", PAYLOAD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/claims/article/*/change/")
    article = Article.objects.get()
    assert article.status == Article.Status.PARSED, article.error
    claims = list(article.claims.all())
    assert claims
    for claim in claims:
        claim_approve(claim=claim, user=editor)
    claim = claims[0]

    admin_urls = [
        f"/admin/claims/article/{article.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/change/",
        "/admin/claims/claim/?status=approved",
        "/admin/claims/article/",
    ]
    public_urls = [
        f"/articles/{article.pk}/",
        f"/claims/{claim.pk}/",
        "/search/?q=pwned",
        "/",
    ]
    if claim.battle_id:
        public_urls.append(f"/battles/{claim.battle.slug}/")
    for url in admin_urls + public_urls:
        visit(page, live_server.url + url)

    page.goto(f"{live_server.url}/articles/{article.pk}/")
    assert "<script>window.pwned = 'script'</script>" in page.inner_text("body")
    screenshot("security-payload-article")
    assert dialogs == []
    assert page.console_errors == []


def test_every_page_keeps_to_the_content_security_policy(live_server, page, superuser):
    battle = BattleFactory(name="Battle of Testville", slug="testville", conflict="War")
    claim = ClaimFactory(status=Claim.Status.APPROVED, battle=battle)
    urls = [
        "/",
        f"/battles/{battle.slug}/",
        f"/claims/{claim.pk}/",
        f"/articles/{claim.article_id}/",
        f"/sources/{claim.claimant.slug}/",
        "/about/",
        "/api/v1/docs/",
        "/api/v1/claims/",
    ]
    login(page, live_server, superuser)
    urls += [
        "/admin/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/history/",
        f"/admin/claims/article/{claim.article_id}/change/",
        "/admin/claims/article/upload/",
        "/admin/claims/article/bulk-upload/",
        "/admin/auth/user/",
    ]
    errors = {}
    for url in urls:
        page.console_errors.clear()
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        violations = [e for e in page.console_errors if "Content Security Policy" in e]
        if violations:
            errors[url] = violations
    assert errors == {}, "\n".join(f"{u}: {e}" for u, es in errors.items() for e in es)


def test_redoc_runs_under_its_own_policy_and_only_external_fonts_are_blocked(live_server, page):
    page.goto(f"{live_server.url}/api/v1/redoc/")
    page.wait_for_selector("text=List approved claims", state="attached", timeout=20_000)

    # Redoc reaches out for Google fonts and its logo; the policy keeps it on our server.
    blocked = [e for e in page.console_errors if "Content Security Policy" in e]
    assert all("fonts.googleapis.com" in e or "cdn.redoc.ly" in e for e in blocked), blocked
