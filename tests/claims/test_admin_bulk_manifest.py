"""The bulk upload takes the same manifest as ingest_articles (issue 14)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Article

pytestmark = pytest.mark.django_db

BULK = reverse("admin:claims_article_bulk_upload")


def test_bulk_upload_takes_dates_outlets_urls_and_titles_from_a_manifest(client, editor):
    client.force_login(editor)
    files = [
        SimpleUploadedFile("north.txt", b"About 70 drones were downed overnight, it said."),
        SimpleUploadedFile("south.txt", b"Some 25 soldiers were captured, the army said."),
    ]
    manifest = SimpleUploadedFile(
        "manifest.csv",
        b"file,published,outlet,url,title\n"
        b"north.txt,2024-02-03,Northern Herald,https://example.org/north,Drones downed\n",
    )
    response = client.post(
        BULK, {"files": files, "manifest": manifest, "outlet": "Default Wire", "published": ""}
    )

    assert response.status_code == 200
    north = Article.objects.get(original_filename="north.txt")
    south = Article.objects.get(original_filename="south.txt")
    assert (str(north.published_date), north.outlet.name) == ("2024-02-03", "Northern Herald")
    assert (north.url, north.title) == ("https://example.org/north", "Drones downed")
    assert (south.published_date, south.outlet.name) == (None, "Default Wire")


def test_a_bad_manifest_is_a_form_error_and_nothing_is_saved(client, editor):
    client.force_login(editor)
    response = client.post(
        BULK,
        {
            "files": [SimpleUploadedFile("north.txt", b"About 70 drones were downed.")],
            "manifest": SimpleUploadedFile(
                "manifest.json", b'[{"file": "north.txt", "published": "soon"}]'
            ),
        },
    )
    assert response.status_code == 200
    assert b"is not a date (YYYY-MM-DD)" in response.content
    assert not Article.objects.exists()
