"""An FAQ's Markdown as question/answer pairs: each `##` heading is a question and the Markdown
up to the next `##` its answer (anything before the first question is an introduction).

markdown-it-py finds the headings (so a `##` inside a code block is not a question); the
answers stay Markdown for `materials.markdown.render`. Nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt


@dataclass(frozen=True, slots=True)
class Question:
    question: str
    answer: str  # Markdown


@dataclass(frozen=True, slots=True)
class Faq:
    introduction: str  # Markdown
    questions: tuple[Question, ...]


def split(body: str) -> Faq:
    lines = (body or "").splitlines()
    tokens = MarkdownIt("commonmark").parse(body or "")
    headings = []  # (first line, line after, question text)
    for at, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2" and token.level == 0 and token.map:
            headings.append((token.map[0], token.map[1], tokens[at + 1].content.strip()))
    if not headings:
        return Faq(introduction=body or "", questions=())
    questions = []
    for index, (_, after, question) in enumerate(headings):
        end = headings[index + 1][0] if index + 1 < len(headings) else len(lines)
        questions.append(Question(question, "\n".join(lines[after:end]).strip()))
    introduction = "\n".join(lines[: headings[0][0]]).strip()
    return Faq(introduction=introduction, questions=tuple(questions))
