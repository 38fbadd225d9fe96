"""Local receivers for the watch tests: a feed server that honours conditional GET, a
webhook receiver that can be taken down and brought back, and an SMTP server (aiosmtpd)
that requires STARTTLS and a login."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


@dataclass
class Feed:
    body: bytes = b""
    status: int = 200
    delay: float = 0.0
    validator: str = "etag"  # etag | last-modified | none
    content_type: str = "application/rss+xml"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FeedServer:
    base: str
    feeds: dict[str, Feed]
    requests: dict[str, int] = field(default_factory=dict)
    not_modified: dict[str, int] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: bytes = b"", **how: object) -> None:
        self.feeds[path] = Feed(body, **how)  # type: ignore[arg-type]


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    feeds: dict[str, Feed] = {}
    server_state = FeedServer("", feeds)
    modified = "Mon, 16 Nov 2026 08:00:00 GMT"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            feed = feeds.get(self.path)
            server_state.requests[self.path] = server_state.requests.get(self.path, 0) + 1
            if feed is None:
                self.send_error(404)
                return
            if feed.delay:
                time.sleep(feed.delay)
            if feed.status != 200:
                self.send_error(feed.status)
                return
            etag = _etag(feed.body)
            same = (feed.validator == "etag" and self.headers.get("If-None-Match") == etag) or (
                feed.validator == "last-modified"
                and self.headers.get("If-Modified-Since") == modified
            )
            if same:
                server_state.not_modified[self.path] = (
                    server_state.not_modified.get(self.path, 0) + 1
                )
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", feed.content_type)
            self.send_header("Content-Length", str(len(feed.body)))
            for key, value in feed.headers.items():
                self.send_header(key, value)
            if feed.validator == "etag":
                self.send_header("ETag", etag)
            elif feed.validator == "last-modified":
                self.send_header("Last-Modified", modified)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(feed.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server_state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield server_state
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Hook:
    body: bytes
    headers: dict[str, str]


class Webhook:
    """A receiver on a fixed port; ``stop`` refuses connections until ``start``."""

    def __init__(self) -> None:
        self.received: list[Hook] = []
        self.status = 200
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if hook.status == 200:
                    hook.received.append(
                        Hook(body, {k.lower(): v for k, v in self.headers.items()})
                    )
                self.send_response(hook.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()
    hook.start()
    try:
        yield hook
    finally:
        hook.stop()


@dataclass
class Mailbox:
    port: int
    ca_file: Path
    messages: list[Message] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    user: str = "desk"
    password: str = "s3cret"


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[Mailbox]:
    """aiosmtpd with a self-signed certificate for 127.0.0.1 (made with the openssl
    command), STARTTLS required, and AUTH required (only over TLS)."""
    pytest.importorskip("aiosmtpd")
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox(port, cert)

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            box.messages.append(message_from_bytes(envelope.content))
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (box.user, box.password)
        if ok:
            box.logins.append(box.user)
        return AuthResult(success=ok, handled=False)

    controller = Controller(
        Handler(),
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        authenticator=authenticator,
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
