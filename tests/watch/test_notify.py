import hashlib
import hmac
import json

import pytest

from khabar.watch import AlertRefused, NotifierDown, signature
from khabar.watch._config import EmailNotifier, JsonlNotifier, WebhookNotifier
from khabar.watch._notify import EmailSender, JsonlSender, WebhookSender, email_message

ALERT = {
    "id": "a1",
    "watchlist": "chinese-nationals",
    "kind": "incident",
    "update": False,
    "changed": [],
    "summary": "Bombing in Pattan, Pakistan: 4 killed, victims: 3 China.",
    "evidence": [{"field": "fatalities", "quote": "killing three Chinese nationals"}],
    "sources": ["https://news.example.org/n1"],
    "link": "https://khabar.example.org/incidents/evt-1",
    "record": {"kind": "incident", "id": "evt-1"},
}


def hook_config(url, **extra):
    return WebhookNotifier(type="webhook", url=url, **extra)


def test_signature_is_the_hex_hmac_sha256_of_the_body():
    body = b'{"a":1}'
    expected = hmac.new(b"k", body, hashlib.sha256).hexdigest()
    assert signature("k", body) == "sha256=" + expected


def test_webhook_posts_signed_json_with_the_alert_id(webhook):
    WebhookSender("desk", hook_config(webhook.url, secret="k")).send(ALERT)
    [hook] = webhook.received
    assert json.loads(hook.body) == ALERT
    assert hook.headers["x-khabar-signature"] == signature("k", hook.body)
    assert hook.headers["x-khabar-alert"] == "a1"
    assert hook.headers["content-type"] == "application/json"


def test_webhook_without_secret_sends_no_signature(webhook):
    WebhookSender("desk", hook_config(webhook.url)).send(ALERT)
    assert "x-khabar-signature" not in webhook.received[0].headers


def test_webhook_retries_with_doubling_backoff_then_reports_down(webhook):
    webhook.status = 503
    waits = []
    sender = WebhookSender(
        "desk", hook_config(webhook.url, retries=3, retry_backoff=0.5), sleep=waits.append
    )
    with pytest.raises(NotifierDown, match="HTTP 503"):
        sender.send(ALERT)
    assert waits == [0.5, 1.0]


def test_webhook_that_is_not_listening_is_down(webhook):
    webhook.stop()
    sender = WebhookSender("desk", hook_config(webhook.url, retries=2), sleep=lambda s: None)
    with pytest.raises(NotifierDown, match="ConnectError"):
        sender.send(ALERT)


def test_webhook_client_error_refuses_the_alert_without_retrying(webhook):
    webhook.status = 400
    waits = []
    sender = WebhookSender("desk", hook_config(webhook.url, retries=3), sleep=waits.append)
    with pytest.raises(AlertRefused, match="HTTP 400"):
        sender.send(ALERT)
    assert waits == []


def mail_config(smtp, **extra):
    values = dict(
        type="email",
        host="127.0.0.1",
        port=smtp.port,
        username=smtp.user,
        password=smtp.password,
        to=["desk@example.org"],
        ca_file=smtp.ca_file,
        timeout=5,
    )
    values["from"] = "khabar@example.org"
    values.update(extra)
    return EmailNotifier(**values)


def test_email_message_has_summary_subject_text_and_json_attachment():
    config = EmailNotifier(type="email", host="h", to="desk@example.org", **{"from": "k@e.org"})
    message = email_message(ALERT | {"update": True, "changed": ["fatalities"]}, config)
    assert message["Subject"].startswith("[khabar] update: chinese-nationals: Bombing in Pattan")
    text = message.get_body(("plain",)).get_content()
    assert "Update: fatalities changed" in text
    assert '"killing three Chinese nationals" (fatalities)' in text
    assert "https://khabar.example.org/incidents/evt-1" in text
    [attachment] = list(message.iter_attachments())
    assert json.loads(attachment.get_content()) == ALERT | {
        "update": True,
        "changed": ["fatalities"],
    }


def test_email_goes_over_starttls_with_login(smtp_server):
    EmailSender("mail", mail_config(smtp_server)).send(ALERT)
    assert smtp_server.logins == ["desk"]
    [message] = smtp_server.messages
    assert message["To"] == "desk@example.org"
    assert "chinese-nationals" in message["Subject"]


def test_email_with_a_wrong_password_is_down_and_keeps_the_alert(smtp_server):
    with pytest.raises(NotifierDown, match="Authentication"):
        EmailSender("mail", mail_config(smtp_server, password="wrong")).send(ALERT)
    assert smtp_server.messages == []


def test_email_refuses_to_send_to_an_unverified_server(smtp_server):
    # Without the test CA the self-signed certificate fails verification: no plain-text
    # fallback, the notifier is down.
    with pytest.raises(NotifierDown, match="CERTIFICATE_VERIFY_FAILED"):
        EmailSender("mail", mail_config(smtp_server, ca_file=None)).send(ALERT)


def test_jsonl_appends_one_line_per_alert(tmp_path):
    path = tmp_path / "out" / "alerts.jsonl"
    sender = JsonlSender("log", JsonlNotifier(type="jsonl", path=path))
    sender.send(ALERT)
    sender.send(ALERT | {"id": "a2"})
    lines = path.read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a1", "a2"]


def test_jsonl_dash_writes_to_stdout(capsys):
    JsonlSender("log", JsonlNotifier(type="jsonl", path="-")).send(ALERT)
    assert json.loads(capsys.readouterr().out) == ALERT
