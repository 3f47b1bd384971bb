"""`{% assistant_configured as on %}`: whether to show writing-assistant buttons, for pages of
other apps (the story page) whose views do not know about the assistant."""

from django import template

from commsdesk.materials import assistant

register = template.Library()


@register.simple_tag
def assistant_configured() -> bool:
    return assistant.configured()
