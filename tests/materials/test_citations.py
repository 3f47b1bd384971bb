"""The stale-number checker: a cited statistic whose value changed, expired or was retired, a
quoted material with a newer approved version, and an old value typed in by hand; the fixes that
put the current value in; and approval asking for confirmation while numbers are out of date."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from commsdesk.materials import citations
from commsdesk.materials.models import Draft, Material, Status
from tests.materials.drafting_records import change_value, material, new_version, statistic

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


@pytest.fixture
def articles(team):
    return statistic(
        team, "Articles on English Wikipedia", "6900000", slug="articles-en", unit="articles",
        as_of=date(2026, 10, 1),
    )  # fmt: skip


def blog(team, body: str = "", **fields) -> Draft:
    return Draft.objects.create(
        team=team, kind=Draft.Kind.BLOG_POST, title="Milestone", body=body, **fields
    )


def messages(draft: Draft) -> list[str]:
    return [problem.message for problem in citations.check(draft, today=TODAY)]


def test_a_cited_statistic_whose_value_changed_is_flagged_and_updated_on_request(
    member_client, team, articles
):
    draft = blog(team, "We have ")
    citations.cite_statistic(draft, articles, None)
    draft.save()
    assert draft.body == "We have 6,900,000 articles" and messages(draft) == []
    change_value(articles, "6912345", date(2026, 11, 20))

    assert messages(draft) == [
        "“6,900,000 articles” was Articles on English Wikipedia as of 1 Oct 2026; the library "
        "now says 6,912,345 articles (as of 20 Nov 2026)."
    ]
    page = member_client.get(reverse("materials:draft", args=[draft.pk])).content.decode()
    assert "Update to the current value" in page
    citation = draft.citations.get()
    member_client.post(reverse("materials:draft_fix", args=[draft.pk]), {"citation": citation.pk})

    draft.refresh_from_db()
    citation.refresh_from_db()
    assert draft.body == "We have 6,912,345 articles"
    assert (citation.text, citation.as_of) == ("6,912,345 articles", date(2026, 11, 20))
    assert messages(draft) == []


def test_a_cited_statistic_older_than_its_maximum_age_is_stale(team, articles):
    articles.max_age_days = 30
    articles.save()
    draft = blog(team)
    citations.cite_statistic(draft, articles, None)
    draft.save()

    assert messages(draft) == [
        "Articles on English Wikipedia is stale: older than 30 days (as of 2026-10-01)."
    ]
    assert not citations.check(draft, today=TODAY)[0].fixable  # the library needs a new value


def test_a_retired_statistic_is_flagged(team, articles):
    draft = blog(team)
    citations.cite_statistic(draft, articles, None)
    draft.save()
    articles.status = Status.RETIRED
    articles.save()

    assert messages(draft) == ["Articles on English Wikipedia is stale: retired."]


def test_an_old_value_typed_by_hand_is_flagged_and_replaced_with_the_current_one(
    member_client, team, articles
):
    change_value(articles, "6912345", date(2026, 11, 20))
    draft = blog(team, "Volunteers wrote 6,900,000 articles; 900 of them today. 16,900,000 views.")

    assert messages(draft) == [
        "6,900,000 looks like an old value of Articles on English Wikipedia, now 6,912,345 "
        "articles."
    ]
    member_client.post(
        reverse("materials:draft_fix", args=[draft.pk]),
        {"statistic": articles.pk, "found": "6,900,000"},
    )

    draft.refresh_from_db()
    assert draft.body == (
        "Volunteers wrote 6,912,345 articles; 900 of them today. 16,900,000 views."
    )
    assert messages(draft) == []
    assert draft.citations.get().statistic == articles  # cited from now on


def test_an_old_value_typed_beside_a_cited_one_is_flagged_apart_from_it(team, articles):
    draft = blog(team, "We have ")
    citations.cite_statistic(draft, articles, None)
    draft.body += ". Yes, 6,900,000!"
    draft.save()
    change_value(articles, "6912345", date(2026, 11, 20))

    found = citations.check(draft, today=TODAY)

    assert [bool(p.citation) for p in found] == [True, False]
    assert found[1].found == "6,900,000"


def test_an_old_value_written_without_separators_is_found_too(team, articles):
    change_value(articles, "6912345", date(2026, 11, 20))

    assert len(messages(blog(team, "about 6900000 articles"))) == 1


def test_a_quoted_material_with_a_newer_approved_version_is_flagged_and_updated(
    member_client, team
):
    point = material(team, "Why donate", "Wikipedia is free for everyone.")
    draft = blog(team, "Intro. ")
    citations.cite_material(draft, point, None)
    draft.save()
    new_version(point, "Wikipedia is free for everyone, forever.", approve=False)
    assert messages(draft) == []  # an unapproved edit is not a reason to change the draft
    new_version(point, "Wikipedia is free for everyone, forever.")

    assert messages(draft) == [
        "“Why donate” has a newer approved version (v3; this draft quotes v1)."
    ]
    citation = draft.citations.get()
    member_client.post(reverse("materials:draft_fix", args=[draft.pk]), {"citation": citation.pk})

    draft.refresh_from_db()
    assert draft.body == "Intro. Wikipedia is free for everyone, forever."
    assert draft.citations.get().material_version == 3
    assert messages(draft) == []


def test_a_retired_material_is_flagged(team):
    point = material(team, "Old line", "We never comment.", kind=Material.Kind.HOLDING_STATEMENT)
    draft = blog(team)
    citations.cite_material(draft, point, None)
    draft.save()
    point.status = Status.RETIRED
    point.save()

    assert messages(draft) == ["“Old line” has been retired: do not quote it."]


def test_a_citation_whose_words_were_deleted_no_longer_counts(member_client, team, articles):
    draft = blog(team)
    citations.cite_statistic(draft, articles, None)
    draft.save()

    member_client.post(
        reverse("materials:draft_edit", args=[draft.pk]),
        {"title": "Milestone", "language": "en", "body": "Nearly seven million articles."},
    )

    assert not draft.citations.exists()


def test_approving_with_stale_numbers_needs_a_confirmation(member_client, team, articles):
    draft = blog(team)
    citations.cite_statistic(draft, articles, None)
    draft.save()
    change_value(articles, "6912345", date(2026, 11, 20))
    url = reverse("materials:draft_step", args=[draft.pk])

    refused = member_client.post(url, {"step": "approve"}, follow=True)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert "1 number(s) or quotes may be out of date" in refused.content.decode()
    member_client.post(url, {"step": "approve", "confirm_stale": "1"})

    draft.refresh_from_db()
    assert draft.status == Status.APPROVED


def test_a_fix_for_words_no_longer_in_the_draft_changes_nothing_and_says_so(
    member_client, team, articles
):
    draft = blog(team, "No numbers here.")

    response = member_client.post(
        reverse("materials:draft_fix", args=[draft.pk]),
        {"statistic": articles.pk, "found": "6,900,000"},
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.body == "No numbers here."
    assert "no longer in the draft" in response.content.decode()


def test_inserting_without_a_cursor_appends_with_a_space():
    assert citations.insert("We have", "7 million", None) == "We have 7 million"
    assert citations.insert("", "7 million", None) == "7 million"
    assert citations.insert("ab\r\ncd", "X", 3) == "ab\nXcd"
