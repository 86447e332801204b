"""Security headers on every kind of response: a Content-Security-Policy without inline
scripts, nosniff, a referrer policy, no framing, and CSRF tokens on every form."""

import re

import pytest
from django.urls import reverse

from claims.models import Claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/search/?q=Bakhmut",
    "/about/",
    "/api/v1/claims/",
    "/api/v1/docs/",
    "/admin/login/",
    "/nowhere/",
]


@pytest.fixture
def claim(db):
    return ClaimFactory(status=Claim.Status.APPROVED)


def csp_of(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("url", PAGES)
def test_every_response_carries_the_security_headers(url, client, claim):
    response = client.get(url)

    assert response.status_code in (200, 404)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    csp = csp_of(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]


def test_only_redoc_may_run_its_inline_start_up_script(client):
    assert "'unsafe-inline'" in csp_of(client.get("/api/v1/redoc/"))["script-src"]
    assert csp_of(client.get("/")).get("script-src") == ["'self'"]


@pytest.mark.parametrize("url", ["/", "/about/", "/api/v1/docs/", "/admin/login/"])
def test_our_pages_have_no_inline_scripts_or_handlers(url, client, claim):
    html = client.get(url).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html)


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:claims_article_upload"),
        reverse("admin:claims_article_bulk_upload"),
        reverse("admin:claims_claim_changelist"),
    ],
)
def test_every_admin_form_carries_a_csrf_token(url, client, editor):
    client.force_login(editor)
    html = client.get(url).content.decode()
    forms = re.findall(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S | re.I)
    assert forms
    assert all("csrfmiddlewaretoken" in form for form in forms)


def test_a_post_without_the_csrf_token_is_refused(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(reverse("admin:claims_article_upload"), {"text": "About 300 killed."})

    assert response.status_code == 403
