"""scripts/build_names.py against a wbgetentities stand-in served on 127.0.0.1: batches of 50,
a User-Agent, waiting when asked to, and the same file for the same answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from commsdesk.pipeline.names import from_json
from tests.servers import LocalServer, Request, Route

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_names.py"


def wikidata(request: Request) -> Route:
    """Answers like wbgetentities: labels and aliases per asked language; Q404 is missing."""
    params = {k: v[0] for k, v in parse_qs(urlsplit(request.path).query).items()}
    entities = {}
    for qid in params["ids"].split("|"):
        if qid == "Q404":
            entities[qid] = {"id": qid, "missing": ""}
            continue
        number = int(qid[1:])
        labels = {"en": {"language": "en", "value": f"Entity {number}"}}
        aliases: dict = {}
        if "ru" in params["languages"].split("|"):
            labels["ru"] = {"language": "ru", "value": f"Сущность {number}"}
            aliases["ru"] = [{"language": "ru", "value": f"Вещь {number}"}]
        if "zh-hans" in params["languages"].split("|"):  # no plain "zh": the fallback is used
            labels["zh-hans"] = {"language": "zh-hans", "value": f"实体{number}"}
        entities[qid] = {"type": "item", "id": qid, "labels": labels, "aliases": aliases}
    body = json.dumps({"entities": entities, "success": 1}).encode()
    return Route(body, headers={"Content-Type": "application/json"})


def run(server: LocalServer, output: Path, ids: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--api",
            server.url("/w/api.php"),
            "--output",
            str(output),
            "--ids",
            ",".join(ids),
            "--contact",
            "comms@example.org",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_fetches_in_batches_of_50_and_writes_a_sorted_loadable_file(tmp_path: Path) -> None:
    ids = [f"Q{n}" for n in range(60, 0, -1)] + ["Q404"]
    with LocalServer() as server:
        server.add("/w/api.php", wikidata)
        done = run(server, tmp_path / "names.json", ids)
        assert done.returncode == 0, done.stderr
        asked = [parse_qs(urlsplit(r.path).query) for r in server.requests]
    assert [len(a["ids"][0].split("|")) for a in asked] == [50, 11]
    assert all(a["action"] == ["wbgetentities"] and a["props"] == ["labels|aliases"] for a in asked)
    assert "comms@example.org" in server.requests[0].headers["user-agent"]

    content = json.loads((tmp_path / "names.json").read_text("utf-8"))
    assert content["metadata"]["fetched"] is True
    qids = [e["qid"] for e in content["entities"]]
    assert qids == [f"Q{n}" for n in range(1, 61)]  # sorted by number; the missing one left out
    assert content["entities"][6]["names"]["ru"] == {"label": "Сущность 7", "aliases": ["Вещь 7"]}
    assert content["entities"][6]["names"]["zh"]["label"] == "实体7"
    assert from_json(content).named("Вещь 7")[0].key == "Q7"


def test_it_writes_the_same_file_for_the_same_answers(tmp_path: Path) -> None:
    with LocalServer() as server:
        server.add("/w/api.php", wikidata)
        run(server, tmp_path / "a.json", ["Q3", "Q1", "Q2"])
        run(server, tmp_path / "b.json", ["Q2", "Q3", "Q1"])
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_it_waits_when_wikidata_says_it_is_busy(tmp_path: Path) -> None:
    answers = iter([Route(b"busy", 429, {"Retry-After": "0"})])

    def busy_once(request: Request) -> Route:
        return next(answers, None) or wikidata(request)

    with LocalServer() as server:
        server.add("/w/api.php", busy_once)
        done = run(server, tmp_path / "names.json", ["Q1"])
        assert done.returncode == 0, done.stderr
        assert len(server.requests) == 2
