"""Merge fields in pitches: check a subject or body for fields we know, and fill them for one
journalist. Plain text only; it sends nothing and knows nothing of media lists.

Rendering uses Django's template engine in a sandbox: a fresh Engine with no tags, no loaders
and only a few text filters, autoescape off, and every field checked before anything is sent.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django import template
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Variable, VariableNode
from django.template.defaultfilters import capfirst, default, lower, title, upper

FIELDS = {
    "first_name": "the journalist's first name",
    "name": "the journalist's full name",
    "outlet": "where they work now",
    "beat": "the first topic they cover",
    "sender_name": "your name (the person who sends)",
}

# The filters a merge field may use, e.g. {{ first_name|default:"there" }}; nothing else.
register = template.Library()
for _filter in (default, upper, lower, title, capfirst):
    register.filter(_filter.__name__, _filter)


class _SandboxEngine(Engine):
    # Not even Django's default tags ({% include %}, {% load %}, {% url %}...): a pitch is text
    # with fields, and a template tag in a pitch could read files or the database.
    default_builtins: list[str] = []


_ENGINE = _SandboxEngine(loaders=[], builtins=[__name__], autoescape=False)


class MergeError(ValueError):
    """A subject or body that cannot be merged; the message is for the person writing it."""


@dataclass(frozen=True, slots=True)
class Merged:
    subject: str
    body: str


def check(text: str, *, where: str = "text") -> template.Template:
    """Parse `text` and make sure it uses only known merge fields; raise MergeError if not."""
    try:
        compiled = _ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        raise MergeError(f"The {where} has a problem near a merge field: {_syntax(exc)}") from exc
    for node in compiled.nodelist.get_nodes_by_type(VariableNode):
        _check_field(node.filter_expression, where)
    return compiled


def _check_field(expression: FilterExpression, where: str) -> None:
    variable = expression.var
    if not isinstance(variable, Variable) or variable.literal is not None:
        return  # a quoted "text" in braces: harmless, rendered as written
    if variable.lookups and len(variable.lookups) == 1 and variable.lookups[0] in FIELDS:
        return
    field = variable.var
    hint = difflib.get_close_matches(field, FIELDS, n=1)
    suggestion = f" Did you mean {{{{ {hint[0]} }}}}?" if hint else ""
    known = ", ".join(f"{{{{ {name} }}}}" for name in FIELDS)
    raise MergeError(
        f"The {where} uses an unknown merge field {{{{ {field} }}}}.{suggestion} "
        f"Known fields: {known}."
    )


def _syntax(exc: TemplateSyntaxError) -> str:
    message = str(exc)
    if "Invalid block tag" in message:
        return "{% … %} tags are not allowed in a pitch; use only {{ field }} merge fields."
    return message


def check_pitch(subject: str, body: str) -> list[str]:
    """Every problem with a subject and body, as messages (empty when both are fine)."""
    problems = []
    for text, where in ((subject, "subject"), (body, "body")):
        try:
            check(text, where=where)
        except MergeError as exc:
            problems.append(str(exc))
    return problems


def render(subject: str, body: str, fields: dict[str, str]) -> Merged:
    """Fill the merge fields; raises MergeError for unknown ones (nothing half-merged goes out)."""
    context = {name: fields.get(name, "") for name in FIELDS}
    merged_subject = check(subject, where="subject").render(Context(context, autoescape=False))
    merged_body = check(body, where="body").render(Context(context, autoescape=False))
    # A subject is one line: a line break in a merged value must not start a new header.
    return Merged(subject=" ".join(merged_subject.split()), body=merged_body)


def used_fields(text: str) -> set[str]:
    """The merge fields `text` uses (for warnings about journalists who lack one)."""
    try:
        compiled = check(text)
    except MergeError:
        return set()
    names = set()
    for node in compiled.nodelist.get_nodes_by_type(VariableNode):
        variable = node.filter_expression.var
        if isinstance(variable, Variable) and variable.lookups:
            names.add(variable.lookups[0])
    return names
