"""The report built from the hand-built March campaign: AMEC sections with figures, previous
period and targets, observations that fire on fixtures built to trigger them, the
methodology note and the raw mention rows for spreadsheets."""

from __future__ import annotations

from datetime import date

from commsdesk.campaigns import assemble
from commsdesk.campaigns.models import ReportNote
from commsdesk.charts import Bars, TimeSeries


def _report(built, **kwargs):
    return assemble.build_report(built.campaign, date(2026, 3, 1), date(2026, 3, 31), **kwargs)


def _figure(report, section_key, label):
    section = next(s for s in report.sections if s.key == section_key)
    return next(f for f in section.figures if f.label == label)


def test_it_has_one_section_per_amec_level_in_order(built):
    keys = [s.key for s in _report(built).sections]
    assert keys == ["objective", "input", "activity", "output", "outtake", "outcome", "impact"]


def test_output_figures_carry_previous_period_target_and_drill_down(built):
    report = _report(built)
    assert (report.previous_start, report.previous_end) == (date(2026, 2, 1), date(2026, 2, 28))
    stories = _figure(report, "output", "Stories")
    assert (stories.value, stories.previous, stories.target) == (3, 4, 10)
    assert stories.drill_url.startswith(f"/campaigns/{built.campaign.pk}/mentions/?metric=coverage")
    assert _figure(report, "output", "Reach").value == 1_050_500


def test_outcomes_and_outtakes_hold_share_of_voice_attention_and_sentiment(built):
    report = _report(built)
    assert _figure(report, "outcome", "Share of voice").value == 62.5
    assert _figure(report, "outcome", "Normalized attention").value == 42.86
    assert _figure(report, "outtake", "Net sentiment").value == 0.333
    assert _figure(report, "outtake", "Set by a person").value == 16.7
    pulled = _figure(report, "outtake", "Pull-through: Knowledge belongs to everyone")
    assert (
        pulled.value == 66.7 and "1 in a headline or lead, 1 in the body only" in pulled.explanation
    )


def test_tables_link_each_row_to_its_mentions(built):
    output = next(s for s in _report(built).sections if s.key == "output")
    languages = next(t for t in output.tables if t.title == "By language")
    assert languages.rows[0][:4] == ("English (en)", 2, 4, 3)
    assert len(languages.drill_urls) == len(languages.rows)
    assert "metric=language" in languages.drill_urls[1] and "value=es" in languages.drill_urls[1]
    missing = next(t for t in output.tables if t.title == "Outlets without an audience figure")
    assert missing.rows == (("Paper Two", 1),)


def test_it_draws_stories_over_time_and_by_language(built):
    output = next(s for s in _report(built).sections if s.key == "output")
    series, bars = output.charts
    # S1 on the 3rd and again on the 4th, A4 on the 10th, S2 on the 12th
    assert isinstance(series, TimeSeries) and [v for _, v in series.points] == [1, 1, 1, 1]
    assert isinstance(bars, Bars) and bars.bars[0] == ("English (en)", 2)


def test_observations_fire_on_falls_peer_only_tier1_outlets_kpis_and_missing_audiences(built):
    observations = _report(built).observations
    assert "Spanish-language coverage fell 75% vs the previous period (4 → 1 stories)." in (
        observations
    )
    assert "1 tier-1 outlet covered peers but not us: Global Times." in observations
    assert any("KPI “Stories” is at 3 of its 10 target (30%)" in o for o in observations)
    assert any(o.startswith("1 outlet has no audience figure") for o in observations)


def test_no_fall_is_reported_without_a_previous_period(built):
    observations = _report(built, compare=False).observations
    assert not any("fell" in o for o in observations)


def test_impact_shows_manual_kpis_with_their_source(built):
    impact = next(s for s in _report(built).sections if s.key == "impact")
    [kpis] = impact.tables
    assert kpis.rows[0][:3] == ("Donations", 100, 1000)
    assert kpis.rows[0][5] == "CRM"


def test_it_carries_people_recommendations_and_the_methodology_note(built):
    ReportNote.objects.create(
        campaign=built.campaign,
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        recommendations="Pitch Spanish-language outlets again.",
    )
    report = _report(built)
    assert report.recommendations == "Pitch Spanish-language outlets again."
    assert "AVE" in report.methodology and "Barcelona Principles 3.0" in report.methodology
    assert "impressions" in report.methodology


def test_extra_mentions_are_every_raw_row(built):
    rows = list(_report(built).extra["mentions"])
    assert len(rows) == 6
    first = rows[0]
    assert (
        first["title"] == "Title s1a" and first["outlet"] == "Wire" and first["label"] == "positive"
    )
