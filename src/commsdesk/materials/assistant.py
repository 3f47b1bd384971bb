"""The optional writing assistant: a client for an OpenAI-compatible chat completions API
(`POST {COMMSDESK_LLM_URL}/chat/completions`) and the two prompts we send it (a first draft from
chosen approved materials and statistics; a summary of a story cluster).

Off while COMMSDESK_LLM_URL is empty. It returns text and the model's name; marking the text as
generated and saving drafts is the views' work.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from commsdesk.materials import facts
from commsdesk.materials.models import Draft, KeyStatistic, Material
from commsdesk.pipeline.errors import PipelineError, TooLargeError, TransientError
from commsdesk.pipeline.fetch import Fetcher, FetchPolicy

# A long first draft is a few thousand tokens; 1 MiB leaves room for any provider's extra
# fields while still refusing an endless answer.
MAX_REPLY_BYTES = 1024 * 1024
STORY_ARTICLES = 30
LEAD_CHARACTERS = 400


class AssistantError(Exception):
    """Why the assistant gave no text, in words for the person who asked."""


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    model: str


def configured() -> bool:
    return bool(settings.COMMSDESK_LLM_URL)


def _fetcher() -> Fetcher:
    timeout = settings.COMMSDESK_LLM_TIMEOUT
    # The assistant's address is set by the server's administrator, not typed by users, and is
    # usually a model running on this machine or the intranet (http://127.0.0.1:8080/v1): the
    # private-network guard that protects feed and statistic fetches is lifted for it alone.
    policy = FetchPolicy(
        connect_timeout=min(10.0, timeout),
        read_timeout=timeout,
        total_timeout=timeout * 2,
        user_agent=settings.COMMSDESK_USER_AGENT,
        allow_private_networks=True,
        politeness_delay=0.0,
        respect_robots=False,
    )
    return Fetcher(policy)


def complete(messages: list[dict[str, str]]) -> Reply:
    """One chat completion: the first choice's text and the model that wrote it."""
    if not configured():
        raise AssistantError("The writing assistant is not set up (COMMSDESK_LLM_URL is empty).")
    url = f"{settings.COMMSDESK_LLM_URL}/chat/completions"
    body = {"model": settings.COMMSDESK_LLM_MODEL, "messages": messages}
    headers = {}
    if settings.COMMSDESK_LLM_API_KEY:
        headers["Authorization"] = f"Bearer {settings.COMMSDESK_LLM_API_KEY}"
    try:
        with _fetcher() as fetcher:
            result = fetcher.post_json(
                url,
                json.dumps(body).encode(),
                headers=headers,
                max_reply_bytes=MAX_REPLY_BYTES,
            )
    except TransientError as exc:
        raise AssistantError(
            f"The writing assistant did not answer; try again later. ({exc.reason})"
        ) from exc
    except TooLargeError as exc:
        raise AssistantError(
            f"The writing assistant's answer was longer than {MAX_REPLY_BYTES // 1024} KiB, "
            "so it was not kept; ask for something shorter."
        ) from exc
    except PipelineError as exc:
        raise AssistantError(f"The writing assistant refused the request: {exc.reason}") from exc
    return _read(result.body)


def _read(body: bytes) -> Reply:
    try:
        answer = json.loads(body)
        text = answer["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise AssistantError(
            "The writing assistant answered with something that is not a chat completion "
            f"({type(exc).__name__}); check COMMSDESK_LLM_URL points at an OpenAI-compatible API."
        ) from exc
    if not isinstance(text, str) or not text.strip():
        raise AssistantError("The writing assistant answered with no text.")
    model = answer.get("model") if isinstance(answer.get("model"), str) else ""
    return Reply(text.strip(), model or settings.COMMSDESK_LLM_MODEL or "unknown model")


# --- prompts ---------------------------------------------------------------------------------

DRAFT_RULES = (
    "You are a careful writer in a nonprofit's communications team. Write a first draft of a "
    "{kind} in the language with code {language}, in Markdown, starting with a '# ' headline. "
    "Use ONLY the facts, numbers, names and quotes in the approved materials and statistics "
    "given; never invent any. Quote statistics exactly as given. Where something needed is "
    "missing, write [TO CHECK: what is missing]."
)


def draft_messages(
    *,
    kind: str,
    language: str,
    materials: Iterable[Material],
    statistics: Iterable[KeyStatistic],
    instructions: str,
) -> list[dict[str, str]]:
    label = Draft.Kind(kind).label.lower()
    sources = [
        f"## Material: {m.title} ({m.get_kind_display()}, version {m.version})\n\n{m.body.strip()}"
        for m in materials
    ]
    numbers = [
        f"- {s.name}: {facts.display(s)} (as of {s.as_of:%Y-%m-%d}"
        + (f"; source {s.source_url}" if s.source_url else "")
        + ")"
        for s in statistics
    ]
    if numbers:
        sources.append("## Key statistics\n\n" + "\n".join(numbers))
    request = instructions.strip() or f"Write the {label}."
    return [
        {"role": "system", "content": DRAFT_RULES.format(kind=label, language=language)},
        {
            "role": "user",
            "content": "# Approved sources\n\n"
            + "\n\n".join(sources)
            + f"\n\n# What to write\n\n{request}",
        },
    ]


def split_headline(text: str) -> tuple[str, str]:
    """("Headline", "the rest") when the text opens with a '# ' line, else ("", text)."""
    first, _, rest = text.partition("\n")
    if first.startswith("# "):
        return first[2:].strip(), rest.strip()
    return "", text


STORY_RULES = (
    "You summarise news coverage for a nonprofit's communications team. In 3 to 5 sentences "
    "say what the story is, which outlets carry it and how their angles differ. Use only the "
    "articles given; do not guess beyond them."
)


def story_messages(story) -> list[dict[str, str]]:
    articles = story.articles.select_related("outlet").order_by("sort_at", "id")[:STORY_ARTICLES]
    items = [
        f"- {a.title} ({a.outlet.name if a.outlet_id else 'unknown outlet'}, {a.language}): "
        f"{' '.join(a.text.split())[:LEAD_CHARACTERS]}"
        for a in articles
    ]
    return [
        {"role": "system", "content": STORY_RULES},
        {"role": "user", "content": "Articles in this story:\n\n" + "\n".join(items)},
    ]
