"""Builds a campaign's `Report` for a period from `metrics`: one section per AMEC level, the
previous-period comparison, generated observations, people's recommendations and the
methodology note. It renders nothing: the web page, PDF, XLSX and CSV all render the Report.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import urlencode

from django.db.models import F, QuerySet
from django.urls import reverse

from commsdesk.campaigns import metrics, observations, onepass
from commsdesk.campaigns.models import Activity, Campaign, Level, ReportNote
from commsdesk.campaigns.periods import Period
from commsdesk.campaigns.report import Figure, Report, Section, Table
from commsdesk.charts import Bars, TimeSeries
from commsdesk.monitoring.models import Outlet
from commsdesk.monitoring.names import language_name

METHODOLOGY = (
    "Coverage is the mentions of the campaign's saved searches published in the period "
    "(UTC days), leaving out those a person hid. A syndicated story counts once as a story and "
    "once per copy as a placement. Reach adds each outlet's monthly audience once per outlet per "
    f"period (a known audience below {metrics.AUDIENCE_FLOOR:,} counts as "
    f"{metrics.AUDIENCE_FLOOR:,}); outlets without a figure are listed, not guessed. We never "
    "add up 'impressions' over syndicated copies (the same readers would be counted again) and "
    "we report no advertising value equivalent (AVE): it prices attention as if it were bought "
    "space and says nothing about what the coverage achieved. Following the Barcelona "
    "Principles 3.0 and the AMEC Integrated Evaluation Framework, the report measures outputs, "
    "out-takes and outcomes against the campaign's objectives, and shows where every figure "
    "comes from. Share of voice and normalized attention count the campaign and its peers over "
    "the same sources and period. Sentiment uses a person's override first, then the stance "
    "toward the searched-for names, then the article's sentiment; mentions none of them covers "
    "are 'not analysed', never guessed. Definitions: docs/metrics.md."
)
DIMENSION_TITLES = {
    "language": "Language",
    "country": "Country",
    "tier": "Outlet tier",
    "type": "Outlet type",
}
OUTLET_TYPES = dict(Outlet.Type.choices)
WEEKLY_AFTER_DAYS = 92  # longer periods are charted per week, so the line stays readable


def build_report(campaign: Campaign, start: date, end: date, *, compare: bool = True) -> Report:
    """The campaign's report for start..end (inclusive), compared with the period before."""
    period = Period(start, end)
    before = period.previous() if compare else None
    context = _Context(campaign, period, before)
    sections = (
        _objectives(context),
        _inputs(context),
        _activities(context),
        _outputs(context),
        _outtakes(context),
        _outcomes(context),
        _impact(context),
    )
    note = ReportNote.objects.filter(campaign=campaign, period_start=start, period_end=end).first()
    return Report(
        title=f"{campaign.name}: impact report",
        campaign_id=campaign.pk,
        period_start=start,
        period_end=end,
        previous_start=before.start if before else None,
        previous_end=before.end if before else None,
        sections=sections,
        observations=tuple(context.observations()),
        recommendations=note.recommendations if note else "",
        methodology=METHODOLOGY,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        extra={"mentions": mention_rows(metrics.mentions(campaign, period))},
    )


class _Context:
    """What several sections share, computed once: this period's and the previous period's
    headline figures, the KPIs and the drill-down link maker."""

    def __init__(self, campaign: Campaign, period: Period, before: Period | None) -> None:
        self.campaign, self.period, self.before = campaign, period, before
        # Each figure read once, and the ones others need passed on: the coverage is read as
        # few times as possible (a report over 100k mentions must render in about 2 s).
        self.onepass = onepass.volume(campaign, period)
        summary = self.onepass.summary
        self.volume, self.tier1 = summary.counts, summary.tier1
        stories = self.volume.stories
        self.reach = metrics.reach(campaign, period, without_outlet=summary.without_outlet)
        self.voice = metrics.share_of_voice(campaign, period, own=self.volume.placements)
        self.attention = metrics.attention(campaign, period, stories=stories)
        self.sentiment, self.sentiment_languages = metrics.sentiment_with_languages(
            campaign, period
        )
        self.languages = self.onepass.breakdowns["language"]
        self.pulled = metrics.pull_through(campaign, period, stories=stories)
        known = {
            "stories": stories,
            "placements": self.volume.placements,
            "outlets": self.volume.outlets,
            "reach": self.reach.total,
            "tier1_outlets": self.tier1,
            "share_of_voice": self.voice.share,
            "net_sentiment": self.sentiment.net,
        }
        self.kpis = metrics.kpi_progress(campaign, period, known=known)
        self.targets = {p.kpi.metric: p.kpi.target for p in self.kpis if p.kpi.target is not None}
        self.prev: dict[str, float | int | None] = {}
        self.prev_languages: list[metrics.Bucket] = []
        if before is not None:
            self._previous(before)

    def _previous(self, before: Period) -> None:
        earlier = onepass.volume(self.campaign, before)
        summary = earlier.summary
        volume = summary.counts
        self.prev = {
            "stories": volume.stories,
            "placements": volume.placements,
            "outlets": volume.outlets,
            "reach": metrics.reach(self.campaign, before, without_outlet=0).total,
            "tier1_outlets": summary.tier1,
            "share_of_voice": metrics.share_of_voice(
                self.campaign, before, own=volume.placements
            ).share,
            "attention": metrics.attention(self.campaign, before, stories=volume.stories).share,
            "net_sentiment": metrics.sentiment(self.campaign, before).net,
        }
        self.prev_languages = earlier.breakdowns["language"]

    def drill(self, metric: str, value: object = "") -> str:
        query = {"metric": metric, "start": self.period.start, "end": self.period.end}
        if value != "":
            query["value"] = metrics.NONE if value is None else value
        url = reverse("campaigns:mentions", args=[self.campaign.pk])
        return f"{url}?{urlencode(query)}"

    def figure(self, key: str, label: str, value, explanation: str, **kwargs) -> Figure:
        kwargs.setdefault("drill_url", self.drill("coverage"))
        return Figure(
            label=label,
            value=value,
            explanation=explanation,
            previous=self.prev.get(key),
            target=self.targets.get(key),
            **kwargs,
        )

    def kpi_table(self, *levels: str) -> tuple[Table, ...]:
        rows = [p for p in self.kpis if p.kpi.level in levels]
        if not rows:
            return ()
        return (
            Table(
                title="KPIs",
                columns=("KPI", "Value", "Target", "Progress", "As of", "Source", "Note"),
                rows=tuple(
                    (
                        p.kpi.name,
                        p.value,
                        p.kpi.target,
                        f"{p.progress:g}%" if p.progress is not None else "",
                        p.as_of.isoformat() if p.as_of else "",
                        p.source,
                        p.note,
                    )
                    for p in rows
                ),
                note="Manual KPIs show the latest entry up to the end of the period.",
            ),
        )

    def observations(self) -> list[str]:
        sentences = observations.language_falls(self.languages, self.prev_languages)
        ours = [o.outlet_id for o in self.reach.figures]
        gaps = observations.tier1_gaps(self.campaign, self.period, ours=ours)
        sentences += observations.tier1_sentence(gaps)
        sentences += observations.kpis_behind(self.kpis)
        sentences += observations.missing_audiences(self.reach)
        return sentences


# --- the AMEC levels -------------------------------------------------------------------------


def _objectives(c: _Context) -> Section:
    text = c.campaign.objectives.strip()
    if c.campaign.audiences.strip():
        text += f"\n\nAudiences: {c.campaign.audiences.strip()}"
    return Section(
        "objective", Level.OBJECTIVE.label, tables=c.kpi_table(Level.OBJECTIVE), text=text
    )


def _inputs(c: _Context) -> Section:
    return Section(
        "input",
        Level.INPUT.label,
        tables=c.kpi_table(Level.INPUT),
        text="" if c.kpi_table(Level.INPUT) else "No inputs recorded (add them as manual KPIs).",
    )


def _activities(c: _Context) -> Section:
    done = Activity.objects.filter(
        campaign=c.campaign, happened_on__gte=c.period.start, happened_on__lte=c.period.end
    ).select_related("pitch")
    kinds = dict(Activity.Kind.choices)
    counts: dict[str, int] = {}
    for activity in done:
        counts[activity.kind] = counts.get(activity.kind, 0) + 1
    log = Table(
        title="Activity log",
        columns=("Date", "Kind", "What", "Link", "Pitch"),
        rows=tuple(
            (a.happened_on.isoformat(), kinds[a.kind], a.title, a.url, str(a.pitch or ""))
            for a in done
        ),
    )
    by_kind = Table(
        title="Activities by kind",
        columns=("Kind", "Count"),
        rows=tuple((kinds[k], n) for k, n in sorted(counts.items(), key=lambda kv: -kv[1])),
    )
    figure = Figure("Activities", len(log.rows), explanation="Owned activity logged in the period.")
    return Section(
        "activity",
        Level.ACTIVITY.label,
        figures=(figure,),
        tables=(by_kind, log, *c.kpi_table(Level.ACTIVITY)),
    )


def _outputs(c: _Context) -> Section:
    v, r = c.volume, c.reach
    figures = (
        c.figure(
            "stories", "Stories", v.stories, "Distinct stories: syndicated copies count once."
        ),
        c.figure("placements", "Placements", v.placements, "Every copy on every outlet."),
        c.figure("outlets", "Outlets", v.outlets, "Distinct outlets that published coverage."),
        c.figure(
            "reach",
            "Reach",
            r.total,
            f"Monthly audience of the {r.with_figure:,} outlets with a figure, once per outlet "
            f"(floor {metrics.AUDIENCE_FLOOR:,}); {len(r.missing)} outlets have no figure and "
            "are not counted.",
            unit="people",
        ),
        c.figure(
            "tier1_outlets",
            "Tier-1 outlets",
            c.tier1,
            "Distinct outlets marked tier 1 that published coverage.",
            drill_url=c.drill("tier1"),
        ),
    )
    tables = tuple(_breakdown_table(c, by) for by in DIMENSION_TITLES) + _reach_tables(c)
    return Section(
        "output",
        Level.OUTPUT.label,
        figures=figures,
        tables=tables + c.kpi_table(Level.OUTPUT),
        charts=_output_charts(c),
    )


def _label(by: str, key: object) -> str:
    if key is None or key == "":
        return "Not known"
    if by == "language":
        return f"{language_name(str(key))} ({key})"
    if by == "tier":
        return f"Tier {key}"
    if by == "type":
        return OUTLET_TYPES.get(str(key), str(key))
    return str(key)


def _breakdown_table(c: _Context, by: str) -> Table:
    buckets = c.onepass.breakdowns[by]
    before = {b.key: b.counts.stories for b in c.prev_languages} if by == "language" else {}
    columns = ["Stories", "Placements", "Outlets"]
    if before:
        columns.append("Stories, previous period")
    rows = []
    for b in buckets:
        row = [_label(by, b.key), b.counts.stories, b.counts.placements, b.counts.outlets]
        if before:
            row.append(before.get(b.key, 0))
        rows.append(tuple(row))
    return Table(
        title=f"By {DIMENSION_TITLES[by].lower()}",
        columns=(DIMENSION_TITLES[by], *columns),
        rows=tuple(rows),
        drill_urls=tuple(c.drill(by, b.key) for b in buckets),
    )


def _reach_tables(c: _Context) -> tuple[Table, ...]:
    r = c.reach
    figures = Table(
        title="Reach by outlet",
        columns=("Outlet", "Tier", "Monthly audience", "Counted", "Source", "As of"),
        rows=tuple(
            (o.name, o.tier or "", o.audience, o.counted, o.source, o.as_of or "")
            for o in r.figures
            if o.audience is not None
        ),
        drill_urls=tuple(
            c.drill("outlet", o.outlet_id) for o in r.figures if o.audience is not None
        ),
        note=f"{r.floored} outlets below {metrics.AUDIENCE_FLOOR:,} count as "
        f"{metrics.AUDIENCE_FLOOR:,}. {r.without_outlet} placements have no known outlet.",
    )
    missing = Table(
        title="Outlets without an audience figure",
        columns=("Outlet", "Tier"),
        rows=tuple((o.name, o.tier or "") for o in r.missing),
        drill_urls=tuple(c.drill("outlet", o.outlet_id) for o in r.missing),
        note="Not counted in reach: add a figure and its source on the outlet.",
    )
    return (figures, missing)


def _output_charts(c: _Context) -> tuple:
    unit = "week" if c.period.days > WEEKLY_AFTER_DAYS else "day"
    days = unit == "day"
    series = c.onepass.days if days else metrics.over_time(c.campaign, c.period, unit=unit)
    points = tuple(
        (datetime(b.key.year, b.key.month, b.key.day, tzinfo=UTC), b.counts.stories) for b in series
    )
    charts: list = [
        TimeSeries(title=f"Stories per {unit}", points=points, y_label="Stories", unit="day")
    ]
    if c.languages:
        charts.append(
            Bars(
                title="Stories by language",
                bars=tuple((_label("language", b.key), b.counts.stories) for b in c.languages[:12]),
                x_label="Stories",
            )
        )
    return tuple(charts)


def _outtakes(c: _Context) -> Section:
    s = c.sentiment
    pulled = c.pulled
    figures = [
        c.figure(
            "net_sentiment",
            "Net sentiment",
            s.net,
            f"(positive − negative) / (positive + negative) over {s.analysed:,} analysed mentions: "
            f"{s.positive:,} positive, {s.neutral:,} neutral, {s.negative:,} negative; "
            f"{s.not_analysed:,} not analysed (counted apart).",
        ),
        Figure(
            "Set by a person",
            s.share_overridden,
            unit="%",
            explanation=f"{s.overridden:,} of {s.total:,} mentions have a sentiment a person set; "
            "it wins over the machine's.",
            drill_url=c.drill("overridden"),
        ),
        Figure(
            "Not analysed",
            s.not_analysed,
            explanation="Mentions with no analyser for their language and no person's label.",
            drill_url=c.drill("sentiment", None),
        ),
    ]
    figures += [
        Figure(
            f"Pull-through: {p.text}",
            p.share,
            unit="%",
            explanation=f"{p.stories:,} of {p.total:,} stories carry it: {p.headline:,} in a "
            f"headline or lead, {p.body:,} in the body only.",
            drill_url=c.drill("message", p.message_id),
            target=c.targets.get("pull_through"),
        )
        for p in pulled
    ]
    tables = (_pull_through_table(c, pulled), _sentiment_table(c), _evidence_table(c))
    return Section(
        "outtake",
        Level.OUTTAKE.label,
        figures=tuple(figures),
        tables=tuple(t for t in tables if t.rows) + c.kpi_table(Level.OUTTAKE),
    )


def _pull_through_table(c: _Context, pulled: list[metrics.PullThrough]) -> Table:
    return Table(
        title="Key-message pull-through",
        columns=("Key message", "Stories", "Headline or lead", "Body only", "Share (%)"),
        rows=tuple((p.text, p.stories, p.headline, p.body, p.share) for p in pulled),
        drill_urls=tuple(c.drill("message", p.message_id) for p in pulled),
        note="Presence 2: headline or lead; 1: body. A story counts once.",
    )


def _sentiment_table(c: _Context) -> Table:
    by_language = c.sentiment_languages
    rows = []
    for code, n in sorted(by_language.items(), key=lambda kv: -sum(kv[1].values())):
        rows.append(
            (
                _label("language", code or None),
                n.get("positive", 0),
                n.get("neutral", 0),
                n.get("negative", 0),
                n.get("not analysed", 0),
                analyser_accuracy(code),
            )
        )
    return Table(
        title="Sentiment by language",
        columns=(
            "Language",
            "Positive",
            "Neutral",
            "Negative",
            "Not analysed",
            "Analyser accuracy",
        ),
        rows=tuple(rows),
        drill_urls=tuple(
            c.drill("language", code or None)
            for code in sorted(by_language, key=lambda k: -sum(by_language[k].values()))
        ),
        note="Accuracy: the analyser's measured agreement with human labels for the language.",
    )


def analyser_accuracy(language: str) -> str:
    """The sentiment analyser's measured accuracy for a language, when the analyser publishes
    one (`pipeline.sentiment.measured_accuracy`); "not measured" otherwise."""
    try:
        from commsdesk.pipeline import sentiment as analysers
    except ImportError:
        return "not measured"
    measured = getattr(analysers, "measured_accuracy", None)
    found = measured(language) if measured and language else None
    if isinstance(found, dict) and found.get("accuracy") is not None:
        n = f" (n={found['n']})" if found.get("n") else ""
        return f"{100 * float(found['accuracy']):.0f}%{n}"
    if isinstance(found, int | float):
        return f"{100 * float(found):.0f}%"
    return "not measured"


def _evidence_table(c: _Context) -> Table:
    """A few mentions per label with the sentences that drove the label."""
    found = metrics.mentions(c.campaign, c.period).annotate(label=metrics.EFFECTIVE)
    rows, links = [], []
    for label in ("negative", "positive"):
        # Any three, unsorted: the scan stops at the third instead of sorting the coverage.
        examples = found.filter(label=label).select_related("article", "article__outlet")
        for m in examples.order_by()[:3]:
            rows.append((label, m.article.title, _evidence(m), _decided_by(m)))
            links.append(reverse("monitoring:mention", args=[m.pk]))
    return Table(
        title="Sentiment evidence",
        columns=("Label", "Article", "Evidence", "Decided by"),
        rows=tuple(rows),
        drill_urls=tuple(links),
    )


def _evidence(mention) -> str:
    evidence = mention.stance_evidence if mention.stance else mention.article.sentiment_evidence
    if isinstance(evidence, list):
        return " … ".join(e if isinstance(e, str) else str(e.get("text", e)) for e in evidence[:2])
    return str(evidence or "")


def _decided_by(mention) -> str:
    if mention.sentiment_override:
        return "a person"
    if mention.stance:
        return "stance toward the search's names"
    return mention.article.sentiment_by or "article sentiment"


def _outcomes(c: _Context) -> Section:
    v, a = c.voice, c.attention
    figures = (
        c.figure(
            "share_of_voice",
            "Share of voice",
            v.share,
            f"Our {v.own:,} mentions of {v.total:,} for us and {len(v.voices) - 1} peers, same "
            "sources and period."
            if len(v.voices) > 1
            else "Add peers to measure share of voice.",
            unit="%",
        ),
        c.figure(
            "attention",
            "Normalized attention",
            a.share,
            f"Our {a.stories:,} stories of all {a.all_stories:,} stories from the same sources in "
            "the period.",
            unit="%",
        ),
    )
    voices = Table(
        title="Share of voice",
        columns=("Who", "Mentions", "Share (%)"),
        rows=tuple((x.name, x.mentions, x.share) for x in v.voices),
        drill_urls=tuple(
            c.drill("coverage") if x.peer_id is None else c.drill("peer", x.peer_id)
            for x in v.voices
        ),
    )
    return Section(
        "outcome",
        Level.OUTCOME.label,
        figures=figures,
        tables=((voices,) if len(v.voices) > 1 else ()) + c.kpi_table(Level.OUTCOME),
    )


def _impact(c: _Context) -> Section:
    tables = c.kpi_table(Level.IMPACT)
    text = "" if tables else "No impact KPIs yet: add donations, sign-ups or survey results."
    return Section("impact", Level.IMPACT.label, tables=tables, text=text)


def mention_rows(found: QuerySet) -> QuerySet:
    """Every mention as a flat row (dicts, lazily read) for spreadsheets: no row cap."""
    return (
        found.order_by("sort_at", "id")
        .annotate(label=metrics.EFFECTIVE)
        .values(
            "id",
            "sort_at",
            "state",
            "sentiment_override",
            "stance",
            "label",
            "tags",
            "note",
            search=F("saved_search__name"),
            title=F("article__title"),
            url=F("article__url"),
            outlet=F("article__outlet__name"),
            tier=F("article__outlet__tier"),
            language=F("article__language"),
            country=F("article__country"),
            story=F("article__story_id"),
            article_sentiment=F("article__sentiment"),
        )
    )
