"""What the API shows, field by field. Nothing about review (reviewer, notes, confidence,
extraction details) is exposed: only what an approved claim asserts and where it was said.

Links: `api_url` is the item in this API, `page_url` its page on the site, and an article's
`url` is where it was originally published."""

from collections.abc import Mapping
from typing import Any, Protocol, cast
from urllib.parse import urlencode

from django.core.validators import RegexValidator
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import Article, Battle, Claim, Conflict, DatePrecision, Source


class _WithContext(Protocol):
    """A serializer, as far as the helpers below use it."""

    @property
    def context(self) -> Mapping[str, Any]: ...


def _context(serializer: _WithContext) -> dict[str, Any]:
    # DRF keeps the context as a dict shared by a serializer and its children; the stubs
    # type it as a read-only Mapping.
    return cast(dict[str, Any], serializer.context)


def _absolute(serializer: _WithContext, path: str) -> str:
    """`path` as an absolute URL. The scheme and host are worked out once per response and
    kept in the serializer context: a list of 500 items would otherwise do it 1,500 times."""
    context = _context(serializer)
    if "origin" not in context:
        request = context.get("request")
        context["origin"] = request.build_absolute_uri("/").rstrip("/") if request else ""
    return context["origin"] + path


def _claim_api_url(serializer: _WithContext, pk: int) -> str:
    context = _context(serializer)
    if "claims_path" not in context:
        context["claims_path"] = reverse("api:claim-list")
    return _absolute(serializer, f"{context['claims_path']}{pk}/")


_DATETIME = serializers.DateTimeField()


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _source_ref(source: Source | Battle | Conflict | None) -> dict | None:
    return None if source is None else {"slug": source.slug, "name": source.name}


def _claimant(source: Source | None) -> dict | None:
    if source is None:
        return None
    return {
        "slug": source.slug,
        "name": source.name,
        "kind": source.kind,
        "affiliation": source.affiliation,
    }


def _article_ref(article: Article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "url": article.url,
        "outlet": _source_ref(article.outlet),
        "published": _iso(article.published_date),
    }


class PageUrlMixin:
    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self: _WithContext, obj: Any) -> str:
        return _absolute(self, obj.get_absolute_url())


class SourceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["slug", "name"]


class ClaimantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["slug", "name", "kind", "affiliation"]


class BattleRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Battle
        fields = ["slug", "name"]


class ConflictRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Conflict
        fields = ["slug", "name"]


class PlacedDateFieldsMixin(serializers.Serializer):
    """Where a claim sits on a timeline (issue 14): the date its text states, else its
    article's publication date, with where that date comes from and how precise it is."""

    placed_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="claim_date, else the article's published date; null when neither is known.",
    )
    date_basis = serializers.ChoiceField(
        choices=Claim.DateBasis.choices,
        read_only=True,
        allow_null=True,
        help_text="stated: placed_date is the claim date the text states; published: the "
        "article's publication date (the text states none).",
    )
    date_precision = serializers.ChoiceField(
        choices=DatePrecision.choices,
        read_only=True,
        allow_null=True,
        help_text="day, month or year: how much of placed_date is known (as UCDP's date_prec).",
    )


def _placed(claim: Claim) -> dict:
    return {
        "placed_date": _iso(claim.placed_date),
        "date_basis": claim.date_basis,
        "date_precision": claim.date_precision,
    }


class ArticleRefSerializer(serializers.ModelSerializer):
    outlet = SourceRefSerializer(allow_null=True, read_only=True)
    published = serializers.DateField(source="published_date", allow_null=True, read_only=True)
    # Not a URLField: the schema would say "uri", and the text is "" when the URL is unknown.
    url = serializers.CharField(
        read_only=True, help_text="Where the article was published; empty when unknown."
    )

    class Meta:
        model = Article
        fields = ["id", "title", "url", "outlet", "published"]


class ClaimSerializer(PageUrlMixin, PlacedDateFieldsMixin, serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail")
    page_url = serializers.SerializerMethodField()
    figure_display = serializers.CharField(
        read_only=True, help_text='The figure as a person reads it: "≥ 20,000", "7,000–15,000".'
    )
    claimant = ClaimantSerializer(
        allow_null=True, read_only=True, help_text="Empty when the article itself asserts it."
    )
    battle = BattleRefSerializer(
        allow_null=True, read_only=True, help_text="Empty for a whole war or front."
    )
    conflict = ConflictRefSerializer(
        allow_null=True, read_only=True, help_text="The war the claim is about."
    )
    article = ArticleRefSerializer(read_only=True)
    # DRF's metaclass takes declared fields out of the class, so this does not replace the
    # `parent` attribute of serializer fields, as the stubs believe.
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_public_id",
        allow_null=True,
        read_only=True,
        help_text='Id of the claim this one is part of ("100,000 casualties, including ...").',
    )
    reports = ArticleRefSerializer(
        source="reported_by",
        many=True,
        read_only=True,
        help_text="Other articles reporting the same claim.",
    )
    corroborations = serializers.SerializerMethodField(
        help_text="How many other articles report the same claim (the length of `reports`)."
    )
    period_kind = serializers.SerializerMethodField(
        help_text="daily (a day or 24 hours), cumulative (a running total since the war's or "
        "the battle's start) or period (another stated period); null when the text does not say.",
    )
    period_display = serializers.CharField(
        allow_null=True,
        read_only=True,
        help_text='The period in words, as pages show it: "covering 24 hours to 12 Oct 2024", '
        '"since 24 Feb 2022"; null without a stated period.',
    )
    contested = serializers.BooleanField(
        read_only=True,
        help_text="Another claimant contradicts it: an approved claim about the same battle, "
        "side, category and period whose range does not overlap this one "
        "(`?conflicts_with=<id>` lists them).",
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "api_url",
            "page_url",
            "figure_low",
            "figure_high",
            "figure_display",
            "qualifier",
            "category",
            "basis",
            "side",
            "unit",
            "claimant",
            "battle",
            "conflict",
            "claim_date",
            "placed_date",
            "date_basis",
            "date_precision",
            "period_start",
            "period_end",
            "period_kind",
            "period_display",
            "excerpt",
            "article",
            "parent",
            "reports",
            "corroborations",
            "contested",
            "updated_at",
        ]

    @extend_schema_field(
        {"type": "string", "enum": [*Claim.PeriodKind.values, None], "nullable": True}
    )
    def get_period_kind(self, claim: Claim) -> str | None:
        return claim.period_kind or None

    def get_corroborations(self, claim: Claim) -> int:
        return len(claim.reported_by.all())  # prefetched with the reports

    def to_representation(self, claim: Claim) -> dict:
        data = self.all_fields(claim)
        wanted = self.context.get("fields")  # ?fields=, checked by the view
        return data if wanted is None else {name: data[name] for name in wanted}

    def all_fields(self, claim: Claim) -> dict:
        # The same output as the declared fields (a test holds them equal), written out by
        # hand: DRF's field-by-field path costs more than the database on a page of 500.
        # Read once: each .all() builds a manager and a queryset, even when prefetched.
        reports = claim.reported_by.all()
        return {
            "id": claim.pk,
            "api_url": _claim_api_url(self, claim.pk),
            "page_url": _absolute(self, claim.get_absolute_url()),
            "figure_low": claim.figure_low,
            "figure_high": claim.figure_high,
            "figure_display": claim.figure_display,
            "qualifier": claim.qualifier,
            "category": claim.category,
            "basis": claim.basis,
            "side": claim.side,
            "unit": claim.unit,
            "claimant": _claimant(claim.claimant),
            "battle": _source_ref(claim.battle),
            "conflict": _source_ref(claim.conflict),
            "claim_date": _iso(claim.claim_date),
            **_placed(claim),
            "period_start": _iso(claim.period_start),
            "period_end": _iso(claim.period_end),
            "period_kind": claim.period_kind or None,
            "period_display": claim.period_display,
            "excerpt": claim.excerpt,
            "article": _article_ref(claim.article),
            # Annotated by selectors.claim_with_public_parent(), which the plugin cannot follow
            # through get_queryset().
            "parent": claim.parent_public_id,  # type: ignore[attr-defined]
            "reports": [_article_ref(article) for article in reports],
            "corroborations": len(reports),
            # Annotated by assessment.claim_with_assessment(), like `parent` above.
            "contested": claim.contested,  # type: ignore[attr-defined]
            "updated_at": _DATETIME.to_representation(claim.updated_at),
        }


class ClaimBriefSerializer(PlacedDateFieldsMixin, serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail")
    figure_display = serializers.CharField(read_only=True)
    claimant = ClaimantSerializer(allow_null=True, read_only=True)
    article = ArticleRefSerializer(read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "api_url",
            "figure_low",
            "figure_high",
            "figure_display",
            "qualifier",
            "unit",
            "claim_date",
            "placed_date",
            "date_basis",
            "date_precision",
            "claimant",
            "article",
        ]

    def to_representation(self, claim: Claim) -> dict:
        # Written out for speed like ClaimSerializer's; a test holds it equal to the fields.
        return {
            "id": claim.pk,
            "api_url": _claim_api_url(self, claim.pk),
            "figure_low": claim.figure_low,
            "figure_high": claim.figure_high,
            "figure_display": claim.figure_display,
            "qualifier": claim.qualifier,
            "unit": claim.unit,
            "claim_date": _iso(claim.claim_date),
            **_placed(claim),
            "claimant": _claimant(claim.claimant),
            "article": _article_ref(claim.article),
        }


class BattleSerializer(PageUrlMixin, serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:battle-detail", lookup_field="slug"
    )
    summary_url = serializers.HyperlinkedIdentityField(
        view_name="api:battle-summary", lookup_field="slug"
    )
    claims_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    claims_count = serializers.IntegerField(read_only=True, help_text="Approved claims.")
    conflict = serializers.CharField(source="conflict.name", read_only=True)
    conflict_slug = serializers.SlugField(source="conflict.slug", read_only=True)

    class Meta:
        model = Battle
        fields = [
            "slug",
            "name",
            "conflict",
            "conflict_slug",
            "aliases",
            "places",
            "start_date",
            "end_date",
            "description",
            "claims_count",
            "api_url",
            "summary_url",
            "claims_url",
            "page_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_claims_url(self, obj: Battle) -> str:
        return _absolute(self, f"{reverse('api:claim-list')}?battle={obj.slug}")


class SummaryClaimantSerializer(serializers.Serializer):
    claimant = ClaimantSerializer(allow_null=True, help_text="Empty: the articles themselves.")
    latest_claim = ClaimBriefSerializer()


class SummaryGroupSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Claim.Category.choices)
    side = serializers.CharField()
    claims_count = serializers.IntegerField()
    figure_min = serializers.IntegerField(help_text="The lowest figure claimed.")
    figure_max = serializers.IntegerField(help_text="The highest figure claimed.")
    latest_claim = ClaimBriefSerializer()
    claimants = SummaryClaimantSerializer(many=True, help_text="Each claimant's latest claim.")

    def to_representation(self, group) -> dict:
        # Written out for speed like ClaimSerializer's (a test holds it equal to the fields):
        # a battle's summary holds hundreds of claimants, and DRF's nested serializers took
        # longer than its queries (issue 18).
        brief = ClaimBriefSerializer(context=self.context)
        latest = group["latest_claim"]
        return {
            "category": group["category"],
            "side": group["side"],
            "claims_count": group["claims_count"],
            "figure_min": group["figure_min"],
            "figure_max": group["figure_max"],
            "latest_claim": None if latest is None else brief.to_representation(latest),
            "claimants": [
                {
                    "claimant": _claimant(row["claimant"]),
                    "latest_claim": brief.to_representation(row["latest_claim"]),
                }
                for row in group["claimants"]
            ],
        }


class BattleSummarySerializer(serializers.Serializer):
    battle = BattleRefSerializer()
    claims_count = serializers.IntegerField(help_text="Approved claims about the battle.")
    groups = SummaryGroupSerializer(many=True, help_text="One per category and side.")


class ConflictSerializer(PageUrlMixin, serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:conflict-detail", lookup_field="slug"
    )
    summary_url = serializers.HyperlinkedIdentityField(
        view_name="api:conflict-summary", lookup_field="slug"
    )
    claims_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    claims_count = serializers.IntegerField(
        read_only=True, help_text="Approved claims, war-wide and about its battles."
    )

    class Meta:
        model = Conflict
        fields = [
            "slug",
            "name",
            "start_date",
            "end_date",
            "sides",
            "description",
            "claims_count",
            "api_url",
            "summary_url",
            "claims_url",
            "page_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_claims_url(self, obj: Conflict) -> str:
        return _absolute(self, f"{reverse('api:claim-list')}?{urlencode({'conflict': obj.name})}")


class ConflictBattleSerializer(serializers.ModelSerializer):
    claims_count = serializers.IntegerField(read_only=True, help_text="Approved claims.")

    class Meta:
        model = Battle
        fields = ["slug", "name", "start_date", "end_date", "claims_count"]


class ConflictSummarySerializer(serializers.Serializer):
    conflict = ConflictRefSerializer()
    claims_count = serializers.IntegerField(help_text="Approved war-wide claims (no battle).")
    groups = SummaryGroupSerializer(
        many=True, help_text="War-wide claims, one group per category and side."
    )
    battle_claims_count = serializers.IntegerField(
        help_text="Approved claims about the conflict's battles."
    )
    battles = ConflictBattleSerializer(many=True, help_text="Its battles, in time order.")


class SourceSerializer(PageUrlMixin, serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:source-detail", lookup_field="slug"
    )
    claims_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    claims_count = serializers.IntegerField(
        read_only=True, help_text="Approved claims made by this source."
    )

    class Meta:
        model = Source
        fields = [
            "slug",
            "name",
            "kind",
            "affiliation",
            "role",
            "aliases",
            "claims_count",
            "api_url",
            "claims_url",
            "page_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_claims_url(self, obj: Source) -> str:
        return _absolute(self, f"{reverse('api:claim-list')}?claimant={obj.slug}")


class ArticleSerializer(PageUrlMixin, serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    url = serializers.CharField(
        read_only=True, help_text="Where the article was published; empty when unknown."
    )
    claims_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    outlet = SourceRefSerializer(allow_null=True, read_only=True)
    published = serializers.DateField(source="published_date", allow_null=True, read_only=True)
    claims_count = serializers.IntegerField(read_only=True, help_text="Approved claims in it.")

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "url",
            "outlet",
            "author",
            "published",
            "claims_count",
            "api_url",
            "claims_url",
            "page_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_claims_url(self, obj: Article) -> str:
        return _absolute(self, f"{reverse('api:claim-list')}?article={obj.pk}")


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body"]


class ArticleStatusSerializer(serializers.ModelSerializer):
    """Where an upload stands; shown to its uploader and to editors only."""

    status_url = serializers.HyperlinkedIdentityField(view_name="api:article-status")

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "status",
            "error",
            "attempts",
            "extractor_version",
            "created_at",
            "parsed_at",
            "status_url",
        ]


class TextField(serializers.CharField):
    """Text, and only text: DRF's CharField also takes a number or a float and turns it into
    text, which the schema (type string) says is refused."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


# An article's address: http(s), a host with a dot, no white space. The schema states this
# very pattern (drf-spectacular reads it from the validator), so what it calls valid is
# accepted and the rest refused; Django's URLValidator adds rules (label lengths, TLDs) that
# no schema states.
ARTICLE_URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\.[^\s/?#]+([/?#]\S*)?$"


class ArticleUrlField(TextField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(ARTICLE_URL_PATTERN, message="Enter a valid URL."))


class ArticleUploadSerializer(serializers.Serializer):
    """An upload: a .txt or .html file, or pasted text, and what the uploader knows about it."""

    file = serializers.FileField(
        required=False,
        # The ingest service refuses an empty file with its name, as for every other refusal.
        allow_empty_file=True,
        help_text="A .txt or .html file (multipart/form-data).",
    )
    text = TextField(
        required=False, trim_whitespace=False, help_text="Or the article's text, pasted."
    )
    url = ArticleUrlField(required=False, allow_blank=True, max_length=2000, default="")
    title = TextField(required=False, allow_blank=True, max_length=500, default="")
    outlet = TextField(
        required=False,
        allow_blank=True,
        max_length=200,
        default="",
        help_text="The outlet's name; a new one is created if unknown.",
    )
    author = TextField(required=False, allow_blank=True, max_length=300, default="")
    published = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("file")) == bool(attrs.get("text")):
            raise serializers.ValidationError("Give either a file or text, not both or neither.")
        return attrs


class ArticleTextUploadSerializer(ArticleUploadSerializer):
    """What a JSON upload may send: pasted text, no file (for the schema; the view reads
    uploads with ArticleUploadSerializer)."""

    file = None  # type: ignore[assignment]
    text = TextField(trim_whitespace=False, help_text="The article's text.")


class ClaimDumpPageSerializer(serializers.Serializer):
    """One page of the claims dump (for the schema: the cursor paginator writes it)."""

    next = serializers.URLField(allow_null=True, help_text="The next page; null at the end.")
    previous = serializers.URLField(allow_null=True)
    deletions = serializers.URLField(
        help_text="The claims withdrawn since the same updated_since: a sync drops them."
    )
    results = ClaimSerializer(many=True)


class ArticleSubmissionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created = serializers.BooleanField(help_text="False: the same file or URL was there already.")
    message = serializers.CharField()
    status = serializers.ChoiceField(choices=Article.Status.choices)
    status_url = serializers.URLField()
