"""The extractor against gold files: the shared seed articles (the issue's floor: every claim
with every field right, nothing else), our own invented corpus, and the shared devset."""

import dataclasses

import pytest

from ingest.extraction import extract_article
from ingest.extraction.claimants import canonical_name
from ingest.extraction.evaluation import (
    evaluate_gold_file,
    load_period_annotations,
    period_annotations_for,
    score_periods,
)
from tests.needs import shared_path

from .conftest import CORPUS

PROBE = CORPUS.parent / "probe"


def _score(gold_path, reference, part=None):
    def extract(text, published):
        extraction = extract_article(text, published=published, reference=reference)
        return [dataclasses.asdict(c) for c in extraction.claims]

    total, _ = evaluate_gold_file(
        gold_path, extract, canonical=lambda name: canonical_name(name, reference), part=part
    )
    return total


def test_seed_articles_give_exactly_the_gold_claims_with_every_field_right(reference):
    total = _score(shared_path("seeds", "gold.json"), reference)
    assert total.misses == []
    assert total.false_positives == []
    assert total.wrong_fields == []


def test_own_corpus_scores_above_the_bar(reference):
    # 34 invented articles over six wars with every trap of issue 3. The bar sits a little
    # under today's scores (claims F1 0.99, all fields 0.93) so a regression fails loudly
    # while small wording changes in the rules do not.
    scores = _score(CORPUS / "gold.json", reference).scores()
    assert scores["claims"]["precision"] >= 0.95
    assert scores["claims"]["f1"] >= 0.93
    for field in ("category", "qualifier", "side", "claimant", "battle", "claim_date"):
        assert scores[field]["f1"] >= 0.88, field
    assert scores["all fields"]["f1"] >= 0.85


# Bars just under the scores of EXTRACTOR_VERSION 2026.12.8 (docs/extractor.md), per part of
# the devset's fixed split: the tune part is the one the rules were read against, the check
# part was only ever scored. A regression on either fails; raise the bars as scores rise.
DEVSET_BARS = {
    "tune": {"claims_f1": 0.97, "claims_precision": 0.98, "all_fields_f1": 0.75},
    "check": {"claims_f1": 0.74, "claims_precision": 0.93, "all_fields_f1": 0.23},
}
# The same for our probe set (tests/data/probe/README.md): odd articles tuned on, even checked.
PROBE_BARS = {
    "tune": {"claims_f1": 0.91, "claims_precision": 0.96, "all_fields_f1": 0.55},
    "check": {"claims_f1": 0.87, "claims_precision": 0.96, "all_fields_f1": 0.33},
}


def _assert_bars(scores, bars):
    assert scores["claims"]["f1"] >= bars["claims_f1"]
    assert scores["claims"]["precision"] >= bars["claims_precision"]
    assert scores["all fields"]["f1"] >= bars["all_fields_f1"]


@pytest.mark.parametrize("part", sorted(DEVSET_BARS))
def test_devset_does_not_regress(reference, part):
    scores = _score(shared_path("devset", "gold.json"), reference, part=part).scores()
    _assert_bars(scores, DEVSET_BARS[part])


@pytest.mark.parametrize("part", sorted(PROBE_BARS))
def test_probe_set_does_not_regress(reference, part):
    scores = _score(PROBE / "gold.json", reference, part=part).scores()
    _assert_bars(scores, PROBE_BARS[part])


def _period_scores(gold, reference, part):
    """Period precision and recall of one part of a gold file against our annotation of it
    (tests/data/<set>_periods.json, found as evaluate_extractor finds it)."""

    def extract(text, published):
        extraction = extract_article(text, published=published, reference=reference)
        return [dataclasses.asdict(c) for c in extraction.claims]

    _, per_article = evaluate_gold_file(
        gold, extract, canonical=lambda name: canonical_name(name, reference), part=part
    )
    annotations = load_period_annotations(period_annotations_for(gold))
    return score_periods(gold, annotations, per_article)


def test_devset_tune_periods_stay_above_the_bar(reference):
    # Our own period annotation of the tune part (tests/data/devset_periods.json; the check
    # part is not annotated). Bars under today's F1 (start 0.97, end 0.96, kind 0.98).
    tally = _period_scores(shared_path("devset", "gold.json"), reference, "tune")
    assert tally.articles == 37
    scores = tally.scores()
    for name in ("period_start", "period_end", "period_kind"):
        assert scores[name]["f1"] >= 0.90, name


# Periods of the probe set (tests/data/probe_periods.json, annotated blind on every claim of
# both parts): bars just under the F1 the rules of EXTRACTOR_VERSION 2026.12.7 and later
# reached at the first scoring (tune: start 0.58, end 0.61, kind 0.60; check: start 0.67, end
# 0.69, kind 0.70). Recall is what is low: raise the bars as it rises.
PROBE_PERIOD_BARS = {
    "tune": {"period_start": 0.56, "period_end": 0.59, "period_kind": 0.58},
    "check": {"period_start": 0.65, "period_end": 0.67, "period_kind": 0.68},
}


@pytest.mark.parametrize("part", sorted(PROBE_PERIOD_BARS))
def test_probe_periods_stay_above_the_bar(reference, part):
    tally = _period_scores(PROBE / "gold.json", reference, part)
    assert (tally.articles, tally.claims) == {"tune": (24, 224), "check": (24, 213)}[part]
    scores = tally.scores()
    for name, bar in PROBE_PERIOD_BARS[part].items():
        assert scores[name]["f1"] >= bar, name
