"""The crisis room: opening an incident with an inline saved search, the live coverage figures,
the timeline, the situation report as page, PDF and email (real SMTP), closing with a proposed
summary, and who may do what (volunteer, viewer, outsider, anonymous)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Membership
from commsdesk.monitoring.models import SavedSearch
from commsdesk.operations import incidents
from commsdesk.operations.models import Incident
from tests.operations.incident_data import NOW, incident_with_coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(team, member):
    return incident_with_coverage(team, member)


def _person(django_user_model, team, name, role):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw-long-enough-9")
    Membership.objects.create(user=user, team=team, role=role)
    return user


@pytest.fixture
def volunteer(team, django_user_model):
    return _person(django_user_model, team, "vic", Membership.Role.VOLUNTEER)


@pytest.fixture
def viewer(team, django_user_model):
    return _person(django_user_model, team, "val", Membership.Role.VIEWER)


def test_the_coverage_counts_mentions_per_hour_stories_and_stance_in_the_last_48_hours(incident):
    found = incidents.coverage(incident, NOW)
    assert len(found.hours) == 48
    assert found.total == 4  # the mention 60 hours ago is outside the window
    assert found.last_24h == 3 and found.previous_24h == 1 and found.trend == "rising"
    assert found.stance == {"positive": 1, "neutral": 1, "negative": 2, "unknown": 0}
    top = found.top_stories[0]
    assert top.articles == 3 and top.outlet == "Freedonia Herald"
    assert not found.spiking


def test_a_persons_sentiment_override_wins_over_the_machine_stance(incident):
    mention = incident.searches.get().mentions.filter(stance="negative").first()
    mention.sentiment_override = "positive"
    mention.save()
    assert incidents.coverage(incident, NOW).stance["positive"] == 2


def test_staff_open_an_incident_with_a_new_saved_search_written_inline(
    member_client, team, immediate_tasks
):
    response = member_client.post(
        reverse("operations:incident_new"),
        {
            "title": "Lawsuit in Ruritania",
            "severity": "critical",
            "status": "open",
            "new_search_name": "Ruritania lawsuit",
            "new_search_query": 'wikimedia AND "lawsuit"',
        },
    )
    incident = Incident.objects.get(title="Lawsuit in Ruritania")
    assert response.status_code == 302
    assert list(incident.searches.values_list("name", flat=True)) == ["Ruritania lawsuit"]
    assert incident.timeline.get().text == "Incident opened."


def test_a_broken_inline_query_is_refused_with_the_reason_and_keeps_what_was_typed(
    member_client,
):
    response = member_client.post(
        reverse("operations:incident_new"),
        {
            "title": "Lawsuit",
            "severity": "high",
            "status": "open",
            "new_search_name": "Bad",
            "new_search_query": "(wikimedia AND",
        },
    )
    assert response.status_code == 400
    assert b"at character" in response.content
    assert b'value="Lawsuit"' in response.content
    assert not Incident.objects.exists() and not SavedSearch.objects.exists()


def test_the_incident_page_shows_people_lines_with_approval_and_warns_about_unapproved(
    member_client, incident
):
    page = member_client.get(reverse("operations:incident", args=[incident.pk])).content.decode()
    assert "Holding statement: Freedonia block" in page
    assert "Approved" in page
    assert 'id="lines-warning"' in page and "Q&amp;A: Freedonia block" in page
    assert "Comment on the Freedonia block" in page
    assert 'hx-trigger="load, every 60s"' in page


def test_the_coverage_panel_fragment_shows_the_figures_and_the_chart(member_client, incident):
    with time_machine.travel(NOW, tick=False):
        panel = member_client.get(reverse("operations:incident_coverage", args=[incident.pk]))
    html = panel.content.decode()
    assert '<strong id="coverage-total">4</strong>' in html
    assert "<svg" in html
    assert "Freedonia Herald" in html


def test_a_volunteer_sees_no_sensitive_line_on_the_incident_or_its_report(
    client, member_client, incident, volunteer
):
    """A sensitive holding statement is for staff: the incident page, the situation report and
    its PDF (made for the person asking) leave it out for a volunteer."""
    line = incident.materials.get(title="Holding statement: Freedonia block")
    line.sensitive = True
    line.save()
    pages = [
        reverse(f"operations:{n}", args=[incident.pk]) for n in ("incident", "incident_report")
    ]
    for url in pages:
        assert "Holding statement: Freedonia block" in member_client.get(url).content.decode()
    client.force_login(volunteer)
    for url in pages:
        text = client.get(url).content.decode()
        assert "Holding statement: Freedonia block" not in text
        assert "Q&amp;A: Freedonia block" in text


def test_a_volunteer_adds_a_timeline_note_but_cannot_close_or_edit(client, incident, volunteer):
    client.force_login(volunteer)
    added = client.post(
        reverse("operations:incident_event", args=[incident.pk]),
        {"kind": "note", "text": "Journalist from the Herald called."},
    )
    assert added.status_code == 302
    assert incident.timeline.filter(author=volunteer, text__contains="Herald called").exists()
    assert client.get(reverse("operations:incident_close", args=[incident.pk])).status_code == 403
    assert (
        client.post(
            reverse("operations:incident_close", args=[incident.pk]), {"summary": "x"}
        ).status_code
        == 403
    )
    assert client.get(reverse("operations:incident_edit", args=[incident.pk])).status_code == 403
    incident.refresh_from_db()
    assert incident.status == Incident.Status.OPEN


def test_an_empty_timeline_note_is_refused_on_the_page(member_client, incident):
    response = member_client.post(
        reverse("operations:incident_event", args=[incident.pk]), {"kind": "note", "text": ""}
    )
    assert response.status_code == 400
    assert b"This field is required" in response.content


def test_a_viewer_reads_the_incident_but_cannot_add_to_the_timeline(client, incident, viewer):
    client.force_login(viewer)
    assert client.get(reverse("operations:incident", args=[incident.pk])).status_code == 200
    refused = client.post(
        reverse("operations:incident_event", args=[incident.pk]), {"kind": "note", "text": "x"}
    )
    assert refused.status_code == 403


def test_an_outsider_gets_404_for_every_incident_page(client, incident, outsider):
    client.force_login(outsider)
    for name in (
        "incident", "incident_edit", "incident_coverage", "incident_report",
        "incident_report_pdf", "incident_close",
    ):  # fmt: skip
        assert client.get(reverse(f"operations:{name}", args=[incident.pk])).status_code == 404
    assert (
        client.post(
            reverse("operations:incident_event", args=[incident.pk]), {"text": "x"}
        ).status_code
        == 404
    )
    assert b"Freedonia" not in client.get(reverse("operations:incidents")).content


def test_anonymous_visitors_are_sent_to_log_in(client, incident):
    for url in (
        reverse("operations:incidents"),
        reverse("operations:incident", args=[incident.pk]),
        reverse("operations:incident_report", args=[incident.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_open_incidents_are_listed_before_closed_ones(member_client, team, member, incident):
    older_closed = Incident.objects.create(
        team=team, title="Old closed", status="closed", opened_at=NOW + timedelta(days=1)
    )
    assert older_closed
    page = member_client.get(reverse("operations:incidents")).content.decode()
    assert page.index("Wikipedia blocked in Freedonia") < page.index("Old closed")


def test_the_situation_report_page_and_pdf(member_client, incident):
    with time_machine.travel(NOW, tick=False):
        page = member_client.get(reverse("operations:incident_report", args=[incident.pk]))
        pdf = member_client.get(reverse("operations:incident_report_pdf", args=[incident.pk]))
    html = page.content.decode()
    assert "4 mentions" in html and "We are aware of reports" in html
    assert "Not approved yet" in html and "Statement goes out at 14:00." in html
    assert "Comment on the Freedonia block" in html
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_situation_report_is_emailed_with_its_pdf_to_the_chosen_people(
    member_client, team, member, volunteer, smtp
):
    # The real clock: the SMTP server's event loop must not run on a frozen one.
    incident = incident_with_coverage(team, member, now=timezone.now())
    response = member_client.post(
        reverse("operations:incident_report_send", args=[incident.pk]),
        {"people": [member.pk, volunteer.pk]},
    )
    assert response.status_code == 302
    (mail,) = smtp.messages
    assert set(mail["X-Envelope-To"].split(", ")) == {"ana@example.org", "vic@example.org"}
    subject = " ".join(str(mail["Subject"]).split())
    assert "Situation report: Wikipedia blocked in Freedonia (High, open)" in subject, subject
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "4 mentions" in text and "We are aware of reports" in text
    assert "NOT APPROVED YET (do not use): Q&A: Freedonia block" in text
    assert "https://" in text or "http://" in text
    attachments = [part for part in mail.iter_attachments()]
    assert attachments[0].get_content_type() == "application/pdf"
    assert incident.timeline.filter(text__startswith="Situation report emailed to").exists()


def test_a_refused_mail_server_is_reported_and_nothing_is_recorded(
    member_client, incident, member, smtp
):
    smtp.refuse = "554 5.7.1 Rejected"
    response = member_client.post(
        reverse("operations:incident_report_send", args=[incident.pk]), {"people": [member.pk]}
    )
    assert response.status_code == 302
    assert not incident.timeline.filter(text__startswith="Situation report emailed").exists()


def test_closing_proposes_a_summary_from_the_timeline_and_coverage_and_records_closed_at(
    member_client, incident
):
    with time_machine.travel(NOW, tick=False):
        form = member_client.get(reverse("operations:incident_close", args=[incident.pk]))
        proposed = form.context["form"].initial["summary"]
        assert "4 mentions" in proposed and "Statement goes out at 14:00." in proposed
        member_client.post(
            reverse("operations:incident_close", args=[incident.pk]),
            {"summary": proposed + "\nAccess restored after 30 hours."},
        )
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED and incident.closed_at == NOW
    assert incident.post_incident_summary.endswith("Access restored after 30 hours.")


def test_closing_without_a_summary_is_refused(member_client, incident):
    response = member_client.post(
        reverse("operations:incident_close", args=[incident.pk]), {"summary": ""}
    )
    assert response.status_code == 400
    incident.refresh_from_db()
    assert incident.closed_at is None


def test_the_edit_form_cannot_close_an_incident_without_its_summary(member_client, incident):
    response = member_client.post(
        reverse("operations:incident_edit", args=[incident.pk]),
        {"title": incident.title, "severity": "high", "status": "closed"},
    )
    assert response.status_code == 400
    incident.refresh_from_db()
    assert incident.status == Incident.Status.OPEN


def test_staff_edit_an_incident_and_on_call_people_must_be_in_the_team(
    member_client, incident, member, outsider
):
    url = reverse("operations:incident_edit", args=[incident.pk])
    refused = member_client.post(
        url, {"title": "X", "severity": "high", "status": "open", "on_call": [outsider.pk]}
    )
    assert refused.status_code == 400
    saved = member_client.post(
        url,
        {
            "title": "Renamed",
            "severity": "critical",
            "status": "monitoring",
            "on_call": [member.pk],
        },
    )
    assert saved.status_code == 302
    incident.refresh_from_db()
    assert (incident.title, incident.severity, incident.status) == (
        "Renamed", "critical", "monitoring",
    )  # fmt: skip
    assert list(incident.on_call.all()) == [member]
