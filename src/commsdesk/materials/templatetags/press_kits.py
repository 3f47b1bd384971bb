"""`{{ file|previewable }}`: whether a press kit file may be shown as an image in a page."""

from django import template

from commsdesk.materials import kit_files

register = template.Library()


@register.filter
def previewable(stored) -> bool:
    return kit_files.previewable(stored)
