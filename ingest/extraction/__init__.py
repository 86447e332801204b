"""The claim extraction engine: plain text in, draft casualty claims out. No Django here;
the Celery task and the management commands wrap it (docs/extractor.md)."""

from datetime import date

from ingest.extraction.pipeline import run
from ingest.extraction.types import (
    ArticleMetadata,
    BattleRef,
    ExtractedClaim,
    Extraction,
    ReferenceData,
    SourceRef,
)

# Bump whenever the rules or the word lists change, so re-parsing can tell old drafts apart.
EXTRACTOR_VERSION = "2026.12.8"

__all__ = [
    "EXTRACTOR_VERSION",
    "ArticleMetadata",
    "BattleRef",
    "ExtractedClaim",
    "Extraction",
    "ReferenceData",
    "SourceRef",
    "extract_article",
]


_NO_REFERENCE = ReferenceData()


def extract_article(
    text: str, *, published: date | None = None, reference: ReferenceData = _NO_REFERENCE
) -> Extraction:
    """Draft claims for one article body. Offsets in the claims index into `text`."""
    return run(text, published=published, reference=reference)
