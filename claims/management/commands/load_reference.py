from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from claims.services import reference_load

SEEDS = Path(settings.BASE_DIR) / "seeds"


class Command(BaseCommand):
    help = "Load the reference battles and well-known sources from seeds/. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--battles", type=Path, default=SEEDS / "battles.json")
        parser.add_argument("--sources", type=Path, default=SEEDS / "sources.json")

    def handle(self, *args: Any, battles: Path, sources: Path, **options: Any) -> None:
        result = reference_load(battles_path=battles, sources_path=sources)
        self.stdout.write(
            f"Battles: {result.battles_created} new, {result.battles_updated} updated. "
            f"Sources: {result.sources_created} new, {result.sources_updated} updated."
        )
