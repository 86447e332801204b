"""The claim and article admin through the test client: who sees what, the review queue, the
buttons and actions that call the review services, and pinned query counts."""

import html
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from claims.admin import CappedCountPaginator, article_body_highlighted
from claims.models import Article, Claim
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:claims_claim_changelist")


def change_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def article_url(article: Article) -> str:
    return reverse("admin:claims_article_change", args=[article.pk])


def claim_form_data(claim: Claim, **changes) -> dict:
    """What the claim's change form posts when nothing is edited, plus `changes`."""
    data = {
        "qualifier": claim.qualifier,
        "figure_low": claim.figure_low if claim.figure_low is not None else "",
        "figure_high": claim.figure_high if claim.figure_high is not None else "",
        "category": claim.category,
        "side": claim.side,
        "unit": claim.unit,
        "basis": claim.basis,
        "claimant": claim.claimant_id or "",
        "battle": claim.battle_id or "",
        "conflict": claim.conflict_id or "",
        "claim_date": claim.claim_date.isoformat() if claim.claim_date else "",
        "claim_date_precision": claim.claim_date_precision,
        "period_start": "",
        "period_end": "",
        "part_of": claim.part_of_id or "",
        "review_note": claim.review_note,
    }
    data.update(changes)
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        reverse("admin:claims_article_changelist"),
        reverse("admin:claims_article_upload"),
        reverse("admin:claims_article_bulk_upload"),
    ],
)
def test_anonymous_users_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_users_see_nothing_of_a_draft_claim(client):
    claim = ClaimFactory(excerpt="A secret draft sentence.")
    response = client.get(change_url(claim), follow=True)
    assert b"A secret draft sentence." not in response.content
    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))


def test_logged_in_non_staff_users_are_kept_out(client):
    claim = ClaimFactory(excerpt="A secret draft sentence.")
    client.force_login(UserFactory(is_staff=False))
    response = client.get(change_url(claim), follow=True)
    assert b"A secret draft sentence." not in response.content
    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))


def test_staff_without_a_group_cannot_open_claims(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(ClaimFactory())).status_code == 403


# --- the claim list ------------------------------------------------------------------------------


def test_claim_list_opens_on_the_review_queue_of_drafts_oldest_article_first(client, editor):
    old_article, new_article = ArticleFactory(), ArticleFactory()
    newer = ClaimFactory(article=new_article, excerpt="x", figure_low=222, figure_high=222)
    older = ClaimFactory(article=old_article, figure_low=111, figure_high=111)
    ClaimFactory(status=Claim.Status.APPROVED, figure_low=333, figure_high=333)
    client.force_login(editor)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows == [older, newer]
    assert b"Review queue" in response.content


def test_claim_list_shows_figures_as_a_person_reads_them(client, editor):
    ClaimFactory(qualifier=Claim.Qualifier.AT_LEAST, figure_low=20_000, figure_high=None)
    ClaimFactory(qualifier=Claim.Qualifier.RANGE, figure_low=7_000, figure_high=15_000)
    client.force_login(editor)
    content = client.get(CHANGELIST).content.decode()
    assert "≥ 20,000" in content
    assert "7,000–15,000" in content


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("approved", {"approved"}),
        ("rejected", {"rejected"}),
        ("all", {"draft", "approved", "rejected"}),
    ],
)
def test_status_filter_shows_other_statuses(client, editor, status, expected):
    for value in Claim.Status.values:
        ClaimFactory(status=value)
    client.force_login(editor)
    response = client.get(CHANGELIST, {"status": status})
    assert {claim.status for claim in response.context["cl"].result_list} == expected


def test_an_unknown_status_falls_back_to_the_review_queue(client, editor):
    ClaimFactory(status=Claim.Status.APPROVED)
    draft = ClaimFactory()
    client.force_login(editor)
    response = client.get(CHANGELIST, {"status": "nonsense"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [draft]


@pytest.mark.parametrize(
    ("params", "field", "wanted"),
    [
        ({"side": "ukraine"}, "side", "ukraine"),
        ({"side": "wagner_group"}, "side", "wagner_group"),  # not in the listed sides: still works
        ({"confidence": "low"}, "confidence", 0.3),
        ({"confidence": "high"}, "confidence", 0.9),
        ({"category": "wounded"}, "category", "wounded"),
        ({"qualifier": "approx"}, "qualifier", "approx"),
    ],
)
def test_claim_list_filters(client, editor, params, field, wanted):
    ClaimFactory(side="russia", confidence=0.6)
    ClaimFactory(side="ukraine", confidence=0.9)
    ClaimFactory(side="wagner_group", confidence=0.3)
    ClaimFactory(category=Claim.Category.WOUNDED, confidence=0.6)
    ClaimFactory(qualifier=Claim.Qualifier.APPROX, confidence=0.6)
    client.force_login(editor)
    rows = list(client.get(CHANGELIST, params).context["cl"].result_list)
    assert rows
    assert all(getattr(claim, field) == wanted for claim in rows)


def test_claim_list_filters_by_battle_claimant_and_article_outlet(client, editor):
    outlet = SourceFactory(kind="media", name="The Daily Front")
    wanted = ClaimFactory(article=ArticleFactory(outlet=outlet))
    other = ClaimFactory()
    client.force_login(editor)
    for params in (
        {"outlet": outlet.pk},
        {"battle__id__exact": wanted.battle_id},
        {"claimant__id__exact": wanted.claimant_id},
    ):
        rows = list(client.get(CHANGELIST, params).context["cl"].result_list)
        assert rows == [wanted], params
    assert other not in rows


def test_claim_list_searches_excerpt_claimant_and_article_title(client, editor):
    by_excerpt = ClaimFactory(excerpt="Near Vuhledar the brigade lost 300 men.")
    by_claimant = ClaimFactory(claimant=SourceFactory(name="General Quietvoice"))
    by_title = ClaimFactory(article=ArticleFactory(title="Siege of Marmotgrad ends"))
    client.force_login(editor)
    for term, claim in (
        ("vuhledar", by_excerpt),
        ("quietvoice", by_claimant),
        ("marmot", by_title),
    ):
        rows = list(client.get(CHANGELIST, {"q": term}).context["cl"].result_list)
        assert rows == [claim], term


def test_claim_list_query_count_does_not_grow_with_rows(client, editor, django_assert_num_queries):
    ClaimFactory.create_batch(3)
    client.force_login(editor)
    client.get(CHANGELIST)  # warm the session and content types
    # session, user, 2 permission lookups, capped count, rows, the figures' text for the
    # sentence column, and the choices of the battle, claimant, outlet and side filters.
    with django_assert_num_queries(11):
        assert client.get(CHANGELIST).status_code == 200
    ClaimFactory.create_batch(30)
    with django_assert_num_queries(11):
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 33


def _doubtful_first_link(content: str) -> str:
    match = re.search(r'<a href="(\?[^"]*)">Doubtful first</a>', content)
    assert match, "no 'Doubtful first' link"
    return CHANGELIST + html.unescape(match.group(1))


@pytest.mark.parametrize("user_fixture", ["editor", "viewer"])
def test_review_queue_offers_doubtful_drafts_first(client, request, user_fixture):
    # Editors have actions (a checkbox column) and viewers do not: the link sorts by
    # confidence for both.
    article = ArticleFactory()
    sure = ClaimFactory(article=article, start_offset=0, end_offset=1, confidence=0.95)
    doubtful = ClaimFactory(article=article, start_offset=5, end_offset=6, confidence=0.2)
    middling = ClaimFactory(article=article, start_offset=9, end_offset=10, confidence=0.6)
    ClaimFactory(status=Claim.Status.APPROVED, confidence=0.1)
    client.force_login(request.getfixturevalue(user_fixture))

    queue = client.get(CHANGELIST)
    assert list(queue.context["cl"].result_list) == [sure, doubtful, middling]

    response = client.get(_doubtful_first_link(queue.content.decode()))
    assert list(response.context["cl"].result_list) == [doubtful, middling, sure]
    content = response.content.decode()
    assert "Review queue: draft claims, doubtful first" in content
    assert ">Oldest article first</a>" in content


def test_doubtful_first_keeps_the_filters(client, editor):
    ClaimFactory(category=Claim.Category.WOUNDED, confidence=0.7)
    wanted = ClaimFactory(category=Claim.Category.WOUNDED, confidence=0.3)
    ClaimFactory(category=Claim.Category.KILLED, confidence=0.1)
    client.force_login(editor)
    queue = client.get(CHANGELIST, {"category__exact": "wounded"})
    rows = client.get(_doubtful_first_link(queue.content.decode())).context["cl"].result_list
    assert [claim.category for claim in rows] == ["wounded", "wounded"]
    assert rows[0] == wanted


def test_doubtful_first_query_count_does_not_grow_with_rows(
    client, editor, django_assert_num_queries
):
    ClaimFactory.create_batch(3)
    client.force_login(editor)
    url = _doubtful_first_link(client.get(CHANGELIST).content.decode())
    # The same queries as the queue in its usual order (see the test above).
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200
    ClaimFactory.create_batch(30)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 33


def test_claim_list_never_counts_past_the_cap(client, editor, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 5)
    ClaimFactory.create_batch(8)
    client.force_login(editor)
    response = client.get(CHANGELIST, {"status": "draft"})
    assert response.context["cl"].result_count == 6  # the cap plus one: "more than"
    assert b"more than 5 claims" in response.content
    assert b"6 results" not in response.content


def test_viewer_can_read_the_list_but_has_no_review_actions(client, viewer):
    ClaimFactory()
    client.force_login(viewer)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    # Viewers have no action at all, so the admin shows no action form.
    assert response.context["action_form"] is None
    assert b"approve_claims" not in response.content


def test_editor_has_the_review_actions_but_cannot_delete(client, editor):
    ClaimFactory()
    client.force_login(editor)
    actions = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert {"approve_claims", "reject_claims", "return_claims_to_draft"} <= set(actions)
    assert "delete_selected" not in actions


# --- bulk actions -------------------------------------------------------------------------------


def test_approve_action_approves_the_selected_drafts(client, editor):
    claims = ClaimFactory.create_batch(3)
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "approve_claims", ACTION_CHECKBOX_NAME: [c.pk for c in claims[:2]]},
        follow=True,
    )
    assert "2 claim(s) approved." in messages_of(response)
    statuses = [Claim.objects.get(pk=c.pk).status for c in claims]
    assert statuses == ["approved", "approved", "draft"]
    assert Claim.objects.get(pk=claims[0].pk).reviewed_by == editor


def test_approve_action_refuses_an_impossible_figure_with_a_message(client, editor):
    good = ClaimFactory()
    impossible = ClaimFactory(figure_low=250_000_000, figure_high=250_000_000)
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "approve_claims", ACTION_CHECKBOX_NAME: [good.pk, impossible.pk]},
        follow=True,
    )
    assert response.status_code == 200
    text = " ".join(messages_of(response))
    assert "1 claim(s) approved." in text
    assert f"Claim {impossible.pk} cannot be approved" in text
    assert Claim.objects.get(pk=impossible.pk).status == Claim.Status.DRAFT


def test_viewer_cannot_approve_by_posting_the_action(client, viewer):
    claim = ClaimFactory()
    client.force_login(viewer)
    client.post(CHANGELIST, {"action": "approve_claims", ACTION_CHECKBOX_NAME: [claim.pk]})
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DRAFT


def test_reject_action_asks_for_a_reason_then_rejects(client, editor):
    claims = ClaimFactory.create_batch(2)
    selected = {"action": "reject_claims", ACTION_CHECKBOX_NAME: [c.pk for c in claims]}
    client.force_login(editor)

    asked = client.post(CHANGELIST, selected)
    assert asked.status_code == 200
    assert b'name="reason"' in asked.content
    assert all(Claim.objects.get(pk=c.pk).status == "draft" for c in claims)

    done = client.post(
        CHANGELIST, {**selected, "apply": "Reject", "reason": "duplicate of a wire story"}
    )
    assert done.status_code == 302
    for claim in claims:
        claim.refresh_from_db()
        assert claim.status == Claim.Status.REJECTED
        assert claim.review_note == "duplicate of a wire story"


def test_reject_action_without_a_reason_asks_again(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "reject_claims", ACTION_CHECKBOX_NAME: [claim.pk], "apply": "Reject"},
    )
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DRAFT


def test_back_to_draft_action(client, editor):
    claim = ClaimFactory(status=Claim.Status.APPROVED)
    client.force_login(editor)
    # Actions apply within the list's filter, so the editor is looking at approved claims.
    client.post(
        f"{CHANGELIST}?status=approved",
        {"action": "return_claims_to_draft", ACTION_CHECKBOX_NAME: [claim.pk]},
    )
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DRAFT


def test_actions_refuse_oversized_selections(client, editor, monkeypatch):
    from claims.admin import ClaimAdmin

    monkeypatch.setattr(ClaimAdmin, "ACTION_LIMIT", 2)
    claims = ClaimFactory.create_batch(3)
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "approve_claims", ACTION_CHECKBOX_NAME: [c.pk for c in claims]},
        follow=True,
    )
    assert any("at most 2" in m for m in messages_of(response))
    assert not Claim.objects.filter(status=Claim.Status.APPROVED).exists()


# --- the claim page ------------------------------------------------------------------------------


def test_claim_page_shows_the_figure_in_its_paragraph_and_the_extractors_work(client, editor):
    article = ArticleFactory(
        body="First paragraph.\n\nKyiv said 1,200 soldiers died near the river.\n\nLast one."
    )
    claim = ClaimFactory(
        article=article,
        start_offset=28,
        end_offset=33,
        figure_low=1300,
        figure_high=1300,
        extraction_notes="verb:died; claimant:said",
        confidence=0.72,
        extracted_values={"figure_low": 1200, "figure_high": 1200, "side": "russia"},
    )
    client.force_login(editor)
    response = client.get(change_url(claim))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'Kyiv said <mark class="figure">1,200</mark> soldiers died near the river.' in content
    assert "First paragraph." not in content.split("review-excerpt")[1].split("</div>")[0]
    assert "verb:died; claimant:said" in content
    assert "0.72" in content
    assert "(edited)" in content  # the figure differs from the extracted one
    assert article_url(article) in content
    assert 'name="_approve_next"' in content
    assert 'name="_reject_next"' in content
    assert reverse("admin:claims_claim_history", args=[claim.pk]) in content


def test_claim_page_for_a_viewer_has_no_review_buttons_and_refuses_posts(client, viewer):
    claim = ClaimFactory()
    client.force_login(viewer)
    response = client.get(change_url(claim))
    assert response.status_code == 200
    assert b'name="_approve' not in response.content
    assert client.post(change_url(claim), claim_form_data(claim, _approve="1")).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DRAFT


def test_approve_and_next_approves_and_opens_the_next_draft(client, editor):
    article = ArticleFactory()
    first = ClaimFactory(article=article, start_offset=1, end_offset=2)
    second = ClaimFactory(article=article, start_offset=5, end_offset=6)
    client.force_login(editor)
    response = client.post(change_url(first), claim_form_data(first, _approve_next="1"))
    assert response.status_code == 302
    assert response["Location"] == change_url(second)
    first.refresh_from_db()
    assert first.status == Claim.Status.APPROVED
    assert first.reviewed_by == editor


def test_approve_and_next_on_the_last_draft_returns_to_the_list(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    response = client.post(
        change_url(claim), claim_form_data(claim, _approve_next="1"), follow=True
    )
    assert response.redirect_chain[-1][0] == CHANGELIST
    assert "The review queue is empty." in messages_of(response)


def test_approve_saves_the_editors_corrections_first_and_keeps_extracted_values(client, editor):
    extracted = {"figure_low": 1200, "figure_high": 1200, "side": "russia"}
    claim = ClaimFactory(extracted_values=extracted)
    client.force_login(editor)
    client.post(
        change_url(claim),
        claim_form_data(claim, figure_low=12_000, figure_high=12_000, _approve="1"),
    )
    claim.refresh_from_db()
    assert (claim.figure_low, claim.status) == (12_000, Claim.Status.APPROVED)
    assert claim.extracted_values == extracted
    reasons = list(claim.history.values_list("history_change_reason", flat=True))
    assert reasons[0] == "approved"
    assert reasons[1].startswith("edited: figure_low, figure_high")


def test_approving_an_impossible_figure_shows_a_message_not_an_error_page(client, editor):
    claim = ClaimFactory(figure_low=250_000_000, figure_high=250_000_000)
    client.force_login(editor)
    response = client.post(change_url(claim), claim_form_data(claim, _approve="1"), follow=True)
    assert response.status_code == 200
    assert any("cannot be approved" in m for m in messages_of(response))
    assert b"This figure cannot be approved" in response.content
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DRAFT


def test_figures_out_of_order_are_a_form_error(client, editor):
    claim = ClaimFactory(qualifier=Claim.Qualifier.RANGE, figure_low=10, figure_high=20)
    client.force_login(editor)
    response = client.post(change_url(claim), claim_form_data(claim, figure_low=50, _approve="1"))
    assert response.status_code == 200
    assert response.context["errors"]
    claim.refresh_from_db()
    assert (claim.figure_low, claim.status) == (10, Claim.Status.DRAFT)


def test_reject_and_next_needs_the_reason_in_the_review_note(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    response = client.post(change_url(claim), claim_form_data(claim, _reject_next="1"), follow=True)
    assert any("reason" in m for m in messages_of(response))
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DRAFT

    client.post(
        change_url(claim),
        claim_form_data(claim, review_note="not a casualty figure", _reject_next="1"),
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    assert claim.review_note == "not a casualty figure"


def test_editing_an_approved_claim_sends_it_back_to_the_queue(client, editor):
    claim = ClaimFactory(status=Claim.Status.APPROVED)
    client.force_login(editor)
    client.post(change_url(claim), claim_form_data(claim, side="ukraine", _continue="1"))
    claim.refresh_from_db()
    assert (claim.side, claim.status) == ("ukraine", Claim.Status.DRAFT)


def test_claim_page_suggests_and_merges_another_report_of_the_same_claim(client, editor):
    original = ClaimFactory(status=Claim.Status.APPROVED)
    copy = ClaimFactory(
        claimant=original.claimant,
        battle=original.battle,
        side=original.side,
        category=original.category,
        figure_low=original.figure_low,
        figure_high=original.figure_high,
    )
    client.force_login(editor)
    page = client.get(change_url(copy)).content.decode()
    assert f'name="_report_of" value="{original.pk}"' in page

    response = client.post(change_url(copy), claim_form_data(copy, _report_of=original.pk))
    assert response["Location"] == change_url(original)
    copy.refresh_from_db()
    assert copy.status == Claim.Status.REJECTED
    assert list(original.reported_by.all()) == [copy.article]


def test_claim_page_lists_its_recent_history(client, editor):
    claim = ClaimFactory(status=Claim.Status.APPROVED)
    client.force_login(editor)
    client.post(change_url(claim), claim_form_data(claim, _back_to_draft="1"))
    content = client.get(change_url(claim)).content.decode()
    history = content.split('class="review-history"')[1].split("</ol>")[0]
    assert "editor · sent back to draft (was approved)" in history


def test_history_is_visible_but_cannot_be_reverted(client, editor):
    claim = ClaimFactory(status=Claim.Status.REJECTED)
    client.force_login(editor)
    client.post(change_url(claim), claim_form_data(claim, _back_to_draft="1"))
    history_url = reverse("admin:claims_claim_history", args=[claim.pk])
    response = client.get(history_url)
    assert response.status_code == 200
    assert b"sent back to draft (was rejected)" in response.content
    first = claim.history.order_by("history_id").first()
    revert_url = reverse("admin:claims_claim_simple_history", args=[claim.pk, first.history_id])
    assert client.post(revert_url, claim_form_data(claim)).status_code == 403


def test_claim_page_query_count_is_bounded(client, editor, django_assert_max_num_queries):
    claim = ClaimFactory(extracted_values={"figure_low": 1200})
    client.force_login(editor)
    client.get(change_url(claim))
    with django_assert_max_num_queries(22):
        assert client.get(change_url(claim)).status_code == 200


# --- articles ------------------------------------------------------------------------------------


def test_article_body_marks_each_figure_and_links_it_to_its_claim():
    article = ArticleFactory(body="About 500 <b>men</b> and 20 tanks were lost.")
    men = ClaimFactory(article=article, start_offset=6, end_offset=9)
    tanks = ClaimFactory(article=article, start_offset=25, end_offset=27, status="approved")
    html = article_body_highlighted(article, [tanks, men])
    assert html.startswith('About <a class="figure figure-draft"')
    assert f'href="{change_url(men)}"' in html and f'href="{change_url(tanks)}"' in html
    assert ">500</a>" in html and ">20</a>" in html
    assert "&lt;b&gt;men&lt;/b&gt;" in html  # the article's text is escaped, never markup


def test_article_body_skips_overlapping_and_out_of_range_offsets():
    article = ArticleFactory(body="Some 1,000 were killed.")
    ClaimFactory(article=article, start_offset=5, end_offset=10)
    overlapping = ClaimFactory(article=article, start_offset=7, end_offset=10)
    beyond = ClaimFactory(article=article, start_offset=100, end_offset=105)
    html = article_body_highlighted(article, article.claims.all())
    assert html.count("<a ") == 1
    assert change_url(overlapping) not in html and change_url(beyond) not in html


def test_article_page_shows_status_error_claims_and_highlighted_text(client, editor):
    article = ArticleFactory(
        body="Officials said 1,200 soldiers died.",
        status=Article.Status.FAILED,
        error="ValueError: bad table",
    )
    claim = ClaimFactory(article=article, start_offset=15, end_offset=20)
    client.force_login(editor)
    response = client.get(article_url(article))
    content = response.content.decode()
    assert response.status_code == 200
    assert "ValueError: bad table" in content
    assert f'<a class="figure figure-draft" href="{change_url(claim)}"' in content
    assert 'http-equiv="refresh"' not in content
    assert ">Retry</button>" in content
    assert change_url(claim) in content.split("inline-group")[1]  # the claims inline


@pytest.mark.parametrize("status", [Article.Status.QUEUED, Article.Status.PARSING])
def test_article_page_refreshes_while_work_is_under_way(client, editor, status):
    article = ArticleFactory(status=status)
    client.force_login(editor)
    assert b'http-equiv="refresh"' in client.get(article_url(article)).content


def test_article_page_for_a_viewer_offers_no_reparse(client, viewer):
    article = ArticleFactory(status=Article.Status.FAILED)
    client.force_login(viewer)
    response = client.get(article_url(article))
    assert response.status_code == 200
    assert b">Retry</button>" not in response.content
    reparse = reverse("admin:claims_article_reparse", args=[article.pk])
    assert client.post(reparse).status_code == 403


def test_article_list_query_count_does_not_grow_with_rows(
    client, editor, django_assert_num_queries
):
    ArticleFactory.create_batch(3, outlet=SourceFactory(kind="media"))
    client.force_login(editor)
    url = reverse("admin:claims_article_changelist")
    client.get(url)
    with django_assert_num_queries(7):
        client.get(url)
    ArticleFactory.create_batch(20, outlet=SourceFactory(kind="media"))
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_add_article_leads_to_the_upload_form(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:claims_article_add"))
    assert response["Location"] == reverse("admin:claims_article_upload")


def test_viewer_cannot_open_the_upload_forms(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("admin:claims_article_upload")).status_code == 403
    assert client.get(reverse("admin:claims_article_bulk_upload")).status_code == 403


def test_claim_list_sorts_only_by_indexed_columns(client, editor):
    ClaimFactory()
    client.force_login(editor)
    content = client.get(CHANGELIST).content.decode()
    assert content.count('class="sortable') == 3
    assert 'class="sortable column-claim_date' in content
    assert 'class="sortable column-article_link' in content
    assert 'class="sortable column-confidence' in content


def test_claims_cannot_be_added_by_hand_even_by_a_superuser(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:claims_claim_add")).status_code == 403


@pytest.mark.parametrize("user_fixture", ["superuser", "editor", "viewer"])
def test_every_admin_page_opens_for_each_role(client, request, user_fixture):
    claim = ClaimFactory(extracted_values={"figure_low": 1200, "side": "russia"})
    client.force_login(request.getfixturevalue(user_fixture))
    urls = [
        reverse("admin:index"),
        CHANGELIST,
        change_url(claim),
        reverse("admin:claims_claim_history", args=[claim.pk]),
        reverse("admin:claims_article_changelist"),
        article_url(claim.article),
        reverse("admin:claims_battle_changelist"),
        reverse("admin:claims_battle_change", args=[claim.battle_id]),
        reverse("admin:claims_source_changelist"),
        reverse("admin:claims_source_change", args=[claim.claimant_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
