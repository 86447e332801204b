import json
from pathlib import Path

from ingest.extraction.evaluation import (
    evaluate_gold_file,
    period_annotations_for,
    score_approved,
    score_article,
    score_periods,
)

TEXT = "Headline says 300 died. Body says around 300 died. Tens of thousands fled, 5 hurt."


def gold(**extra):
    article = {
        "file": "x.txt",
        "claims": [
            {
                "figure_low": 300,
                "figure_high": 300,
                "qualifier": "approx",
                "category": "killed",
                "side": "russia",
                "unit": None,
                "claimant": "NATO",
                "battle": None,
                "claim_date": None,
                "excerpt": "Body says around 300 died.",
            },
            {
                "figure_low": 300,
                "figure_high": 300,
                "qualifier": "exact",
                "category": "killed",
                "side": "russia",
                "unit": None,
                "claimant": "NATO",
                "battle": None,
                "claim_date": None,
                "excerpt": "Headline says 300 died.",
                "restates": 0,
                "alt": {"claimant": [None]},
            },
        ],
        "ambiguous": ["5 hurt"],
    }
    article.update(extra)
    return article


def predicted(**fields):
    claim = {
        "figure_low": 300,
        "figure_high": 300,
        "qualifier": "approx",
        "category": "killed",
        "side": "russia",
        "unit": None,
        "claimant": "NATO",
        "battle": None,
        "claim_date": None,
        "excerpt": "Body says around 300 died.",
        "start": TEXT.index("300 died. Tens"),
    }
    claim.update(fields)
    return claim


def test_a_restated_claim_counts_once_and_its_second_form_is_not_penalised():
    tally = score_article(TEXT, gold(), [predicted(), predicted(qualifier="exact", start=14)])
    assert (tally.gold, tally.predicted, tally.matched) == (1, 1, 1)


def test_ambiguous_snippets_are_neither_rewarded_nor_penalised():
    hurt = predicted(figure_low=5, figure_high=5, category="wounded", start=TEXT.index("5 hurt"))
    tally = score_article(TEXT, gold(), [predicted(), hurt])
    assert tally.false_positives == []


def test_a_wrong_field_costs_that_field_only():
    tally = score_article(TEXT, gold(), [predicted(side="ukraine")])
    scores = tally.scores()
    assert scores["claims"]["f1"] == 1.0
    assert scores["side"]["f1"] == 0.0


def test_alt_values_are_accepted():
    headline = predicted(
        start=14, claimant=None, qualifier="exact", excerpt="Headline says 300 died."
    )
    tally = score_article(TEXT, gold(), [headline])
    assert tally.wrong_fields == []


def test_claimants_compare_through_the_canonical_source_name():
    tally = score_article(
        TEXT,
        gold(),
        [predicted(claimant="North Atlantic Treaty Organization")],
        canonical=lambda name: "NATO" if "Atlantic" in name else name,
    )
    assert tally.wrong_fields == []


def test_approved_claims_measure_the_extractors_original_values():
    extracted = {"figure_low": 10, "figure_high": 10, "category": "killed", "side": "russia"}
    approved = dict(extracted, side="ukraine")
    tally = score_approved([(extracted, approved)], added_by_editors=1, rejected=1)
    scores = tally.scores()
    assert (tally.gold, tally.predicted) == (2, 2)
    assert scores["side"]["precision"] == 0.0
    assert scores["category"]["precision"] == 0.5


def test_each_prediction_gets_a_verdict_on_its_figure_category_and_side():
    hurt = predicted(figure_low=5, figure_high=5, category="wounded", start=TEXT.index("5 hurt"))
    stray = predicted(figure_low=7, figure_high=7, start=0)
    tally = score_article(
        TEXT,
        gold(),
        [predicted(claimant="someone else"), predicted(start=14), hurt, stray],
    )
    # Right core despite a wrong claimant; a restatement and a vague amount are not scored;
    # a figure nobody stated is wrong.
    assert tally.core_right == [True, None, None, False]


def test_a_wrong_side_makes_the_core_wrong():
    tally = score_article(TEXT, gold(), [predicted(side="ukraine")])
    assert tally.core_right == [False]


def test_approved_claims_kept_as_extracted_score_every_field_right():
    # extracted_values never held the excerpt; editors cannot change it.
    extracted = {
        "figure_low": 40,
        "figure_high": 40,
        "qualifier": "exact",
        "category": "wounded",
        "side": "ukraine",
        "unit": None,
        "claimant": "Someone",
        "battle": None,
        "claim_date": "2024-03-02",
    }
    approved = dict(extracted, excerpt="Forty soldiers were wounded, Someone said.")
    scores = score_approved([(extracted, approved)]).scores()
    assert scores["excerpt"]["f1"] == 1.0
    assert scores["all fields"]["f1"] == 1.0


def test_approved_claims_with_another_figure_score_no_field():
    extracted = {"figure_low": 40, "figure_high": 40, "category": "wounded", "side": "ukraine"}
    approved = dict(extracted, figure_low=400, figure_high=400)
    scores = score_approved([(extracted, approved)]).scores()
    assert scores["side"]["f1"] == 0.0


def test_periods_are_scored_on_annotated_claims_only(tmp_path):
    text = "Over the day 80 soldiers were killed. Since 2022, 900 soldiers were killed."
    gold_claims = [
        {"figure_low": 80, "figure_high": 80, "category": "killed", "excerpt": "80 soldiers"},
        {"figure_low": 900, "figure_high": 900, "category": "killed", "excerpt": "900 sold"},
    ]
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(text)
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"articles": [{"file": "a.txt", "claims": gold_claims}]}))
    predicted = [
        {"figure_low": 80, "figure_high": 80, "category": "killed", "start": 13,
         "period_start": "2024-01-01", "period_end": "2024-01-02", "period_kind": "daily"},
        {"figure_low": 900, "figure_high": 900, "category": "killed", "start": 50,
         "period_start": None, "period_end": None, "period_kind": "period"},
    ]  # fmt: skip
    _, per_article = evaluate_gold_file(gold, lambda text, published: predicted)
    annotations = {
        "a.txt": {"0": {"period_start": "2024-01-01", "period_end": "2024-01-02",
                        "period_kind": "daily"}}
    }  # fmt: skip
    tally = score_periods(gold, annotations, per_article)
    assert (tally.articles, tally.claims, tally.stated) == (1, 2, 1)
    scores = tally.scores()
    assert scores["period_start"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    # The second claim states no period: its kind is a false positive.
    assert scores["period_kind"]["precision"] == 0.5
    assert scores["period_kind"]["recall"] == 1.0
    # An article nobody annotated is not scored.
    assert score_periods(gold, {}, per_article).articles == 0


def test_a_restated_claim_counts_once_for_periods(tmp_path):
    # The headline restates the body's claim: one claim, scored on the form that matched.
    text = "Russia lost 500 troops\n\nRussia lost 500 troops over the past day, Kyiv said."
    gold_claims = [
        {"figure_low": 500, "figure_high": 500, "category": "casualties",
         "excerpt": "Russia lost 500 troops over the past day, Kyiv said."},
        {"figure_low": 500, "figure_high": 500, "category": "casualties",
         "excerpt": "Russia lost 500 troops", "restates": 0},
    ]  # fmt: skip
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(text)
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"articles": [{"file": "a.txt", "claims": gold_claims}]}))
    daily = {"period_start": "2024-01-01", "period_end": "2024-01-02", "period_kind": "daily"}
    predicted = [{"figure_low": 500, "figure_high": 500, "category": "casualties", "start": 24,
                  **daily}]  # fmt: skip
    _, per_article = evaluate_gold_file(gold, lambda text, published: predicted)
    tally = score_periods(gold, {"a.txt": {"0": daily, "1": daily}}, per_article)
    assert tally.gold["period_kind"] == 1
    assert tally.scores()["period_kind"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_period_annotations_are_found_by_the_gold_files_folder():
    data = Path(__file__).resolve().parents[2] / "data"
    assert period_annotations_for(data / "probe" / "gold.json") == data / "probe_periods.json"
    devset = period_annotations_for(Path("../shared/devset/gold.json"))
    assert devset == data / "devset_periods.json"
    assert devset.is_file()
    assert not period_annotations_for(data / "extractor" / "gold.json").is_file()
