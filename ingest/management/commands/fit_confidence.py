"""Refit the confidence model (ingest/extraction/confidence.py) on the devset's tune part.

Runs the extractor over the tune part of a gold file, labels each draft right when the scorer
matches it to a gold claim (figure and category) with the right side, fits a regularised
logistic regression on the drafts' evidence and writes the coefficients with the date, the
EXTRACTOR_VERSION and the tune part's AUC. Run it after every change to the rules."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingest.extraction import EXTRACTOR_VERSION, ExtractedClaim, extract_article
from ingest.extraction.claimants import canonical_name
from ingest.extraction.confidence import (
    FEATURES,
    MODEL_PATH,
    auc,
    features,
    format_calibration,
    load_model,
    model_from_dict,
    score,
)
from ingest.extraction.evaluation import evaluate_gold_file
from ingest.extraction.output import claim_as_dict
from ingest.management.commands.extract_claims import reference_for_commands

DEVSET = Path(settings.BASE_DIR).parent / "shared" / "devset" / "gold.json"
# Regularisation strengths tried (smaller is stronger), chosen by log loss over folds of whole
# articles: a few hundred drafts with few wrong ones must not buy a coefficient per article.
STRENGTHS = (0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 5


class Command(BaseCommand):
    help = "Refit the draft confidence model on the devset's tune part and store it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "gold", nargs="?", default=str(DEVSET), help=f"A gold file (default: {DEVSET})."
        )
        parser.add_argument(
            "--articles", help="Folder with the articles (default: articles/ next to the gold)."
        )
        parser.add_argument(
            "--output",
            default=str(MODEL_PATH),
            help=f"Where to write the model (default: {MODEL_PATH}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            from sklearn.linear_model import LogisticRegression
            from sklearn.metrics import log_loss
            from sklearn.model_selection import GroupKFold
        except ImportError as error:
            raise CommandError(
                "fit_confidence needs scikit-learn, a dev dependency: pip install -e '.[dev]'."
            ) from error
        gold = Path(options["gold"])
        if not gold.is_file():
            raise CommandError(f"No such gold file: {gold}")
        drafts, labels, groups = _labelled_drafts(gold, options["articles"])
        if len(set(labels)) < 2 or len(set(groups)) < FOLDS:
            raise CommandError(
                f"Need right and wrong drafts from at least {FOLDS} articles to fit; "
                f"got {len(labels)} drafts ({sum(labels)} right) from {len(set(groups))}."
            )
        rows = [[features(d)[name] for name in FEATURES] for d in drafts]
        folds = list(GroupKFold(n_splits=FOLDS).split(rows, labels, groups))

        def held_out_loss(c: float) -> float:
            # Pooled over the folds: a fold of few articles may hold no wrong draft at all.
            truth: list[bool] = []
            predicted: list[float] = []
            for train, test in folds:
                fold_model = LogisticRegression(C=c, max_iter=1000).fit(
                    [rows[i] for i in train], [labels[i] for i in train]
                )
                predicted += list(fold_model.predict_proba([rows[i] for i in test])[:, 1])
                truth += [labels[i] for i in test]
            return float(log_loss(truth, predicted, labels=[False, True]))

        strength = min(STRENGTHS, key=held_out_loss)
        fitted = LogisticRegression(C=strength, max_iter=1000).fit(rows, labels)
        model = {
            "fitted_on": date.today().isoformat(),
            "extractor_version": EXTRACTOR_VERSION,
            "gold": gold.name,
            "part": "tune",
            "drafts": len(labels),
            "right": sum(labels),
            "regularisation_c": strength,
            "intercept": round(float(fitted.intercept_[0]), 4),
            "coefficients": {
                name: round(float(w), 4) for name, w in zip(FEATURES, fitted.coef_[0], strict=True)
            },
        }
        stored = model_from_dict(model)
        scored = [(score(d, stored), ok) for d, ok in zip(drafts, labels, strict=True)]
        tune_auc = auc(scored)
        model["tune_auc"] = None if tune_auc is None else round(tune_auc, 3)
        output = Path(options["output"])
        output.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
        load_model.cache_clear()  # this process's next extraction reads the new model
        self.stdout.write(f"wrote {output} (C={model['regularisation_c']})")
        self.stdout.write(format_calibration(scored))


def _labelled_drafts(
    gold: Path, articles: str | None
) -> tuple[list[ExtractedClaim], list[bool], list[int]]:
    """The tune part's scored drafts, whether each one's core is right, and its article."""
    reference = reference_for_commands()
    drafts: list[ExtractedClaim] = []
    article_of_draft: list[int] = []  # the folds keep each article's drafts together
    texts: list[str] = []

    def extract(text: str, published: date | None) -> list[dict[str, Any]]:
        claims = extract_article(text, published=published, reference=reference).claims
        article_of_draft.extend([len(texts)] * len(claims))
        texts.append(text)
        drafts.extend(claims)
        return [claim_as_dict(c) for c in claims]

    total, _ = evaluate_gold_file(
        gold,
        extract,
        Path(articles) if articles else None,
        canonical=lambda name: canonical_name(name, reference),
        part="tune",
    )
    kept = [
        (draft, right, source)
        for draft, right, source in zip(drafts, total.core_right, article_of_draft, strict=True)
        if right is not None
    ]
    return [k[0] for k in kept], [k[1] for k in kept], [k[2] for k in kept]
