"""Charts: one small spec → SVG, for web pages, PDF reports and email alike.

A chart is a `TimeSeries` or a `Bars` (frozen dataclasses, plain values only, so a report can
build, store or compare one); `to_vega_lite` turns it into a Vega-Lite spec and `svg` renders that
with vl-convert (Vega in an embedded JavaScript engine: no browser, no network). It knows nothing
about Django, searches or spikes: the caller decides what the points and marks mean.

    svg(TimeSeries(title="Mentions per hour", points=((hour, 4), ...), marks=(spike_hour,)))
    svg(Bars(title="Emerging terms", bars=(("climate strike", 12), ...), x_label="Articles"))
    svg(PairedSeries(title="Coverage and attention", bars=..., line=..., bars_label=...,
                     line_label=...))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import vl_convert

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier, not fetched
ACCENT = "#2454a6"  # the stylesheet's --accent
MARK = "#b3261e"  # the stylesheet's --err: marked points (spikes) stand out
FONT = "system-ui, -apple-system, Segoe UI, Noto Sans, sans-serif"


@dataclass(frozen=True, slots=True)
class TimeSeries:
    """Counts over time: a line with dots, some points marked (e.g. spikes)."""

    title: str
    points: tuple[tuple[datetime, float], ...]  # (time, value), aware datetimes, any order
    marks: tuple[datetime, ...] = ()  # times of points drawn in the mark colour
    y_label: str = "Count"
    unit: str = "hour"  # "hour" or "day": how the time axis labels its ticks
    width: int = 640
    height: int = 180


@dataclass(frozen=True, slots=True)
class Bars:
    """Labelled values as horizontal bars, in the given order (longest labels fit on the left)."""

    title: str
    bars: tuple[tuple[str, float], ...]  # (label, value)
    x_label: str = "Count"
    width: int = 360
    height: int | None = None  # None: 18 px per bar


@dataclass(frozen=True, slots=True)
class PairedSeries:
    """Two measures over the same days on one chart, each with its own scale: bars on the left
    axis (e.g. articles per day), a line on the right (e.g. pageviews), so their timing can be
    compared even when one is a thousand times the other."""

    title: str
    bars: tuple[tuple[datetime, float], ...]  # (time, value): the left axis
    line: tuple[tuple[datetime, float], ...]  # (time, value): the right axis
    bars_label: str
    line_label: str
    width: int = 640
    height: int = 200


Chart = TimeSeries | Bars | PairedSeries


def to_vega_lite(chart: Chart) -> dict[str, Any]:
    """The Vega-Lite spec of a chart (plain JSON-able dict)."""
    base: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "title": chart.title,
        "width": chart.width,
        "config": {"font": FONT, "view": {"stroke": None}, "axis": {"labelFontSize": 11}},
    }
    if isinstance(chart, TimeSeries):
        return base | _time_series(chart)
    if isinstance(chart, PairedSeries):
        return base | _paired(chart)
    return base | _bars(chart)


def _time_series(chart: TimeSeries) -> dict[str, Any]:
    marked = {m.isoformat() for m in chart.marks}
    time_format = "%d %b %H:%M" if chart.unit == "hour" else "%d %b"
    values = [
        {
            "at": at.isoformat(),
            "value": value,
            "marked": at.isoformat() in marked,
            # What a screen reader says for a dot (Vega's own label drops the hour).
            "said": f"{at.astimezone(UTC).strftime(time_format)} UTC: {value:g}",
        }
        for at, value in sorted(chart.points)
    ]
    # UTC throughout: the axis must not shift with the time zone of the machine that renders it.
    x = {
        "field": "at",
        "type": "temporal",
        "title": "UTC",
        "scale": {"type": "utc"},
        "axis": {"format": time_format},
    }
    y = {"field": "value", "type": "quantitative", "title": chart.y_label}
    return {
        "height": chart.height,
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "line", "color": ACCENT}, "encoding": {"x": x, "y": y}},
            {
                "transform": [{"filter": "datum.marked"}],
                "mark": {"type": "point", "filled": True, "size": 70, "color": MARK},
                "encoding": {"x": x, "y": y, "description": {"field": "said"}},
            },
        ],
    }


def _paired(chart: PairedSeries) -> dict[str, Any]:
    days = max(len(chart.bars), len(chart.line), 1)
    x = {
        "field": "at",
        "type": "temporal",
        "title": "UTC",
        "scale": {"type": "utc"},
        # Whole days only: bars would otherwise get half-day ticks, each day labelled twice.
        "axis": {"format": "%d %b", "tickCount": {"interval": "day", "step": days // 10 + 1}},
    }
    # Counts of articles: as many ticks as whole numbers, up to five, never 0.5.
    whole = int(min(5, max((v for _, v in chart.bars), default=0) + 1))
    left = {"orient": "left", "titleColor": MARK, "format": "d", "tickCount": whole}
    right = {"orient": "right", "titleColor": ACCENT}
    return {
        "height": chart.height,
        "layer": [
            _paired_layer(chart.bars, chart.bars_label, "bar", x, left),
            _paired_layer(chart.line, chart.line_label, "line", x, right),
        ],
        # Each measure keeps its own scale: the point is when they move, not how big they are.
        "resolve": {"scale": {"y": "independent"}},
    }


def _paired_layer(points, label: str, mark: str, x: dict, axis: dict) -> dict[str, Any]:
    values = [
        {"at": at.isoformat(), "value": value, "said": f"{at:%d %b}: {value:g} {label.lower()}"}
        for at, value in sorted(points)
    ]
    return {
        "data": {"values": values},
        "mark": {"type": mark, "color": axis["titleColor"]}
        | ({"opacity": 0.55} if mark == "bar" else {}),
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative", "title": label, "axis": axis},
            "description": {"field": "said"},
        },
    }


def _bars(chart: Bars) -> dict[str, Any]:
    values = [
        {"label": label, "value": value, "order": i, "said": f"{label}: {value:g}"}
        for i, (label, value) in enumerate(chart.bars)
    ]
    return {
        # The renderer measures labels with its own font; a browser's is often wider. The extra
        # left padding keeps long labels from being cut at the edge.
        "padding": {"left": 40, "top": 5, "right": 5, "bottom": 5},
        "height": chart.height or 18 * max(1, len(values)),
        "data": {"values": values},
        "mark": {"type": "bar", "color": ACCENT},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "title": None,
                "sort": {"field": "order"},
                "axis": {"labelLimit": 160},
            },
            "x": {"field": "value", "type": "quantitative", "title": chart.x_label},
            "description": {"field": "said"},
        },
    }


def svg(chart: Chart) -> str:
    """The chart as a standalone SVG document (text, UTF-8), rendered offline."""
    # No base URL is allowed: every chart carries its data inline, so rendering never reaches out.
    return vl_convert.vegalite_to_svg(to_vega_lite(chart), allowed_base_urls=[])
