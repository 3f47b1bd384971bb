"""Charts: a small spec becomes a standalone SVG, offline, with the data in it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from commsdesk import charts

SVG = "{http://www.w3.org/2000/svg}"
T0 = datetime(2026, 3, 2, tzinfo=UTC)


def dots(svg: str) -> list[str]:
    """The accessible labels of the drawn dots (Vega labels each mark with its data)."""
    root = ET.fromstring(svg)
    return [
        e.get("aria-label", "") for e in root.iter() if e.get("aria-roledescription") == "point"
    ]


def texts(svg: str) -> list[str]:
    return [e.text or "" for e in ET.fromstring(svg).iter(f"{SVG}text")]


def test_a_time_series_is_valid_svg_with_its_title_and_marked_points():
    series = tuple((T0 + timedelta(hours=i), float(i % 4)) for i in range(24))
    marked = (T0 + timedelta(hours=7), T0 + timedelta(hours=11))
    svg = charts.svg(charts.TimeSeries("Mentions of Heatwave", series, marks=marked))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert "Mentions of Heatwave" in texts(svg)
    assert "02 Mar 00:00" in texts(svg)  # UTC axis ticks in the spec's own format
    assert dots(svg) == ["02 Mar 07:00 UTC: 3", "02 Mar 11:00 UTC: 3"]


def test_bars_keep_their_order_and_escape_what_articles_wrote():
    bars = (("climate strike", 12.0), ("<script>alert(1)</script>", 5.0), ("维基百科", 3.0))
    svg = charts.svg(charts.Bars("Emerging terms", bars))
    assert "<script>" not in svg
    axis = [t for t in texts(svg) if t in {label for label, _ in bars}]
    assert axis == ["climate strike", "<script>alert(1)</script>", "维基百科"]


def test_the_spec_is_plain_vega_lite_with_data_inline():
    spec = charts.to_vega_lite(charts.Bars("Terms", (("a", 1.0),)))
    assert spec["$schema"].endswith("vega-lite/v5.json")
    assert spec["data"] == {"values": [{"label": "a", "value": 1.0, "order": 0, "said": "a: 1"}]}


def test_paired_series_share_the_days_with_an_axis_each():
    days = [T0 + timedelta(days=i) for i in range(10)]
    articles = tuple((d, float(i % 3)) for i, d in enumerate(days))
    views = tuple((d, 1000.0 + 400 * (i % 3)) for i, d in enumerate(days))
    chart = charts.PairedSeries("Coverage and attention", articles, views, "Articles", "Pageviews")
    spec = charts.to_vega_lite(chart)
    assert spec["resolve"] == {"scale": {"y": "independent"}}
    orients = [layer["encoding"]["y"]["axis"]["orient"] for layer in spec["layer"]]
    assert orients == ["left", "right"]
    svg = charts.svg(chart)
    words = texts(svg)
    assert "Coverage and attention" in words and "Articles" in words and "Pageviews" in words
    assert "1,500" in words  # the right axis counts views
    assert "0.5" not in words  # the left one counts whole articles
    assert words.count("05 Mar") == 1  # one time axis under both
