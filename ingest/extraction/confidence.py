"""A draft's confidence: the probability that its core (figure, category, side) is right.

A logistic regression over the evidence the stages record on each draft (`Evidence` in
types.py), fitted on the devset's tune part by `manage.py fit_confidence` and stored as plain
coefficients in data/confidence.json. Applying it is a dot product and a sigmoid, so the
extractor needs no numerical library at run time. docs/extractor.md says how to refit."""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ingest.extraction.types import ExtractedClaim

MODEL_PATH = Path(__file__).with_name("data") / "confidence.json"

# Each feature is 0 or 1. The baseline each group leaves out: the side named in the figure's
# own words ('300 Russian troops'), a claimant named in the sentence, the loss word in or right
# after the figure's phrase. Few and generic on purpose: fitted on a few hundred drafts with a
# few dozen wrong ones, a weight per cue or per article would learn the tune texts, not news
# (the check parts showed it: an earlier, larger model ranked unseen drafts no better than chance).
FEATURES = (
    "side from the figure before",
    "side from the claimant or the place",
    "side from the context",
    "side multiple",
    "no claimant",
    "claimant inherited",
    "headline",
    "loss word before the figure",
    "list line",
    "captured",
    "stated twice",
    "part of a total",
)


def features(claim: ExtractedClaim) -> dict[str, float]:
    """The draft's features by name (FEATURES), from its structured evidence only."""
    e = claim.evidence
    return {
        "side from the figure before": float(e.side_basis == "sibling"),
        "side from the claimant or the place": float(e.side_basis in ("claimant", "place")),
        # Not in the figure's clause: the sentence, the one before, the article's main party.
        "side from the context": float(
            e.side_basis in ("sentence before", "sentence", "article", "unknown")
        ),
        "side multiple": float(e.side_basis == "multiple"),
        "no claimant": float(claim.claimant is None),
        "claimant inherited": float(e.claimant_basis == "inherited"),
        "headline": float(e.heading),
        # Read back from the figure over other words ('lost ... 300'), not from its own phrase.
        "loss word before the figure": float(e.category_basis in ("left", "chain-back")),
        "list line": float(e.list_line),
        # Whose people were held, in exchanges and hostage counts, is easily turned round.
        "captured": float(claim.category == "captured"),
        # Said again elsewhere in the article (headline and body, quote and summary).
        "stated twice": float(e.repeats > 1),
        "part of a total": float(claim.parent is not None),
    }


@dataclass(frozen=True)
class Model:
    intercept: float
    coefficients: dict[str, float]

    def probability(self, values: dict[str, float]) -> float:
        """A feature the model does not know weighs nothing, like one the draft lacks."""
        z = self.intercept
        weights = self.coefficients
        for name, value in values.items():
            if value:  # most features are 0 for any one draft
                z += weights.get(name, 0.0) * value
        return 1.0 / (1.0 + math.exp(-z))


def model_from_dict(data: dict[str, Any]) -> Model:
    try:
        coefficients = {str(k): float(v) for k, v in data["coefficients"].items()}
        return Model(float(data["intercept"]), coefficients)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"Not a confidence model: {error!r}") from error


@cache
def load_model(path: Path | None = None) -> Model:
    """The stored model (MODEL_PATH unless told), read once per process and again after
    `load_model.cache_clear()`, which the fit command calls after writing a new one."""
    source = path or MODEL_PATH
    try:
        return model_from_dict(json.loads(source.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, ValueError) as error:
        raise ValueError(
            f"Cannot read the confidence model {source} ({error}); "
            "`manage.py fit_confidence` writes it."
        ) from error


def score(claim: ExtractedClaim, model: Model | None = None) -> float:
    """The probability that the draft's figure, category and side are right, in (0, 1)."""
    p = (model or load_model()).probability(features(claim))
    # Rounded for display and storage; never exactly 0 or 1, which no rule deserves.
    return min(0.99, max(0.01, round(p, 3)))


def score_claims(claims: Iterable[ExtractedClaim]) -> None:
    """Set every draft's confidence: the pipeline's last step, once the merge has settled how
    often each claim is stated and which total it is part of."""
    model = load_model()
    for claim in claims:
        claim.confidence = score(claim, model)


# --- measuring it (evaluate_extractor, fit_confidence) ------------------------------------------


def auc(pairs: Iterable[tuple[float, bool]]) -> float | None:
    """Area under the ROC curve of (score, right) pairs: the chance that a right draft scores
    above a wrong one (ties count half). None without both kinds."""
    ordered = sorted(pairs, key=lambda p: p[0])
    right = sum(1 for _, ok in ordered if ok)
    wrong = len(ordered) - right
    if not right or not wrong:
        return None
    rank_sum = 0.0
    i = 0
    while i < len(ordered):
        j = i
        while j < len(ordered) and ordered[j][0] == ordered[i][0]:
            j += 1
        mid_rank = (i + 1 + j) / 2  # ranks i+1..j share their mean
        rank_sum += mid_rank * sum(1 for _, ok in ordered[i:j] if ok)
        i = j
    return (rank_sum - right * (right + 1) / 2) / (right * wrong)


def reliability(pairs: Iterable[tuple[float, bool]], bins: int = 10) -> list[dict[str, float]]:
    """Drafts in `bins` groups of (nearly) equal size by confidence, lowest first: each
    group's mean confidence against the share of it that was right."""
    ordered = sorted(pairs, key=lambda p: p[0])
    rows = []
    for k in range(bins):
        group = ordered[k * len(ordered) // bins : (k + 1) * len(ordered) // bins]
        if not group:
            continue
        rows.append(
            {
                "drafts": len(group),
                "low": group[0][0],
                "high": group[-1][0],
                "predicted": sum(p for p, _ in group) / len(group),
                "observed": sum(1 for _, ok in group if ok) / len(group),
            }
        )
    return rows


def format_calibration(pairs: list[tuple[float, bool]]) -> str:
    """AUC, mean confidence of right and wrong drafts, and the reliability table."""
    value = auc(pairs)
    right = [p for p, ok in pairs if ok]
    wrong = [p for p, ok in pairs if not ok]
    lines = [
        f"confidence over {len(pairs)} scored drafts ({len(right)} right, {len(wrong)} wrong): "
        f"AUC {'n/a' if value is None else f'{value:.3f}'}",
        f"mean confidence: right {_mean(right)}, wrong {_mean(wrong)}",
        f"{'decile':<7} {'drafts':>6} {'confidence':>13} {'predicted':>9} {'observed':>8}",
    ]
    for k, row in enumerate(reliability(pairs), 1):
        lines.append(
            f"{k:<7} {row['drafts']:>6} {row['low']:>6.2f}-{row['high']:<6.2f} "
            f"{row['predicted']:>9.3f} {row['observed']:>8.3f}"
        )
    return "\n".join(lines)


def _mean(values: list[float]) -> str:
    return f"{sum(values) / len(values):.3f}" if values else "n/a"
