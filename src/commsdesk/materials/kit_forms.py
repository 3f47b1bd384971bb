"""Forms for press kits (the kit, its files) and the press room's settings.

Choices are limited to the team's own records; the kit's slug is checked against the team's
other kits here because the team is not a field of the form.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from commsdesk.materials import kit_files
from commsdesk.materials.models import Draft, Material, PressKit, PressKitFile, PressRoom


class PressKitForm(forms.ModelForm):
    class Meta:
        model = PressKit
        fields = ["title", "slug", "language", "description", "materials", "releases"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "materials": forms.CheckboxSelectMultiple,
            "releases": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "slug": "Part of the public download address; left empty, it is made from the title.",
            "description": "Markdown. Shown in the press room above the download.",
            "materials": "Only approved materials go into the public download.",
            "releases": "Only approved, published press releases go into the public download.",
        }

    def __init__(self, *args, team_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.team_id = team_id
        self.fields["slug"].required = False
        # A kit can go public: sensitive records are never offered for one.
        self.fields["materials"].queryset = Material.objects.filter(
            team_id=team_id, sensitive=False
        ).order_by("kind", "title")
        self.fields["releases"].queryset = Draft.objects.filter(
            team_id=team_id, kind=Draft.Kind.PRESS_RELEASE, sensitive=False
        ).order_by("-published_at", "title")
        self.fields["materials"].label_from_instance = _material_label
        self.fields["releases"].label_from_instance = _release_label

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("title", ""))[:200]
        if not slug:
            raise ValidationError("Give the kit a short name for its address, e.g. annual-report.")
        others = PressKit.objects.filter(team_id=self.team_id, slug=slug)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(f"Another press kit already uses “{slug}”; choose another.")
        return slug


def _material_label(material: Material) -> str:
    return f"{material.title} ({material.get_kind_display()}, {material.language}, {material.get_status_display().lower()})"  # noqa: E501


def _release_label(release: Draft) -> str:
    return f"{release.title} ({release.language}, {release.get_status_display().lower()})"


class KitFileForm(forms.Form):
    file = forms.FileField()
    kind = forms.ChoiceField(choices=PressKitFile.Kind.choices, initial=PressKitFile.Kind.IMAGE)
    caption = forms.CharField(max_length=500, required=False)
    credit = forms.CharField(
        label="Credit and licence",
        max_length=300,
        required=False,
        help_text="e.g. “Photo: Ana Pérez, CC BY-SA 4.0”",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        kit_files.check(upload)
        return upload


class PressRoomForm(forms.ModelForm):
    class Meta:
        model = PressRoom
        fields = [
            "enabled",
            "slug",
            "title",
            "intro",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        labels = {
            "enabled": "Public press room is on",
            "slug": "Address",
            "intro": "Introduction",
            "contact_name": "Media contact name",
            "contact_email": "Media contact email",
            "contact_phone": "Media contact phone",
        }
        help_texts = {
            "slug": "The press room is at /press/<address>/.",
            "intro": "Markdown, shown at the top of the press room.",
        }
        widgets = {"intro": forms.Textarea(attrs={"rows": 5})}
