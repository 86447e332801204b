"""`?format=ndjson` for the claims list: every matching claim as one line of JSON, streamed
in chunks whatever their number, each line what the JSON list shows for the claim."""

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from claims.api.renderers import ndjson_line
from claims.api.serializers import ClaimSerializer
from claims.models import Claim

CHUNK_ROWS = 1000


def claims_ndjson(claims: QuerySet[Claim], context: dict[str, Any]) -> Iterator[bytes]:
    """`claims` (the API's list, filtered, with what it shows annotated) as NDJSON."""
    serializer = ClaimSerializer(context=context)
    # Inside a transaction the server-side cursor streams (see claims.exports); each chunk
    # costs one more query, for the articles reporting its claims.
    with transaction.atomic():
        lines: list[bytes] = []
        for claim in claims.iterator(chunk_size=CHUNK_ROWS):
            lines.append(ndjson_line(serializer.to_representation(claim)))
            if len(lines) >= CHUNK_ROWS:
                yield b"".join(lines)
                lines = []
        yield b"".join(lines)
