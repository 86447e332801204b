"""The extractor's claims as plain rows: the JSON printed by `extract_claims` and read by the
evaluation (same keys as the issue lists, in that order)."""

from datetime import date
from typing import Any

from ingest.extraction.types import ExtractedClaim

OUTPUT_KEYS = (
    "figure_low", "figure_high", "qualifier", "category", "side", "unit", "claimant", "battle",
    "claim_date", "period_start", "period_end", "period_kind", "excerpt", "start", "end",
    "confidence", "basis", "parent",
)  # fmt: skip


def claim_as_dict(claim: ExtractedClaim) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for key in OUTPUT_KEYS:
        value = getattr(claim, key)
        row[key] = value.isoformat() if isinstance(value, date) else value
    return row


def format_table(rows: list[dict[str, Any]]) -> str:
    """A fixed-width table for people at a terminal."""
    columns = [
        ("#", 3), ("figure", 17), ("qualifier", 9), ("category", 10), ("side", 11),
        ("unit", 18), ("claimant", 24), ("battle", 24), ("date", 10), ("conf", 4),
    ]  # fmt: skip
    lines = ["  ".join(name.ljust(width) for name, width in columns)]
    for i, row in enumerate(rows):
        low, high = row["figure_low"], row["figure_high"]
        figure = str(low if low == high or high is None else f"{low or ''}-{high}")
        if low is None:
            figure = f"<={high}"
        cells = [
            str(i), figure, row["qualifier"], row["category"], row["side"], row["unit"] or "",
            row["claimant"] or "", row["battle"] or "", row["claim_date"] or "",
            f"{row['confidence']:.2f}",
        ]  # fmt: skip
        lines.append(
            "  ".join(str(c)[:w].ljust(w) for c, (_, w) in zip(cells, columns, strict=True))
        )
        lines.append(f"     {row['excerpt'][:150]}")
    return "\n".join(lines)
