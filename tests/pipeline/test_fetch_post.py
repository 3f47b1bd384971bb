"""`Fetcher.post_json`: webhooks go through the same guarded client as every fetch."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from commsdesk.pipeline.errors import BlockedURLError, PermanentError, TransientError
from commsdesk.pipeline.fetch import Fetcher, FetchPolicy
from tests.servers import LocalServer, Route

LOCAL = FetchPolicy(allow_private_networks=True, politeness_delay=0.0, respect_robots=False)


@pytest.fixture
def poster() -> Iterator[Fetcher]:
    with Fetcher(LOCAL) as running:
        yield running


def test_it_posts_the_exact_bytes_with_json_type_and_extra_headers(
    server: LocalServer, poster: Fetcher
) -> None:
    url = server.add("/hook", Route(b'{"ok": true}', 202))
    result = poster.post_json(url, b'{"a": 1}', headers={"X-Commsdesk-Signature": "sha256=ab"})
    assert (result.status, result.body) == (202, b'{"ok": true}')
    [request] = server.requests
    assert (request.method, request.body) == ("POST", b'{"a": 1}')
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-commsdesk-signature"] == "sha256=ab"


def test_it_refuses_a_loopback_webhook_before_connecting(server: LocalServer) -> None:
    url = server.add("/hook", Route(b"ok"))
    guarded = Fetcher(dataclasses.replace(LOCAL, allow_private_networks=False))
    with guarded, pytest.raises(BlockedURLError, match="loopback"):
        guarded.post_json(url, b"{}")
    assert server.requests == []


def test_it_follows_307_with_the_body_and_refuses_a_302_that_would_drop_it(
    server: LocalServer, poster: Fetcher
) -> None:
    final = server.add("/new", Route(b"ok"))
    moved = server.add("/old", Route(b"", 307, {"Location": final}))
    assert poster.post_json(moved, b'{"x": 2}').final_url == final
    assert [r.body for r in server.requests] == [b'{"x": 2}', b'{"x": 2}']
    found = server.add("/found", Route(b"", 302, {"Location": final}))
    with pytest.raises(PermanentError, match="would turn the POST into a GET"):
        poster.post_json(found, b"{}")


def test_it_stops_a_redirect_chain_at_the_limit(server: LocalServer) -> None:
    for i in range(4):
        server.add(f"/r{i}", Route(b"", 308, {"Location": server.url(f"/r{i + 1}")}))
    poster = Fetcher(dataclasses.replace(LOCAL, max_redirects=2))
    with poster, pytest.raises(PermanentError, match="too many redirects"):
        poster.post_json(server.url("/r0"), b"{}")


def test_5xx_and_timeouts_are_transient_and_4xx_permanent(server: LocalServer) -> None:
    with Fetcher(dataclasses.replace(LOCAL, read_timeout=0.3)) as poster:
        with pytest.raises(TransientError, match="HTTP 503"):
            poster.post_json(server.add("/busy", Route(b"", 503)), b"{}")
        with pytest.raises(TransientError, match="timed out sending POST to"):
            poster.post_json(server.add("/slow", Route(b"ok", delay=1.0)), b"{}")
        with pytest.raises(PermanentError, match="HTTP 404"):
            poster.post_json(server.add("/gone", Route(b"", 404)), b"{}")
