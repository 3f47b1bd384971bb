"""The project's one HTTP client: a guarded, polite GET that returns a `FetchResult` or one error,
and a guarded JSON POST (webhooks) that returns a `PostResult` or one error.

It enforces timeouts, a size cap on decoded bytes, the SSRF guard, robots.txt, per-host politeness
and conditional GET. It does not parse what it fetches, retry, or decide when to fetch again.
"""

from __future__ import annotations

import http
import ipaddress
import socket
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from commsdesk.pipeline.errors import (
    BlockedURLError,
    PermanentError,
    RobotsDisallowedError,
    TooLargeError,
    TransientError,
)
from commsdesk.pipeline.records import FetchResult, PostResult

# (host, port) -> IP address strings. Injectable so tests can describe a DNS they control.
Resolver = Callable[[str, int], Sequence[str]]
# (ip, port, connect timeout) -> an open stream. Injectable so tests can route a "public" IP to a
# local server; production always uses `_direct_dial`.
Dialer = Callable[[str, int, float | None], httpcore.NetworkStream]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Only these keep the method and body (RFC 9110 §15.4): a POST is never silently turned into a GET.
_BODY_REDIRECTS = frozenset({307, 308})
_POST_REPLY_MAX_BYTES = 64 * 1024  # a webhook's answer is only kept for the error message
_TRANSIENT_4XX = frozenset({408, 429})
_ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How carefully to fetch. One policy per deployment, usually built from settings."""

    connect_timeout: float = 10.0  # seconds to open a TCP (+TLS) connection
    read_timeout: float = 30.0  # seconds of silence tolerated between two reads
    max_bytes: int = 10 * 1024 * 1024  # cap on the decoded body
    max_redirects: int = 5
    user_agent: str = "commsdesk/0.1 (media monitoring; +https://github.com/commsdesk)"
    allow_private_networks: bool = False  # True only for tests and trusted intranet sources
    politeness_delay: float = 1.0  # seconds between two requests to one host
    respect_robots: bool = True
    total_timeout: float = 120.0  # wall-clock cap per fetch: a slow drip must not pin a worker
    robots_ttl: float = 3600.0  # seconds a fetched robots.txt is trusted
    robots_error_ttl: float = 60.0  # robots.txt unreachable: allow, but ask again soon


@dataclass(frozen=True, slots=True)
class _Reply:
    """The last hop of a redirect chain: body is read only for 2xx answers."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes


@dataclass(frozen=True, slots=True)
class _Robots:
    parser: urllib.robotparser.RobotFileParser | None  # None: everything is allowed
    expires_at: float


# --- SSRF guard ------------------------------------------------------------------------------


def system_resolve(host: str, port: int) -> list[str]:
    """All addresses the system resolver gives for host, in its order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


def blocked_reason(address: str) -> str | None:
    """Why an IP may not be fetched ("loopback", "private", ...), or None when it is public."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address hidden in IPv6 (::ffff:10.0.0.1, 2002:0a00:0001::) is judged as IPv4.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            return blocked_reason(str(embedded))
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        # Carrier-grade NAT, documentation ranges, 64:ff9b::/96 ...: not on the public internet.
        ("non-global", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def vet_addresses(host: str, addresses: Sequence[str]) -> None:
    """Raise BlockedURLError if any address of host is not public: all must pass, not just one."""
    if not addresses:
        raise BlockedURLError(f"{host} resolves to no address")
    for address in addresses:
        reason = blocked_reason(address)
        if reason:
            raise BlockedURLError(f"{host} resolves to a {reason} address {address}; refused")


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects only to addresses vetted in the same call: no gap for DNS rebinding.

    httpcore hands us the URL's host; we resolve it, vet every address and open the socket to a
    vetted IP ourselves. TLS still uses the host name for SNI and certificate checks, and the Host
    header still comes from the URL, so pinning is invisible to the server.
    """

    def __init__(self, resolve: Resolver, dial: Dialer, *, guard: bool) -> None:
        self._resolve = resolve
        self._dial = dial
        self._guard = guard

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.NetworkStream:
        host = host.strip("[]")
        try:
            addresses = self._resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"DNS lookup failed for {host}: {exc}") from exc
        if self._guard:
            vet_addresses(host, addresses)
        last_error: Exception = httpcore.ConnectError(f"no address to connect to for {host}")
        for address in addresses:
            try:
                return self._dial(address, port, timeout)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        raise last_error

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _direct_dial(address: str, port: int, timeout: float | None) -> httpcore.NetworkStream:
    return httpcore.SyncBackend().connect_tcp(address, port, timeout=timeout)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport (exception mapping, streams) over a pool using `_PinnedBackend`.

    httpx does not expose `network_backend`, so we replace its pool; `test_it_pins_the_connection`
    fails loudly if an httpx upgrade stops honouring this.
    """

    def __init__(self, backend: _PinnedBackend) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=10,
            max_keepalive_connections=5,
            keepalive_expiry=5.0,
            network_backend=backend,
        )


# --- bounded body decoding -------------------------------------------------------------------


class _BoundedDecoder:
    """Undo gzip/deflate without ever producing more than the bytes we may still keep."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._raw_deflate_tried = False
        self._zlib = self._new(encoding)

    @staticmethod
    def _new(encoding: str, *, raw: bool = False) -> zlib._Decompress | None:
        if encoding in ("", "identity"):
            return None
        if encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        raise PermanentError(f"unsupported Content-Encoding {encoding!r}")

    def decode(self, chunk: bytes, room: int) -> bytes:
        """Decoded bytes of chunk, at most room + 1 of them (one more means: over the cap)."""
        if self._zlib is None:
            return chunk[: room + 1]
        try:
            return self._zlib.decompress(chunk, room + 1)
        except zlib.error as exc:
            # Some servers send raw deflate under "deflate"; browsers accept it, so do we.
            if self._encoding == "deflate" and not self._raw_deflate_tried:
                self._raw_deflate_tried = True
                self._zlib = self._new("deflate", raw=True)
                return self.decode(chunk, room)
            raise PermanentError(f"response body is not valid {self._encoding}: {exc}") from exc

    def flush(self) -> bytes:
        return self._zlib.flush() if self._zlib is not None else b""


def _read_capped(
    response: httpx.Response, max_bytes: int, deadline: float, *, truncate: bool = False
) -> bytes:
    """The decoded body, or TooLargeError as soon as it passes max_bytes (truncate: cut it)."""
    declared = response.headers.get("content-length", "")
    if not truncate and declared.isdigit() and int(declared) > max_bytes:
        raise TooLargeError(f"response declares {declared} bytes, more than the {max_bytes} cap")
    decoder = _BoundedDecoder(response.headers.get("content-encoding", "").strip().lower())
    parts: list[bytes] = []
    size = 0
    for chunk in _raw_chunks(response, deadline):
        piece = decoder.decode(chunk, max_bytes - size)
        size += len(piece)
        parts.append(piece)
        if size > max_bytes:
            if truncate:
                return b"".join(parts)[:max_bytes]
            raise TooLargeError(f"response body is larger than the {max_bytes} byte cap")
    parts.append(decoder.flush())
    body = b"".join(parts)
    if len(body) > max_bytes and not truncate:
        raise TooLargeError(f"response body is larger than the {max_bytes} byte cap")
    return body[:max_bytes]


def _raw_chunks(response: httpx.Response, deadline: float) -> Iterator[bytes]:
    for chunk in response.iter_raw(_CHUNK):
        if time.monotonic() > deadline:
            raise TransientError("download took longer than the total timeout; gave up")
        yield chunk


# --- small helpers ---------------------------------------------------------------------------


def _split_content_type(value: str) -> tuple[str, str | None]:
    """("text/html", "utf-8") from 'Text/HTML; charset="utf-8"'; the charset is passed through."""
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset" and raw.strip():
            charset = raw.strip().strip("\"'")
    return media_type.strip().lower(), charset


def _status_text(status: int) -> str:
    try:
        return f"HTTP {status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _raise_for_status(reply: _Reply) -> None:
    status = reply.status
    if 200 <= status < 300 or status == 304:
        return
    text = _status_text(status)
    headers = _lowered(reply.headers)
    if status >= 500 or status in _TRANSIENT_4XX:
        retry_after = parse_retry_after(reply.headers.get("retry-after"))
        raise TransientError(
            f"{text} from {reply.url}", retry_after=retry_after, status=status, headers=headers
        )
    raise PermanentError(f"{text} from {reply.url}", status=status, headers=headers)


def _lowered(headers: httpx.Headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# --- the fetcher -----------------------------------------------------------------------------


class Fetcher:
    """One guarded HTTP client with per-host politeness and a robots.txt cache.

    Meant to be owned by one worker thread (one Fetcher per thread). Its clock and robots cache are
    lock-protected, so sharing one does no harm, but politeness is only coordinated among the
    threads that share the same Fetcher.

    `resolve` and `dial` exist for tests: both the early check and the connection itself use them.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        resolve: Resolver = system_resolve,
        dial: Dialer = _direct_dial,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._resolve = resolve
        backend = _PinnedBackend(resolve, dial, guard=not self.policy.allow_private_networks)
        self._client = httpx.Client(
            transport=_PinnedTransport(backend),
            follow_redirects=False,  # every hop is vetted by `_follow`
            trust_env=False,  # a proxy from the environment would bypass the guard
            timeout=httpx.Timeout(
                connect=self.policy.connect_timeout,
                read=self.policy.read_timeout,
                write=self.policy.read_timeout,
                pool=self.policy.connect_timeout,
            ),
        )
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}  # host -> monotonic time of its next allowed request
        self._robots: dict[str, _Robots] = {}  # origin -> parsed robots.txt

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> FetchResult:
        """GET url (conditionally when validators are given), following redirects one by one.

        `headers` adds request headers (an API's Authorization); the guard's own (User-Agent,
        Accept-Encoding) always win."""
        headers = {**(headers or {}), "Accept": accept or "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        reply = self._follow(
            url, headers, self.policy.max_bytes, robots=self.policy.respect_robots, truncate=False
        )
        _raise_for_status(reply)
        media_type, charset = _split_content_type(reply.headers.get("content-type", ""))
        return FetchResult(
            url=url,
            final_url=reply.url,
            status=reply.status,
            body=reply.body,  # only 2xx bodies are read, so a 304 has none
            content_type=media_type,
            charset=charset,
            etag=reply.headers.get("etag") or (etag if reply.status == 304 else None),
            last_modified=reply.headers.get("last-modified")
            or (last_modified if reply.status == 304 else None),
            fetched_at=datetime.now(UTC),
            headers=_lowered(reply.headers),
        )

    def post_json(
        self,
        url: str,
        body: bytes,
        *,
        headers: Mapping[str, str] | None = None,
        max_reply_bytes: int | None = None,
    ) -> PostResult:
        """POST a JSON body (already serialised: signatures cover these exact bytes) to url.

        The same guard as `fetch`: every hop vetted and pinned, timeouts, a redirect limit. Only
        307/308 redirects are followed (they keep method and body); robots.txt does not apply to
        an endpoint its owner asked us to call. 5xx/429/timeouts raise TransientError.
        By default only the first 64 KiB of the answer are kept (a webhook's answer is for error
        messages); an API whose answer is the point passes `max_reply_bytes` and gets the whole
        answer or TooLargeError, never a silently cut one.
        """
        request_headers = {
            "Accept": "application/json, */*;q=0.5",
            **(headers or {}),
            "Content-Type": "application/json",
        }
        reply = self._follow(
            url,
            request_headers,
            max_reply_bytes or _POST_REPLY_MAX_BYTES,
            robots=False,
            truncate=max_reply_bytes is None,
            method="POST",
            content=body,
        )
        _raise_for_status(reply)
        return PostResult(url=url, final_url=reply.url, status=reply.status, body=reply.body)

    # -- redirects, one vetted hop at a time

    def _follow(
        self,
        url: str,
        headers: Mapping[str, str],
        max_bytes: int,
        *,
        robots: bool,
        truncate: bool,
        method: str = "GET",
        content: bytes | None = None,
    ) -> _Reply:
        deadline = time.monotonic() + self.policy.total_timeout
        seen = [url]
        while True:
            self._vet_url(url)
            if robots:
                self._check_robots(url)
            reply = self._send(
                url, headers, max_bytes, deadline, truncate=truncate, method=method, content=content
            )
            if reply.status not in _REDIRECTS:
                return reply
            if method != "GET" and reply.status not in _BODY_REDIRECTS:
                raise PermanentError(
                    f"{_status_text(reply.status)} from {reply.url}: it would turn the {method} "
                    "into a GET; use the address it points to"
                )
            target = self._next_hop(reply, seen)
            if _origin(target) != _origin(url):
                # A token is meant for the host it was typed for, never for where it redirects.
                headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
            url = target

    def _next_hop(self, reply: _Reply, seen: list[str]) -> str:
        location = reply.headers.get("location", "").strip()
        if not location:
            raise PermanentError(f"{_status_text(reply.status)} without a Location header")
        target = urljoin(reply.url, location).split("#")[0]
        if target in seen:
            chain = " → ".join([*seen, target])
            raise PermanentError(f"redirect loop: {chain}")
        if len(seen) > self.policy.max_redirects:
            raise PermanentError(
                f"too many redirects (more than {self.policy.max_redirects}) from {seen[0]}"
            )
        seen.append(target)
        return target

    def _vet_url(self, url: str) -> None:
        """Refuse before any connection: wrong scheme, no host, or a host on a private network."""
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError as exc:
            raise BlockedURLError(f"not a valid URL: {url[:200]!r} ({exc})") from exc
        if parts.scheme.lower() not in ("http", "https"):
            raise BlockedURLError(f"only http(s) URLs are fetched, not {url[:200]!r}")
        host = parts.hostname
        if not host:
            raise BlockedURLError(f"URL has no host: {url[:200]!r}")
        if self.policy.allow_private_networks:
            return
        try:
            addresses = self._resolve(host, port)
        except OSError as exc:
            raise TransientError(f"DNS lookup failed for {host}: {exc}") from exc
        vet_addresses(host, addresses)

    def _send(
        self,
        url: str,
        headers: Mapping[str, str],
        max_bytes: int,
        deadline: float,
        *,
        truncate: bool,
        method: str = "GET",
        content: bytes | None = None,
    ) -> _Reply:
        self._wait_turn(urlsplit(url).hostname or "")
        request_headers = {
            **headers,
            "User-Agent": self.policy.user_agent,
            "Accept-Encoding": "gzip, deflate",  # only what `_BoundedDecoder` can cap
        }
        try:
            with self._client.stream(
                method, url, headers=request_headers, content=content
            ) as response:
                body = b""
                if 200 <= response.status_code < 300:
                    body = _read_capped(response, max_bytes, deadline, truncate=truncate)
                return _Reply(str(response.url), response.status_code, response.headers, body)
        except httpx.TimeoutException as exc:
            verb = "fetching" if method == "GET" else f"sending {method} to"
            raise TransientError(f"timed out {verb} {url}: {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            verb = "fetch" if method == "GET" else f"send {method} to"
            raise TransientError(f"could not {verb} {url}: {type(exc).__name__}: {exc}") from exc
        except httpx.InvalidURL as exc:
            raise BlockedURLError(f"not a valid URL: {url[:200]!r} ({exc})") from exc

    def _wait_turn(self, host: str) -> None:
        """Sleep until this host's next slot; the slot is reserved under the lock, slept outside."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self.policy.politeness_delay
        if slot > now:
            time.sleep(slot - now)

    # -- robots.txt

    def _check_robots(self, url: str) -> None:
        origin = _origin(url)
        with self._lock:
            cached = self._robots.get(origin)
        if cached is None or cached.expires_at < time.monotonic():
            cached = self._load_robots(origin)
            with self._lock:
                self._robots[origin] = cached
        if cached.parser is not None and not cached.parser.can_fetch(self.policy.user_agent, url):
            path = urlsplit(url).path or "/"
            raise RobotsDisallowedError(f"robots.txt of {origin} disallows {path} for our agent")

    def _load_robots(self, origin: str) -> _Robots:
        now = time.monotonic()
        allow_for_now = _Robots(None, now + self.policy.robots_error_ttl)
        try:
            reply = self._follow(
                f"{origin}/robots.txt", {}, _ROBOTS_MAX_BYTES, robots=False, truncate=True
            )
        except TransientError:
            # RFC 9309 says "assume complete disallow" here; we choose to allow for a short while
            # so one flaky robots.txt does not silence a source for hours.
            return allow_for_now
        except PermanentError:
            return _Robots(None, now + self.policy.robots_ttl)  # redirect loop, refused hop ...
        if reply.status >= 500 or reply.status == 429:
            return allow_for_now
        if not 200 <= reply.status < 300:
            # 4xx (including 401/403, unlike urllib's own reader): RFC 9309 says allow all.
            return _Robots(None, now + self.policy.robots_ttl)
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(reply.body.decode("utf-8", errors="replace").splitlines())
        parser.modified()  # can_fetch() refuses everything until a read time is recorded
        return _Robots(parser, now + self.policy.robots_ttl)
