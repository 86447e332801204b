"""The draft confidence: a probability from the stored model over the evidence the stages
record, and the measures evaluate_extractor prints. No test depends on the fitted numbers,
which change on every refit."""

import dataclasses
import json

import pytest

from ingest.extraction import EXTRACTOR_VERSION, extract_article
from ingest.extraction.confidence import (
    FEATURES,
    MODEL_PATH,
    Model,
    auc,
    features,
    format_calibration,
    load_model,
    model_from_dict,
    reliability,
    score,
)

SURE = "The Defence Ministry said on Monday that 320 Russian soldiers were killed near the dam."
# A headline with no speaker and no party: whose dead, and said by whom, are guesses.
DOUBTFUL = "Toll climbs past 45 dead\n\nRain fell through the night."


def test_every_draft_gets_a_probability_strictly_between_zero_and_one():
    text = f"{SURE} Another 40 were wounded, among them 12 officers.\n\n{DOUBTFUL}"
    claims = extract_article(text).claims
    assert len(claims) >= 3
    assert all(0.0 < claim.confidence < 1.0 for claim in claims)


def test_a_draft_with_strong_evidence_scores_above_a_doubtful_one():
    (sure,) = extract_article(SURE).claims
    (doubtful,) = extract_article(DOUBTFUL).claims
    assert (sure.evidence.claimant_basis, sure.evidence.side_basis) == ("named", "phrase")
    assert doubtful.evidence.heading and doubtful.claimant is None and not doubtful.side
    assert sure.confidence > doubtful.confidence


def test_confidence_reads_the_evidence_not_the_editors_wording():
    (claim,) = extract_article(SURE).claims
    reworded = dataclasses.replace(claim, notes=["anything at all"])
    assert score(reworded) == score(claim)
    weaker = dataclasses.replace(
        claim,
        claimant=None,
        evidence=dataclasses.replace(claim.evidence, claimant_basis="none", heading=True),
    )
    assert features(weaker) != features(claim)


def test_features_are_the_ones_named_and_numbers():
    (claim,) = extract_article(SURE).claims
    values = features(claim)
    assert tuple(values) == FEATURES
    assert all(isinstance(v, float) for v in values.values())


def test_the_stored_model_was_fitted_for_these_features_and_this_extractor():
    stored = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert set(stored["coefficients"]) == set(FEATURES), "run manage.py fit_confidence"
    assert stored["extractor_version"] == EXTRACTOR_VERSION, "run manage.py fit_confidence"
    assert stored["part"] == "tune"
    assert 0.5 <= stored["tune_auc"] <= 1.0
    assert stored["fitted_on"]


def test_a_model_is_a_sigmoid_over_named_coefficients():
    model = Model(intercept=0.0, coefficients={"headline": -2.0})
    assert model.probability({"headline": 0.0}) == 0.5
    assert model.probability({"headline": 1.0}) < 0.5
    assert model.probability({}) == 0.5  # a feature the draft lacks counts as 0


def test_a_broken_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="Not a confidence model"):
        model_from_dict({"intercept": 1.0})
    bad = tmp_path / "model.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="fit_confidence"):
        load_model(bad)


def test_auc_is_the_chance_a_right_draft_outranks_a_wrong_one():
    assert auc([(0.9, True), (0.8, True), (0.3, False)]) == 1.0
    assert auc([(0.1, True), (0.8, False)]) == 0.0
    assert auc([(0.5, True), (0.5, False)]) == 0.5  # ties count half
    assert auc([(0.9, True), (0.2, False), (0.5, True), (0.6, False)]) == 0.75
    assert auc([(0.9, True)]) is None  # needs both kinds


def test_reliability_groups_drafts_by_confidence_lowest_first():
    pairs = [(i / 20, i >= 10) for i in range(20)]
    rows = reliability(pairs, bins=4)
    assert [row["drafts"] for row in rows] == [5, 5, 5, 5]
    assert [row["observed"] for row in rows] == [0.0, 0.0, 1.0, 1.0]
    assert rows[0]["predicted"] < rows[-1]["predicted"]
    assert reliability([]) == []


def test_calibration_report_names_auc_means_and_deciles():
    text = format_calibration([(0.9, True), (0.4, False), (0.7, True)])
    assert "AUC 1.000" in text
    assert "right 0.800, wrong 0.400" in text
    assert text.splitlines()[2].split()[0] == "decile"
