"""The HTTP client against a real server on 127.0.0.1: caching, redirects, caps, robots, SSRF.

Tests that need to reach the local server set allow_private_networks=True. The SSRF tests keep the
guard on and prove refusal happens before any connection (see `FakeInternet`).
"""

from __future__ import annotations

import dataclasses
import gzip
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

import httpcore
import pytest

from commsdesk.pipeline.errors import (
    BlockedURLError,
    PermanentError,
    RobotsDisallowedError,
    TooLargeError,
    TransientError,
)
from commsdesk.pipeline.fetch import (
    Fetcher,
    FetchPolicy,
    blocked_reason,
    parse_retry_after,
    system_resolve,
)
from tests.servers import LocalServer, Request, Route

LOCAL = FetchPolicy(
    allow_private_networks=True,
    politeness_delay=0.0,
    respect_robots=False,
    connect_timeout=2.0,
    read_timeout=2.0,
)
FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(LOCAL) as running:
        yield running


def policy(**changes: object) -> FetchPolicy:
    return dataclasses.replace(LOCAL, **changes)  # type: ignore[arg-type]


# --- success, headers, conditional GET -------------------------------------------------------


def test_it_returns_body_type_charset_and_validators(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.add(
        "/feed",
        Route(
            FEED,
            headers={
                "Content-Type": 'Application/RSS+XML; Charset="ISO-8859-1"',
                "ETag": '"v1"',
                "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT",
            },
        ),
    )
    result = fetcher.fetch(url)
    assert result.status == 200 and result.body == FEED
    assert result.content_type == "application/rss+xml"
    assert result.charset == "ISO-8859-1"
    assert result.etag == '"v1"' and result.last_modified == "Wed, 01 Jan 2025 00:00:00 GMT"
    assert result.final_url == url and result.url == url
    assert result.fetched_at is not None and result.fetched_at.tzinfo is UTC


def test_it_passes_a_wrong_or_missing_charset_through(
    server: LocalServer, fetcher: Fetcher
) -> None:
    wrong = server.add(
        "/wrong", Route("é".encode(), headers={"Content-Type": "text/xml; charset=bogus"})
    )
    missing = server.add("/missing", Route(b"x", headers={"Content-Type": "text/xml"}))
    none = server.add("/none", Route(b"x"))
    assert fetcher.fetch(wrong).charset == "bogus"
    # Bytes untouched: decoding is the parser's job.
    assert fetcher.fetch(wrong).body == "é".encode()
    assert fetcher.fetch(missing).charset is None
    assert fetcher.fetch(none).content_type == "" and fetcher.fetch(none).charset is None


def _conditional(request: Request) -> Route:
    if request.headers.get("if-none-match") == '"v1"':
        return Route(b"", 304, {"ETag": '"v1"'})
    if request.headers.get("if-modified-since") == "Wed, 01 Jan 2025 00:00:00 GMT":
        return Route(b"", 304)
    return Route(FEED, headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"})


def test_it_sends_etag_and_returns_not_modified(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.add("/feed", _conditional)
    first = fetcher.fetch(url)
    again = fetcher.fetch(url, etag=first.etag)
    assert again.status == 304 and again.not_modified and again.body == b""
    assert again.etag == '"v1"'
    assert server.requests[-1].headers["if-none-match"] == '"v1"'


def test_it_sends_if_modified_since_and_keeps_the_validator(
    server: LocalServer, fetcher: Fetcher
) -> None:
    url = server.add("/feed", _conditional)
    again = fetcher.fetch(url, last_modified="Wed, 01 Jan 2025 00:00:00 GMT")
    assert again.status == 304 and again.body == b""
    assert again.last_modified == "Wed, 01 Jan 2025 00:00:00 GMT"  # kept for the next fetch
    assert "if-none-match" not in server.requests[-1].headers


def test_it_sends_the_user_agent_and_accept(server: LocalServer) -> None:
    url = server.add("/feed", Route(FEED))
    with Fetcher(policy(user_agent="commsdesk-test/9")) as fetcher:
        fetcher.fetch(url, accept="application/rss+xml")
    assert server.requests[-1].headers["user-agent"] == "commsdesk-test/9"
    assert server.requests[-1].headers["accept"] == "application/rss+xml"


def test_it_decodes_gzip(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.add("/gz", Route(gzip.compress(FEED), headers={"Content-Encoding": "gzip"}))
    assert fetcher.fetch(url).body == FEED


# --- redirects -------------------------------------------------------------------------------


def test_it_follows_a_301_302_chain(server: LocalServer, fetcher: Fetcher) -> None:
    server.add("/a", Route(status=301, headers={"Location": "/b"}))
    server.add("/b", Route(status=302, headers={"Location": server.url("/c")}))
    server.add("/c", Route(FEED))
    result = fetcher.fetch(server.url("/a"))
    assert result.body == FEED
    assert result.url == server.url("/a") and result.final_url == server.url("/c")
    assert [r.path for r in server.requests] == ["/a", "/b", "/c"]


def test_it_refuses_a_redirect_loop(server: LocalServer, fetcher: Fetcher) -> None:
    server.add("/a", Route(status=302, headers={"Location": "/b"}))
    server.add("/b", Route(status=302, headers={"Location": "/a"}))
    with pytest.raises(PermanentError, match="redirect loop"):
        fetcher.fetch(server.url("/a"))
    assert len(server.requests) == 2


def test_it_gives_up_after_too_many_redirects(server: LocalServer) -> None:
    for i in range(10):
        server.add(f"/r{i}", Route(status=307, headers={"Location": f"/r{i + 1}"}))
    server.add("/r10", Route(FEED))
    with Fetcher(policy(max_redirects=3)) as fetcher, pytest.raises(PermanentError) as caught:
        fetcher.fetch(server.url("/r0"))
    assert "too many redirects" in caught.value.reason
    assert len(server.requests) == 4  # the first request and three redirects, no more


def test_it_refuses_a_redirect_without_location(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.add("/a", Route(status=302))
    with pytest.raises(PermanentError, match="without a Location"):
        fetcher.fetch(url)


# --- timeouts, sizes, status mapping ---------------------------------------------------------


def test_a_slow_server_is_a_transient_timeout(server: LocalServer) -> None:
    url = server.add("/slow", Route(FEED, delay=1.0))
    with Fetcher(policy(read_timeout=0.2)) as fetcher, pytest.raises(TransientError) as caught:
        fetcher.fetch(url)
    assert "timed out" in caught.value.reason


def test_a_refused_connection_is_transient(fetcher: Fetcher) -> None:
    with LocalServer() as closed:
        url = closed.url("/")
    with pytest.raises(TransientError, match="could not fetch"):
        fetcher.fetch(url)


def test_a_dns_failure_is_transient() -> None:
    def no_dns(host: str, port: int) -> Sequence[str]:
        raise OSError(f"no such host {host}")

    with Fetcher(FetchPolicy(), resolve=no_dns) as fetcher, pytest.raises(TransientError) as caught:
        fetcher.fetch("http://nowhere.example/feed")
    assert "DNS lookup failed for nowhere.example" in caught.value.reason


def test_it_rejects_a_declared_oversized_body_early(server: LocalServer) -> None:
    url = server.add("/big", Route(b"x" * 200_000))
    with Fetcher(policy(max_bytes=100_000)) as fetcher, pytest.raises(TooLargeError) as caught:
        fetcher.fetch(url)
    assert "declares 200000 bytes" in caught.value.reason


def test_it_aborts_a_streamed_body_past_the_cap(server: LocalServer) -> None:
    url = server.add("/stream", Route(b"x" * 3_000_000, chunked=True))
    with Fetcher(policy(max_bytes=100_000)) as fetcher, pytest.raises(TooLargeError):
        fetcher.fetch(url)


def test_the_cap_counts_decoded_bytes_of_a_gzip_bomb(server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)
    assert len(bomb) < 100_000
    url = server.add("/bomb", Route(bomb, headers={"Content-Encoding": "gzip"}))
    with Fetcher(policy(max_bytes=1_000_000)) as fetcher, pytest.raises(TooLargeError):
        fetcher.fetch(url)


def test_a_body_exactly_at_the_cap_is_kept(server: LocalServer) -> None:
    url = server.add("/exact", Route(b"x" * 1000, chunked=True))
    with Fetcher(policy(max_bytes=1000)) as fetcher:
        assert len(fetcher.fetch(url).body) == 1000


@pytest.mark.parametrize(
    ("status", "error", "text"),
    [
        (404, PermanentError, "HTTP 404 Not Found"),
        (410, PermanentError, "HTTP 410 Gone"),
        (401, PermanentError, "HTTP 401 Unauthorized"),
        (403, PermanentError, "HTTP 403 Forbidden"),
        (500, TransientError, "HTTP 500 Internal Server Error"),
        (503, TransientError, "HTTP 503 Service Unavailable"),
        (429, TransientError, "HTTP 429 Too Many Requests"),
    ],
)
def test_it_maps_http_errors_to_permanent_or_transient(
    server: LocalServer, fetcher: Fetcher, status: int, error: type[Exception], text: str
) -> None:
    url = server.add("/x", Route(b"no", status))
    with pytest.raises(error) as caught:
        fetcher.fetch(url)
    assert text in str(caught.value)
    if status == 404:
        assert not isinstance(caught.value, TransientError)


def test_it_exposes_retry_after_on_429(server: LocalServer, fetcher: Fetcher) -> None:
    url = server.add("/x", Route(b"slow down", 429, {"Retry-After": "120"}))
    with pytest.raises(TransientError) as caught:
        fetcher.fetch(url)
    assert caught.value.retry_after == 120.0


def test_retry_after_accepts_an_http_date() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert parse_retry_after("Wed, 01 Jan 2025 00:01:00 GMT", now=now) == 60.0
    assert parse_retry_after("soon", now=now) is None and parse_retry_after(None) is None


# --- politeness and robots.txt ---------------------------------------------------------------


def test_it_waits_between_requests_to_one_host(server: LocalServer) -> None:
    url = server.add("/feed", Route(FEED))
    with Fetcher(policy(politeness_delay=0.4)) as fetcher:
        started = time.monotonic()
        fetcher.fetch(url)
        fetcher.fetch(url)
        assert time.monotonic() - started >= 0.4


ROBOTS = b"User-agent: *\nDisallow: /private/\n\nUser-agent: commsdesk\nDisallow: /no-bots/\n"


def test_it_obeys_robots_disallow(server: LocalServer) -> None:
    server.add("/robots.txt", Route(ROBOTS, headers={"Content-Type": "text/plain"}))
    server.add("/no-bots/page", Route(FEED))
    server.add("/ok", Route(FEED))
    with Fetcher(policy(respect_robots=True, user_agent="commsdesk/0.1")) as fetcher:
        with pytest.raises(RobotsDisallowedError, match="disallows /no-bots/page"):
            fetcher.fetch(server.url("/no-bots/page"))
        assert fetcher.fetch(server.url("/ok")).status == 200
    paths = [r.path for r in server.requests]
    assert paths == ["/robots.txt", "/ok"]  # robots.txt read once, the refused page never asked
    assert server.requests[0].headers["user-agent"] == "commsdesk/0.1"


@pytest.mark.parametrize("status", [404, 500])
def test_a_missing_or_failing_robots_txt_allows_everything(
    server: LocalServer, status: int
) -> None:
    server.add("/robots.txt", Route(b"oops", status))
    server.add("/page", Route(FEED))
    with Fetcher(policy(respect_robots=True)) as fetcher:
        assert fetcher.fetch(server.url("/page")).status == 200


def test_an_unreachable_robots_txt_is_asked_again_soon(server: LocalServer) -> None:
    server.add("/robots.txt", Route(b"oops", 503))
    server.add("/page", Route(FEED))
    with Fetcher(policy(respect_robots=True, robots_error_ttl=0.0)) as fetcher:
        fetcher.fetch(server.url("/page"))
        fetcher.fetch(server.url("/page"))
    assert [r.path for r in server.requests].count("/robots.txt") == 2


# --- SSRF guard ------------------------------------------------------------------------------


class FakeInternet:
    """A DNS and a network we control, so the guard can be tested without touching private ranges.

    `resolve` answers from a table (unknown names fall back to the system resolver, which answers
    literals and localhost from /etc/hosts without traffic). `dial` records every connection the
    fetcher tries and delivers "public" addresses to the local test server, like a router would.
    A test asserting `dials == []` proves the refusal happened before any connection attempt.
    """

    def __init__(self, dns: dict[str, list[str]], routes: dict[str, int]) -> None:
        self.dns = dns
        self.routes = routes  # public IP -> local port that plays that host
        self.dials: list[tuple[str, int]] = []
        self.lookups: list[str] = []

    def resolve(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append(host)
        return self.dns[host] if host in self.dns else system_resolve(host, port)

    def dial(self, ip: str, port: int, timeout: float | None) -> httpcore.NetworkStream:
        self.dials.append((ip, port))
        if ip not in self.routes:
            raise AssertionError(f"the fetcher tried to connect to {ip}:{port}")
        return httpcore.SyncBackend().connect_tcp("127.0.0.1", self.routes[ip], timeout=timeout)


GUARDED = FetchPolicy(politeness_delay=0.0, respect_robots=False, connect_timeout=2.0)
PUBLIC_IP = "93.184.216.34"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fc00::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",
        "http://2130706433/",  # 127.0.0.1 as one decimal number
    ],
)
def test_it_refuses_private_ips(url: str) -> None:
    net = FakeInternet({}, {})
    with (
        Fetcher(GUARDED, resolve=net.resolve, dial=net.dial) as fetcher,
        pytest.raises(BlockedURLError, match="resolves to a"),
    ):
        fetcher.fetch(url)
    assert net.dials == []


def test_it_refuses_the_local_server_itself_without_touching_it(server: LocalServer) -> None:
    url = server.add("/feed", Route(FEED))
    with Fetcher(GUARDED) as fetcher, pytest.raises(BlockedURLError) as caught:
        fetcher.fetch(url)
    assert "127.0.0.1" in caught.value.reason and "loopback" in caught.value.reason
    assert server.requests == []


def test_the_error_names_the_private_address() -> None:
    net = FakeInternet({"intranet.example": ["10.0.0.5"]}, {})
    with (
        Fetcher(GUARDED, resolve=net.resolve, dial=net.dial) as fetcher,
        pytest.raises(BlockedURLError) as caught,
    ):
        fetcher.fetch("https://intranet.example/feed")
    assert caught.value.reason == "intranet.example resolves to a private address 10.0.0.5; refused"
    assert net.dials == []


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    net = FakeInternet({"mixed.example": [PUBLIC_IP, "192.168.0.7"]}, {})
    with (
        Fetcher(GUARDED, resolve=net.resolve, dial=net.dial) as fetcher,
        pytest.raises(BlockedURLError, match="192.168.0.7"),
    ):
        fetcher.fetch("http://mixed.example/")
    assert net.dials == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://x/", "/x"])
def test_it_refuses_other_schemes(url: str) -> None:
    with Fetcher(GUARDED) as fetcher, pytest.raises(BlockedURLError):
        fetcher.fetch(url)


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.5/secret",
        "http://internal.example/admin",
        "http://127.0.0.1:{port}/secret",
        "http://[::1]:{port}/secret",
        "file:///etc/passwd",
    ],
)
def test_it_refuses_a_redirect_into_a_private_network(server: LocalServer, target: str) -> None:
    """public.example resolves to a public IP that our fake network routes to the local server.

    It answers with a redirect into a private network; the next hop is vetted and refused before
    any connection: the only dial is to the public address, the local /secret is never asked.
    """
    server.add("/start", Route(status=302, headers={"Location": target.format(port=server.port)}))
    server.add("/secret", Route(b"secret"))
    net = FakeInternet(
        {"public.example": [PUBLIC_IP], "internal.example": ["10.1.2.3"]}, {PUBLIC_IP: server.port}
    )
    with (
        Fetcher(GUARDED, resolve=net.resolve, dial=net.dial) as fetcher,
        pytest.raises(BlockedURLError),
    ):
        fetcher.fetch("http://public.example/start")
    assert net.dials == [(PUBLIC_IP, 80)]
    assert [r.path for r in server.requests] == ["/start"]
    assert server.requests[0].headers["host"] == "public.example"


def test_it_pins_the_connection_to_the_vetted_address(server: LocalServer) -> None:
    """DNS rebinding: the name is public when vetted, private a moment later when connecting.

    The connection layer resolves and vets again and connects only to what it vetted, so the
    second (private) answer is refused and no connection is made at all.
    """
    answers = iter([[PUBLIC_IP], ["10.0.0.5"]])
    net = FakeInternet({}, {PUBLIC_IP: server.port})
    server.add("/feed", Route(FEED))

    def rebinding(host: str, port: int) -> Sequence[str]:
        net.lookups.append(host)
        return next(answers)

    with (
        Fetcher(GUARDED, resolve=rebinding, dial=net.dial) as fetcher,
        pytest.raises(BlockedURLError, match="10.0.0.5"),
    ):
        fetcher.fetch("http://rebind.example/feed")
    assert net.lookups == ["rebind.example", "rebind.example"]
    assert net.dials == [] and server.requests == []


def test_an_allowed_public_host_is_fetched_through_the_vetted_address(server: LocalServer) -> None:
    net = FakeInternet({"public.example": [PUBLIC_IP]}, {PUBLIC_IP: server.port})
    server.add("/feed", Route(FEED))
    with Fetcher(GUARDED, resolve=net.resolve, dial=net.dial) as fetcher:
        assert fetcher.fetch("http://public.example/feed").body == FEED
    assert net.dials == [(PUBLIC_IP, 80)]


def test_robots_txt_goes_through_the_guard_too(server: LocalServer) -> None:
    """robots.txt redirecting into a private network is treated as absent, never fetched."""
    server.add("/robots.txt", Route(status=301, headers={"Location": "http://10.0.0.9/robots.txt"}))
    server.add("/feed", Route(FEED))
    net = FakeInternet({"public.example": [PUBLIC_IP]}, {PUBLIC_IP: server.port})
    guarded_robots = FetchPolicy(politeness_delay=0.0, respect_robots=True)
    with Fetcher(guarded_robots, resolve=net.resolve, dial=net.dial) as fetcher:
        assert fetcher.fetch("http://public.example/feed").status == 200
    assert {ip for ip, _ in net.dials} == {PUBLIC_IP}


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("10.0.0.5", "private"),
        ("172.31.255.255", "private"),
        ("172.32.0.1", None),
        ("::ffff:192.168.1.1", "private"),
        ("2002:0a00:0001::1", "private"),  # 6to4 wrapping 10.0.0.1
        ("fd12:3456::1", "private"),
        ("fe80::1%eth0", "link-local"),
        ("240.0.0.1", "reserved"),
    ],
)
def test_blocked_reason_classifies_addresses(address: str, reason: str | None) -> None:
    assert blocked_reason(address) == reason
