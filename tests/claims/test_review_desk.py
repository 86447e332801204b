"""The article review screen (issue 16) through the test client: who may see and act, each
action going through the review services, adding a missed figure from a selected span, the
article's date in one click, and a pinned query count."""

from datetime import date

import pytest
from django.urls import reverse

from claims.models import Article, Claim
from tests.factories import ArticleFactory, BattleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

# Invented text; offsets below are computed from it, not typed.
BODY = (
    "Fighting near the old mill\n\n"
    "Around 1,500 soldiers were killed near the old mill, the regional governor said on Monday.\n\n"
    "The governor added that 240 soldiers were wounded. Another 35 were captured by the defenders."
)


def review_url(article: Article) -> str:
    return reverse("admin:claims_article_review", args=[article.pk])


def span(text: str) -> tuple[int, int]:
    start = BODY.index(text)
    return start, start + len(text)


@pytest.fixture
def article():
    return ArticleFactory(
        title="Fighting near the old mill", body=BODY, published_date=date(2023, 6, 5)
    )


@pytest.fixture
def drafts(article):
    governor = SourceFactory(name="Regional governor", affiliation="ukraine")
    battle = BattleFactory(name="Battle of the Old Mill")
    killed_start, killed_end = span("1,500")
    wounded_start, wounded_end = span("240")
    killed = ClaimFactory(
        article=article,
        claimant=governor,
        battle=battle,
        qualifier=Claim.Qualifier.APPROX,
        figure_low=1500,
        figure_high=1500,
        start_offset=killed_start,
        end_offset=killed_end,
        confidence=0.9,
        claim_date=None,
        extracted_values={"figure_low": 1500, "figure_high": 1500, "category": "killed"},
    )
    wounded = ClaimFactory(
        article=article,
        claimant=governor,
        battle=battle,
        category=Claim.Category.WOUNDED,
        figure_low=240,
        figure_high=240,
        start_offset=wounded_start,
        end_offset=wounded_end,
        confidence=0.4,
        extracted_values={"figure_low": 240, "figure_high": 240, "category": "wounded"},
    )
    return killed, wounded


def row_data(claim: Claim, action: str, **changes) -> dict:
    prefix = f"c{claim.pk}-"
    data = {
        "qualifier": claim.qualifier,
        "figure_low": claim.figure_low if claim.figure_low is not None else "",
        "figure_high": claim.figure_high if claim.figure_high is not None else "",
        "category": claim.category,
        "side": claim.side,
        "claimant": claim.claimant.name if claim.claimant else "",
        "battle": claim.battle_id or "",
        "claim_date": claim.claim_date.isoformat() if claim.claim_date else "",
    }
    data.update(changes)
    return {"action": action, "claim": claim.pk, **{prefix + k: v for k, v in data.items()}}


def test_screen_shows_text_with_marks_and_drafts_doubtful_first(client, editor, article, drafts):
    killed, wounded = drafts
    client.force_login(editor)
    response = client.get(review_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="fig-{killed.pk}"' in html and f'id="fig-{wounded.pk}"' in html
    # Lowest confidence first.
    assert html.index(f'id="claim-{wounded.pk}"') < html.index(f'id="claim-{killed.pk}"')
    assert "admin_review/desk.js" in html
    assert "<script>" not in html  # no inline script under the CSP
    assert "Approve the 2 untouched drafts" in html


def test_viewer_sees_the_screen_read_only_and_cannot_act(client, viewer, article, drafts):
    killed, _ = drafts
    client.force_login(viewer)
    response = client.get(review_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="approve"' not in html and "reject-form" not in html
    assert "disabled" in html
    response = client.post(review_url(article), row_data(killed, "approve"))
    assert response.status_code == 302
    killed.refresh_from_db()
    assert killed.status == Claim.Status.DRAFT


def test_anonymous_is_sent_to_login(client, article):
    response = client.get(review_url(article))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_approve_applies_corrections_first_and_selects_the_next_draft(
    client, editor, article, drafts
):
    killed, wounded = drafts
    client.force_login(editor)
    response = client.post(
        review_url(article), row_data(wounded, "approve", figure_low=250, figure_high=250)
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?selected={killed.pk}#claim-{killed.pk}")
    wounded.refresh_from_db()
    assert (wounded.status, wounded.figure_low, wounded.reviewed_by) == ("approved", 250, editor)
    assert wounded.extracted_values["figure_low"] == 240  # the extractor's value is kept
    reasons = list(
        wounded.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons[-2:] == ["edited: figure_low, figure_high", "approved"]


def test_reject_needs_a_reason(client, editor, article, drafts):
    killed, _ = drafts
    client.force_login(editor)
    client.post(review_url(article), {"action": "reject", "claim": killed.pk, "reason": " "})
    killed.refresh_from_db()
    assert killed.status == Claim.Status.DRAFT
    client.post(
        review_url(article),
        {"action": "reject", "claim": killed.pk, "reason": "not a casualty figure"},
    )
    killed.refresh_from_db()
    assert (killed.status, killed.review_note) == ("rejected", "not a casualty figure")


def test_invalid_row_is_shown_again_with_its_errors(client, editor, article, drafts):
    killed, _ = drafts
    client.force_login(editor)
    response = client.post(
        review_url(article),
        row_data(killed, "save", claimant="Nobody we know", claim_date="05/06/2023"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "No known source is called" in html and "Enter a valid date." in html
    killed.refresh_from_db()
    assert killed.claim_date is None


def test_article_date_in_one_click(client, editor, article, drafts):
    killed, _ = drafts
    client.force_login(editor)
    client.post(review_url(article), {"action": "article_date", "claim": killed.pk})
    killed.refresh_from_db()
    assert killed.claim_date == date(2023, 6, 5)
    assert killed.history.first().history_change_reason == "edited: claim_date"


def test_approve_the_rest_leaves_corrected_drafts(client, editor, article, drafts):
    killed, wounded = drafts
    client.force_login(editor)
    client.post(review_url(article), row_data(wounded, "save", category="casualties"))
    client.post(review_url(article), {"action": "approve_rest"})
    killed.refresh_from_db()
    wounded.refresh_from_db()
    assert killed.status == Claim.Status.APPROVED
    assert wounded.status == Claim.Status.DRAFT  # corrected: it needs its own approval


def test_a_claim_of_another_article_or_already_reviewed_is_refused(client, editor, article, drafts):
    killed, _ = drafts
    other = ClaimFactory()
    client.force_login(editor)
    response = client.post(review_url(article), row_data(other, "approve"), follow=True)
    assert "not one of this article" in response.content.decode()
    other.refresh_from_db()
    assert other.status == Claim.Status.DRAFT
    response = client.post(review_url(article), {"action": "nonsense"}, follow=True)
    assert "Unknown action" in response.content.decode()


def test_add_a_missed_claim_from_a_span(client, editor, article, drafts):
    client.force_login(editor)
    start, end = span("35")
    response = client.post(
        review_url(article), {"action": "add_from_span", "start": start, "end": end}
    )
    assert response.status_code == 302
    added = Claim.objects.get(article=article, start_offset=start)
    assert added.added_by_editor and added.extracted_values == {}
    assert (added.figure_low, added.figure_high, added.qualifier) == (35, 35, "exact")
    assert added.category == Claim.Category.CAPTURED
    assert added.end_offset == end and "35" in added.excerpt
    assert added.status == Claim.Status.DRAFT
    record = added.history.first()
    assert record.history_user == editor
    assert record.history_change_reason == "added by the editor from the text"
    # Correcting it keeps it an editor's claim: the extractor is still scored as missing it.
    client.post(review_url(article), row_data(added, "approve", side="russia"))
    added.refresh_from_db()
    assert added.status == Claim.Status.APPROVED and added.extracted_values == {}


def test_add_from_span_refuses_a_selection_without_a_figure_or_an_existing_claim(
    client, editor, article, drafts
):
    client.force_login(editor)
    for text, message in [("old mill,", "No figure"), ("1,500", "already has a claim")]:
        start, end = span(text)
        response = client.post(
            review_url(article),
            {"action": "add_from_span", "start": start, "end": end},
            follow=True,
        )
        assert message in response.content.decode()
    response = client.post(
        review_url(article), {"action": "add_from_span", "start": "x", "end": "10"}, follow=True
    )
    assert "Select the figure" in response.content.decode()
    assert not Claim.objects.filter(added_by_editor=True).exists()


def test_screen_query_count_does_not_grow_with_drafts(
    client, editor, article, drafts, django_assert_num_queries
):
    client.force_login(editor)
    client.get(review_url(article))  # warm the session and content types
    # session, user, 2 permission lookups, article, its claims (with claimants, battles and
    # whether edited), sources' affiliations for the sides, battles, claimant names.
    with django_assert_num_queries(9):
        assert client.get(review_url(article)).status_code == 200
    for n in range(6):
        ClaimFactory(article=article, start_offset=0, end_offset=0, confidence=0.1 * n)
    with django_assert_num_queries(9):
        response = client.get(review_url(article))
    assert len(response.context["rows"]) == 8


def test_queue_shows_the_sentence_with_the_figure_marked_and_links_to_the_screen(
    client, editor, article, drafts
):
    killed, _ = drafts
    killed.excerpt = BODY[BODY.index("Around") : BODY.index("Monday.") + 7]
    killed.side = "united_states"
    killed.save()
    client.force_login(editor)
    html = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert '<mark class="figure">1,500</mark> soldiers were killed' in html
    assert f"{review_url(article)}?selected={killed.pk}#claim-{killed.pk}" in html
    assert "United States" in html  # a side's label, not its slug


def test_sentence_marked_cuts_long_sentences_around_the_figure():
    from claims.admin_review import sentence_marked

    long = "word " * 60 + "exactly 77 were missing " + "word " * 60
    html = sentence_marked(excerpt=long, figure_text="77", max_chars=60)
    assert html.startswith("…") and html.endswith("…") and "<mark" in html
    assert sentence_marked(excerpt="No figure <here>", figure_text="12") == "No figure &lt;here&gt;"


def test_upload_form_date_is_typed_as_its_hint_says(client, editor):
    client.force_login(editor)
    upload = reverse("admin:claims_article_upload")
    html = client.get(upload).content.decode()
    assert 'placeholder="YYYY-MM-DD"' in html and 'type="date"' not in html
    response = client.post(upload, {"text": "Some text.", "published": "06/03/2024"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert not Article.objects.exists()


def test_extraction_is_not_credited_to_the_editor_whose_request_ran_the_parse(editor, rf):
    """The in-process worker parses inside the upload request, where simple_history's
    middleware has set the editor as the user of every change."""
    from simple_history.models import HistoricalRecords

    from ingest.extraction import EXTRACTOR_VERSION
    from ingest.services import article_parse

    article = ArticleFactory(body=BODY, status=Article.Status.QUEUED)
    request = rf.get("/")
    request.user = editor
    HistoricalRecords.context.request = request
    try:
        article_parse(article_id=article.pk)
    finally:
        del HistoricalRecords.context.request
    records = Claim.history.filter(article_id=article.pk)
    assert records.exists()
    assert set(records.values_list("history_user", flat=True)) == {None}
    assert f"extracted by {EXTRACTOR_VERSION}" in set(
        records.values_list("history_change_reason", flat=True)
    )


def test_a_figure_that_does_not_fit_its_qualifier_is_refused_in_words(
    client, editor, article, drafts
):
    killed, _ = drafts
    client.force_login(editor)
    response = client.post(
        review_url(article), row_data(killed, "approve", qualifier="at_least", figure_high=2000)
    )
    assert response.status_code == 400
    assert "at least&quot; needs a low figure and no high figure" in response.content.decode()
    killed.refresh_from_db()
    assert (killed.status, killed.qualifier) == ("draft", "approx")
