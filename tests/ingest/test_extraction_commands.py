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


@pytest.mark.django_db
def test_evaluate_extractor_prints_the_confidence_auc_and_reliability_table():
    out = run("evaluate_extractor", str(CORPUS / "gold.json"), "--part", "tune")
    assert "scored drafts" in out and "AUC" in out
    assert "mean confidence: right" in out
    table = out[out.index("decile") :].splitlines()
    assert table[0].split() == ["decile", "drafts", "confidence", "predicted", "observed"]
    assert len(table) == 11


# Invented articles for fitting: in each, the gold lists the first figure only, so the
# extractor's other figures count as wrong drafts.
FIT_ARTICLES = [
    "The Defence Ministry said {n} Russian soldiers were killed near the dam.\n\n"
    "Fog hid the valley\n\nAnother {m} were reported dead.",
    "Army spokesman Ivan Petrenko said {n} Ukrainian troops were wounded on Tuesday.\n\n"
    "Up to {m} people may have died",
]


def _fit_gold(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    entries = []
    for k in range(10):
        n, m = 100 + k, 30 + k
        text = FIT_ARTICLES[k % 2].format(n=n, m=m)
        (articles / f"t{k}.txt").write_text(text, encoding="utf-8")
        category, side = ("killed", "russia") if k % 2 == 0 else ("wounded", "ukraine")
        first = text.split("\n")[0]
        gold_claim = {
            "figure_low": n, "figure_high": n, "qualifier": "exact", "category": category,
            "side": side, "unit": None, "claimant": None, "battle": None, "claim_date": None,
            "excerpt": first,
        }  # fmt: skip
        entries.append({"file": f"t{k}.txt", "published": "2024-05-01", "claims": [gold_claim]})
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"articles": entries}), encoding="utf-8")
    return gold


@pytest.mark.django_db
def test_fit_confidence_writes_a_model_that_the_pipeline_then_reads(tmp_path, monkeypatch):
    from ingest.extraction import EXTRACTOR_VERSION, confidence, extract_article

    output = tmp_path / "confidence.json"
    out = run("fit_confidence", str(_fit_gold(tmp_path)), "--output", str(output))

    stored = json.loads(output.read_text(encoding="utf-8"))
    assert set(stored["coefficients"]) == set(confidence.FEATURES)
    assert stored["extractor_version"] == EXTRACTOR_VERSION
    assert stored["part"] == "tune" and stored["drafts"] > stored["right"] > 0
    assert 0.0 <= stored["tune_auc"] <= 1.0
    assert "AUC" in out and str(output) in out
    monkeypatch.setattr(confidence, "MODEL_PATH", output)
    confidence.load_model.cache_clear()
    try:
        claims = extract_article(FIT_ARTICLES[0].format(n=500, m=20)).claims
        fitted = confidence.model_from_dict(stored)
        assert [c.confidence for c in claims] == [confidence.score(c, fitted) for c in claims]
        assert confidence.load_model().intercept == stored["intercept"]
    finally:
        confidence.load_model.cache_clear()  # the other tests read the stored model again


@pytest.mark.django_db
def test_fit_confidence_refuses_a_missing_gold_file_and_too_few_articles(tmp_path):
    with pytest.raises(CommandError, match="No such gold file"):
        run("fit_confidence", str(tmp_path / "nothing.json"))
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"articles": []}), encoding="utf-8")
    with pytest.raises(CommandError, match="Need right and wrong drafts"):
        run("fit_confidence", str(gold), "--output", str(tmp_path / "model.json"))
    assert not (tmp_path / "model.json").exists()
