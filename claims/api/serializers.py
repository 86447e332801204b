"""What the API shows, field by field. Nothing about review (reviewer, notes, confidence,
extraction details) is exposed: only what an approved claim asserts and where it was said.

Links: `api_url` is the item in this API, `page_url` its page on the site, and an article's
`url` is where it was originally published."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import Article, Battle, Claim, Source


def _absolute(serializer: serializers.Serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class PageUrlMixin:
    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, obj) -> str:
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


class ArticleRefSerializer(serializers.ModelSerializer):
    outlet = SourceRefSerializer(allow_null=True, read_only=True)
    published = serializers.DateField(source="published_date", allow_null=True, read_only=True)
    url = serializers.URLField(help_text="Where the article was published, when known.")

    class Meta:
        model = Article
        fields = ["id", "title", "url", "outlet", "published"]


class ClaimSerializer(PageUrlMixin, serializers.ModelSerializer):
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
    article = ArticleRefSerializer(read_only=True)
    parent = serializers.IntegerField(
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
            "claim_date",
            "period_start",
            "period_end",
            "excerpt",
            "article",
            "parent",
            "reports",
            "updated_at",
        ]


class ClaimBriefSerializer(serializers.ModelSerializer):
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
            "claimant",
            "article",
        ]


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

    class Meta:
        model = Battle
        fields = [
            "slug",
            "name",
            "conflict",
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


class BattleSummarySerializer(serializers.Serializer):
    battle = BattleRefSerializer()
    claims_count = serializers.IntegerField(help_text="Approved claims about the battle.")
    groups = SummaryGroupSerializer(many=True, help_text="One per category and side.")


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


class ArticleUploadSerializer(serializers.Serializer):
    """An upload: a .txt or .html file, or pasted text, and what the uploader knows about it."""

    file = serializers.FileField(
        required=False, help_text="A .txt or .html file (multipart/form-data)."
    )
    text = serializers.CharField(
        required=False, trim_whitespace=False, help_text="Or the article's text, pasted."
    )
    url = serializers.URLField(required=False, allow_blank=True, max_length=2000, default="")
    title = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    outlet = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        default="",
        help_text="The outlet's name; a new one is created if unknown.",
    )
    author = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    published = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("file")) == bool(attrs.get("text")):
            raise serializers.ValidationError("Give either a file or text, not both or neither.")
        return attrs


class ArticleSubmissionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created = serializers.BooleanField(help_text="False: the same text or URL was there already.")
    message = serializers.CharField()
    status = serializers.ChoiceField(choices=Article.Status.choices)
    status_url = serializers.URLField()
