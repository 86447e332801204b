"""dataset_release (issue 15, part 2): a numbered, immutable Frictionless Data Package with CSV
and Parquet, checksums and a citation file, and what changed since the previous release."""

import hashlib
import io
import json
import stat
from datetime import date
from pathlib import Path

import frictionless
import pandas as pd
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from claims.api.serializers import ClaimSerializer
from claims.models import Claim, DatasetRelease
from claims.releases import ARTICLE_COLUMNS, CLAIM_COLUMNS, PANDAS_DTYPES, TABLES
from claims.selectors import CLAIM_EXPORT_COLUMNS
from claims.services import claim_return_to_draft, claim_update
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def releases(settings, tmp_path) -> Path:
    settings.DATASET_RELEASES_DIR = tmp_path
    return tmp_path


def approved(**fields) -> Claim:
    return ClaimFactory(status=Claim.Status.APPROVED, **fields)


def publish() -> DatasetRelease:
    call_command("dataset_release", stdout=io.StringIO())
    return DatasetRelease.objects.order_by("-number").first()


def test_a_release_is_a_valid_data_package_with_csv_parquet_checksums_and_citation(releases):
    claim = approved(excerpt='He said "about 900", then\na line break.')
    claim.reported_by.add(ArticleFactory())
    approved(qualifier="at_least", figure_high=None, claimant=None, battle=None)
    ClaimFactory()  # a draft: never released

    release = publish()

    folder = releases / "1"
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note", "resourceName"])
    package = json.loads((folder / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {r["path"] for r in package["resources"]} == {
        f"{table}.{suffix}" for table in TABLES for suffix in ("csv", "parquet")
    }
    sums = dict(
        reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines()
    )
    assert set(sums) == set(release.files)
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    citation = (folder / "CITATION.cff").read_text()
    assert "cff-version: 1.2.0" in citation and 'version: "1"' in citation
    assert "license: CC-BY-4.0" in citation
    assert release.claims_count == 2 and release.added_count == 2
    # Published files cannot be written to.
    assert not (folder / "claims.csv").stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP)


def test_pandas_and_pyarrow_read_both_files_with_the_documented_types(releases):
    approved(qualifier="at_most", figure_low=None, figure_high=400, period_start=date(2023, 2, 1))
    approved(qualifier="range", figure_low=10, figure_high=20)
    publish()
    folder = releases / "1"

    from_parquet = pd.read_parquet(folder / "claims.parquet")
    integers = [c.name for c in CLAIM_COLUMNS if c.type == "integer"]
    for column in integers:
        assert str(from_parquet[column].dtype) == "Int64", column
    table = pq.read_table(folder / "claims.parquet")
    assert str(table.schema.field("claim_date").type) == "date32[day]"
    assert str(table.schema.field("updated_at").type) == "timestamp[us, tz=UTC]"

    # The CSV, read as the codebook says.
    from_csv = pd.read_csv(
        folder / "claims.csv",
        dtype={column: PANDAS_DTYPES["integer"] for column in integers},
        keep_default_na=False,
        na_values=[""],
    )
    assert from_csv["figure_low"].tolist()[0] is pd.NA or pd.isna(from_csv["figure_low"][0])
    assert from_csv[integers].equals(from_parquet[integers])


def test_the_next_release_counts_what_was_added_corrected_and_withdrawn(releases, editor):
    kept, corrected, withdrawn = approved(), approved(), approved()
    publish()
    claim_update(claim=corrected, user=editor, data={"unit": "a brigade"})
    corrected.refresh_from_db()
    from claims.services import claim_approve

    claim_approve(claim=corrected, user=editor)
    claim_return_to_draft(claim=withdrawn, user=editor)
    added = approved()

    second = publish()

    assert second.number == 2
    assert (second.claims_count, second.added_count) == (3, 1)
    assert (second.corrected_count, second.withdrawn_count) == (1, 1)
    package = json.loads((releases / "2" / "datapackage.json").read_text())
    assert package["claimsite_changes"]["previous_release"] == 1
    # The first release did not change.
    first = pd.read_csv(releases / "1" / "claims.csv")
    assert set(first["id"]) == {kept.pk, corrected.pk, withdrawn.pk}
    assert added.pk not in set(first["id"])


def test_a_leftover_folder_is_never_overwritten(releases):
    (releases / "1").mkdir()
    (releases / "1" / "claims.csv").write_text("someone's file")
    with pytest.raises(CommandError, match="remove it before releasing again"):
        call_command("dataset_release")
    assert (releases / "1" / "claims.csv").read_text() == "someone's file"
    assert not DatasetRelease.objects.exists()
    assert [path.name for path in releases.iterdir()] == ["1"]  # no staging folder left


def test_table_schemas_match_the_csv_columns_and_the_api_fields():
    assert [column.name for column in CLAIM_COLUMNS] == CLAIM_EXPORT_COLUMNS
    assert [column.name for column in ARTICLE_COLUMNS][:1] == ["id"]
    # Every API field of a claim is in the released table, under its name or flattened.
    flattened = {
        "claimant",
        "battle",
        "article",
        "api_url",
        "page_url",
        "figure_display",
        "period_display",
    }  # period_display: the period columns in words
    assessment = {"corroborations", "contested"}  # computed by the site, not released
    # Where a claim is placed in time follows from claim_date, claim_date_precision and
    # article_published, which are released.
    flattened |= {"conflict", "placed_date", "date_basis", "date_precision"}
    columns = {column.name for column in CLAIM_COLUMNS}
    for field in ClaimSerializer.Meta.fields:
        assert field in columns or field in flattened | assessment, field
