"""Bad values in the fields typed next to an upload, and by an editor on a claim: each one is
a form or API error on that field, never a 500 and never a saved article or claim."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from claims.models import Article, Claim
from tests.claims.test_admin import claim_form_data
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

ADMIN_UPLOAD = reverse("admin:claims_article_upload")
API_UPLOAD = "/api/v1/articles/"
TEXT = "The ministry said about 1,200 soldiers were killed near the town on Monday."
NEXT_YEAR = (date.today() + timedelta(days=400)).isoformat()


def admin_upload(client, **fields):
    data = {"text": TEXT, "url": "", "title": "", "outlet": "", "author": "", "published": ""}
    return client.post(ADMIN_UPLOAD, {**data, **fields})


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JaVaScRiPt:window.pwned=1", "data:text/html,<b>x</b>"]
)
def test_a_script_url_is_refused_in_the_admin_and_the_api(url, client, editor, token_client):
    client.force_login(editor)
    admin = admin_upload(client, url=url)
    api = token_client(editor).post(API_UPLOAD, {"text": TEXT, "url": url})

    assert admin.status_code == 200
    assert admin.context["form"].errors["url"] == ["Enter a valid URL."]
    assert api.status_code == 400 and api.json()["fields"]["url"] == ["Enter a valid URL."]
    assert not Article.objects.exists()


def test_a_published_date_in_the_future_is_refused_with_the_reason(client, editor, token_client):
    client.force_login(editor)
    admin = admin_upload(client, published=NEXT_YEAR)
    api = token_client(editor).post(API_UPLOAD, {"text": TEXT, "published": NEXT_YEAR})

    message = f"The published date {NEXT_YEAR} is in the future."
    assert admin.status_code == 200
    assert message in admin.context["form"].non_field_errors()[0]
    assert api.status_code == 400 and message in api.json()["detail"]
    assert not Article.objects.exists()


def test_a_published_date_of_today_is_accepted(client, editor):
    client.force_login(editor)
    response = admin_upload(client, published=date.today().isoformat())
    assert response.status_code == 302
    assert Article.objects.get().published_date == date.today()


def test_an_editor_typing_low_above_high_gets_a_form_error(client, editor):
    claim = ClaimFactory(qualifier=Claim.Qualifier.RANGE, figure_low=700, figure_high=1500)
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        claim_form_data(claim, figure_low=1500, figure_high=700),
    )

    assert response.status_code == 200
    assert "figure" in str(response.context["adminform"].form.errors).lower()
    claim.refresh_from_db()
    assert (claim.figure_low, claim.figure_high) == (700, 1500)


def test_an_editor_typing_a_negative_or_enormous_figure_gets_a_form_error(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    for low, high in [(-5, 10), (10**30, 10**30)]:
        response = client.post(url, claim_form_data(claim, figure_low=low, figure_high=high))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.figure_low == 1200
