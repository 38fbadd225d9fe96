import pytest

from conftest import Route
from khabar.errors import BlockedAddress, FetchError, FetchTimeout, InputTooLarge
from khabar.ingest._fetch import Fetcher, check_address


def fetcher(**overrides):
    options = dict(
        timeout=2.0, max_bytes=10_000, max_redirects=3, allow_private=True, user_agent="test"
    )
    options.update(overrides)
    return Fetcher(**options)


def test_fetcher_gets_a_page_and_its_charset(http_server):
    http_server.routes["/a"] = Route(b"<p>hello</p>", content_type="text/html; charset=cp1252")
    with fetcher() as client:
        fetched = client.get(http_server.url("/a"))
    assert fetched.content == b"<p>hello</p>"
    assert fetched.content_type == "text/html"
    assert fetched.charset == "cp1252"


def test_fetcher_refuses_loopback_unless_allowed(http_server):
    http_server.routes["/a"] = Route(b"secret")
    with (
        fetcher(allow_private=False) as client,
        pytest.raises(BlockedAddress, match=r"127\.0\.0\.1"),
    ):
        client.get(http_server.url("/a"))


def test_fetcher_checks_every_redirect_hop(http_server, monkeypatch):
    # Make 127.0.0.1 count as public for this test, so that the first hop passes and the
    # redirect to another loopback address is what the guard must stop.
    from khabar.ingest import _fetch

    real_check = _fetch.check_address

    def check(address):
        if address != "127.0.0.1":
            real_check(address)

    monkeypatch.setattr(_fetch, "check_address", check)
    port = http_server.base.rsplit(":", 1)[1]
    http_server.routes["/r"] = Route(status=302, headers={"Location": f"http://127.0.0.2:{port}/x"})
    with (
        fetcher(allow_private=False) as client,
        pytest.raises(BlockedAddress, match=r"127\.0\.0\.2"),
    ):
        client.get(http_server.url("/r"))


def test_fetcher_follows_redirects_up_to_the_limit(http_server):
    http_server.routes["/r1"] = Route(status=301, headers={"Location": "/r2"})
    http_server.routes["/r2"] = Route(status=302, headers={"Location": "/final"})
    http_server.routes["/final"] = Route(b"done")
    with fetcher() as client:
        fetched = client.get(http_server.url("/r1"))
    assert fetched.content == b"done"
    assert fetched.url.endswith("/final")


def test_fetcher_stops_a_redirect_loop(http_server):
    http_server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    with fetcher() as client, pytest.raises(FetchError, match="more than 3 redirects"):
        client.get(http_server.url("/loop"))


def test_fetcher_refuses_a_body_over_the_limit(http_server):
    http_server.routes["/big"] = Route(b"x" * 20_000)
    with fetcher() as client, pytest.raises(InputTooLarge):
        client.get(http_server.url("/big"))


def test_fetcher_times_out(http_server):
    http_server.routes["/slow"] = Route(b"late", delay=2.0)
    with fetcher(timeout=0.3) as client, pytest.raises(FetchTimeout, match="timed out"):
        client.get(http_server.url("/slow"))


def test_fetcher_reports_http_errors(http_server):
    with fetcher() as client, pytest.raises(FetchError, match="HTTP 404"):
        client.get(http_server.url("/missing"))


def test_fetcher_reads_only_http_and_https():
    with fetcher() as client, pytest.raises(FetchError, match="only http and https"):
        client.get("file:///etc/passwd")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "0.0.0.0",
        "100.64.0.1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_check_address_refuses_non_public_addresses(address):
    with pytest.raises(BlockedAddress):
        check_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"])
def test_check_address_allows_public_addresses(address):
    check_address(address)


def test_fetcher_sends_conditional_headers_and_returns_304_without_content(http_server):
    # The fixture server ignores request headers; a 304 route stands for a server that
    # matched If-None-Match.
    http_server.routes["/feed"] = Route(
        b"<rss/>", headers={"ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"}
    )
    http_server.routes["/same"] = Route(b"", status=304)
    with fetcher() as client:
        fresh = client.get(http_server.url("/feed"))
        same = client.get(http_server.url("/same"), headers={"If-None-Match": '"v1"'})
    assert (fresh.status, fresh.etag, fresh.last_modified) == (
        200,
        '"v1"',
        "Tue, 01 Dec 2026 10:00:00 GMT",
    )
    assert same.status == 304 and same.content == b""


def test_fetcher_answers_a_primed_url_once_without_downloading(http_server):
    http_server.routes["/a"] = Route(b"from the server")
    with fetcher() as client:
        client.prime(http_server.url("/a"), _fetched(http_server.url("/a"), b"primed"))
        assert client.get(http_server.url("/a")).content == b"primed"
        assert client.get(http_server.url("/a")).content == b"from the server"


def _fetched(url, content):
    from khabar.ingest import Fetched

    return Fetched(url, content, "text/html", None)
