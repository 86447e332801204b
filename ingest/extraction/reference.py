"""Reference data (battles, known claimants) from the project's seed files, for the commands
and tests that run without a database."""

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from ingest.extraction.types import BattleRef, ConflictRef, ReferenceData, SourceRef

Index = TypeVar("Index")


class ReferenceCache(Generic[Index]):
    """Indexes built from reference data (compiled patterns, alias tables), built once.

    Looked up by identity first: hashing the frozen reference data on every lookup would cost
    more than the lookup. The task builds a new, equal ReferenceData from the database for
    every article, so a miss by identity is looked up by value, and the index is built only
    when the battles or sources really changed."""

    def __init__(self, build: Callable[[ReferenceData], Index]) -> None:
        self._build = build
        self._by_id: dict[int, tuple[ReferenceData, Index]] = {}
        self._by_value: dict[ReferenceData, Index] = {}

    def get(self, reference: ReferenceData) -> Index:
        hit = self._by_id.get(id(reference))
        if hit is not None and hit[0] is reference:
            return hit[1]
        index = self._by_value.get(reference)
        if index is None:
            if len(self._by_value) > 8:
                # Both tables go together: an identity entry left behind would keep handing
                # out an index that equal reference data no longer gets.
                self._by_value.clear()
                self._by_id.clear()
            index = self._by_value[reference] = self._build(reference)
        if len(self._by_id) > 16:
            self._by_id.clear()
        self._by_id[id(reference)] = (reference, index)
        return index


def load_reference_files(
    battles_path: Path | str | None, sources_path: Path | str | None = None
) -> ReferenceData:
    """Battles and conflicts from a battles.json ({"battles": [...], "conflicts": [...]} or a
    list of battles) and sources from a sources.json ({"sources": [...]} or a list). A missing
    path gives an empty part."""
    return ReferenceData(
        battles=tuple(battle_ref(b) for b in _items(battles_path, "battles")),
        sources=tuple(source_ref(s) for s in _items(sources_path, "sources")),
        # A bare list in battles.json holds battles only.
        conflicts=tuple(conflict_ref(c) for c in _items(battles_path, "conflicts", listed=False)),
    )


def conflict_ref(row: dict[str, Any]) -> ConflictRef:
    return ConflictRef(
        name=row["name"],
        start=_date(row.get("start") or row.get("start_date")),
        sides=tuple(row.get("sides") or ()),
    )


def battle_ref(row: dict[str, Any]) -> BattleRef:
    return BattleRef(
        name=row["name"],
        conflict=row.get("conflict", ""),
        aliases=tuple(row.get("aliases") or ()),
        places=tuple(row.get("places") or ()),
        start=_date(row.get("start") or row.get("start_date")),
        end=_date(row.get("end") or row.get("end_date")),
    )


def source_ref(row: dict[str, Any]) -> SourceRef:
    return SourceRef(
        name=row["name"],
        aliases=tuple(row.get("aliases") or ()),
        kind=row.get("kind") or "other",
        affiliation=row.get("affiliation") or "",
        role=row.get("role") or "",
    )


def _items(path: Path | str | None, key: str, listed: bool = True) -> list[dict[str, Any]]:
    if path is None or not Path(path).exists():
        return []
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get(key, [])
    elif not listed:
        return []
    return [row for row in data if isinstance(row, dict) and row.get("name")]


def _date(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
