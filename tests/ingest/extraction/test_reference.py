from ingest.extraction.reference import ReferenceCache
from ingest.extraction.types import BattleRef, ReferenceData


def reference_with(name: str) -> ReferenceData:
    return ReferenceData(battles=(BattleRef(name=name, conflict="test"),))


def test_equal_reference_data_shares_one_index_after_the_cache_was_emptied():
    cache = ReferenceCache(lambda reference: object())
    kept = reference_with("Battle of Somewhere")
    cache.get(kept)
    # Enough other reference data to empty the cache once.
    others = [reference_with(f"Battle {n}") for n in range(12)]
    for other in others:
        cache.get(other)
    copy = reference_with("Battle of Somewhere")
    assert cache.get(kept) is cache.get(copy)
