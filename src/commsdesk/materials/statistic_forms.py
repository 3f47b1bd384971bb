"""The key statistic form: the number as people quote it, where it comes from, and optionally a
live source (a Wikimedia preset or any JSON URL with a JSONPath) that the scheduler refreshes.

It validates and saves the statistic and its history; approval is the workflow's business and
reading a live source is `live`'s.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.text import slugify

from commsdesk.materials import live, presets, workflow
from commsdesk.materials.models import KeyStatistic, StatisticValue
from commsdesk.relations.speaker_forms import TeamChoiceMixin

NO_SOURCE, PRESET, CUSTOM = "", "preset", "custom"
# The fields that make up what a draft quotes: changing one re-opens an approved statistic.
QUOTED = ("value", "unit", "as_of")
LIVE = ("live_preset", "live_url", "live_path", "live_combine")
# Thousands grouped by commas, spaces (also no-break and thin ones) or apostrophes; a dot for
# decimals. A lone comma ("0,35") is refused rather than guessed: it is a decimal comma in much
# of the world and a thousands separator elsewhere.
SEPARATORS = ",' \u00a0\u2009\u202f"
GROUPED = re.compile(rf"[-+]?\d{{1,3}}(?:[{SEPARATORS}]\d{{3}})+(?:\.\d+)?")


class NumberField(forms.CharField):
    """A number typed the way people write it: "6,912,345", "6 912 345", "0.35"."""

    def clean(self, value: str | None) -> Decimal | None:
        text = super().clean(value).strip()
        if not text:
            return None
        if GROUPED.fullmatch(text):
            text = re.sub(f"[{SEPARATORS}]", "", text)
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise forms.ValidationError(
                "Enter a number, e.g. 6,912,345 or 0.35 (a dot for decimals)."
            )
        if abs(number) >= live.LARGEST or number != number.quantize(
            live.PLACES, context=live.COLUMN
        ):
            raise forms.ValidationError("Up to 24 digits before the dot and 6 after it.")
        return number

    def prepare_value(self, value):
        return format(value.normalize(), "f") if isinstance(value, Decimal) else value


class LiveSourceForm(forms.Form):
    """Where a live value comes from: a preset with its parameters, or a URL and a JSONPath.
    Also used on its own by "Try the source", which reads it without saving anything."""

    live_url = forms.URLField(
        label="JSON URL",
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text="For a custom source, e.g. https://example.org/stats.json",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    source = forms.ChoiceField(
        label="Live source",
        required=False,
        choices=[
            (NO_SOURCE, "None: the value is entered by hand"),
            (PRESET, "A Wikimedia preset"),
            (CUSTOM, "Any URL returning JSON, with a JSONPath"),
        ],
        widget=forms.RadioSelect,
    )
    preset = forms.ChoiceField(label="Preset", required=False, choices=presets.choices())
    lang = forms.CharField(
        label="Wikipedia language",
        required=False,
        max_length=16,
        help_text="For article, editor and edit counts: e.g. en, es, sw.",
    )
    project = forms.CharField(
        label="Wikimedia project",
        required=False,
        max_length=60,
        help_text="For pageviews: e.g. en.wikipedia, commons.wikimedia, all-projects.",
    )
    article = forms.CharField(
        label="Article title",
        required=False,
        max_length=255,
        help_text="For the pageviews of one article, e.g. Ada Lovelace.",
    )
    days = forms.IntegerField(
        label="Number of days",
        required=False,
        min_value=1,
        max_value=3650,
        help_text=f"For pageviews: the last N full days ({presets.DEFAULT_DAYS} if empty).",
    )
    live_path = forms.CharField(
        label="JSONPath",
        required=False,
        max_length=300,
        help_text="For a custom source, e.g. $.query.statistics.articles",
    )
    live_combine = forms.ChoiceField(
        label="If the JSONPath matches several values",
        choices=KeyStatistic.Combine.choices,
        initial=KeyStatistic.Combine.FIRST,
    )

    def clean(self) -> dict:
        data = super().clean()
        self.fill_source(data)
        return data

    def fill_source(self, data: dict) -> None:
        """Fill in live_url, live_path, live_combine and live_preset from the chosen source."""
        source = data.get("source") or NO_SOURCE
        if source == PRESET:
            key = data.get("preset") or ""
            if key not in presets.PRESETS:
                self.add_error("preset", "Choose a preset.")
                return
            try:
                url, stored = presets.expand(key, data)
            except presets.PresetError as exc:
                self.add_error("preset", str(exc))
                return
            chosen = presets.PRESETS[key]
            data |= {"live_url": url, "live_path": chosen.path, "live_combine": chosen.combine}
            data["live_preset"] = stored
        elif source == CUSTOM:
            data["live_preset"] = ""
            if not data.get("live_url"):
                self.add_error("live_url", "Give the URL that answers with JSON.")
            if not data.get("live_path"):
                self.add_error("live_path", "Give the JSONPath of the number in the answer.")
            else:
                try:
                    live.check_path(data["live_path"])
                except live.SourceError as exc:
                    self.add_error("live_path", str(exc))
        else:
            data |= {"live_preset": "", "live_url": "", "live_path": ""}

    def trial(self) -> KeyStatistic | None:
        """An unsaved statistic with just the chosen source, for reading it; None without one."""
        data = self.cleaned_data
        if not (data.get("live_url") and data.get("live_path")):
            return None
        return KeyStatistic(
            live_url=data["live_url"],
            live_path=data["live_path"],
            live_combine=data.get("live_combine") or KeyStatistic.Combine.FIRST,
            live_preset=data.get("live_preset", ""),
        )


class StatisticForm(TeamChoiceMixin, LiveSourceForm, forms.ModelForm):
    value = NumberField(
        required=False,
        label="Value",
        help_text="e.g. 6,912,345. May be left empty for a live source: it is read on saving.",
    )
    source_url = forms.URLField(
        label="Source (a page people can check)",
        required=False,
        max_length=1000,
        assume_scheme="https",
    )

    class Meta:
        model = KeyStatistic
        fields = [
            "name",
            "slug",
            "description",
            "value",
            "unit",
            "as_of",
            "source_url",
            "max_age_days",
            "owner",
            "live_url",
            "live_path",
            "live_combine",
            "refresh_hours",
        ]
        labels = {
            "slug": "Citation name",
            "as_of": "As of",
            "max_age_days": "Stale after (days)",
            "refresh_hours": "Refresh every (hours)",
        }
        help_texts = {
            "slug": "What drafts cite it by, e.g. articles-es. Made from the name if left empty.",
            "max_age_days": "Flagged stale once its “as of” date is older than this. Empty: never.",
        }
        widgets = {
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, teams, team, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.default_team = user, team
        self.read_now = False  # the value was read from the live source while saving
        self.fields["slug"].required = False
        hours = self.fields["refresh_hours"]
        hours.validators.append(MinValueValidator(1, "Refresh at most once an hour: 1 or more."))
        hours.widget.attrs["min"] = 1
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(memberships__team__in=teams).distinct()
        )
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        self.add_team_field(teams)
        statistic = self.instance
        if statistic.pk is None:
            self.initial.setdefault("owner", user.pk)
            self.initial.setdefault("as_of", timezone.localdate())
        self.initial.setdefault("source", _source_of(statistic))
        key, values = presets.parameters_of(statistic.live_preset, statistic.live_url)
        if key:
            self.initial.setdefault("preset", key)
            for name, value in values.items():
                self.initial.setdefault(name, value)
        self.old = {name: getattr(statistic, name) for name in (*QUOTED, *LIVE)}

    # Groups for the template, so the page reads as "the number" then "live source".
    def number_fields(self) -> list:
        names = ["name", "slug", "value", "unit", "as_of", "description", "source_url"]
        names += ["max_age_days", "owner", *(["team"] if "team" in self.fields else [])]
        return [self[name] for name in names]

    def source_fields(self) -> list:
        return [self[name] for name in ("preset", "lang", "project", "article", "days")]

    def custom_fields(self) -> list:
        return [self[name] for name in ("live_url", "live_path", "live_combine")]

    def clean(self) -> dict:
        filled = [
            n for n in ("lang", "project", "article", "live_url", "live_path") if self.data.get(n)
        ]
        if filled and not self.data.get("source") and not self.instance.is_live:
            # Filled in a source but left "None" chosen: saving without it would lose it quietly.
            self.add_error(
                "source",
                "You filled in a live source but chose “None”: choose “A Wikimedia preset” or "
                "“Any URL”, or clear the source's fields.",
            )
        data = super().clean()  # LiveSourceForm's: the source is filled in
        self._clean_slug(data)
        preset = presets.PRESETS.get(data.get("live_preset", "").partition(":")[0])
        if preset and self.instance.pk is None:
            data["unit"] = data.get("unit") or preset.unit
            data["source_url"] = data.get("source_url") or presets.page(
                data["live_preset"], data["live_url"]
            )
        if not self.errors and data.get("value") is None:
            self._read_value(data)
        return data

    def _clean_slug(self, data: dict) -> None:
        team = self.chosen_team(self.default_team)
        typed = (data.get("slug") or "").strip()
        taken = KeyStatistic.objects.filter(team=team).exclude(pk=self.instance.pk)
        if typed:
            if taken.filter(slug=typed).exists():
                self.add_error(
                    "slug",
                    f"Another statistic of this team is already cited as “{typed}”: choose "
                    "another citation name.",
                )
            return
        base = (slugify(data.get("name") or "") or "statistic")[:90]
        slug, n = base, 1
        while taken.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        data["slug"] = slug

    def _read_value(self, data: dict) -> None:
        """A live statistic saved without a value gets one from its source now; without a live
        source the value is required."""
        trial = self.trial()
        if trial is None:
            self.add_error("value", "Enter the value, or give a live source to read it from.")
            return
        try:
            data["value"] = live.read(trial)
        except live.SourceError as exc:
            self.add_error(
                "value",
                f"The live source could not be read: {exc} Enter the value by hand, or fix the "
                "source.",
            )
            return
        data["as_of"] = timezone.localdate()
        self.read_now = True

    def save(self, commit: bool = True) -> KeyStatistic:
        """Save with its team (always: `commit` is only ModelForm's signature), recording a new
        value in the history and sending an approved statistic whose number changed to draft."""
        statistic = super().save(commit=False)
        statistic.team = self.chosen_team(self.default_team)
        statistic.live_preset = self.cleaned_data.get("live_preset", "")
        new = statistic.pk is None
        quoted_changed = any(getattr(statistic, f) != self.old[f] for f in QUOTED)
        value_changed = any(getattr(statistic, f) != self.old[f] for f in ("value", "as_of"))
        if not new and quoted_changed:
            workflow.after_edit(statistic)
        if any(getattr(statistic, f) != self.old[f] for f in LIVE):
            # A new source is read at the next scheduler tick; the old one's error is moot.
            statistic.next_refresh_at = None
            statistic.last_error, statistic.last_error_at = "", None
        if self.read_now:
            statistic.last_refreshed_at = timezone.now()
            statistic.next_refresh_at = statistic.last_refreshed_at + timedelta(
                hours=statistic.refresh_hours
            )
        statistic.save()
        if new or value_changed:
            StatisticValue.objects.create(
                statistic=statistic,
                value=statistic.value,
                as_of=statistic.as_of,
                origin=StatisticValue.Origin.LIVE
                if self.read_now
                else StatisticValue.Origin.MANUAL,
                recorded_by=None if self.read_now else self.user,
            )
        return statistic


def _source_of(statistic: KeyStatistic) -> str:
    if not statistic.is_live:
        return NO_SOURCE
    key, _ = presets.parameters_of(statistic.live_preset, statistic.live_url)
    return PRESET if key else CUSTOM
