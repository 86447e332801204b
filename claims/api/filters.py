"""The filter backend of every API list: django-filter, plus a check that refuses query
parameters the endpoint does not know ("?batle=..." would otherwise return every claim and
look like an answer)."""

from django import forms
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend

from claims.api.exceptions import query_parameter_error
from claims.filtersets import AskedFiltersOnly

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
        # DjangoFilterBackend.filter_queryset, with only the filters the query names.
        filterset = self.get_filterset(request, queryset, view, only_asked=True)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs

    def get_filterset(self, request, queryset, view, *, only_asked: bool = False):
        """The view's filter set; with `only_asked`, only its filters the query names (see
        AskedFiltersOnly). The browsable API's form (to_html) gets them all."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        if only_asked and issubclass(filterset_class, AskedFiltersOnly):
            kwargs["only_asked"] = True
        return filterset_class(**kwargs)
