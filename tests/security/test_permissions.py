"""Who may see and do what: anonymous, viewer, editor and superuser against every public page,
API endpoint and admin page or action. Draft and rejected claims never appear outside the
admin, in any format: HTML, JSON, CSV, search, chart data."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from rest_framework.authtoken.models import Token

from claims.models import Article, Claim
from tests.factories import ArticleFactory, BattleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "viewer", "editor", "superuser"]
# Distinct figures and words that must never leave the admin. Eight digits, so that they
# cannot turn up by chance inside a timestamp or a token on the page.
HIDDEN = [
    "77310917",
    "77,310,917",
    "88630529",
    "88,630,529",
    "DRAFTWORD",
    "REJECTEDWORD",
    "Unpublished wire",
]


@pytest.fixture
def data(db):
    battle = BattleFactory(name="Battle of Matrixville", slug="matrixville")
    claimant = SourceFactory(name="General Matrix", slug="general-matrix")
    approved = ClaimFactory(
        status=Claim.Status.APPROVED,
        battle=battle,
        claimant=claimant,
        figure_low=4242,
        figure_high=4242,
        excerpt="The general said 4,242 were killed.",
    )
    hidden_article = ArticleFactory(
        title="Unpublished wire",
        body="DRAFTWORD 77,310,917 REJECTEDWORD 88,630,529",
        status="parsed",
    )
    draft = ClaimFactory(
        article=hidden_article,
        battle=battle,
        claimant=claimant,
        figure_low=77310917,
        figure_high=77310917,
        excerpt="DRAFTWORD 77,310,917 were killed.",
    )
    rejected = ClaimFactory(
        article=hidden_article,
        battle=battle,
        claimant=claimant,
        status=Claim.Status.REJECTED,
        figure_low=88630529,
        figure_high=88630529,
        excerpt="REJECTEDWORD 88,630,529 were killed.",
    )
    return {"battle": battle, "approved": approved, "draft": draft, "rejected": rejected}


@pytest.fixture(params=ROLES)
def as_role(request, client, data):
    """A Django test client logged in (session and API token) as the role, or anonymous."""
    role = request.param
    if role != "anonymous":
        user = request.getfixturevalue(role)
        client.force_login(user)
        token, _ = Token.objects.get_or_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    client.role = role
    return client


def public_urls(data) -> list[str]:
    battle, approved = data["battle"], data["approved"]
    return [
        "/",
        f"/battles/{battle.slug}/",
        f"/battles/{battle.slug}/?status=draft",
        f"/battles/{battle.slug}/claims.csv",
        f"/claims/{approved.pk}/",
        f"/articles/{approved.article_id}/",
        f"/sources/{approved.claimant.slug}/",
        "/search/?q=Matrix",
        "/search/?q=DRAFTWORD",
        "/search/?q=77310917",
        "/api/v1/claims/",
        "/api/v1/claims/?format=csv",
        f"/api/v1/claims/?battle={battle.slug}",
        "/api/v1/claims/dump/",
        f"/api/v1/claims/{approved.pk}/",
        "/api/v1/battles/",
        f"/api/v1/battles/{battle.slug}/",
        f"/api/v1/battles/{battle.slug}/summary/",
        "/api/v1/sources/",
        f"/api/v1/sources/{approved.claimant.slug}/",
        "/api/v1/articles/",
        f"/api/v1/articles/{approved.article_id}/",
    ]


def test_public_pages_and_api_answer_every_role_and_never_show_unpublished_claims(as_role, data):
    for url in public_urls(data):
        response = as_role.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        assert response.status_code == 200, (as_role.role, url, response.status_code)
        # A search page repeats its query: look for the other hidden words there.
        for hidden in (h for h in HIDDEN if h not in url):
            assert hidden not in text, (as_role.role, url, hidden)
    assert "4,242" in as_role.get(f"/battles/{data['battle'].slug}/").content.decode()


def test_unpublished_claims_have_a_page_only_for_reviewers(as_role, data):
    # Reviewers preview a draft's page from the admin; everyone else gets a 404.
    expected = 200 if as_role.role in ("editor", "superuser") else 404
    for claim in (data["draft"], data["rejected"]):
        assert as_role.get(f"/claims/{claim.pk}/").status_code == expected, as_role.role


def test_unpublished_claims_and_articles_are_not_in_the_api_or_article_pages(as_role, data):
    draft, rejected = data["draft"], data["rejected"]
    urls = [
        f"/articles/{draft.article_id}/",
        f"/api/v1/claims/{draft.pk}/",
        f"/api/v1/claims/{rejected.pk}/",
        f"/api/v1/articles/{draft.article_id}/",
    ]
    for url in urls:
        assert as_role.get(url).status_code == 404, (as_role.role, url)


# Admin pages: what each role gets. 302 = sent to the login page.
ADMIN_PAGES = {
    "/admin/": {"anonymous": 302, "viewer": 200, "editor": 200, "superuser": 200},
    "/admin/claims/claim/": {"anonymous": 302, "viewer": 200, "editor": 200, "superuser": 200},
    "/admin/claims/article/": {"anonymous": 302, "viewer": 200, "editor": 200, "superuser": 200},
    "/admin/claims/battle/": {"anonymous": 302, "viewer": 200, "editor": 200, "superuser": 200},
    "/admin/claims/source/": {"anonymous": 302, "viewer": 200, "editor": 200, "superuser": 200},
    "/admin/claims/article/upload/": {
        "anonymous": 302,
        "viewer": 403,
        "editor": 200,
        "superuser": 200,
    },
    "/admin/claims/article/bulk-upload/": {
        "anonymous": 302,
        "viewer": 403,
        "editor": 200,
        "superuser": 200,
    },
    "/admin/auth/user/": {"anonymous": 302, "viewer": 403, "editor": 403, "superuser": 200},
}


def test_admin_pages_open_only_for_the_roles_that_may_see_them(as_role, data):
    draft = data["draft"]
    pages = {
        **ADMIN_PAGES,
        f"/admin/claims/claim/{draft.pk}/change/": {
            "anonymous": 302,
            "viewer": 200,
            "editor": 200,
            "superuser": 200,
        },
        f"/admin/claims/claim/{draft.pk}/history/": {
            "anonymous": 302,
            "viewer": 200,
            "editor": 200,
            "superuser": 200,
        },
        f"/admin/claims/article/{draft.article_id}/change/": {
            "anonymous": 302,
            "viewer": 200,
            "editor": 200,
            "superuser": 200,
        },
    }
    got = {url: as_role.get(url).status_code for url in pages}
    assert got == {url: expected[as_role.role] for url, expected in pages.items()}


def run_action(client, model: str, action: str, pks: list[int], **extra):
    return client.post(
        reverse(f"admin:claims_{model}_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: pks, **extra},
    )


def test_only_editors_and_superusers_can_approve_or_reject(as_role, data):
    draft = data["draft"]
    run_action(as_role, "claim", "approve_claims", [draft.pk])
    draft.refresh_from_db()
    may_review = as_role.role in ("editor", "superuser")
    assert (draft.status == Claim.Status.APPROVED) is may_review, as_role.role

    other = ClaimFactory(article=draft.article, figure_low=5, figure_high=5)
    run_action(as_role, "claim", "reject_claims", [other.pk], reason="Not a figure.", apply="1")
    other.refresh_from_db()
    assert (other.status == Claim.Status.REJECTED) is may_review, as_role.role


def test_only_editors_and_superusers_can_reparse(as_role, data, django_capture_on_commit_callbacks):
    article = data["draft"].article
    Article.objects.filter(pk=article.pk).update(status=Article.Status.FAILED)
    with django_capture_on_commit_callbacks(execute=False):
        as_role.post(reverse("admin:claims_article_reparse", args=[article.pk]))
        run_action(as_role, "article", "retry_failed_articles", [article.pk])
    article.refresh_from_db()
    may = as_role.role in ("editor", "superuser")
    assert (article.status == Article.Status.QUEUED) is may, as_role.role


def test_api_upload_needs_the_ingest_permission(as_role, data):
    response = as_role.post("/api/v1/articles/", {"text": "About 300 soldiers were killed."})
    expected = {"anonymous": 401, "viewer": 403, "editor": 202, "superuser": 202}
    assert response.status_code == expected[as_role.role]


def test_upload_status_is_for_the_uploader_and_those_who_review(as_role, data, editor):
    article = ArticleFactory(uploaded_by=editor, status=Article.Status.QUEUED)
    response = as_role.get(f"/api/v1/articles/{article.pk}/status/")
    expected = {"anonymous": 401, "viewer": 200, "editor": 200, "superuser": 200}
    assert response.status_code == expected[as_role.role]
