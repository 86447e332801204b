"""The filter backend of every API list: django-filter, plus a check that refuses query
parameters the endpoint does not know ("?batle=..." would otherwise return every claim and
look like an answer)."""

from django import forms
from django_filters.rest_framework import DjangoFilterBackend

from claims.api.exceptions import query_parameter_error

ALWAYS_ALLOWED = {"format"}


def query_parameters_known(view) -> set[str]:
    """The query parameters an API view takes: its filters, its paginator's, `format`."""
    # A view's own parameters that are not filters (the claims' `fields`) count too.
    known = set(ALWAYS_ALLOWED) | set(getattr(view, "extra_query_params", ()))
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        known |= set(filterset_class.base_filters)
    paginator = getattr(view, "paginator", None)
    for attribute in ("page_query_param", "page_size_query_param", "cursor_query_param"):
        name = getattr(paginator, attribute, None)
        if name:
            known.add(name)
    return known


def _reads_every_value(widget: type[forms.Widget] | forms.Widget) -> bool:
    widget_class = widget if isinstance(widget, type) else type(widget)
    return issubclass(widget_class, (forms.SelectMultiple, forms.MultipleHiddenInput))


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        known = query_parameters_known(view)
        filterset_class = getattr(view, "filterset_class", None)
        # A filter whose form field reads every value of its parameter (battle, side,
        # category: "any of them") takes it several times.
        multi_valued = {
            name
            for name, filter_ in (filterset_class.base_filters if filterset_class else {}).items()
            if _reads_every_value(filter_.field_class.widget)
        }
        # The view's own parameters (`fields`) read every value too.
        multi_valued |= set(getattr(view, "extra_query_params", ()))
        for name, values in request.query_params.lists():
            if name not in known:
                raise query_parameter_error(
                    name, f"Unknown parameter. This endpoint takes: {', '.join(sorted(known))}."
                )
            # For any other filter, one of the two values would be silently dropped.
            if len(values) > 1 and name not in multi_valued:
                raise query_parameter_error(name, "Give this parameter once.")
            # PostgreSQL refuses NUL in text; say so instead of failing in the database.
            if any("\x00" in value for value in values):
                raise query_parameter_error(name, "Null characters are not allowed.")
        return super().filter_queryset(request, queryset, view)
