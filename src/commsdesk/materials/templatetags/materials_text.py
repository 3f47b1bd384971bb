"""`{{ text|markdown }}`: Markdown rendered and sanitised by `materials.markdown`."""

from django import template

from commsdesk.materials.markdown import render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    return render(text)
