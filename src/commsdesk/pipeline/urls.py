"""URL canonicalisation and identity: the one owner of "are these two URLs the same article?".

`canonicalize` gives the form we store and link to; `identity_hash` the sha256 used as the
unique key.
It does not fetch anything and does not decide whether a URL may be fetched (see `fetch`).
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import courlan

# courlan (non-strict) already drops utm_*, fbclid and friends; these are the others we meet in
# news links. Kept explicit so a team can read what is stripped.
_TRACKING_PARAMS = frozenset(
    {
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "cmpid",
        "ncid",
        "ocid",
        "smid",
        "sr_share",
        "taid",
        "at_medium",
        "at_campaign",
        "amp",
        "outputtype",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "__twitter", "hsa_", "oly_")
_AMP_PATH = re.compile(r"(/amp)(?=/|$)|(\.amp)(?=\.html?$|$)", re.IGNORECASE)
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")


class InvalidURLError(ValueError):
    """The text is not an absolute http(s) URL."""


def canonicalize(url: str) -> str:
    """Return the URL we store: lower-case host, no fragment, no tracking parameters, no AMP."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidURLError(f"not an absolute http(s) URL: {url[:200]!r}")
    normalized = courlan.normalize_url(url, strict=False)
    parts = urlsplit(normalized)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    path = _AMP_PATH.sub("", parts.path) or "/"
    host = parts.netloc.lower()
    if host.startswith("amp."):
        host = host[4:]
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query), ""))


def identity(url: str) -> str:
    """The scheme-, www- and trailing-slash-blind form two copies of one URL share."""
    parts = urlsplit(canonicalize(url))
    host = parts.netloc
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
            break
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", host, path, parts.query, "")).lstrip("/")


def identity_hash(url: str) -> str:
    """sha256 hex of `identity(url)`: the unique key of an article."""
    return hashlib.sha256(identity(url).encode("utf-8")).hexdigest()


def domain(url: str) -> str:
    """The registrable-looking host without www./m. prefixes, used to name an outlet."""
    host = urlsplit(url).hostname or ""
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            return host[len(prefix) :]
    return host
