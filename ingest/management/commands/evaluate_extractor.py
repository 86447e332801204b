"""Precision, recall and F1 of the extractor per field, on a gold file or on the claims
editors approved. The scoring itself is in ingest/extraction/evaluation.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingest.extraction import extract_article
from ingest.extraction.claimants import canonical_name
from ingest.extraction.confidence import format_calibration
from ingest.extraction.evaluation import (
    PARTS,
    Tally,
    evaluate_gold_file,
    format_period_report,
    format_report,
    load_period_annotations,
    period_annotations_for,
    score_approved,
    score_periods,
)
from ingest.extraction.output import claim_as_dict
from ingest.management.commands.extract_claims import reference_for_commands

if TYPE_CHECKING:
    from claims.models import Claim


class Command(BaseCommand):
    help = "Score the extractor against a gold file (seeds/gold.json format) or approved claims."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("gold", nargs="?", help="A gold.json file.")
        parser.add_argument(
            "--articles", help="Folder with the articles (default: articles/ next to the gold)."
        )
        parser.add_argument(
            "--approved",
            action="store_true",
            help="Compare the extractor's original values with the approved claims in the DB.",
        )
        parser.add_argument(
            "--part",
            choices=PARTS,
            help="Only the devset's tune or check part (the split is in "
            "ingest/extraction/evaluation.py; docs/extractor.md says why).",
        )
        parser.add_argument(
            "--periods",
            help="Period annotations by article and gold claim index (default: "
            "tests/data/<set>_periods.json, <set> being the gold file's folder: "
            "devset_periods.json, probe_periods.json).",
        )
        parser.add_argument("--verbose", "-V", action="store_true", help="List misses and errors.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["approved"]:
            self.stdout.write(format_report(_approved_tally(), verbose=options["verbose"]))
            return
        if not options["gold"]:
            raise CommandError("Give a gold file, or --approved.")
        gold = Path(options["gold"])
        if not gold.is_file():
            raise CommandError(f"No such gold file: {gold}")
        reference = reference_for_commands()

        drafts: list[dict[str, Any]] = []  # every draft, in the order the scorer saw them

        def extract(text: str, published: date | None) -> list[dict[str, Any]]:
            extraction = extract_article(text, published=published, reference=reference)
            rows = [claim_as_dict(c) for c in extraction.claims]
            drafts.extend(rows)
            return rows

        articles = Path(options["articles"]) if options["articles"] else None
        total, per_article = evaluate_gold_file(
            gold,
            extract,
            articles,
            canonical=lambda name: canonical_name(name, reference),
            part=options["part"],
        )
        self.stdout.write(format_report(total, verbose=options["verbose"]))
        periods = Path(options["periods"]) if options["periods"] else period_annotations_for(gold)
        if options["periods"] and not periods.is_file():
            raise CommandError(f"No such period annotation file: {periods}")
        if periods.is_file():
            period_tally = score_periods(gold, load_period_annotations(periods), per_article)
            self.stdout.write("\n" + format_period_report(period_tally, verbose=options["verbose"]))
        scored = [
            (row["confidence"], right)
            for row, right in zip(drafts, total.core_right, strict=True)
            if right is not None
        ]
        self.stdout.write("\n" + format_calibration(scored))


def _approved_tally() -> Tally:
    from claims.models import Claim

    approved = Claim.objects.filter(status=Claim.Status.APPROVED).select_related(
        "claimant", "battle"
    )
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    added = 0
    for claim in approved.iterator():
        if not claim.extracted_values:
            added += 1
            continue
        pairs.append((claim.extracted_values, _approved_values(claim)))
    rejected = (
        Claim.objects.filter(status=Claim.Status.REJECTED).exclude(extracted_values={}).count()
    )
    return score_approved(pairs, added_by_editors=added, rejected=rejected)


def _approved_values(claim: Claim) -> dict[str, Any]:
    return {
        "figure_low": claim.figure_low,
        "figure_high": claim.figure_high,
        "qualifier": claim.qualifier,
        "category": claim.category,
        "side": claim.side,
        "unit": claim.unit or None,
        "claimant": claim.claimant.name if claim.claimant else None,
        "battle": claim.battle.name if claim.battle else None,
        "claim_date": claim.claim_date.isoformat() if claim.claim_date else None,
        "excerpt": claim.excerpt,
    }
