"""Reading web archives (WARC and the older ARC, gzipped or not) with warcio: each archived HTML
response as a page with its address and original fetch date, for `commsdesk backfill --warc`.

It reads and filters; it stores nothing (the backfill command sends pages through the pipeline).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

HTML_TYPES = {"text/html", "application/xhtml+xml"}


class ArchiveError(Exception):
    """The file is not a readable WARC/ARC archive (or is cut off); the message says where."""


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    url: str
    html: bytes
    charset: str | None  # from the archived Content-Type header
    fetched_at: datetime  # WARC-Date: when the crawler fetched it


@dataclass(frozen=True, slots=True)
class Skipped:
    url: str
    reason: str  # why the record is not a page to import (status, type, record kind)


def read(path: Path) -> Iterator[ArchivedPage | Skipped]:
    """Every response/resource record in the archive, as a page or as a skip with its reason."""
    _check_kind(path)
    size = path.stat().st_size
    try:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream, arc2warc=True)
            for record in records:
                if record.rec_type in ("response", "resource"):
                    yield _page(record)
            # warcio stops quietly at a cut-off gzip member: the last record must end the file.
            end = records.get_record_offset() + (records.get_record_length() or 0)
            if end < size:
                raise ArchiveError(f"{path}: the archive is cut off after byte {end} of {size}")
    except ArchiveLoadFailed as exc:
        raise ArchiveError(f"{path}: not a WARC or ARC archive ({exc})") from exc
    except (OSError, EOFError, ValueError) as exc:  # EOFError/zlib: a truncated .warc.gz
        raise ArchiveError(f"{path}: cannot read the archive: {exc}") from exc


def _check_kind(path: Path) -> None:
    """warcio reads almost anything as an old ARC file: look at the first bytes instead."""
    with path.open("rb") as stream:
        head = stream.read(64)
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path) as unpacked:
                head = unpacked.read(64)
        except (OSError, EOFError) as exc:
            raise ArchiveError(f"{path}: cannot read the archive: {exc}") from exc
    if not head.startswith((b"WARC/", b"filedesc://")):
        raise ArchiveError(f"{path}: not a WARC or ARC archive (it starts {head[:20]!r})")


def _page(record) -> ArchivedPage | Skipped:
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.rec_type == "response":
        if record.http_headers is None:
            return Skipped(url, "not an HTTP response")
        status = record.http_headers.get_statuscode()
        if status != "200":
            return Skipped(url, f"archived HTTP status {status}")
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    media_type, _, params = content_type.partition(";")
    if media_type.strip().lower() not in HTML_TYPES:
        return Skipped(url, f"not HTML ({media_type.strip() or 'no content type'})")
    return ArchivedPage(
        url=url,
        html=record.content_stream().read(),
        charset=_charset(params),
        fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
    )


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _warc_date(value: str | None) -> datetime:
    """WARC-Date is ISO 8601 in UTC ("2024-05-01T12:00:00Z"); ARC dates arrive converted."""
    if not value:
        return datetime.now(UTC)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
