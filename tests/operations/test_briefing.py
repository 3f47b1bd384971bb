"""The briefing pack's contents, built from the fixtures of conftest.py, as data and as a page."""

from __future__ import annotations

from commsdesk.operations import briefing


def test_the_briefing_profiles_the_journalist_with_outlet_history_and_bylined_articles(
    engagements, member
):
    built = briefing.build(engagements.inquiry, user=member)
    profile = built.journalist
    assert profile.name == "Lucía Fernández"
    assert [job.outlet for job in profile.jobs] == ["El Diario Abierto", "La Gaceta Vieja"]
    assert profile.beats == ("technology", "open knowledge")
    assert ("Email", "lucia@diario.example") in profile.contact
    assert [a.title for a in built.articles] == ["Wikipedia en el aula"]


def test_the_outlet_reach_keeps_its_source_and_tier(engagements, member):
    reach = briefing.build(engagements.inquiry, user=member).outlet
    assert (reach.tier, reach.monthly_audience, reach.audience_source) == (1, 2_400_000, "Comscore")
    assert reach.audience_text == "2,400,000"


def test_recent_coverage_of_us_and_peers_on_the_outlet_with_stance(engagements, member):
    coverage = briefing.build(engagements.inquiry, user=member).coverage
    rows = {(c.whose, c.article.title, c.stance) for c in coverage}
    assert rows == {
        ("Us", "Article ours-recent", "positive"),
        ("OpenEncyclo Foundation", "Article peer-recent", "negative"),
    }  # the 120-day-old mention is outside the 90 days


def test_only_approved_materials_on_the_topic_are_talking_points(engagements, member):
    built = briefing.build(engagements.inquiry, user=member, language="en")
    titles = [p.title for p in built.talking_points]
    assert titles == ["Wikipedia in education: talking points"]
    assert [p.title for p in built.holding_lines] == ["Holding line on education"]


def test_a_spanish_speaking_spokesperson_gets_the_spanish_translation(engagements, member):
    built = briefing.build(engagements.inquiry, user=member)
    assert built.language == "es"
    (point,) = built.talking_points
    assert (point.title, point.language, point.note) == (
        "Puntos: Wikipedia en la educación",
        "es",
        "",
    )
    # The holding line has no Spanish translation: shown in English, with a note saying so.
    (holding,) = built.holding_lines
    assert holding.language == "en" and "No approved translation" in holding.note
    assert [m.text for m in built.key_messages] == ["Wikipedia ayuda al profesorado"]


def test_a_stale_statistic_is_flagged_and_a_fresh_one_is_not(engagements, member):
    stats = {s.name: s for s in briefing.build(engagements.inquiry, user=member).statistics}
    assert stats["Articles in Spanish"].stale
    assert "older than 90 days" in stats["Articles in Spanish"].reason
    assert not stats["Active editors"].stale
    assert stats["Active editors"].value == "265,000 editors"


def test_a_volunteer_sees_the_briefing_without_contact_details(engagements, volunteer):
    built = briefing.build(engagements.inquiry, user=volunteer)
    assert built.journalist.contact is None
    assert built.spokesperson.contact is None


def test_an_opportunity_briefing_uses_the_host_chosen_on_the_page(engagements, member):
    built = briefing.build(engagements.opportunity, user=member, journalist=engagements.journalist)
    assert built.journalist.name == "Lucía Fernández"
    assert built.outlet.name == "El Diario Abierto"
    assert [p.title for p in built.talking_points] == ["Puntos: Wikipedia en la educación"]
