"""One summary line per benchmark figure, ending with its same-run ratio.

`commsdesk bench` collects the lines starting with FIGURE and prints them again at the end;
this module only formats them and says which machine they ran on.
"""

from __future__ import annotations

import os
import platform

PREFIX = "FIGURE"


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    python = platform.python_version()
    return f"{platform.machine()} {os.cpu_count()} cores, Python {python}, load {load:.1f}"


def figure(name: str, measured: str, baseline: str, ratio: float) -> None:
    """Print `FIGURE name: measured | baseline (same run) | ratio`; the ratio comes last."""
    print(f"{PREFIX} {name}: {measured} | baseline {baseline} | ratio {ratio:.2f}x", flush=True)
