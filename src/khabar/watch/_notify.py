"""Notifiers: where alerts go. Webhook (a signed JSON POST, retried with backoff), e-mail
(SMTP with STARTTLS and login), or JSON lines (a file or standard output).

A notifier that is down raises ``NotifierDown``: its alerts stay in the outbox and the
next round tries again, in order. One that refuses an alert (an HTTP 4xx, a rejected
recipient) raises ``AlertRefused``: that alert stays queued, the others go on.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, Protocol

import httpx

from ..pipeline import khabar_version
from ._config import EmailNotifier, JsonlNotifier, NotifierConfig, WebhookNotifier

__all__ = [
    "AlertRefused",
    "DeliveryError",
    "Notifier",
    "NotifierDown",
    "build_notifier",
    "email_message",
    "signature",
]


class DeliveryError(Exception):
    """An alert was not delivered."""


class NotifierDown(DeliveryError):
    """The notifier cannot be reached now: try again next round, keep the order."""


class AlertRefused(DeliveryError):
    """The notifier answered and refused this alert."""


class Notifier(Protocol):
    name: str

    def send(self, alert: dict[str, Any]) -> None:
        """Deliver one alert or raise a DeliveryError."""


def signature(secret: str, body: bytes) -> str:
    """The ``X-Khabar-Signature`` header: ``sha256=`` and the hex HMAC of the body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _json(alert: dict[str, Any]) -> bytes:
    return json.dumps(alert, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class WebhookSender:
    """POSTs each alert; a receiver checks ``X-Khabar-Signature`` against its copy of the
    secret, and may use ``X-Khabar-Alert`` (the alert id) to drop a repeat."""

    def __init__(
        self,
        name: str,
        config: WebhookNotifier,
        *,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.name, self.config, self._sleep = name, config, sleep
        # The operator wrote this URL (often an internal host): it is not checked against
        # private addresses the way feed URLs are. Proxy variables are ignored all the same.
        self._client = httpx.Client(
            timeout=config.timeout, trust_env=False, follow_redirects=False, transport=transport
        )

    def close(self) -> None:
        self._client.close()

    def send(self, alert: dict[str, Any]) -> None:
        body = _json(alert)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"khabar/{khabar_version()}",
            **self.config.headers,
        }
        if alert.get("id"):
            headers["X-Khabar-Alert"] = str(alert["id"])
        if self.config.secret:
            headers["X-Khabar-Signature"] = signature(self.config.secret, body)
        problem = ""
        for attempt in range(self.config.retries):
            if attempt:
                self._sleep(self.config.retry_backoff * 2 ** (attempt - 1))
            try:
                response = self._client.post(self.config.url, content=body, headers=headers)
            except httpx.HTTPError as error:
                problem = f"{type(error).__name__}: {error}"
                continue
            if 200 <= response.status_code < 300:
                return
            problem = f"HTTP {response.status_code}"
            if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
                raise AlertRefused(f"{self.config.url} refused the alert: {problem}")
        raise NotifierDown(f"{self.config.url}: {problem} ({self.config.retries} attempts)")


def email_message(alert: dict[str, Any], config: EmailNotifier) -> EmailMessage:
    """The e-mail of one alert: the summary in the subject, the evidence and sources in
    the text, and the alert itself attached as JSON."""
    message = EmailMessage()
    prefix = f"{config.subject_prefix} " if config.subject_prefix else ""
    update = "update: " if alert.get("update") else ""
    subject = f"{prefix}{update}{alert['watchlist']}: {alert['summary']}"
    message["Subject"] = subject if len(subject) <= 200 else subject[:199] + "…"
    message["From"] = config.sender
    message["To"] = ", ".join(config.to)
    message["Message-ID"] = make_msgid(domain="khabar")
    if alert.get("id"):
        message["X-Khabar-Alert"] = str(alert["id"])
    lines = [alert["summary"], "", f"Watchlist: {alert['watchlist']}"]
    if alert.get("update"):
        lines.append("Update: " + ", ".join(alert.get("changed") or []) + " changed")
    if alert.get("link"):
        lines.append(f"Incident page: {alert['link']}")
    if alert.get("sources"):
        lines += ["", "Sources:"] + [f"  {url}" for url in alert["sources"]]
    if alert.get("evidence"):
        lines += ["", "Evidence:"]
        lines += [f'  "{e["quote"]}" ({e.get("field") or "record"})' for e in alert["evidence"]]
    message.set_content("\n".join(lines) + "\n")
    message.add_attachment(
        _json(alert), maintype="application", subtype="json", filename="alert.json"
    )
    return message


class EmailSender:
    def __init__(self, name: str, config: EmailNotifier) -> None:
        self.name, self.config = name, config

    def _context(self) -> ssl.SSLContext:
        cafile = str(self.config.ca_file) if self.config.ca_file else None
        return ssl.create_default_context(cafile=cafile)

    def send(self, alert: dict[str, Any]) -> None:
        config = self.config
        message = email_message(alert, config)
        try:
            if config.ssl:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    config.host, config.port, timeout=config.timeout, context=self._context()
                )
            else:
                smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            with smtp:
                if config.starttls:
                    smtp.starttls(context=self._context())
                if config.username:
                    smtp.login(config.username, config.password or "")
                smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
            raise AlertRefused(f"{config.host}: {error}") from error
        except smtplib.SMTPDataError as error:
            if 500 <= error.smtp_code < 600:
                raise AlertRefused(f"{config.host}: {error}") from error
            raise NotifierDown(f"{config.host}: {error}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise NotifierDown(f"{config.host}:{config.port}: {error}") from error


class JsonlSender:
    """Appends one line per alert (flushed, so a tailing reader sees it at once)."""

    def __init__(self, name: str, config: JsonlNotifier) -> None:
        self.name, self.config = name, config

    def send(self, alert: dict[str, Any]) -> None:
        line = _json(alert).decode("utf-8") + "\n"
        if str(self.config.path) == "-":
            sys.stdout.write(line)
            sys.stdout.flush()
            return
        try:
            self.config.path.parent.mkdir(parents=True, exist_ok=True)
            with self.config.path.open("a", encoding="utf-8") as stream:
                stream.write(line)
        except OSError as error:
            raise NotifierDown(f"{self.config.path}: {error}") from error


def build_notifier(name: str, config: NotifierConfig) -> Notifier:
    if isinstance(config, WebhookNotifier):
        return WebhookSender(name, config)
    if isinstance(config, EmailNotifier):
        return EmailSender(name, config)
    return JsonlSender(name, config)
