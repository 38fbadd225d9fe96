"""Bounded, SSRF-safe HTTP GET.

A URL from a feed or a user is untrusted. The fetcher:

- speaks only http and https;
- connects only to public addresses: the check runs inside the connection, on the
  address actually dialled, so a redirect or a DNS answer that changes between check
  and use (DNS rebinding) cannot reach a private, loopback or link-local host, unless
  ``allow_private`` is set (tests use it against a local server);
- follows at most ``max_redirects`` redirects, each one checked the same way;
- gives up after ``timeout`` seconds for the whole transfer, not per read;
- reads at most ``max_bytes`` and refuses a longer body, counted on the decoded bytes as
  they stream, through any chain of at most two encodings (``_decompress``): httpx's own
  decoders expand a whole network chunk at once, which a nested gzip turns into gigabytes;
- ignores proxy variables of the environment (a proxy would dial for us, unchecked).

``get`` sends extra headers when asked (``khabar watch`` sends ``If-None-Match`` and
``If-Modified-Since``) and returns a 304 as a ``Fetched`` with no content; ``prime``
hands the next ``get`` of a URL a document fetched already, so the reader of a feed
that watch polled does not download it twice.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from ..errors import BlockedAddress, FetchError, FetchTimeout, InputTooLarge
from ._decode import check_size
from ._decompress import accept_encoding, decode_chain, parse_encodings, read_capped

__all__ = ["Fetched", "Fetcher", "check_address", "is_http_url"]

_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Fetched:
    url: str
    """The final URL, after redirects."""
    content: bytes
    content_type: str | None
    charset: str | None
    status: int = 200
    """200, or 304 (not modified: no content) when conditional headers were sent."""
    etag: str | None = None
    last_modified: str | None = None


def is_http_url(value: str) -> bool:
    return urlsplit(value).scheme.lower() in {"http", "https"}


def check_address(address: str) -> None:
    """Refuse an IP address that is not on the public internet.

    Raises:
        BlockedAddress: private, loopback, link-local, multicast, reserved, shared or
            unspecified addresses, including IPv4 addresses mapped into IPv6.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast:
        raise BlockedAddress(
            f"refused to connect to {address}: not a public address "
            "(use --allow-private to fetch from a private network)"
        )


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves the host itself and dials only addresses that pass ``check_address``."""

    def __init__(self, *, allow_private: bool) -> None:
        self._allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not self._allow_private:
            for address in addresses:
                check_address(address)
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last = error
        raise last or httpcore.ConnectError(f"no address for {host}")


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, *, allow_private: bool) -> None:
        super().__init__(trust_env=False)
        # httpx builds its connection pool without a network-backend hook; the pool is
        # rebuilt here with the guarded backend (TLS still verifies the host name).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=_GuardedBackend(allow_private=allow_private),
        )


class Fetcher:
    """Fetches documents within the bounds above; use as a context manager."""

    def __init__(
        self,
        *,
        timeout: float,
        max_bytes: int,
        max_redirects: int,
        allow_private: bool,
        user_agent: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._client = httpx.Client(
            transport=transport or _GuardedTransport(allow_private=allow_private),
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            trust_env=False,
            headers={
                "User-Agent": user_agent,
                "Accept": "*/*",
                "Accept-Encoding": accept_encoding(),
            },
        )
        self._primed: dict[str, Fetched] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def prime(self, url: str, fetched: Fetched) -> None:
        """Answer the next ``get(url)`` with ``fetched`` instead of downloading again."""
        self._primed[url] = fetched

    def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> Fetched:
        """GET ``url`` and return its body.

        ``headers`` are added to the request (conditional GET); a 304 answer comes back
        as a ``Fetched`` with status 304 and no content.

        Raises:
            FetchError: a bad scheme, an HTTP error status, too many redirects or a
                network failure.
            FetchTimeout: the transfer took longer than the timeout.
            BlockedAddress: the host is not public and private hosts are not allowed.
            InputTooLarge: the body is longer than the limit.
        """
        primed = self._primed.pop(url, None)
        if primed is not None:
            return primed
        deadline = time.monotonic() + self._timeout
        for _ in range(self._max_redirects + 1):
            if not is_http_url(url):
                raise FetchError(f"cannot fetch {url!r}: only http and https URLs are read")
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    location = response.headers.get("location")
                    if response.status_code in _REDIRECTS and location:
                        url = urljoin(str(response.url), location)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"HTTP {response.status_code} from {url}")
                    if response.status_code == 304:
                        return Fetched(str(response.url), b"", None, None, status=304)
                    return self._read(response, deadline)
            except httpx.TimeoutException as error:
                raise FetchTimeout(f"timed out after {self._timeout:g} s: {url}") from error
            except httpx.HTTPError as error:
                raise FetchError(f"cannot fetch {url}: {error}") from error
        raise FetchError(f"more than {self._max_redirects} redirects, last to {url}")

    def _read(self, response: httpx.Response, deadline: float) -> Fetched:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit():
            check_size(int(declared), self._max_bytes)
        encodings = parse_encodings(response.headers.get("content-encoding"))
        url = str(response.url)
        content = read_capped(
            decode_chain(self._raw(response, deadline), encodings),
            self._max_bytes,
            what=url,
        )
        content_type, charset = _content_type(response.headers.get("content-type"))
        return Fetched(
            url,
            content,
            content_type,
            charset,
            status=response.status_code,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )

    def _raw(self, response: httpx.Response, deadline: float) -> typing.Iterator[bytes]:
        """The body as sent, its wire size capped too, within the transfer's deadline."""
        size = 0
        for chunk in response.iter_raw():
            size += len(chunk)
            if size > self._max_bytes:
                raise InputTooLarge(
                    f"{response.url}: body is longer than the {self._max_bytes:,}-byte limit "
                    "(raise it with --max-bytes)"
                )
            if time.monotonic() > deadline:
                raise FetchTimeout(f"timed out after {self._timeout:g} s: {response.url}")
            yield chunk


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    message = Message()
    message["content-type"] = header
    return message.get_content_type(), message.get_param("charset")  # type: ignore[return-value]
