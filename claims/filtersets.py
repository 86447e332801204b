"""Filters shared by the researcher pages and the API: one FilterSet per model."""

from datetime import UTC, datetime

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import OrderBy, Q, QuerySet
from django.db.models.functions import Coalesce
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from claims import assessment, selectors
from claims.models import Battle, Claim, ClaimWithdrawal, Conflict, Source

# Figures are BIGINT columns: a larger number in a filter would overflow the database
# driver (a 500) instead of being refused as bad input (a 400).
FIGURE_MAX = 2**63 - 1


class FigureRangeField(forms.CharField):
    """ "7000,15000" -> (7000, 15000); anything else is a form error naming the problem."""

    def clean(self, value: str | None) -> tuple[int, int] | None:
        value = super().clean(value)
        if not value:
            return None
        parts = [part.strip() for part in value.split(",")]
        # isascii(): str.isdigit() accepts "²" and other digits int() refuses.
        if len(parts) != 2 or not all(part.isascii() and part.isdigit() for part in parts):
            raise forms.ValidationError("Give two whole numbers: LOW,HIGH.")
        low, high = int(parts[0]), int(parts[1])
        if high > FIGURE_MAX:
            raise forms.ValidationError(f"Figures go up to {FIGURE_MAX}.")
        if low > high:
            raise forms.ValidationError("LOW must not be greater than HIGH.")
        return low, high


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, turned to UTC: Python takes offsets up to ±23:59, PostgreSQL
    refuses those past ±15:59, and a date-time that UTC cannot hold is refused here."""

    def clean(self, value: str | None) -> datetime | None:
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError as exc:
            raise forms.ValidationError("This date-time is out of range in UTC.") from exc


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class ConflictField(forms.CharField):
    """A conflict's name in any case ("Russo-Ukrainian War") or its slug
    ("russo-ukrainian-war") -> the conflict's name as battles store it. An unknown conflict is
    a form error listing the known ones, not an empty answer that looks like "no claims"."""

    def clean(self, value: str | None) -> str | None:
        value = super().clean(value)
        if not value:
            return None
        wanted = value.strip().casefold()
        # Read only when the filter is used: a handful of conflicts, one short query.
        conflicts = list(Conflict.objects.order_by("slug").values_list("name", "slug"))
        for name, slug in conflicts:
            if wanted in (name.casefold(), slug):
                return name
        known = ", ".join(slug for _, slug in conflicts) or "none yet"
        # Params, not an f-string: DRF formats a message with its params, and a value
        # holding "%s" would otherwise break that formatting (a 500).
        raise forms.ValidationError(
            "No conflict called %(value)r. Known conflicts: %(known)s.",
            params={"value": value, "known": known},
        )


class ConflictFilter(django_filters.Filter):
    field_class = ConflictField


class AnyOfField(forms.Field):
    """Every value of a repeated query parameter (side=russia&side=ukraine), trimmed and in
    lower case: sides are stored as lower-case slugs, so "Russia" finds "russia"."""

    widget = forms.MultipleHiddenInput  # reads all the values of the parameter, not the last

    def to_python(self, value: str | list[str] | None) -> list[str]:
        values = [value] if isinstance(value, str) else value or []
        return [v.strip().lower() for v in values if v.strip()]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        # As a CharField does: PostgreSQL refuses NUL in text, which would be a 500.
        for item in value:
            ProhibitNullCharactersValidator()(item)


# The schema given here replaces the one drf-spectacular would build, help text included.
@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string"},
        "description": "Whose losses (russia, ukraine, ...; any case); repeat for several.",
    }
)
class SideFilter(django_filters.Filter):
    """Claims with any of the given sides: side=russia&side=ukraine."""

    field_class = AnyOfField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class AnyOfChoicesField(django_filters.fields.MultipleChoiceField):
    """A repeated parameter with fixed choices; the empty value of a form's "any" option is
    no choice, not a wrong one."""

    def to_python(self, value: object) -> list[str]:
        return [v for v in super().to_python(value) if v != ""]


class AnyOfChoicesFilter(django_filters.MultipleChoiceFilter):
    """Claims with any of the given choices: category=killed&category=captured."""

    field_class = AnyOfChoicesField


# The schema can say what the text looks like, not that LOW must not be above HIGH.
@extend_schema_field({"type": "string", "pattern": r"^[0-9]{1,18},[0-9]{1,18}$"})
class FigureRangeFilter(django_filters.Filter):
    field_class = FigureRangeField


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": FIGURE_MAX})
class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number between 0 and the largest BIGINT: "1.5", "-3" or "1e40" are refused
    with a message instead of reaching the database."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", FIGURE_MAX)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.BOOL)
class TrueFalseFilter(django_filters.TypedChoiceFilter):
    """true or false, and a 400 for anything else: django-filter's BooleanFilter ignores a
    value it cannot read ("yes"), which would look like an answer."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


# Slugs in the query string; the OpenAPI schema should say "string", not guess from the model.
@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    pass


@extend_schema_field(OpenApiTypes.STR)
class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Takes slugs but filters on the foreign key itself (battle_id IN ...): a join on the
    slug would hide the ids from PostgreSQL's planner, which then walks the wrong index."""

    def get_filter_predicate(self, v):
        return {self.field_name: v}


class ClaimOrderingFilter(django_filters.OrderingFilter):
    """Ordering by claim_date, figure or updated_at ("-" for descending). "figure" sorts on
    the low end of the figure, or the only figure given. The id breaks ties so that pages
    never repeat or skip a claim."""

    def get_ordering_value(self, param: str):
        descending = param.startswith("-")
        if param.lstrip("-") == "figure":
            return OrderBy(Coalesce("figure_low", "figure_high"), descending=descending)
        return super().get_ordering_value(param)

    def filter(self, qs, value):
        # "?ordering=," names no field: the list keeps its own order (an empty order_by()
        # would leave pages unordered).
        value = [param for param in value or () if param]
        if not value:
            return qs
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "-id")


class AskedFiltersOnly:
    """A FilterSet that, built with `only_asked=True`, keeps only the filters its data names.
    The API filters with it: building and validating the form of every filter (twenty for
    claims, the claimant filter's queryset included) took longer than the database did for
    one claim (issue 18). Filters left out have no value, so the rows are the same. Pages and
    the browsable API, which render the whole form, build it whole."""

    base_filters: dict[str, django_filters.Filter]

    def __init__(self, data=None, *args, only_asked: bool = False, **kwargs):
        if only_asked and data is not None:
            # Read by FilterSet.__init__, which deep-copies them: only the asked ones.
            self.base_filters = {
                name: filter_ for name, filter_ in self.base_filters.items() if name in data
            }
        super().__init__(data, *args, **kwargs)  # type: ignore[call-arg]


class ClaimFilterSet(AskedFiltersOnly, django_filters.FilterSet):
    # distinct=False: a claim has one battle, so the join cannot repeat rows, and DISTINCT
    # over every column would make PostgreSQL sort the whole result.
    battle = SlugMultipleChoiceFilter(
        field_name="battle",
        distinct=False,
        to_field_name="slug",
        queryset=Battle.objects.all(),
        null_value="none",
        null_label="No battle (war-wide)",
        help_text="Battle slug; repeat for several battles. none: war-wide claims (no battle).",
    )
    conflict = ConflictFilter(
        field_name="conflict__name",
        help_text='Conflict name (any case) or slug, e.g. "russo-ukrainian-war".',
    )
    side = SideFilter(field_name="side")
    category = AnyOfChoicesFilter(
        choices=Claim.Category.choices,
        distinct=False,
        help_text="Repeat for several: category=killed&category=captured.",
    )
    qualifier = AnyOfChoicesFilter(
        choices=Claim.Qualifier.choices,
        distinct=False,
        help_text="Repeat for several: qualifier=at_least&qualifier=range.",
    )
    basis = AnyOfChoicesFilter(
        choices=Claim.Basis.choices,
        distinct=False,
        help_text="What the figure rests on; repeat for several: basis=official&basis=visual.",
    )
    contested = TrueFalseFilter(
        method="filter_contested",
        help_text="true: claims another claimant contradicts (same battle, side, category and "
        "period, ranges that do not overlap); false: the others.",
    )
    corroborations_min = WholeNumberFilter(
        method="filter_corroborations_min",
        help_text="Claims reported by at least this many other articles.",
    )
    conflicts_with = WholeNumberFilter(
        method="filter_conflicts_with",
        help_text="A claim id: the approved claims that contradict it.",
    )
    # Filters on the foreign key: the form field turns the slug into the Source row.
    # Only public sources: a slug known from drafts alone is refused as an unknown one is,
    # and the browsable API's form does not list it.
    claimant = SlugChoiceFilter(
        field_name="claimant",
        to_field_name="slug",
        queryset=lambda request: selectors.source_list_visible(),
        help_text="Claimant slug.",
    )
    claimant_kind = AnyOfChoicesFilter(
        field_name="claimant__kind",
        choices=Source.Kind.choices,
        distinct=False,
        help_text="Repeat for several: claimant_kind=government&claimant_kind=military.",
    )
    claimant_affiliation = django_filters.CharFilter(field_name="claimant__affiliation")
    claim_date_after = django_filters.DateFilter(field_name="claim_date", lookup_expr="gte")
    claim_date_before = django_filters.DateFilter(field_name="claim_date", lookup_expr="lte")
    period_kind = AnyOfChoicesFilter(
        choices=[*Claim.PeriodKind.choices, ("none", "Not stated")],
        method="filter_period_kind",
        help_text="daily, cumulative, period, or none (the text states no period); repeat for "
        "several: period_kind=daily&period_kind=period.",
    )
    period_covers = django_filters.DateFilter(
        method="filter_period_covers",
        help_text="YYYY-MM-DD: claims whose stated period (start and end both known) "
        "includes that day, e.g. the daily tallies of a day with period_kind=daily.",
    )
    figure_min = WholeNumberFilter(
        method="filter_figure_min", help_text="Claims whose figure reaches at least this."
    )
    figure_max = WholeNumberFilter(
        method="filter_figure_max", help_text="Claims whose figure is at most this."
    )
    overlaps = FigureRangeFilter(
        method="filter_overlaps",
        help_text="LOW,HIGH: claims whose [low, high] interval overlaps this range.",
    )
    article = WholeNumberFilter(field_name="article_id", help_text="Article id.")
    updated_since = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="ISO 8601 date-time: claims changed since then, for incremental sync.",
    )
    q = django_filters.CharFilter(
        method="filter_text",
        help_text="Words of the excerpt, or a battle or claimant name: the site search's claims.",
    )
    ordering = ClaimOrderingFilter(
        fields=(("claim_date", "claim_date"), ("figure", "figure"), ("updated_at", "updated_at")),
        help_text="claim_date, figure or updated_at; prefix with - for descending.",
    )

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

    def filter_period_kind(
        self, queryset: QuerySet[Claim], name: str, value: list[str]
    ) -> QuerySet[Claim]:
        if not value:
            return queryset
        return queryset.filter(period_kind__in=["" if kind == "none" else kind for kind in value])

    def filter_period_covers(self, queryset: QuerySet[Claim], name: str, value) -> QuerySet[Claim]:
        return queryset.filter(period_start__lte=value, period_end__gte=value)

    def filter_text(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return selectors.claim_search(claims=queryset, query=value)

    def filter_contested(self, queryset: QuerySet[Claim], name: str, value) -> QuerySet[Claim]:
        return assessment.claim_filter_contested(queryset, contested=value)

    def filter_corroborations_min(
        self, queryset: QuerySet[Claim], name: str, value
    ) -> QuerySet[Claim]:
        return assessment.claim_filter_corroborated(queryset, at_least=value)

    def filter_conflicts_with(self, queryset: QuerySet[Claim], name: str, value) -> QuerySet[Claim]:
        target = selectors.claim_list_public().filter(pk=value)
        claim = target.first()
        if claim is None:
            # Not a public claim: no rows, as a query (none() cannot be written as SQL, and
            # the CSV export on PostgreSQL writes the query into a COPY).
            return queryset.filter(pk__in=target.values("pk"))
        return queryset.filter(pk__in=assessment.claim_conflicts(claim=claim).values("pk"))


class ClaimWithdrawalFilterSet(AskedFiltersOnly, django_filters.FilterSet):
    # The same UTC date-time filter as the issue-17 branch gives updated_since (copied from
    # it until that branch is merged).
    since = UtcDateTimeFilter(
        field_name="withdrawn_at",
        lookup_expr="gte",
        help_text="ISO 8601 date-time: claims withdrawn since then (the time of your last sync).",
    )

    class Meta:
        model = ClaimWithdrawal
        fields: list[str] = []
