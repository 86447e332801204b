"""Print the claims the extractor finds in one article, without touching the database."""

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from ingest.extraction import extract_article
from ingest.extraction.output import claim_as_dict, format_table
from ingest.extraction.reference import load_reference_files
from ingest.extraction.types import ReferenceData


def reference_for_commands() -> ReferenceData:
    """Battles and sources from the database when it has them, else the project's seed files,
    so the command also works on a checkout with no database yet."""
    try:
        from ingest.services import reference_data_build

        reference = reference_data_build()
        if reference.battles:
            return reference
    except DatabaseError:
        pass
    seeds = Path(settings.BASE_DIR) / "seeds"
    return load_reference_files(seeds / "battles.json", seeds / "sources.json")


class Command(BaseCommand):
    help = "Extract draft claims from an article (a file, or - for stdin) and print them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the article text, or - to read stdin.")
        parser.add_argument("--published", type=_iso_date, help="Published date, YYYY-MM-DD.")
        parser.add_argument("--format", choices=("json", "table"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        if name == "-":
            text = sys.stdin.read()
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"No such file: {name}")
            text = path.read_text(encoding="utf-8", errors="replace")
        extraction = extract_article(
            text, published=options["published"], reference=reference_for_commands()
        )
        rows = [claim_as_dict(claim) for claim in extraction.claims]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(format_table(rows))


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--published wants YYYY-MM-DD, got {value!r}") from exc
