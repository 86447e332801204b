"""The filter backend of every API list: django-filter, plus a check that refuses query
parameters the endpoint does not know ("?batle=..." would otherwise return every claim and
look like an answer)."""

from django_filters.rest_framework import DjangoFilterBackend

from claims.api.exceptions import query_parameter_error

ALWAYS_ALLOWED = {"format"}


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        # A view's own parameters that are not filters (the claims' `fields`).
        known = set(ALWAYS_ALLOWED) | set(getattr(view, "extra_query_params", ()))
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        paginator = getattr(view, "paginator", None)
        for attribute in ("page_query_param", "page_size_query_param", "cursor_query_param"):
            name = getattr(paginator, attribute, None)
            if name:
                known.add(name)
        for name, values in request.query_params.lists():
            if name not in known:
                raise query_parameter_error(
                    name, f"Unknown parameter. This endpoint takes: {', '.join(sorted(known))}."
                )
            # PostgreSQL refuses NUL in text; say so instead of failing in the database.
            if any("\x00" in value for value in values):
                raise query_parameter_error(name, "Null characters are not allowed.")
        return super().filter_queryset(request, queryset, view)
