import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from claims.models import Article, Battle, Claim, Source
from claims.services import claim_values_snapshot
from ingest.extraction.claimants import canonical_name
from ingest.extraction.evaluation import score_article
from ingest.services import reference_data_build
from tests.needs import shared_path

# Commands commit as they go and the in-process task runs after each commit, as for a user.
# (The flush after each test drops the groups; claims.apps recreates them on post_migrate.)
pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "seeds" / "articles"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_load_reference_is_idempotent():
    first, _ = run("load_reference")
    second, _ = run("load_reference")
    assert first.startswith("Battles: 20 new")
    assert second == "Battles: 0 new, 0 updated. Sources: 0 new, 0 updated.\n"
    kharkiv = Battle.objects.get(name="Kharkiv offensive (2024)")
    assert "Vovchansk" in kharkiv.aliases and kharkiv.end_date is None
    assert Source.objects.get(name="Volodymyr Zelensky").affiliation == "ukraine"


def test_ingest_articles_parses_a_folder_and_reports_duplicates(tmp_path):
    run("load_reference")
    out, _ = run("ingest_articles", str(SAMPLES), "--published", "2024-01-02")
    samples = sorted(SAMPLES.glob("*.txt"))
    n = len(samples)
    assert out.strip() == f"{n} new, 0 duplicate, 0 failed ({n} parsed, 0 waiting)."
    assert Claim.objects.filter(status=Claim.Status.DRAFT).count() >= len(samples)

    again, _ = run("ingest_articles", str(samples[0]))
    assert again.startswith("0 new, 1 duplicate, 0 failed")


def test_ingest_articles_reports_a_refused_file_and_keeps_going(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("More than 300 soldiers were captured, the army said.")
    out, err = run("ingest_articles", str(tmp_path))
    assert "empty.txt: The file is empty." in err
    assert out.startswith("1 new, 0 duplicate, 1 failed")
    assert Article.objects.get().status == Article.Status.PARSED


def test_ingest_articles_names_a_missing_path():
    with pytest.raises(CommandError, match="nowhere.txt: no such file or folder"):
        run("ingest_articles", "nowhere.txt")


def test_every_shared_seed_article_yields_draft_claims():
    run("load_reference")
    out, _ = run("ingest_articles", str(shared_path("seeds", "articles")))
    assert out.startswith("5 new, 0 duplicate, 0 failed (5 parsed")
    for article in Article.objects.all():
        assert article.claims.filter(status=Claim.Status.DRAFT).exists(), article.original_filename


def test_reparse_refuses_unknown_ids():
    with pytest.raises(CommandError, match="No article with id 999"):
        run("reparse", "--article", "999")


def test_generate_demo_data_adds_approved_claims_over_reference_battles():
    run("load_reference")
    out, _ = run("generate_demo_data", "--claims", "120", "--seed", "7")
    assert out.startswith("120 approved claims in 5 articles")
    assert Claim.objects.filter(status=Claim.Status.APPROVED).count() == 120
    assert Claim.objects.filter(battle__isnull=False).exists()
    assert Claim.objects.filter(qualifier="range", figure_low__lt=F("figure_high")).exists()


def test_generate_demo_data_needs_reference_data_first():
    with pytest.raises(CommandError, match="load_reference"):
        run("generate_demo_data", "--claims", "10")


def test_demo_setup_prints_working_editor_credentials(client):
    run("load_reference")
    run("ingest_articles", str(SAMPLES))
    out, _ = run("demo_setup", "--password", "demo-pass-123", "--url", "http://127.0.0.1:8123/")
    assert "Editor: username 'editor', password 'demo-pass-123'" in out
    assert "Site:   http://127.0.0.1:8123/\n" in out
    assert Claim.objects.filter(status=Claim.Status.APPROVED).exists()
    assert client.login(username="editor", password="demo-pass-123")


def test_demo_setup_approves_no_claim_that_contradicts_the_sample_gold_file():
    run("load_reference")
    run("ingest_articles", str(SAMPLES))
    out, _ = run("demo_setup")

    approved = Claim.objects.filter(status=Claim.Status.APPROVED)
    drafts = Claim.objects.filter(status=Claim.Status.DRAFT)
    assert approved.exists() and drafts.exists()
    assert out.startswith(
        f"{approved.count()} sample claims approved (they match gold.json in every field); "
        f"{drafts.count()} left as drafts for an editor to review."
    )
    gold = json.loads((SAMPLES / "gold.json").read_text(encoding="utf-8"))
    reference = reference_data_build()
    for gold_article in gold["articles"]:
        article = Article.objects.get(original_filename=gold_article["file"])
        published = [
            {**claim_values_snapshot(c), "excerpt": c.excerpt, "start": c.start_offset}
            for c in approved.filter(article=article).select_related("claimant", "battle")
        ]
        tally = score_article(
            article.body, gold_article, published, lambda name: canonical_name(name, reference)
        )
        assert tally.false_positives == [] and tally.wrong_fields == [], gold_article["file"]
        assert tally.all_correct == len(published), gold_article["file"]
    # What the demo used to publish: a quote credited to the wrong man, a sentence as a
    # claimant, prisoners counted against the side that took them.
    assert not approved.filter(figure_low=9000, claimant__name="John Kirby").exists()
    assert not approved.filter(claimant__name__contains="told reporters").exists()
    assert not approved.filter(figure_low=850, side="russia").exists()


def test_generate_demo_data_uses_the_parties_of_each_battles_war():
    run("load_reference")
    run("generate_demo_data", "--claims", "400", "--seed", "3")
    mosul_sides = set(
        Claim.objects.filter(battle__name="Battle of Mosul (2016-2017)").values_list(
            "side", flat=True
        )
    )
    assert mosul_sides and mosul_sides <= {"isis", "iraq"}


def test_sample_gold_file_lists_every_sample_article_and_quotes_it_exactly():
    gold = json.loads((SAMPLES / "gold.json").read_text(encoding="utf-8"))
    assert sorted(a["file"] for a in gold["articles"]) == sorted(
        p.name for p in SAMPLES.glob("*.txt")
    )
    for gold_article in gold["articles"]:
        text = (SAMPLES / gold_article["file"]).read_text(encoding="utf-8")
        for claim in gold_article["claims"]:
            assert claim["excerpt"] in text
        for distractor in gold_article["distractors"]:
            assert distractor in text


def test_demo_setup_refuses_a_file_that_is_not_a_gold_file(tmp_path):
    broken = tmp_path / "gold.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="is not a gold file"):
        run("demo_setup", "--gold", str(broken))
    with pytest.raises(CommandError, match="No such gold file"):
        run("demo_setup", "--gold", str(tmp_path / "missing.json"))


# --- manifests (issue 14) -----------------------------------------------------------------


def write_articles(folder: Path) -> None:
    (folder / "first.txt").write_text("Around 400 soldiers were captured near the lake, it said.")
    (folder / "second.txt").write_text("More than 90 tanks were destroyed, the ministry said.")
    (folder / "third.txt").write_text("At least 15 fighters were killed on the ridge, it said.")


def test_ingest_articles_reads_dates_and_outlets_from_a_csv_manifest(tmp_path):
    write_articles(tmp_path)
    (tmp_path / "manifest.csv").write_text(
        "file,published,outlet,url,title\n"
        "first.txt,2024-03-04,Lakeside Courier,https://example.org/first,Lake report\n"
        "second.txt,2024-05-06,,,\n"
    )
    out, _ = run("ingest_articles", str(tmp_path), "--outlet", "Default Wire")

    first = Article.objects.get(original_filename="first.txt")
    second = Article.objects.get(original_filename="second.txt")
    assert (str(first.published_date), first.outlet.name) == ("2024-03-04", "Lakeside Courier")
    assert (first.url, first.title) == ("https://example.org/first", "Lake report")
    assert (str(second.published_date), second.outlet.name) == ("2024-05-06", "Default Wire")
    assert "1 without a date: third.txt." in out


def test_ingest_articles_reads_a_json_manifest_given_by_path(tmp_path):
    write_articles(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    # Kept in another folder, it names the files by name alone.
    manifest = tmp_path / "elsewhere" / "dates.json"
    manifest.write_text(
        '{"articles": [{"file": "third.txt", "published": "2023-11-30", "outlet": "Ridge Post"}]}'
    )
    out, _ = run("ingest_articles", str(tmp_path / "third.txt"), "--manifest", str(manifest))
    third = Article.objects.get()
    assert (str(third.published_date), third.outlet.name) == ("2023-11-30", "Ridge Post")
    assert "without a date" not in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("manifest.csv", "file,published\nfirst.txt,04/03/2024\n", "entry 1: published"),
        ("manifest.csv", "name,date\nfirst.txt,2024-03-04\n", "must name the columns"),
        ("manifest.json", "[{", "not valid JSON"),
        ("manifest.json", '[{"published": "2024-03-04"}]', "entry 1: no file named"),
        ("manifest.json", '{"files": []}', "expected a list of entries"),
    ],
)
def test_a_bad_manifest_is_refused_with_the_reason_before_anything_is_saved(
    tmp_path, name, content, message
):
    write_articles(tmp_path)
    (tmp_path / name).write_text(content)
    with pytest.raises(CommandError, match=message):
        run("ingest_articles", str(tmp_path))
    assert not Article.objects.exists()
