"""`?fields=` (issue 15, part 5): a client picks the claim fields it wants, in JSON and NDJSON,
as a comma-separated list or the parameter repeated (fields=id,figure_low&fields=side)."""

from collections.abc import Sequence

from claims.api.exceptions import query_parameter_error

FIELDS_PARAM = "fields"


def requested_fields(query_params, available: Sequence[str]) -> list[str] | None:
    """The fields asked for, in the serializer's order, or None for all of them. An unknown
    name is a 400 listing the known ones: a typo must not silently drop a column."""
    names = [
        name.strip()
        for value in query_params.getlist(FIELDS_PARAM)
        for name in value.split(",")
        if name.strip()
    ]
    if not names:
        return None
    unknown = sorted(set(names) - set(available))
    if unknown:
        raise query_parameter_error(
            FIELDS_PARAM,
            f"Unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"Claims have: {', '.join(available)}.",
        )
    wanted = set(names)
    return [name for name in available if name in wanted]
