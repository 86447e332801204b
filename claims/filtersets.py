"""Filters shared by the researcher pages and the API: one FilterSet per model."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from claims.models import Battle, Claim, Source


class FigureRangeField(forms.CharField):
    """ "7000,15000" -> (7000, 15000); anything else is a form error naming the problem."""

    def clean(self, value: str | None) -> tuple[int, int] | None:
        value = super().clean(value)
        if not value:
            return None
        parts = [part.strip() for part in value.split(",")]
        if len(parts) != 2 or not all(part.isdigit() for part in parts):
            raise forms.ValidationError("Give two whole numbers: LOW,HIGH.")
        low, high = int(parts[0]), int(parts[1])
        if low > high:
            raise forms.ValidationError("LOW must not be greater than HIGH.")
        return low, high


class FigureRangeFilter(django_filters.Filter):
    field_class = FigureRangeField


class ClaimFilterSet(django_filters.FilterSet):
    battle = django_filters.ModelMultipleChoiceFilter(
        field_name="battle__slug",
        to_field_name="slug",
        queryset=Battle.objects.all(),
        help_text="Battle slug; repeat for several battles.",
    )
    conflict = django_filters.CharFilter(field_name="battle__conflict", lookup_expr="iexact")
    side = django_filters.CharFilter(field_name="side", lookup_expr="exact")
    category = django_filters.ChoiceFilter(choices=Claim.Category.choices)
    qualifier = django_filters.ChoiceFilter(choices=Claim.Qualifier.choices)
    claimant = django_filters.ModelChoiceFilter(
        field_name="claimant__slug", to_field_name="slug", queryset=Source.objects.all()
    )
    claimant_kind = django_filters.ChoiceFilter(
        field_name="claimant__kind", choices=Source.Kind.choices
    )
    claimant_affiliation = django_filters.CharFilter(field_name="claimant__affiliation")
    claim_date_after = django_filters.DateFilter(field_name="claim_date", lookup_expr="gte")
    claim_date_before = django_filters.DateFilter(field_name="claim_date", lookup_expr="lte")
    figure_min = django_filters.NumberFilter(
        method="filter_figure_min", help_text="Claims whose figure reaches at least this."
    )
    figure_max = django_filters.NumberFilter(
        method="filter_figure_max", help_text="Claims whose figure is at most this."
    )
    overlaps = FigureRangeFilter(
        method="filter_overlaps",
        help_text="LOW,HIGH: claims whose [low, high] interval overlaps this range.",
    )
    article = django_filters.NumberFilter(field_name="article_id")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    q = django_filters.CharFilter(method="filter_text", help_text="Text in excerpt or claimant.")

    class Meta:
        model = Claim
        fields: list[str] = []

    # A missing bound is open: "at least 20,000" reaches up without limit, "up to 40,000"
    # down to zero.
    def filter_figure_min(self, queryset: QuerySet[Claim], name: str, value) -> QuerySet[Claim]:
        return queryset.filter(Q(figure_high__gte=value) | Q(figure_high__isnull=True))

    def filter_figure_max(self, queryset: QuerySet[Claim], name: str, value) -> QuerySet[Claim]:
        return queryset.filter(Q(figure_low__lte=value) | Q(figure_low__isnull=True))

    def filter_overlaps(
        self, queryset: QuerySet[Claim], name: str, value: tuple[int, int]
    ) -> QuerySet[Claim]:
        low, high = value
        return self.filter_figure_max(self.filter_figure_min(queryset, name, low), name, high)

    def filter_text(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return queryset.filter(
            Q(excerpt__icontains=value)
            | Q(claimant__name__icontains=value)
            | Q(claimant__aliases__icontains=value)
        )
