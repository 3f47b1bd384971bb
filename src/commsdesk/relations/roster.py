"""The spokesperson roster: who may see whose contact details, filtering the roster, recording
consent, and ranking spokespeople for an inquiry or speaking opportunity.

No views or templates here; trainings and the calendar feed live in their own modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db.models import QuerySet
from django.utils import timezone

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.relations.models import Spokesperson

SUGGESTIONS = 5


class Access:
    """One person's rights over the roster, asked once per team (a list page asks per row)."""

    def __init__(self, user) -> None:
        self.user = user
        self._role = cache(lambda team_id: roles.role(user, team_id))
        self.can_edit = cache(lambda team_id: roles.can_edit(user, team_id))
        self.can_manage = cache(lambda team_id: roles.can_manage(user, team_id))
        self.can_see_contacts = cache(lambda team_id: roles.can_see_contacts(user, team_id))

    def sees_contact(self, person: Spokesperson) -> bool:
        """Their own record always; staff always; viewers only with the person's consent;
        volunteers never (a volunteer spokesperson's number is not for other volunteers)."""
        if person.user_id is not None and person.user_id == self.user.pk:
            return True
        if not self.can_see_contacts(person.team_id):
            return False
        return self.can_manage(person.team_id) or person.contact_consent

    def may_edit(self, person: Spokesperson) -> bool:
        return self.can_edit(person.team_id) or person.user_id == self.user.pk

    def editable_teams(self) -> list[Team]:
        """Teams the person may add records to, first (default) team first. A fresh install's
        first admin has no team yet: `default_for` makes them one."""
        if not Team.objects.of(self.user).exists():
            Team.objects.default_for(self.user)
        teams = Team.objects.of(self.user).order_by("memberships__id")
        return [team for team in teams if self.can_edit(team.pk)]


@dataclass(frozen=True, slots=True)
class RosterFilter:
    language: str = ""
    region: str = ""
    topic: str = ""
    kind: str = ""  # Spokesperson.Kind value, or "" for both
    trained: str = ""  # "yes", "no" or "" for either
    approval: str = ""  # Spokesperson.Approval value, or ""
    show_inactive: bool = False


def roster(user, chosen: RosterFilter) -> list[Spokesperson]:
    """The team's spokespeople that match every filter given, by name.

    Languages, regions and topics are JSON lists, compared case-insensitively in Python: the
    roster of a team is hundreds of people at most, and JSON containment differs per database.
    """
    people: QuerySet[Spokesperson] = Spokesperson.objects.for_team(user)
    if not chosen.show_inactive:
        people = people.filter(active=True)
    if chosen.kind:
        people = people.filter(kind=chosen.kind)
    if chosen.approval:
        people = people.filter(approval=chosen.approval)
    if chosen.trained == "yes":
        people = people.filter(media_trained_on__isnull=False)
    elif chosen.trained == "no":
        people = people.filter(media_trained_on__isnull=True)
    wanted = (
        (chosen.language, "languages", _languages_match),
        (chosen.region, "regions", _words_match),
        (chosen.topic, "topics", _words_match),
    )
    return [
        person
        for person in people
        if all(
            _any_match([value], getattr(person, field), match)
            for value, field, match in wanted
            if value.strip()
        )
    ]


def record_consent(person: Spokesperson, consent: bool) -> None:
    """Set consent for contact details and when it was given or withdrawn (not saved here)."""
    if consent != person.contact_consent or person.consent_recorded_at is None:
        person.consent_recorded_at = timezone.now()
    person.contact_consent = consent


@dataclass(frozen=True, slots=True)
class Suggestion:
    spokesperson: Spokesperson
    languages: tuple[str, ...]  # the asked languages they speak
    topics: tuple[str, ...]  # their topics that overlap the asked ones
    regions: tuple[str, ...]
    trained: bool
    approved: bool  # any approval level but "not approved yet"

    @property
    def availability(self) -> str:
        return self.spokesperson.availability


def suggest(
    team: Team | int,
    languages: list[str],
    topics: list[str],
    regions: list[str] | None = None,
    *,
    limit: int = SUGGESTIONS,
) -> list[Suggestion]:
    """Active spokespeople of `team` ranked for a request: speaking one of the languages first,
    then by how many topics overlap, then regions, then media-trained and approved.

    People matching nothing asked are left out; availability is shown, not ranked, because it
    is free text ("not in August") that a person reads better than a rule.
    """
    team_id = team if isinstance(team, int) else team.pk
    ranked = []
    for person in Spokesperson.objects.filter(team_id=team_id, active=True):
        found = Suggestion(
            spokesperson=person,
            languages=_matches(languages, person.languages, _languages_match),
            topics=_matches(topics, person.topics, _words_match),
            regions=_matches(regions or [], person.regions, _words_match),
            trained=person.media_trained_on is not None,
            approved=person.approval != Spokesperson.Approval.NONE,
        )
        if found.languages or found.topics or found.regions:
            ranked.append(found)
    ranked.sort(
        key=lambda s: (
            -bool(s.languages),
            -len(s.topics),
            -len(s.regions),
            -s.trained,
            -s.approved,
            -len(s.languages),
            s.spokesperson.name.casefold(),
        )
    )
    return ranked[:limit]


def _matches(asked: list[str], theirs: list[str], match) -> tuple[str, ...]:
    return tuple(mine for mine in theirs if any(match(wanted, mine) for wanted in asked))


def _any_match(asked: list[str], theirs: list[str], match) -> bool:
    return bool(_matches(asked, theirs, match))


def _languages_match(asked: str, theirs: str) -> bool:
    """`pt` asks for any Portuguese, `pt-BR` accepts a plain `pt` speaker too."""
    a, t = asked.strip().casefold(), theirs.strip().casefold()
    return bool(a) and (a == t or a.split("-")[0] == t.split("-")[0])


def _words_match(asked: str, theirs: str) -> bool:
    """ "climate" matches "Climate policy" and the other way round: topics are typed freely."""
    a, t = _words(asked), _words(theirs)
    if not a or not t:
        return False
    return _contains(t, a) or _contains(a, t)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.casefold().replace(",", " ").split())


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))
