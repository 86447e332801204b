import io
import json
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim
from ingest.extraction.output import OUTPUT_KEYS
from tests.factories import BattleFactory

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "extractor"
ARTICLE = CORPUS / "articles" / "e26_killed_or_injured.txt"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_extract_claims_prints_a_json_array_with_exactly_the_documented_keys():
    rows = json.loads(run("extract_claims", str(ARTICLE), "--published", "2024-09-12"))
    assert [tuple(row) for row in rows] == [OUTPUT_KEYS] * len(rows)
    first = rows[0]
    assert (first["figure_low"], first["category"], first["side"]) == (6600, "casualties", "russia")
    assert first["claim_date"] == "2024-09-11"
    assert first["battle"] == "Kursk incursion"  # from the seed file: this DB has no battles
    text = ARTICLE.read_text(encoding="utf-8")
    assert all(text[row["start"] : row["end"]] in row["excerpt"] for row in rows)
    assert rows[1]["parent"] == 0


@pytest.mark.django_db
def test_extract_claims_does_not_touch_the_database():
    run("extract_claims", str(ARTICLE))
    assert Claim.objects.count() == 0


@pytest.mark.django_db
def test_extract_claims_uses_the_battles_in_the_database_when_there_are_some():
    BattleFactory(
        name="Kursk test battle", slug="kursk-test", conflict="Test war", aliases=["Kursk Oblast"]
    )
    rows = json.loads(run("extract_claims", str(ARTICLE), "--published", "2024-09-12"))
    assert rows[0]["battle"] == "Kursk test battle"


@pytest.mark.django_db
def test_extract_claims_reads_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("NATO estimates that 7,000 Russian troops died."))
    rows = json.loads(run("extract_claims", "-"))
    assert [(r["figure_low"], r["claimant"]) for r in rows] == [(7000, "NATO")]


@pytest.mark.django_db
def test_extract_claims_prints_a_table():
    out = run("extract_claims", str(ARTICLE), "--format", "table")
    assert out.splitlines()[0].split()[:3] == ["#", "figure", "qualifier"]
    assert "6600" in out


@pytest.mark.django_db
def test_extract_claims_refuses_a_missing_file_and_a_bad_date():
    with pytest.raises(CommandError):
        run("extract_claims", "no-such-file.txt")
    with pytest.raises(CommandError):
        run("extract_claims", str(ARTICLE), "--published", "12/09/2024")


@pytest.mark.django_db
def test_evaluate_extractor_prints_per_field_scores_for_a_gold_file():
    out = run("evaluate_extractor", str(CORPUS / "gold.json"), "--verbose")
    lines = out.splitlines()
    assert lines[1].split() == ["field", "precision", "recall", "f1"]
    fields = [line.split()[0] for line in lines[2:12]]
    assert fields[:3] == ["claims", "category", "qualifier"]
    assert "misses:" in out


@pytest.mark.django_db
def test_evaluate_extractor_measures_approved_claims():
    out = run("evaluate_extractor", "--approved")
    assert out.startswith("gold claims 0, predicted 0")
