"""The article review screen (issue 16): an article's text with every figure marked beside its
drafts as a compact editable list, doubtful first. Editors approve, correct and reject each
draft, approve the untouched rest at once and add a figure the extractor missed from a text
selection; Viewers see the same screen read-only. Every write calls a service; the page works
with the keyboard alone (static/admin_review/desk.js) and, more slowly, without script."""

import html
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Substr
from django.forms.utils import pretty_name
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims.admin_forms import ISO_DATE, iso_date_input
from claims.models import Article, Battle, Claim, Source
from claims.selectors import side_choices
from claims.services import (
    ReviewError,
    article_drafts_approve,
    claim_approve,
    claim_figure_problems,
    claim_reject,
    claim_update,
    source_find,
)

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

# Quick reasons offered when rejecting (any other text may be typed).
REJECT_REASONS = [
    "not a casualty figure",
    "another report of a claim already kept",
    "not about this war",
    "a figure of the past quoted for context",
]

# The fields a draft's row edits, in the order shown (CLAIM_EDITABLE_FIELDS names).
ROW_FIELDS = [
    "qualifier",
    "figure_low",
    "figure_high",
    "category",
    "side",
    "claimant",
    "battle",
    "claim_date",
]


class DraftRowForm(forms.Form):
    """One draft's row. Claimant is typed (matched to a known source by name or alias);
    battle and side are chosen from the reference data."""

    qualifier = forms.ChoiceField(choices=Claim.Qualifier.choices)
    figure_low = forms.IntegerField(required=False, min_value=0, label="Low")
    figure_high = forms.IntegerField(required=False, min_value=0, label="High")
    category = forms.ChoiceField(choices=Claim.Category.choices)
    side = forms.ChoiceField()
    claimant = forms.CharField(required=False, max_length=200)
    battle = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    claim_date = forms.DateField(
        required=False,
        label="Date",
        input_formats=[ISO_DATE],
        help_text="YYYY-MM-DD",
        widget=iso_date_input(),
    )

    def __init__(
        self,
        *args: Any,
        sides: list[tuple[str, str]],
        battles: list[tuple[int, str]],
        claim: Claim,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = draft_choices(sides=sides, battles=battles, claim=claim)
        side_field = self.fields["side"]
        battle_field = self.fields["battle"]
        assert isinstance(side_field, forms.ChoiceField)
        assert isinstance(battle_field, forms.ChoiceField)
        side_field.choices = choices["side"]
        battle_field.choices = choices["battle"]
        self.fields["claimant"].widget.attrs["list"] = "claimant-names"

    def clean_side(self) -> str:
        side: str = self.cleaned_data["side"]
        if not side:
            raise forms.ValidationError("Say whose losses these are.")
        return side

    def clean_claimant(self) -> Source | None:
        name = self.cleaned_data["claimant"].strip()
        if not name:
            return None
        source = source_find(name=name)
        if source is None:
            raise forms.ValidationError(
                f"No known source is called {name!r}; add it under Sources first."
            )
        return source

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        figure = Claim(
            qualifier=cleaned.get("qualifier", ""),
            figure_low=cleaned.get("figure_low"),
            figure_high=cleaned.get("figure_high"),
        )
        # Said in words here; the table's constraints would refuse the same values by name.
        problems = claim_figure_problems(claim=figure)
        if problems:
            raise forms.ValidationError(f"The figure does not fit: {'; '.join(problems)}.")
        return cleaned

    def update_data(self) -> dict[str, object]:
        """The values for claim_update (it writes only those that changed)."""
        data = dict(self.cleaned_data)
        battle_id = data.pop("battle")
        data["battle"] = Battle.objects.get(pk=battle_id) if battle_id else None
        return data


def draft_choices(
    *, sides: list[tuple[str, str]], battles: list[tuple[int, str]], claim: Claim
) -> dict[str, tuple[tuple[str, str], ...]]:
    """The options of a draft's selects: a side outside the known ones is kept as it is."""
    side_options = list(sides)
    if claim.side and claim.side not in {value for value, _ in side_options}:
        side_options.append((claim.side, claim.side))
    return {
        "qualifier": tuple(Claim.Qualifier.choices),
        "category": tuple(Claim.Category.choices),
        "side": (("", "—"), *side_options),
        "battle": (("", "— none (war-wide)"), *((str(pk), name) for pk, name in battles)),
    }


def _initial(claim: Claim) -> dict[str, object]:
    return {
        "qualifier": claim.qualifier,
        "figure_low": claim.figure_low,
        "figure_high": claim.figure_high,
        "category": claim.category,
        "side": claim.side,
        "claimant": claim.claimant.name if claim.claimant else "",
        "battle": claim.battle_id or "",
        "claim_date": claim.claim_date.isoformat() if claim.claim_date else "",
    }


def article_body_marked(body: str, claims: list[Claim]) -> SafeString:
    """The body as HTML, every claim's figure a link to its row (#claim-ID). Offsets index
    the body; spans that overlap or fall outside it are left unmarked. The text is kept
    character for character (white-space: pre-wrap), so offsets read in the browser from a
    selection are the body's."""
    parts, position = [], 0
    for claim in sorted(claims, key=lambda c: (c.start_offset, c.end_offset)):
        start, end = claim.start_offset, claim.end_offset
        if start < position or end > len(body) or start >= end:
            continue
        parts.append(escape(body[position:start]))
        parts.append(
            format_html(
                '<a class="figure figure-{}" id="fig-{}" href="#claim-{}" data-claim="{}">{}</a>',
                claim.status,
                claim.pk,
                claim.pk,
                claim.pk,
                body[start:end],
            )
        )
        position = end
    parts.append(escape(body[position:]))
    return mark_safe("".join(str(part) for part in parts))


def claim_is_untouched(claim: Claim) -> bool:
    """A draft still as the extractor made it: "approve the rest" approves these. Drafts an
    editor corrected or added need their own approval. `history_edited` is annotated by the
    screen's query."""
    return not claim.added_by_editor and not getattr(claim, "history_edited", False)


@dataclass
class RowField:
    name: str
    label: str
    html: SafeString
    errors: list[str]


def row_fields(
    *,
    prefix: str,
    values: dict[str, object],
    errors: dict[str, list[str]],
    choices: dict[str, tuple[tuple[str, str], ...]],
    disabled: bool,
) -> list[RowField]:
    """A draft row's inputs as HTML, named as DraftRowForm(prefix=prefix) reads them. Written
    here rather than by building a form per row and rendering Django's widget templates: a
    screen of 25 drafts has some 1,500 options, and that took most of the page's time."""
    out = []
    for name, field in DraftRowForm.base_fields.items():
        html_name = f"{prefix}-{name}"
        value = values.get(name)
        text = "" if value is None else str(value)
        label = str(field.label or pretty_name(name))
        attrs = f'name="{html_name}" id="id_{html_name}" aria-label="{html.escape(label)}"'
        for key, attr in field.widget.attrs.items():
            attrs += f' {key}="{html.escape(str(attr))}"'
        if disabled:
            attrs += " disabled"
        if name in choices:
            markup = f"<select {attrs}>{_options_html(choices[name], text)}</select>"
        else:
            kind = "number" if isinstance(field, forms.IntegerField) else "text"
            markup = f'<input type="{kind}" {attrs} value="{html.escape(text)}">'
        out.append(RowField(name, label, mark_safe(markup), errors.get(name, [])))
    return out


@lru_cache(maxsize=256)
def _options_html(choices: tuple[tuple[str, str], ...], selected: str) -> SafeString:
    """A select's options with `selected` chosen; the rows of a screen share most of them."""
    return mark_safe(
        "".join(
            f'<option value="{html.escape(key)}"{" selected" if key == selected else ""}>'
            f"{html.escape(label)}</option>"
            for key, label in choices
        )
    )


@dataclass
class DraftRow:
    claim: Claim
    fields: list[RowField]
    untouched: bool
    problems: list[str]
    form_errors: list[str]  # errors of the row as a whole, after a refused save


class ArticleReviewScreen:
    """GET shows the screen; POST runs one action on one draft (or on the article) through
    the services, then redirects back with the next draft selected."""

    ACTIONS = ("save", "approve", "reject", "article_date", "approve_rest", "add_from_span")

    def __init__(self, model_admin: "ModelAdmin[Article]") -> None:
        self.model_admin = model_admin
        self.admin_site = model_admin.admin_site

    def __call__(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not request.user.has_perm("claims.view_claim"):
            raise PermissionDenied
        article = get_object_or_404(
            Article.objects.select_related("outlet").defer("original_content"), pk=object_id
        )
        if request.method == "POST":
            return self.post(request, article)
        response: HttpResponse = self.get(request, article, bound=None)
        return response

    # --- reading ---------------------------------------------------------------------------

    def _claims(self, article: Article) -> list[Claim]:
        edited = Claim.history.model.objects.filter(
            id=OuterRef("pk"), history_change_reason__startswith="edited"
        )
        return list(
            article.claims.select_related("claimant", "battle")
            .annotate(history_edited=Exists(edited))
            .order_by("start_offset", "pk")
        )

    @staticmethod
    def _order(claims: list[Claim]) -> tuple[list[Claim], list[Claim]]:
        """Drafts doubtful first (lowest confidence; editors' own claims have none), then in
        text order; reviewed claims in text order."""
        drafts = sorted(
            (c for c in claims if c.status == Claim.Status.DRAFT),
            key=lambda c: (c.confidence, c.start_offset, c.pk),
        )
        reviewed = [c for c in claims if c.status != Claim.Status.DRAFT]
        return drafts, reviewed

    def get(
        self, request: HttpRequest, article: Article, bound: tuple[int, DraftRowForm] | None
    ) -> TemplateResponse:
        claims = self._claims(article)
        drafts, reviewed = self._order(claims)
        sides = side_choices()
        battles = list(Battle.objects.order_by("name").values_list("pk", "name"))
        can = {
            "change": request.user.has_perm("claims.change_claim"),
            "approve": request.user.has_perm("claims.approve_claim"),
            "reject": request.user.has_perm("claims.reject_claim"),
        }
        rows = []
        for claim in drafts:
            values, errors, form_errors = _initial(claim), {}, []
            if bound is not None and bound[0] == claim.pk:
                form = bound[1]
                values = {name: form[name].value() for name in form.fields}
                errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
                form_errors = [str(error) for error in form.non_field_errors()]
            rows.append(
                DraftRow(
                    claim=claim,
                    fields=row_fields(
                        prefix=f"c{claim.pk}",
                        values=values,
                        errors=errors,
                        choices=draft_choices(sides=sides, battles=battles, claim=claim),
                        disabled=not can["change"],
                    ),
                    untouched=claim_is_untouched(claim),
                    problems=_problems(claim),
                    form_errors=form_errors,
                )
            )
        selected = _int(request.GET.get("selected"))
        if selected not in {c.pk for c in drafts}:
            selected = drafts[0].pk if drafts else None
        context = {
            **self.admin_site.each_context(request),
            "opts": Claim._meta,
            "article_opts": Article._meta,
            "title": f"Review: {article}",
            "article": article,
            "body": article_body_marked(article.body, claims),
            "rows": rows,
            "reviewed": reviewed,
            "selected": selected,
            "untouched_ids": [row.claim.pk for row in rows if row.untouched],
            "claimant_names": Source.objects.order_by("name").values_list("name", flat=True),
            "reject_reasons": REJECT_REASONS,
            "can_change": can["change"],
            "can_approve": can["approve"] and can["change"],
            "can_reject": can["reject"] and can["change"],
            "side_labels": dict(sides),
        }
        return TemplateResponse(request, "admin/claims/review/article.html", context)

    # --- acting ----------------------------------------------------------------------------

    def post(self, request: HttpRequest, article: Article) -> HttpResponse:
        action = request.POST.get("action", "")
        if action not in self.ACTIONS:
            messages.error(request, "Unknown action; nothing was changed.")
            return self._back(article, None)
        try:
            if action == "approve_rest":
                return self._approve_rest(request, article)
            if action == "add_from_span":
                return self._add_from_span(request, article)
            claim = self._draft(request, article)
            following = self._following(article, claim)
            if action in ("save", "approve"):
                form = self._bound_form(request, claim)
                if not form.is_valid():
                    messages.error(request, "Not saved: correct the marked fields.")
                    response = self.get(request, article, bound=(claim.pk, form))
                    response.status_code = 400
                    return response
                claim_update(claim=claim, user=request.user, data=form.update_data())
                if action == "save":
                    messages.success(request, f"Corrected: {_describe(claim.pk)}.")
                    return self._back(article, claim.pk)
                claim_approve(claim=claim.pk, user=request.user)
                messages.success(request, f"Approved: {_describe(claim.pk)}.")
                return self._back(article, following)
            if action == "reject":
                claim_reject(
                    claim=claim.pk, user=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, f"Rejected: {_describe(claim.pk)}.")
                return self._back(article, following)
            # article_date: the claim was made when the article was published.
            if article.published_date is None:
                raise ReviewError("The article has no published date; type the claim's date.")
            claim_update(
                claim=claim, user=request.user, data={"claim_date": article.published_date}
            )
            messages.success(
                request, f"Claim date set to the article's, {article.published_date.isoformat()}."
            )
            return self._back(article, claim.pk)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or "You are not allowed to do this.")
        except ReviewError as exc:
            messages.error(request, str(exc))
        return self._back(article, _int(request.POST.get("claim")))

    def _draft(self, request: HttpRequest, article: Article) -> Claim:
        claim_id = _int(request.POST.get("claim")) or 0
        claim = (
            Claim.objects.select_related("claimant", "battle")
            .filter(pk=claim_id, article=article)
            .first()
        )
        if claim is None:
            raise ReviewError("That claim is not one of this article's any more.")
        if claim.status != Claim.Status.DRAFT:
            raise ReviewError(f"Claim {claim.pk} was already {claim.get_status_display().lower()}.")
        return claim

    def _bound_form(self, request: HttpRequest, claim: Claim) -> DraftRowForm:
        return DraftRowForm(
            request.POST,
            sides=side_choices(),
            battles=list(Battle.objects.order_by("name").values_list("pk", "name")),
            claim=claim,
            prefix=f"c{claim.pk}",
        )

    def _following(self, article: Article, claim: Claim) -> int | None:
        """The draft selected after `claim` is approved or rejected: the next in the list,
        else the one before."""
        drafts, _ = self._order(
            list(
                article.claims.filter(status=Claim.Status.DRAFT).only(
                    "pk", "confidence", "start_offset", "status"
                )
            )
        )
        ids = [c.pk for c in drafts]
        if claim.pk not in ids:
            return ids[0] if ids else None
        index = ids.index(claim.pk)
        rest = ids[index + 1 :] or ids[:index]
        return rest[0] if rest else None

    def _approve_rest(self, request: HttpRequest, article: Article) -> HttpResponse:
        claims = self._claims(article)
        wanted = [c.pk for c in claims if c.status == Claim.Status.DRAFT and claim_is_untouched(c)]
        if not wanted:
            messages.info(request, "No untouched drafts left to approve.")
            return self._back(article, None)
        approved, refused = article_drafts_approve(
            article_id=article.pk, claim_ids=wanted, user=request.user
        )
        if approved:
            messages.success(request, f"{len(approved)} untouched draft(s) approved.")
        for reason in refused:
            messages.error(request, reason)
        return self._back(article, None)

    def _add_from_span(self, request: HttpRequest, article: Article) -> HttpResponse:
        from ingest.review import claim_add_from_span

        start, end = _int(request.POST.get("start")), _int(request.POST.get("end"))
        if start is None or end is None:
            raise ReviewError("Select the figure in the text first.")
        if not request.user.has_perm("claims.change_claim"):
            raise PermissionDenied("You are not allowed to add claims.")
        claim = claim_add_from_span(article_id=article.pk, start=start, end=end, user=request.user)
        messages.success(
            request, f"Added from the text: {_describe(claim.pk)}. Check it, then approve it."
        )
        return self._back(article, claim.pk)

    @staticmethod
    def _back(article: Article, selected: int | None) -> HttpResponse:
        url = reverse("admin:claims_article_review", args=[article.pk])
        if selected:
            url += f"?selected={selected}#claim-{selected}"
        return HttpResponseRedirect(url)


def _problems(claim: Claim) -> list[str]:
    problems = claim_figure_problems(claim=claim)
    if not claim.side:
        problems.append("whose losses is not set")
    return problems


def _describe(claim_id: int) -> str:
    claim = (
        Claim.objects.filter(pk=claim_id)
        .only("pk", "qualifier", "figure_low", "figure_high", "category", "side")
        .first()
    )
    if claim is None:
        return f"claim {claim_id}"
    return f"{claim.figure_display} {claim.get_category_display().lower()}"


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


# --- The review queue's sentence column -------------------------------------------------------


class SentenceChangeList(ChangeList):
    """The claim list, with the text of each shown claim's figure read from its article's
    body (for sentence_marked) in one query for the page's rows only: annotating the list's
    queryset would also join every article into the count."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        rows = list(self.result_list)
        figure_texts = dict(
            Claim.objects.filter(pk__in=[row.pk for row in rows])
            .annotate(
                figure_text=Substr(
                    "article__body", F("start_offset") + 1, F("end_offset") - F("start_offset")
                )
            )
            .values_list("pk", "figure_text")
        )
        for row in rows:
            row.figure_text = figure_texts.get(row.pk) or ""
        self.result_list = rows


SENTENCE_MAX_CHARS = 180


def sentence_marked(*, excerpt: str, figure_text: str, max_chars: int = SENTENCE_MAX_CHARS) -> str:
    """The claim's sentence with its figure marked, cut to about `max_chars` around the
    figure. `figure_text` is the body's text at the claim's offsets; when the excerpt does
    not hold it (an edited body, a window excerpt), the sentence is shown unmarked."""
    at = excerpt.find(figure_text) if figure_text else -1
    if at < 0:
        short = excerpt if len(excerpt) <= max_chars else excerpt[: max_chars - 1] + "…"
        return format_html("{}", short)
    end = at + len(figure_text)
    room = max(0, max_chars - len(figure_text))
    start = max(0, at - room // 2)
    stop = min(len(excerpt), end + room - (at - start))
    return format_html(
        '{}{}<mark class="figure">{}</mark>{}{}',
        "…" if start > 0 else "",
        excerpt[start:at],
        figure_text,
        excerpt[end:stop],
        "…" if stop < len(excerpt) else "",
    )
