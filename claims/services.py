"""Writes to reference data: sources and battles. Review transitions of claims live here too."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from claims.models import Battle, Source


def _unique_slug(model: type[Battle] | type[Source], name: str) -> str:
    base = slugify(name)[:180] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def source_find(*, name: str) -> Source | None:
    """The Source whose name or one of whose aliases is `name`, ignoring case."""
    wanted = name.strip().casefold()
    if not wanted:
        return None
    exact = Source.objects.filter(name__iexact=name.strip()).first()
    if exact:
        return exact
    # Aliases are a JSON list; the table is small (hundreds), so match in Python to get
    # case-insensitive matching on every database.
    for source in Source.objects.exclude(aliases=[]).only("id", "aliases", "name"):
        if any(alias.casefold() == wanted for alias in source.aliases):
            return Source.objects.get(pk=source.pk)
    return None


def source_get_or_create(
    *, name: str, kind: str = Source.Kind.OTHER, affiliation: str = ""
) -> Source:
    """The known Source called `name` (by name or alias), or a new one."""
    existing = source_find(name=name)
    if existing:
        return existing
    return Source.objects.create(
        name=name.strip()[:200],
        slug=_unique_slug(Source, name),
        kind=kind,
        affiliation=affiliation,
    )


@dataclass(frozen=True)
class ReferenceLoadResult:
    battles_created: int
    battles_updated: int
    sources_created: int
    sources_updated: int


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@transaction.atomic
def reference_load(*, battles_path: Path, sources_path: Path) -> ReferenceLoadResult:
    """Loads the battles and well-known sources of seeds/ into the database. Idempotent:
    rows are matched by name and brought up to date, nothing is duplicated."""
    battles = json.loads(battles_path.read_text(encoding="utf-8"))["battles"]
    sources = json.loads(sources_path.read_text(encoding="utf-8"))["sources"]
    counts = {"battles": [0, 0], "sources": [0, 0]}
    for item in battles:
        defaults = {
            "conflict": item["conflict"],
            "aliases": item.get("aliases", []),
            "places": item.get("places", []),
            "start_date": _parse_date(item.get("start")),
            "end_date": _parse_date(item.get("end")),
            "description": item.get("description", ""),
        }
        battle = Battle.objects.filter(name=item["name"]).first()
        if battle is None:
            Battle.objects.create(
                name=item["name"], slug=_unique_slug(Battle, item["name"]), **defaults
            )
            counts["battles"][0] += 1
        elif any(getattr(battle, key) != value for key, value in defaults.items()):
            Battle.objects.filter(pk=battle.pk).update(**defaults)
            counts["battles"][1] += 1
    for item in sources:
        defaults = {
            "kind": item.get("kind", Source.Kind.OTHER),
            "affiliation": item.get("affiliation", ""),
            "role": item.get("role", ""),
            "aliases": item.get("aliases", []),
        }
        source = Source.objects.filter(name=item["name"]).first()
        if source is None:
            Source.objects.create(
                name=item["name"], slug=_unique_slug(Source, item["name"]), **defaults
            )
            counts["sources"][0] += 1
        elif any(getattr(source, key) != value for key, value in defaults.items()):
            Source.objects.filter(pk=source.pk).update(**defaults)
            counts["sources"][1] += 1
    return ReferenceLoadResult(
        battles_created=counts["battles"][0],
        battles_updated=counts["battles"][1],
        sources_created=counts["sources"][0],
        sources_updated=counts["sources"][1],
    )
