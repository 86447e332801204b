from pathlib import Path

import pytest

from ingest.extraction.reference import load_reference_files
from ingest.extraction.types import ReferenceData

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "extractor"


@pytest.fixture(scope="session")
def reference() -> ReferenceData:
    return load_reference_files(ROOT / "seeds" / "battles.json", ROOT / "seeds" / "sources.json")
