"""/data/, a release's page and downloads, and the codebook (issue 15)."""

import hashlib
import io
import re

import pytest
from django.core.management import call_command

from claims.api.serializers import ClaimSerializer
from claims.models import Claim, DatasetRelease
from claims.releases import TABLES
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def release(settings, tmp_path) -> DatasetRelease:
    settings.DATASET_RELEASES_DIR = tmp_path
    ClaimFactory(status=Claim.Status.APPROVED)
    call_command("dataset_release", stdout=io.StringIO())
    return DatasetRelease.objects.get()


def test_data_page_lists_releases_and_says_when_there_are_none(client, settings, tmp_path):
    settings.DATASET_RELEASES_DIR = tmp_path
    assert "No release has been published yet" in client.get("/data/").content.decode()
    ClaimFactory(status=Claim.Status.APPROVED)
    call_command("dataset_release", stdout=io.StringIO())
    html = client.get("/data/").content.decode()
    assert 'href="/data/1/"' in html and "creativecommons.org/licenses/by/4.0/" in html


def test_release_page_shows_changes_files_and_how_to_cite(client, release):
    html = client.get("/data/1/").content.decode()
    assert "The first release." in html
    for name in release.files:
        assert f'href="/data/1/{name}"' in html
        assert release.files[name]["sha256"] in html
    assert "How to cite it" in html
    assert client.get("/data/2/").status_code == 404


def test_release_files_download_as_written_and_nothing_else(client, release, settings):
    response = client.get("/data/1/claims.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == release.files["claims.csv"]["sha256"]
    assert "immutable" in response["Cache-Control"]
    sums = client.get("/data/1/SHA256SUMS")
    assert sums.status_code == 200
    assert b"claims.csv" in b"".join(sums.streaming_content)
    for name in ("secret.txt", "..%2Fdb.sqlite3", ".staging-1"):
        assert client.get(f"/data/1/{name}").status_code == 404
    assert client.post("/data/1/claims.csv").status_code == 405


def test_codebook_lists_every_api_field_and_every_released_column(client):
    html = client.get("/about/codebook/").content.decode()
    api_table = re.search(r'<table class="codebook" id="api-fields">(.*?)</table>', html, re.S)
    assert api_table is not None
    listed = set(re.findall(r"<td><code>([a-z_]+)</code></td>", api_table.group(1)))
    assert listed == set(ClaimSerializer.Meta.fields)
    for table, columns in TABLES.items():
        section = re.search(rf'id="columns-{table}">(.*?)</table>', html, re.S)
        assert section is not None
        for column in columns:
            assert f"<code>{column.name}</code>" in section.group(1)
    for value in ("at_least", "visual", "intelligence", "equipment"):
        assert f"<code>{value}</code>" in html
    assert "Int64" in html
