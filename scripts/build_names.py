"""Build the shipped name list (src/commsdesk/pipeline/data/names.json) from Wikidata.

Fetches the labels and aliases of the starter entities with the wbgetentities API, 50 ids a
request, and writes them sorted so the same answers give the same file. Needs the internet;
nothing at run time calls it (the app reads the shipped file).

    python scripts/build_names.py [--output PATH] [--contact you@example.org] [--ids Q1,Q2]
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import httpx

API = "https://www.wikidata.org/w/api.php"
OUTPUT = Path(__file__).resolve().parents[1] / "src/commsdesk/pipeline/data/names.json"
BATCH = 50  # wbgetentities refuses more than 50 ids per request for ordinary clients
# The languages of the starter list: the team's working languages and the big press languages.
LANGUAGES = "en es fr de pt it ru uk ar fa he hi bn ja zh ko id tr sw yo zu".split()
# Wikidata often has "zh" empty and the label under a script variant: take the first found.
FALLBACKS = {"zh": ("zh", "zh-hans", "zh-cn", "zh-hant")}

# The starter entities: the Wikimedia movement and the peers a comms team tracks beside it.
ENTITIES = {
    "Q52": "Wikipedia",
    "Q80": "Tim Berners-Lee",
    "Q83": "MediaWiki",
    "Q95": "Google",
    "Q151": "Wiktionary",
    "Q180": "Wikimedia Foundation",
    "Q181": "Jimmy Wales",
    "Q185": "Larry Sanger",
    "Q263": "Wikisource",
    "Q284": "Creative Commons",
    "Q359": "WikiLeaks",
    "Q364": "GitHub",
    "Q367": "Wikibooks",
    "Q369": "Wikiquote",
    "Q370": "Wikiversity",
    "Q373": "Wikivoyage",
    "Q380": "Meta Platforms",
    "Q455": "Encyclopædia Britannica",
    "Q458": "European Union",
    "Q461": "Internet Archive",
    "Q565": "Wikimedia Commons",
    "Q698": "Mozilla Firefox",
    "Q936": "OpenStreetMap",
    "Q964": "Wikinews",
    "Q1065": "United Nations",
    "Q2013": "Wikidata",
    "Q7809": "UNESCO",
    "Q7817": "World Health Organization",
    "Q8288": "Wikimedia Deutschland",
    "Q8880": "European Commission",
    "Q8889": "European Parliament",
    "Q13679": "Wikispecies",
    "Q22673": "Project Gutenberg",
    "Q42970": "Amnesty International",
    "Q48413": "Free Software Foundation",
    "Q55672": "Mozilla Foundation",
    "Q131454": "Library of Congress",
    "Q648364": "Wayback Machine",
    "Q740308": "UNICEF",
    "Q21708200": "OpenAI",
    "Q115564437": "ChatGPT",
}


def batches(ids: Iterable[str], size: int = BATCH) -> Iterator[list[str]]:
    chunk: list[str] = []
    for qid in ids:
        chunk.append(qid)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def fetch(
    client: httpx.Client, api: str, ids: list[str], languages: Iterable[str]
) -> dict[str, dict]:
    """One wbgetentities request: {qid: entity JSON} for the ids Wikidata knows."""
    codes = sorted({code for lang in languages for code in FALLBACKS.get(lang, (lang,))})
    params = {
        "action": "wbgetentities",
        "ids": "|".join(ids),
        "props": "labels|aliases",
        "languages": "|".join(codes),
        "format": "json",
        "maxlag": "5",  # Wikidata asks bots to back off when its replicas lag
    }
    for attempt in range(5):
        response = client.get(api, params=params)
        answer = response.json() if response.status_code == 200 else {}
        lagged = answer.get("error", {}).get("code") == "maxlag"
        if response.status_code in (429, 503) or lagged:
            time.sleep(float(response.headers.get("Retry-After", 2**attempt)))
            continue
        response.raise_for_status()
        if "error" in answer:
            raise SystemExit(f"Wikidata refused the request: {answer['error'].get('info')}")
        return {
            qid: entity
            for qid, entity in answer.get("entities", {}).items()
            if "missing" not in entity
        }
    raise SystemExit("Wikidata kept asking us to wait; try again later.")


def names_of(entity: dict, languages: Iterable[str]) -> dict[str, dict]:
    """{language: {"label": ..., "aliases": [...]}} for the languages that have a label."""
    labels, aliases = entity.get("labels", {}), entity.get("aliases", {})
    names: dict[str, dict] = {}
    for lang in languages:
        code = next((c for c in FALLBACKS.get(lang, (lang,)) if c in labels), None)
        if code is None:
            continue
        label = labels[code]["value"]
        others = [a["value"] for a in aliases.get(code, []) if a["value"] != label]
        names[lang] = {"label": label, "aliases": list(dict.fromkeys(others))}
    return names


def build(
    client: httpx.Client,
    *,
    api: str = API,
    entities: dict[str, str] = ENTITIES,
    languages: Iterable[str] = LANGUAGES,
) -> dict:
    languages = tuple(languages)
    found: dict[str, dict] = {}
    for chunk in batches(sorted(entities, key=qid_order)):
        for qid, entity in fetch(client, api, chunk, languages).items():
            found[entity.get("id", qid)] = names_of(entity, languages)
    return document(found, languages, source=f"Wikidata wbgetentities API ({api})")


def document(
    found: dict[str, dict], languages: Iterable[str], *, source: str, fetched: bool = True
) -> dict:
    """The file's content: metadata, then entities sorted by QID, languages sorted."""
    return {
        "metadata": {
            "source": source,
            "fetched": fetched,  # False: written by hand, not read from the API
            "retrieved": datetime.date.today().isoformat() if fetched else None,
            "languages": sorted(languages),
            "license": "Wikidata labels and aliases: CC0 1.0",
            "built_by": "scripts/build_names.py",
        },
        "entities": [
            {"qid": qid, "names": {lang: found[qid][lang] for lang in sorted(found[qid])}}
            for qid in sorted(found, key=qid_order)
            if found[qid]
        ],
    }


def qid_order(qid: str) -> int:
    return int(qid.lstrip("Q"))


def write(content: dict, path: Path) -> None:
    text = json.dumps(content, ensure_ascii=False, indent=1, sort_keys=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--api", default=API, help="wbgetentities endpoint (default: Wikidata)")
    parser.add_argument(
        "--contact",
        default="https://github.com/commsdesk/commsdesk",
        help="a URL or email for the User-Agent, as the Wikimedia User-Agent policy asks",
    )
    parser.add_argument(
        "--ids", help="comma-separated QIDs instead of the starter list (e.g. to try new ones)"
    )
    args = parser.parse_args(argv)
    entities = dict.fromkeys(args.ids.split(","), "") if args.ids else ENTITIES
    headers = {"User-Agent": f"commsdesk-build-names/0.1 ({args.contact}) httpx"}
    with httpx.Client(headers=headers, timeout=30.0, follow_redirects=True) as client:
        content = build(client, api=args.api, entities=entities)
    write(content, args.output)
    print(f"{len(content['entities'])} entities written to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
