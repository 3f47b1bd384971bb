"""Generated observations for a report: plain sentences a comms lead can act on, from rules
over the period's figures and the previous period's (languages that fell, tier-1 outlets that
covered a peer and not us, KPIs behind target, outlets without an audience figure).

Rules only state what the figures show; recommendations are people's words (ReportNote).
"""

from __future__ import annotations

from commsdesk.campaigns import metrics
from commsdesk.campaigns.models import Campaign
from commsdesk.campaigns.periods import Period
from commsdesk.monitoring.models import Outlet
from commsdesk.monitoring.names import language_name

FALL = 0.30  # a language whose stories fell by this share or more is worth a sentence
MIN_PREVIOUS_STORIES = 3  # below this, a fall is noise (2 → 1 is "-50%")


def language_falls(
    now: list[metrics.Bucket], before: list[metrics.Bucket], *, fall: float = FALL
) -> list[str]:
    """Languages whose stories fell by `fall` or more vs the previous period."""
    current = {b.key: b.counts.stories for b in now}
    sentences = []
    for bucket in sorted(before, key=lambda b: -b.counts.stories):
        was, is_ = bucket.counts.stories, current.get(bucket.key, 0)
        if was >= MIN_PREVIOUS_STORIES and is_ <= was * (1 - fall):
            name = language_name(bucket.key) if bucket.key else "Unknown-language"
            sentences.append(
                f"{name}-language coverage fell {round(100 * (was - is_) / was)}% vs the "
                f"previous period ({was} → {is_} stories)."
            )
    return sentences


def tier1_gaps(
    campaign: Campaign, period: Period, *, ours: list[int] | None = None
) -> list[Outlet]:
    """Tier-1 outlets that covered at least one peer in the period but not the campaign.
    `ours`: the campaign's outlets in the period, when the caller has them."""
    scope = metrics.source_scope(campaign)
    if ours is None:
        ours = list(
            metrics.articles(metrics.mentions(campaign, period)).values_list("outlet_id", flat=True)
        )
    peers = Outlet.objects.none()
    for peer in campaign.peers.all():
        found = metrics.articles(metrics.peer_mentions(peer, period, scope))
        peers = peers | Outlet.objects.filter(pk__in=found.values("outlet_id"))
    return list(
        peers.filter(tier=1).exclude(pk__in=[o for o in ours if o]).distinct().order_by("name")
    )


def tier1_sentence(outlets: list[Outlet]) -> list[str]:
    if not outlets:
        return []
    names = ", ".join(o.name for o in outlets[:5]) + ("…" if len(outlets) > 5 else "")
    count = len(outlets)
    return [f"{count} tier-1 outlet{'s' if count != 1 else ''} covered peers but not us: {names}."]


def kpis_behind(progress: list[metrics.KPIProgress]) -> list[str]:
    return [
        f"KPI “{p.kpi.name}” is at {p.value:g} of its {p.kpi.target:g} target ({p.progress:g}%)."
        for p in progress
        if p.behind and p.value is not None and p.kpi.target
    ]


def missing_audiences(reach: metrics.Reach) -> list[str]:
    count = len(reach.missing)
    if not count:
        return []
    return [
        f"{count} outlet{'s have' if count != 1 else ' has'} no audience figure, so reach "
        "leaves them out: add their monthly audience (and its source) on the outlet."
    ]
