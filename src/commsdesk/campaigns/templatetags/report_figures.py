"""Template filters for report figures: numbers as people read them, the change vs the
previous period, progress vs a target, and a table's rows beside their drill-down links."""

from __future__ import annotations

from django import template

from commsdesk.campaigns.report import Figure, Table

register = template.Library()


@register.filter
def number(value: object, unit: str = "") -> str:
    """12,345 · 41.5% · — for a figure that cannot be computed."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = f"{value:,.0f}" if float(value).is_integer() and abs(value) >= 1 else f"{value:,.3g}"
    if isinstance(value, float) and not float(value).is_integer() and abs(value) >= 1:
        text = f"{value:,.1f}"
    return f"{text}%" if unit == "%" else text


@register.filter
def change(figure: Figure) -> str:
    """ "+25% vs previous (40)", "new", or "" when there is nothing to compare."""
    now, before = figure.value, figure.previous
    if not isinstance(now, int | float) or not isinstance(before, int | float):
        return ""
    if figure.unit == "%":
        return f"{now - before:+.1f} points vs previous ({number(before, figure.unit)})"
    if isinstance(before, float) and abs(before) <= 1:  # a ratio such as net sentiment
        return f"{now - before:+.3f} vs previous ({before:.3f})"
    if before == 0:
        return "new vs previous (0)" if now else ""
    return f"{100 * (now - before) / before:+.0f}% vs previous ({number(before)})"


@register.filter
def progress(figure: Figure) -> str:
    if figure.target is None or not isinstance(figure.value, int | float) or not figure.target:
        return ""
    return (
        f"{100 * figure.value / figure.target:.0f}% of target {number(figure.target, figure.unit)}"
    )


@register.filter
def linked_rows(table: Table) -> list[tuple[tuple, str]]:
    links = table.drill_urls or ("",) * len(table.rows)
    return list(zip(table.rows, links, strict=False))
