"""Smoke test of `commsdesk bench`: the six figures run end to end on tiny inputs and each
prints its one summary line ending with a ratio. It checks the benchmarks keep working, not
their speed (benchmarks are not tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.workers import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
FIGURE = re.compile(r"\| ratio \d+\.\d\dx$")


@pytest.mark.corpus
def test_bench_tiny_prints_every_figure_with_its_same_run_ratio(tmp_path):
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the benchmarks make their own SQLite databases: runs once, in the SQLite pass")
    if not (CORPUS / "extraction" / "aeb").is_dir():
        pytest.skip("the ingest and memory figures read ../shared/corpus")
    env = {
        **os.environ,
        "COMMSDESK_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("DATABASE_URL", None)  # the benchmarks make their own SQLite databases
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "commsdesk", "bench", "--tiny"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    summary = done.stdout.split("### figures")[-1].strip().splitlines()[1:]
    names = [line.split(":")[0] for line in summary]
    # ingest with 1 and 2 workers, feeds, matching (1k searches when tiny), search, web, memory
    assert len(summary) == 7, done.stdout[-3000:]
    assert all(FIGURE.search(line) for line in summary), summary
    for figure in (
        "ingest end to end, 1 worker",
        "ingest end to end, 2 worker",
        "feed parsing",
        "matching",
        "archive search",
        "web p95",
        "memory",
    ):
        assert any(name.startswith(figure) for name in names), (figure, names)
