"""/api/v1/releases/: the published dataset releases (issue 15)."""

import io

import pytest
from django.core.management import call_command

from claims.models import Claim, DatasetRelease
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def release(settings, tmp_path) -> DatasetRelease:
    settings.DATASET_RELEASES_DIR = tmp_path
    ClaimFactory(status=Claim.Status.APPROVED)
    call_command("dataset_release", stdout=io.StringIO())
    return DatasetRelease.objects.get()


def test_api_lists_releases_with_their_files(api_client, token_client, superuser, release):
    rows = api_client.get("/api/v1/releases/").json()["results"]
    assert [row["number"] for row in rows] == [1]
    files = {entry["name"]: entry for entry in rows[0]["files"]}
    assert set(files) == {*release.files, "SHA256SUMS"}
    assert files["claims.csv"]["url"] == "http://testserver/data/1/claims.csv"
    assert api_client.get("/api/v1/releases/1/").json()["claims_count"] == 1
    assert api_client.get("/api/v1/releases/9/").status_code == 404
    for client in (api_client, token_client(superuser)):
        assert client.post("/api/v1/releases/", {"number": 2}).status_code == 405
        assert client.delete("/api/v1/releases/1/").status_code == 405


def test_release_list_query_count(api_client, release, django_assert_num_queries):
    with django_assert_num_queries(2):  # the count, the page
        api_client.get("/api/v1/releases/")
