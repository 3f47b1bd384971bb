"""Reading saved pages from disk for `extract` and `backfill`: plain or gzip-compressed HTML.

Finding files and reading bytes only; what the bytes mean is the pipeline's business.
"""

from __future__ import annotations

import gzip
from pathlib import Path

PATTERNS = ("*.html", "*.htm", "*.html.gz", "*.htm.gz")


def read_page(path: Path) -> bytes:
    """The page's bytes, decompressed when the file is gzip (by name or by magic number)."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" or data[:2] == b"\x1f\x8b" else data


def page_files(paths: list[Path]) -> list[Path]:
    """Files as given, and every page file below the folders given, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for pattern in PATTERNS for p in path.rglob(pattern)))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return found
