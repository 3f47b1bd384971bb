"""Journalists in and out as CSV and vCard: a round trip keeps every field, bad rows are
reported by number with the reason and the rest imported, duplicates are never doubled, and
exports hide contact details from volunteers."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commsdesk.accounts.models import Membership, Team
from commsdesk.relations.contact_files import as_row
from commsdesk.relations.models import Journalist
from tests.fixtures.contacts import journalist, outlet, person_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts_book(team):
    daily = outlet()
    ana = journalist(
        team,
        "Ana Reporter",
        works_for=daily,
        email="ana@daily.example",
        phone="+44 20 7946 0000",
        social={"mastodon": "@ana@news.social", "x": "@ana"},
        beats=["climate", "health"],
        languages=["en", "es"],
        country="GB",
        preferred_contact="email",
        bylines=["A. Reporter"],
        notes="Met at COP.\nLikes data.",
    )
    jose = journalist(
        team,
        "José Núñez, Jr.",
        works_for=outlet("diario.example", "El Diario"),
        do_not_contact=True,
        do_not_contact_reason="Asked us; stop",
        languages=["es"],
    )
    return [ana, jose]


def _export(client, fmt: str) -> bytes:
    response = client.get(reverse("relations:journalist_export", args=[fmt]))
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _import(client, name: str, data: bytes):
    return client.post(
        reverse("relations:journalist_import"), {"file": SimpleUploadedFile(name, data)}
    )


def _fresh_team_client(client, django_user_model):
    fresh = Team.objects.create(name="Fresh", slug="fresh")
    client.force_login(person_in(fresh, "editor", django_user_model, "fresh-editor"))
    return fresh


def _rows(team) -> list[dict]:
    return [
        as_row(j, with_contacts=True) for j in Journalist.objects.filter(team=team).order_by("name")
    ]


@pytest.mark.parametrize("fmt,name", [("csv", "journalists.csv"), ("vcf", "journalists.vcf")])
def test_export_then_import_into_a_fresh_team_gives_the_same_data(
    member_client, client, django_user_model, team, contacts_book, fmt, name
):
    exported = _export(member_client, fmt)
    fresh = _fresh_team_client(client, django_user_model)

    response = _import(client, name, exported)

    assert response.context["report"].problems == []
    assert _rows(fresh) == _rows(team)
    assert all(j.origin == "import" for j in Journalist.objects.filter(team=fresh))


def test_bad_csv_rows_are_reported_by_number_and_the_rest_imported(member_client, team):
    data = (
        b"name,email,outlet_domain,languages,country,social,preferred_contact\n"
        b"Good One,good@example.org,daily.example,en,KE,,\n"
        b",nobody@example.org,,,,,\n"
        b"Bad Mail,not-an-email,,,,,\n"
        b"Bad Country,,,,Kenya,,\n"
        b"Bad Social,,,,,just-a-handle,\n"
        b"Bad Domain,,not a domain,,,,\n"
        b"Too,Many,Cells,en,KE,,,extra\n"
        b"Bad Pref,,,,,,fax\n"
        b"Good Two,,,fr,,x=@two,social\n"
    )

    response = _import(member_client, "list.csv", data)

    report = response.context["report"]
    problems = {p.row: p.reason for p in report.problems}
    assert [j.name for j in report.created] == ["Good One", "Good Two"]
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9]  # as a spreadsheet numbers them
    assert "name is empty" in problems[3]
    assert "not-an-email" in problems[4]
    assert "Kenya" in problems[5]
    assert "network=handle" in problems[6]
    assert "not a domain" in problems[7]
    assert "cells for 7 columns" in problems[8]
    assert "fax" in problems[9]
    html = response.content.decode()
    assert "Kenya" in html and 'id="import-problems"' in html
    assert Journalist.objects.filter(team=team).count() == 2


def test_a_malformed_vcard_is_reported_and_the_other_cards_imported(member_client, team):
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:First Card\r\nN:Card;First;;;\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nthis line is not a property\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nameless;;;;\r\nEMAIL:broken\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Third Card\r\nEMAIL:third@example.org\r\nEND:VCARD\r\n"
    )

    report = _import(member_client, "cards.vcf", data).context["report"]

    assert [j.name for j in report.created] == ["First Card", "Third Card"]
    assert [p.row for p in report.problems] == [2, 3]
    assert "cannot be read" in report.problems[0].reason
    assert "broken" in report.problems[1].reason


def test_duplicates_in_the_file_or_the_contacts_are_reported_not_doubled(
    member_client, team, contacts_book
):
    data = (
        "name,email,outlet_domain\n"
        "Someone,ANA@daily.example,\n"  # same email as Ana
        '"JOSÉ NÚÑEZ, jr.",,diario.example\n'  # same name at the same outlet
        "New Person,new@example.org,\n"
        "New Person again,new@example.org,\n"  # same email as the row before
    ).encode()

    report = _import(member_client, "dupes.csv", data).context["report"]

    assert [j.name for j in report.created] == ["New Person"]
    assert [(p.row, p.duplicate_of.name) for p in report.duplicates] == [
        (2, "Ana Reporter"),
        (3, "José Núñez, Jr."),
        (5, "New Person"),
    ]
    assert Journalist.objects.filter(team=team).count() == 3


def test_a_file_without_a_name_column_says_so(member_client, team):
    report = _import(member_client, "x.csv", b"email\nsomeone@example.org\n").context["report"]

    assert report.problems[0].row == 0 and "name" in report.problems[0].reason
    assert not Journalist.objects.filter(team=team).exists()


def test_spreadsheet_encodings_are_read(member_client, team):
    _import(member_client, "latin.csv", "name\nJosé Núñez\n".encode("cp1252"))

    assert Journalist.objects.filter(team=team, name="José Núñez").exists()


@pytest.mark.parametrize("fmt", ["csv", "vcf"])
def test_a_volunteers_export_has_no_contact_details(
    client, team, django_user_model, contacts_book, fmt
):
    client.force_login(person_in(team, "volunteer", django_user_model))

    exported = _export(client, fmt).decode()

    assert "Ana Reporter" in exported
    for secret in ("ana@daily.example", "7946", "news.social", "@ana"):
        assert secret not in exported


def test_the_csv_export_is_only_my_teams_journalists(client, outsider, contacts_book):
    client.force_login(outsider)

    rows = list(csv.DictReader(io.StringIO(_export(client, "csv").decode())))

    assert rows == []


def test_only_staff_import(client, team, django_user_model):
    client.force_login(person_in(team, Membership.Role.VOLUNTEER, django_user_model))

    response = _import(client, "list.csv", b"name\nSomeone\n")

    assert response.status_code == 403
    assert not Journalist.objects.exists()


def test_anonymous_visitors_cannot_export(client, contacts_book):
    response = client.get(reverse("relations:journalist_export", args=["csv"]))

    assert response.status_code == 302 and "/login/" in response.url
