"""Refit the confidence model (ingest/extraction/confidence.py) on the tune parts of gold files.

Runs the extractor over the tune part of each gold file (by default the devset, our own corpus
and our probe set), labels each draft right when the scorer
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
# The tune parts the model is fitted on: the devset's, our own corpus (all of it: it has no
# check part) and our probe set's odd articles. Errors are few in each; together they span
# more outlets and wars than any one of them.
GOLD_FILES = (
    DEVSET,
    Path(settings.BASE_DIR) / "tests" / "data" / "extractor" / "gold.json",
    Path(settings.BASE_DIR) / "tests" / "data" / "probe" / "gold.json",
)
# Regularisation strengths tried (smaller is stronger), chosen by log loss over folds of whole
# articles: a few hundred drafts with few wrong ones must not buy a coefficient per article.
STRENGTHS = (0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 5


class Command(BaseCommand):
    help = "Refit the draft confidence model on the tune parts of gold files and store it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "gold",
            nargs="*",
            default=[str(path) for path in GOLD_FILES],
            help="Gold files whose tune parts to fit on (default: the devset, "
            "tests/data/extractor and tests/data/probe).",
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
        golds = [Path(g) for g in options["gold"]]
        for gold in golds:
            if not gold.is_file():
                raise CommandError(f"No such gold file: {gold}")
        if options["articles"] and len(golds) > 1:
            raise CommandError("--articles goes with a single gold file.")
        drafts: list[ExtractedClaim] = []
        labels: list[bool] = []
        groups: list[int] = []
        for gold in golds:
            more, more_labels, more_groups = _labelled_drafts(gold, options["articles"])
            offset = max(groups, default=-1) + 1  # article numbers stay apart across files
            drafts += more
            labels += more_labels
            groups += [g + offset for g in more_groups]
        if len(set(labels)) < 2 or len(set(groups)) < FOLDS:
            raise CommandError(
                f"Need right and wrong drafts from at least {FOLDS} articles to fit; "
                f"got {len(labels)} drafts ({sum(labels)} right) from {len(set(groups))}."
            )
        rows = [[features(d)[name] for name in FEATURES] for d in drafts]
        strength, intercept, weights, held_out = _fit(rows, labels, groups)
        model: dict[str, Any] = {
            "fitted_on": date.today().isoformat(),
            "extractor_version": EXTRACTOR_VERSION,
            "gold": [f"{gold.parent.name}/{gold.name}" for gold in golds],
            "part": "tune",
            "drafts": len(labels),
            "right": sum(labels),
            "regularisation_c": strength,
            "intercept": round(intercept, 4),
            "coefficients": {name: round(w, 4) for name, w in zip(FEATURES, weights, strict=True)},
        }
        stored = model_from_dict(model)
        scored = [(score(d, stored), ok) for d, ok in zip(drafts, labels, strict=True)]
        model["tune_auc"] = _rounded(auc(scored))
        # Each article scored by a model fitted without it: nearer what unseen text will get.
        model["tune_auc_held_out_articles"] = _rounded(auc(zip(held_out, labels, strict=True)))
        output = Path(options["output"])
        output.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
        load_model.cache_clear()  # this process's next extraction reads the new model
        self.stdout.write(
            f"wrote {output} (C={strength}; tune AUC {model['tune_auc']}, "
            f"{model['tune_auc_held_out_articles']} on articles held out of the fit)"
        )
        self.stdout.write(format_calibration(scored))


def _fit(
    rows: list[list[float]], labels: list[bool], groups: list[int]
) -> tuple[float, float, list[float], list[float]]:
    """The regularisation strength with the least held-out log loss, the intercept and
    weights fitted with it on every draft, and each draft's held-out probability."""
    try:
        # scikit-learn ships no type information; only this command imports it.
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
        from sklearn.metrics import log_loss  # type: ignore[import-untyped]
        from sklearn.model_selection import GroupKFold  # type: ignore[import-untyped]
    except ImportError as error:
        raise CommandError(
            "fit_confidence needs scikit-learn, a dev dependency: pip install -e '.[dev]'."
        ) from error
    folds = list(GroupKFold(n_splits=FOLDS).split(rows, labels, groups))

    def held_out(c: float) -> list[float]:
        predicted = [0.0] * len(rows)
        for train, test in folds:
            fold_model = LogisticRegression(C=c, max_iter=1000).fit(
                [rows[i] for i in train], [labels[i] for i in train]
            )
            probabilities = fold_model.predict_proba([rows[i] for i in test])[:, 1]
            for i, p in zip(test, probabilities, strict=True):
                predicted[i] = float(p)
        return predicted

    # Pooled over the folds: a fold of few articles may hold no wrong draft at all.
    losses = {c: log_loss(labels, held_out(c), labels=[False, True]) for c in STRENGTHS}
    strength = min(STRENGTHS, key=losses.__getitem__)
    fitted = LogisticRegression(C=strength, max_iter=1000).fit(rows, labels)
    weights = [float(w) for w in fitted.coef_[0]]
    return strength, float(fitted.intercept_[0]), weights, held_out(strength)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


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
