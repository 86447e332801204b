"""What claimsite stores: battles, the sources who make claims, the articles that report them,
and the casualty claims themselves."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Conflict(TimeStampedModel):
    """A war that battles belong to and claims are about. A war-wide claim ("600,000 troops
    since the invasion") belongs to a conflict without a battle."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    start_date = models.DateField(
        null=True, blank=True, help_text='Where "since the full-scale invasion" starts.'
    )
    end_date = models.DateField(null=True, blank=True, help_text="Empty while it goes on.")
    sides = models.JSONField(
        default=list,
        blank=True,
        help_text="Whose losses its claims count (russia, ukraine, ...): a war-wide claim "
        "about one of these sides is placed in this conflict.",
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = [F("start_date").asc(nulls_last=True), "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/conflicts/{self.slug}/"


class Battle(TimeStampedModel):
    """A battle, siege or offensive that claims can be about. A claim about a whole war or a
    whole front has no battle. The same place can host several battles, told apart by dates."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    conflict = models.ForeignKey(
        Conflict,
        on_delete=models.PROTECT,
        related_name="battles",
        help_text="The war this battle belongs to.",
    )
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, as a list.")
    places = models.JSONField(default=list, blank=True, help_text="Places that identify it.")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="Empty while it goes on.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["conflict__name", "start_date", "name"]
        constraints = [
            models.CheckConstraint(
                name="battle_dates_in_order",
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(start_date__lte=F("end_date")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/battles/{self.slug}/"


class Source(TimeStampedModel):
    """Anyone who makes claims or publishes articles: a person, a government body, an
    intelligence service, a media outlet, researchers."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        GOVERNMENT = "government", "Government"
        MILITARY = "military", "Military"
        INTELLIGENCE = "intelligence", "Intelligence service"
        INTERNATIONAL = "international", "International organisation"
        MEDIA = "media", "Media outlet"
        RESEARCHERS = "researchers", "NGO / researchers"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    affiliation = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text="Lower-case slug such as ukraine, russia, united_states, nato, independent.",
    )
    role = models.CharField(max_length=200, blank=True, help_text='e.g. "President of Ukraine"')
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, as a list.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/sources/{self.slug}/"


class Article(TimeStampedModel):
    """A news article as uploaded: the original bytes kept as received, the text claims are
    extracted from (read from those bytes by a worker), and where parsing stands."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        READING = "reading", "Reading the upload"
        PARSING = "parsing", "Extracting claims"
        PARSED = "parsed", "Parsed"
        FAILED = "failed", "Failed"
        DUPLICATE = "duplicate", "Duplicate"

    # Still on its way through the worker: pages refresh, `--wait` waits, the sweep retries.
    WAITING_STATUSES = (Status.QUEUED, Status.READING, Status.PARSING)

    title = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    outlet = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    author = models.CharField(max_length=300, blank=True)
    published_date = models.DateField(null=True, blank=True)
    body = models.TextField(
        blank=True,
        help_text="The text claims are extracted from; offsets index it. Empty until a worker "
        "has read the upload.",
    )
    original_content = models.BinaryField(help_text="The upload exactly as received.")
    original_content_type = models.CharField(max_length=100, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    original_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the upload's bytes: the same file sent twice is one article.",
    )
    content_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the normalised body; empty until the upload has been read.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    extractor_version = models.CharField(max_length=40, blank=True)
    parsed_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploaded_articles",
    )

    class Meta:
        ordering = ["-published_date", "-id"]
        # On PostgreSQL, migration 0007 also adds an index in the public list's order (newest
        # first, undated last); SQLite cannot index NULLS LAST.
        constraints = [
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=~Q(content_hash=""),
                name="article_unique_content_hash",
            ),
            models.UniqueConstraint(
                fields=["original_hash"],
                condition=~Q(original_hash=""),
                name="article_unique_original_hash",
            ),
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="article_unique_url_when_given"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Article {self.pk}"

    def get_absolute_url(self) -> str:
        return f"/articles/{self.pk}/"

    @property
    def is_read(self) -> bool:
        """Whether a worker has turned the upload into text (claims' offsets index it)."""
        return bool(self.content_hash)


class DatePrecision(models.TextChoices):
    """How precise a date is, as UCDP's date_prec and ACLED's time_precision say it."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Claim(TimeStampedModel):
    """One casualty figure asserted by a claimant in an article: how many of whose people or
    equipment, in which category, hedged how, about which battle, said when."""

    class Category(models.TextChoices):
        KILLED = "killed", "Killed"
        WOUNDED = "wounded", "Wounded"
        CASUALTIES = "casualties", "Casualties"
        CAPTURED = "captured", "Captured"
        MISSING = "missing", "Missing"
        EQUIPMENT = "equipment", "Equipment"

    class Qualifier(models.TextChoices):
        EXACT = "exact", "Exact"
        APPROX = "approx", "About"
        AT_LEAST = "at_least", "At least"
        AT_MOST = "at_most", "Up to"
        RANGE = "range", "Between"

    class Basis(models.TextChoices):
        OFFICIAL = "official", "Official statement"
        INTELLIGENCE = "intelligence", "Intelligence estimate"
        CONFIRMED = "confirmed", "Confirmed named count (a floor)"
        STATISTICAL = "statistical", "Statistical estimate"
        VISUAL = "visual", "Visually confirmed"
        UNKNOWN = "unknown", "Unknown"

    class DateBasis(models.TextChoices):
        """Where the date a claim is placed at comes from."""

        STATED = "stated", "Stated in the text"
        PUBLISHED = "published", "Article's publication date"

    class PeriodKind(models.TextChoices):
        """What kind of tally the figure is, as its words state it (empty: they do not)."""

        DAILY = "daily", "Daily tally"
        CUMULATIVE = "cumulative", "Running total"
        PERIOD = "period", "Tally for a period"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    claimant = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="Empty when the article itself asserts the figure.",
    )
    battle = models.ForeignKey(
        Battle,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="Empty for a figure about a whole war or front.",
    )
    conflict = models.ForeignKey(
        Conflict,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="The battle's war; for a war-wide claim, the war it is about.",
    )
    side = models.CharField(max_length=64, help_text="Whose losses: russia, ukraine, ...")
    unit = models.CharField(
        max_length=200,
        blank=True,
        help_text='Sub-group ("Wagner Group", "civilians") or kind of equipment.',
    )
    category = models.CharField(max_length=12, choices=Category.choices)
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices)
    figure_low = models.BigIntegerField(null=True, blank=True)
    figure_high = models.BigIntegerField(null=True, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    period_kind = models.CharField(
        max_length=10,
        choices=PeriodKind.choices,
        blank=True,
        default="",
        # Also in the database: bulk COPY writers (claims/demo_data.py) name their columns.
        db_default="",
        help_text="Daily tally, running total (since the war's or the battle's start) or the "
        "tally of another period; empty when the text does not say.",
    )
    claim_date = models.DateField(null=True, blank=True, help_text="When the claim was made.")
    claim_date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text='How much of the claim date the text states: "in May 2024" is a month.',
    )
    excerpt = models.TextField(help_text="The sentence of the article that states the figure.")
    start_offset = models.PositiveIntegerField(help_text="Where the figure starts in the body.")
    end_offset = models.PositiveIntegerField(help_text="Where the figure ends in the body.")
    basis = models.CharField(max_length=12, choices=Basis.choices, default=Basis.UNKNOWN)
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parts",
        help_text='The claim this one is part of ("100,000 casualties, including 20,000 killed").',
    )
    reported_by = models.ManyToManyField(
        Article,
        blank=True,
        related_name="reported_claims",
        help_text="Other articles that report the same claim.",
    )
    confidence = models.FloatField(default=0.0)
    extraction_notes = models.TextField(blank=True, help_text="Which extractor cues fired.")
    extractor_version = models.CharField(max_length=40, blank=True)
    extracted_values = models.JSONField(
        default=dict,
        blank=True,
        help_text="The extractor's original values, kept to measure it against editors' work.",
    )
    added_by_editor = models.BooleanField(
        default=False,
        # Also a database default: bulk loads (COPY in demo_data) name their columns.
        db_default=False,
        help_text="An editor added it from the text (the extractor missed it): it counts as a "
        "miss when the extractor is measured against approved claims.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_claims",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-claim_date", "-id"]
        permissions = [
            ("approve_claim", "Can approve claims"),
            ("reject_claim", "Can reject claims"),
        ]
        indexes = [
            # Covering on PostgreSQL: battle summaries and per-claimant latest figures read
            # only the index, even for a battle with tens of thousands of claims. The id last:
            # a dump page of a battle, side and category reads its ids in index order, from
            # the cursor on, without sorting the group (issue 18).
            models.Index(
                fields=["status", "battle", "side", "category", "id"],
                include=["claimant", "claim_date", "figure_low", "figure_high", "updated_at"],
                name="claim_public_filters",
            ),
            models.Index(fields=["claim_date"], name="claim_claim_date"),
            models.Index(
                fields=["status", "battle", "claim_date"], name="claim_status_battle_date"
            ),
            models.Index(fields=["status", "claim_date"], name="claim_status_claim_date"),
            # The newest change to a public claim: the validators of a list whose count is
            # capped (issue 18), and claims/dump/?updated_since= for incremental sync.
            models.Index(fields=["status", "updated_at"], name="claim_status_updated"),
            models.Index(fields=["status", "article"], name="claim_status_article"),
            # The review queue doubtful first: a status's claims by confidence, lowest first.
            models.Index(fields=["status", "confidence"], name="claim_status_confidence"),
            # A conflict page: its claims, war-wide (battle IS NULL) or per battle.
            models.Index(
                fields=["status", "conflict", "battle", "side", "category"],
                include=["claimant", "claim_date", "figure_low", "figure_high", "id"],
                name="claim_public_conflict",
            ),
            # A conflict page's war-wide claims newest first per claimant: claim_war_wide_newest,
            # on PostgreSQL only (SQLite cannot index NULLS LAST): migration 0016.
            # A claimant's approved claims newest first (read backwards), and their count.
            models.Index(
                fields=["claimant", "claim_date", "id"],
                condition=Q(status="approved"),
                name="claim_claimant_newest",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="claim_has_a_figure",
                condition=Q(figure_low__isnull=False) | Q(figure_high__isnull=False),
            ),
            models.CheckConstraint(
                name="claim_figures_in_order",
                condition=Q(figure_low__isnull=True)
                | Q(figure_high__isnull=True)
                | Q(figure_low__lte=F("figure_high")),
            ),
            models.CheckConstraint(
                name="claim_figures_not_negative",
                condition=(Q(figure_low__isnull=True) | Q(figure_low__gte=0))
                & (Q(figure_high__isnull=True) | Q(figure_high__gte=0)),
            ),
            models.CheckConstraint(
                name="claim_exact_or_approx_is_one_figure",
                # Spelled out: a comparison with NULL would let a missing figure through.
                condition=~Q(qualifier__in=["exact", "approx"])
                | Q(
                    figure_low__isnull=False,
                    figure_high__isnull=False,
                    figure_low=F("figure_high"),
                ),
            ),
            models.CheckConstraint(
                name="claim_at_least_has_only_low",
                condition=~Q(qualifier="at_least")
                | Q(figure_low__isnull=False, figure_high__isnull=True),
            ),
            models.CheckConstraint(
                name="claim_at_most_has_only_high",
                condition=~Q(qualifier="at_most")
                | Q(figure_low__isnull=True, figure_high__isnull=False),
            ),
            models.CheckConstraint(
                name="claim_range_has_both",
                condition=~Q(qualifier="range")
                | Q(figure_low__isnull=False, figure_high__isnull=False),
            ),
            models.CheckConstraint(
                name="claim_offsets_in_order", condition=Q(start_offset__lte=F("end_offset"))
            ),
            models.CheckConstraint(
                name="claim_confidence_in_unit_range",
                condition=Q(confidence__gte=0.0) & Q(confidence__lte=1.0),
            ),
            models.CheckConstraint(
                name="claim_period_in_order",
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=F("period_end")),
            ),
            models.CheckConstraint(
                name="claim_period_kind_valid",
                condition=Q(period_kind__in=["", "daily", "cumulative", "period"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figure_display} {self.category} ({self.side})"

    def get_absolute_url(self) -> str:
        return f"/claims/{self.pk}/"

    @property
    def figure_display(self) -> str:
        """The figure as a person reads it: "≥ 20,000", "7,000–15,000", "≈ 4,000"."""
        return figure_display(self.qualifier, self.figure_low, self.figure_high)

    @property
    def period_display(self) -> str | None:
        """The period the figure covers in words: "covering 24 hours to 12 Oct 2024"."""
        return period_display(self.period_kind, self.period_start, self.period_end)

    @property
    def placed_date(self) -> date | None:
        """The date pages and charts place the claim at: the date the text states, else the
        article's publication date (needs the article loaded)."""
        return self.claim_date or self.article.published_date

    @property
    def date_basis(self) -> str | None:
        """stated / published: where placed_date comes from; None when it has none."""
        if self.claim_date is not None:
            return Claim.DateBasis.STATED
        if self.article.published_date is not None:
            return Claim.DateBasis.PUBLISHED
        return None

    @property
    def date_precision(self) -> str | None:
        """day / month / year: how precise placed_date is."""
        if self.claim_date is not None:
            return self.claim_date_precision
        return DatePrecision.DAY if self.article.published_date is not None else None


def figure_display(qualifier: str, low: int | None, high: int | None) -> str:
    """A claim's figure as a person reads it, from its qualifier and figures (for rows read
    as plain values, without a Claim)."""
    low_text = f"{low:,}" if low is not None else ""
    high_text = f"{high:,}" if high is not None else ""
    match qualifier:
        case Claim.Qualifier.AT_LEAST:
            return f"≥ {low_text}"
        case Claim.Qualifier.AT_MOST:
            return f"≤ {high_text}"
        case Claim.Qualifier.RANGE:
            return f"{low_text}–{high_text}"
        case Claim.Qualifier.APPROX:
            return f"≈ {low_text or high_text}"
        case _:
            return low_text or high_text


def period_display(kind: str | None, start: date | None, end: date | None) -> str | None:
    """A claim's period in words (None when it states none): "covering 24 hours to 12 Oct
    2024" (daily), "since 24 Feb 2022" (a running total), "covering May 2024" (a period)."""

    def day(value: date) -> str:
        return f"{value.day} {value:%b %Y}"

    if kind == Claim.PeriodKind.DAILY:
        return f"covering 24 hours to {day(end)}" if end else "covering one day"
    if kind == Claim.PeriodKind.CUMULATIVE:
        if start and end:
            return f"since {day(start)}, as of {day(end)}"
        if start:
            return f"since {day(start)}"
        return f"running total as of {day(end)}" if end else "running total"
    if start and end:
        if (start.day, (end + timedelta(days=1)).day, start.month) == (1, 1, end.month) and (
            start.year == end.year
        ):
            return f"covering {start:%B %Y}"  # a whole month
        return f"covering {day(start)} to {day(end)}"
    if start:
        return f"since {day(start)}"
    if end:
        return f"up to {day(end)}"
    return "for a stated period" if kind == Claim.PeriodKind.PERIOD else None


class ClaimWithdrawal(models.Model):
    """A tombstone: a claim that was public and is not any more (sent back to draft, corrected,
    rejected, merged into another claim, or deleted). Sync clients read these to drop claims
    they copied (issue 15); one row per claim, removed when the claim is approved again."""

    class Reason(models.TextChoices):
        RETURNED_TO_DRAFT = "returned_to_draft", "Sent back to draft"
        CORRECTED = "corrected", "Corrected, back in review"
        REJECTED = "rejected", "Rejected"
        MERGED = "merged", "Merged into another claim"
        DELETED = "deleted", "Deleted"

    # A plain id, not a foreign key: the tombstone outlives a deleted claim.
    claim_id = models.BigIntegerField(unique=True)
    withdrawn_at = models.DateTimeField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    merged_into_id = models.BigIntegerField(
        null=True, blank=True, help_text="For a merge: the claim it was merged into."
    )

    class Meta:
        ordering = ["withdrawn_at", "claim_id"]
        indexes = [
            models.Index(fields=["withdrawn_at", "claim_id"], name="claimwithdrawal_since"),
        ]

    def __str__(self) -> str:
        return f"Claim {self.claim_id} withdrawn ({self.reason})"


class DatasetRelease(models.Model):
    """A numbered, immutable snapshot of the public data, written by `manage.py
    dataset_release` as a Frictionless Data Package in its own folder (issue 15). The row
    records what the folder holds; neither is changed after publication."""

    number = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField()
    claims_count = models.PositiveIntegerField()
    added_count = models.PositiveIntegerField(help_text="Claims not in the previous release.")
    corrected_count = models.PositiveIntegerField(
        help_text="Claims in the previous release that changed since."
    )
    withdrawn_count = models.PositiveIntegerField(
        help_text="Claims of the previous release that are no longer public."
    )
    files = models.JSONField(help_text="File name -> {bytes, sha256}, as written.")

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Release {self.number}"

    def get_absolute_url(self) -> str:
        return f"/data/{self.number}/"


class CacheFallbackCount(models.Model):
    """How many calls of one purpose (throttle, public cache) to the shared cache every web
    and worker process together answered without it, because it could not be reached
    (claimsite/shared_cache.py): each process adds its own counts. `manage.py
    cache_fallbacks` shows them."""

    purpose = models.CharField(max_length=50, unique=True)
    count = models.BigIntegerField(default=0)
    first_at = models.DateTimeField(auto_now_add=True)
    last_at = models.DateTimeField(help_text="When a process last added to the count.")

    class Meta:
        ordering = ["purpose"]

    def __str__(self) -> str:
        return f"{self.purpose}: {self.count} calls without the cache"
