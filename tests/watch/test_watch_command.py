"""The issue's "done when": `khabar watch` against a local feed server, a webhook and an
SMTP server. Feeds gain items between rounds, one answers 500 and one hangs; exactly
the expected alerts arrive, each once; a restart sends nothing new; alerts queued while
the webhook is down arrive when it is back.

The articles are invented for this test (places from the gazetteer, facts made up)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from khabar.cli import app
from khabar.store import open_store
from khabar.watch import signature

SECRET = "test-secret-3f9a"

BOMBING = """A roadside bomb struck a van carrying Chinese engineers near Pattan in Lower \
Kohistan district on Monday, killing three Chinese nationals and their Pakistani driver, \
police said.

The engineers were travelling to a hydropower site along the Karakoram Highway when the \
device exploded, district police officer Asif Marwat said. Two guards were injured.

The Tehreek-e-Taliban Pakistan claimed responsibility for the attack in a statement sent \
to reporters."""

ACCUSATION = """Pakistan's Foreign Office on Tuesday accused Afghanistan of sheltering the \
militants who planned Monday's bombing near Pattan.

"The attackers were trained on Afghan soil," a spokesperson said at a weekly briefing in \
Islamabad. Kabul has not commented."""

TOLL_RISES = """The death toll from Monday's roadside bombing near Pattan in Lower Kohistan \
district rose to five on Wednesday after a fourth Chinese engineer died of his wounds in \
hospital, officials said.

Four Chinese nationals and their Pakistani driver were killed in the blast, which the \
Tehreek-e-Taliban Pakistan claimed."""

SHOOTING = """Gunmen opened fire on a car carrying Chinese workers in Gwadar on Friday, \
killing two Chinese nationals, police said. No group has claimed the shooting."""

UNRELATED = """Police in Kandahar said on Thursday that a bomb hidden in a motorcycle \
exploded outside a shop, wounding three people. No one was killed."""


def rss(*items: tuple[str, str, str]) -> bytes:
    """A feed of (guid, date, text) items carrying their full text."""
    entries = []
    for guid, day, text in items:
        published = format_datetime(datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC))
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
        entries.append(
            f"<item><guid>{guid}</guid><title>{escape(text[:60])}</title>"
            f"<link>https://news.example.org/{guid}</link><pubDate>{published}</pubDate>"
            f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Frontier Wire</title><link>https://news.example.org/</link>"
        + "".join(entries)
        + "</channel></rss>"
    ).encode()


def write_config(tmp_path: Path, feed_server, webhook, smtp) -> Path:
    config = tmp_path / "watch.toml"
    config.write_text(
        f"""
[watch]
model = "blank"
timeout = 1
backoff = "1h"
base_url = "https://khabar.example.org/"

[[feed]]
url = "{feed_server.url("/wire.xml")}"

[[feed]]
url = "{feed_server.url("/broken.xml")}"

[[feed]]
url = "{feed_server.url("/slow.xml")}"

[[feed]]
url = "{feed_server.url("/quiet.xml")}"

[[watchlist]]
name = "chinese-nationals"
victims = ["CN"]
notify = ["desk", "mail"]

[[watchlist]]
name = "pk-accuses-af"
statement_types = ["ACCUSE"]
statement_source = "Pakistan"
statement_target = "Afghanistan"
notify = ["desk"]

[[watchlist]]
name = "kandahar-deaths"
admin1 = ["Kandahar"]
min_fatalities = 1
notify = ["desk"]

[notifier.desk]
type = "webhook"
url = "{webhook.url}"
secret = "{SECRET}"
retries = 2
retry_backoff = 0.05

[notifier.mail]
type = "email"
host = "127.0.0.1"
port = {smtp.port}
username = "{smtp.user}"
password_env = "KHABAR_TEST_SMTP_PASSWORD"
from = "khabar@example.org"
to = ["desk@example.org"]
ca_file = "{smtp.ca_file}"
"""
    )
    return config


def received(webhook) -> list[tuple[str, str, bool, str]]:
    """(watchlist, kind, update, record id) of every alert the webhook got, after
    checking its signature."""
    seen = []
    for hook in webhook.received:
        assert hook.headers["x-khabar-signature"] == signature(SECRET, hook.body)
        alert = json.loads(hook.body)
        seen.append((alert["watchlist"], alert["kind"], alert["update"], alert["record"]["id"]))
    return seen


def mailed(smtp) -> list[tuple[str, bool]]:
    alerts = []
    for message in smtp.messages:
        attachment = next(p for p in message.walk() if p.get_filename() == "alert.json")
        alert = json.loads(attachment.get_payload(decode=True))
        alerts.append((alert["watchlist"], alert["update"]))
    return alerts


@pytest.mark.slow
def test_watch_rounds_alert_once_survive_restart_and_queue_while_down(
    tmp_path, runner, feed_server, webhook, smtp_server, monkeypatch
):
    monkeypatch.setenv("KHABAR_TEST_SMTP_PASSWORD", smtp_server.password)
    db = str(tmp_path / "watch.duckdb")
    config = write_config(tmp_path, feed_server, webhook, smtp_server)
    serve = feed_server.serve
    wire = [("n1", "2026-11-16", BOMBING)]
    serve("/wire.xml", rss(*wire))
    serve("/broken.xml", status=500)
    serve("/slow.xml", rss(("s1", "2026-11-16", SHOOTING)), delay=4)
    serve("/quiet.xml", rss(("q1", "2026-11-19", UNRELATED)), validator="last-modified")

    def watch_once(expect_exit: int = 0) -> str:
        result = runner.invoke(
            app, ["watch", str(config), "--once", "--allow-private", "--db", db, "--json"]
        )
        assert result.exit_code == expect_exit, result.output
        return result.output

    # Round 1: the bombing alerts the webhook and the mailbox; 500 and a hang are failures.
    watch_once(expect_exit=1)
    bombing = received(webhook)
    assert [(w, k, u) for w, k, u, _ in bombing] == [("chinese-nationals", "incident", False)]
    assert mailed(smtp_server) == [("chinese-nationals", False)]
    assert smtp_server.logins == ["desk"]
    event_id = bombing[0][3]
    first = json.loads(webhook.received[0].body)
    assert first["link"] == f"https://khabar.example.org/incidents/{event_id}"
    assert first["sources"] == ["https://news.example.org/n1"]
    assert any("Chinese" in e["quote"] for e in first["evidence"])
    assert "Pattan" in first["summary"]

    # Round 2: Pakistan accuses Afghanistan; the failing feeds rest (backoff), the quiet
    # feed answers 304.
    wire.append(("n2", "2026-11-17", ACCUSATION))
    serve("/wire.xml", rss(*wire))
    watch_once()
    assert received(webhook)[1:] == [("pk-accuses-af", "statement", False, received(webhook)[1][3])]
    assert len(smtp_server.messages) == 1

    # Round 3: the toll rises: one update, to both notifiers.
    wire.append(("n3", "2026-11-18", TOLL_RISES))
    serve("/wire.xml", rss(*wire))
    watch_once()
    update = received(webhook)[2:]
    assert update == [("chinese-nationals", "incident", True, event_id)]
    assert "fatalities" in json.loads(webhook.received[2].body)["changed"]
    assert mailed(smtp_server) == [("chinese-nationals", False), ("chinese-nationals", True)]

    # Round 4, a new process on the same database: nothing new, nothing sent.
    watch_once()
    assert len(webhook.received) == 3 and len(smtp_server.messages) == 2

    # The webhook goes down; a new attack is queued for it and mailed at once.
    webhook.stop()
    wire.append(("n4", "2026-11-20", SHOOTING))
    serve("/wire.xml", rss(*wire))
    watch_once(expect_exit=1)
    assert len(webhook.received) == 3
    assert mailed(smtp_server)[2:] == [("chinese-nationals", False)]
    with open_store(db) as store:
        assert [a.notifier for a in store.pending_alerts()] == ["desk"]

    # Back up: the queued alert arrives, once.
    webhook.start()
    watch_once()
    late = received(webhook)[3:]
    assert [(w, k, u) for w, k, u, _ in late] == [("chinese-nationals", "incident", False)]
    assert late[0][3] != event_id
    watch_once()
    assert len(webhook.received) == 4 and len(smtp_server.messages) == 3

    # The failing feeds were tried once (then rested); the quiet one answered 304 after
    # its first round; the wire feed was read whole only when it changed.
    assert feed_server.requests["/broken.xml"] == 1
    assert feed_server.requests["/slow.xml"] == 1
    assert feed_server.not_modified["/quiet.xml"] == feed_server.requests["/quiet.xml"] - 1
    assert feed_server.not_modified["/wire.xml"] >= 2


def test_watch_refuses_a_bad_config_or_interval_with_exit_code_2(tmp_path, runner):
    bad = tmp_path / "watch.toml"
    bad.write_text('[[feed]]\nurl = "https://example.com/f.xml"\n')
    result = runner.invoke(app, ["watch", str(bad), "--once", "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 2
    assert "watchlist" in result.output
    good = tmp_path / "good.toml"
    good.write_text(
        '[[feed]]\nurl = "https://example.com/f.xml"\n[[watchlist]]\nname = "a"\n'
        'notify = ["log"]\n[notifier.log]\ntype = "jsonl"\n'
    )
    result = runner.invoke(
        app, ["watch", str(good), "--once", "--interval", "soon", "--db", str(tmp_path / "d.db")]
    )
    assert result.exit_code == 2 and "--interval" in result.output
