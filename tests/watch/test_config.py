import re

import pytest

from conftest import REPO
from khabar.errors import UsageError
from khabar.watch import load_config, parse_duration
from khabar.watch._config import EmailNotifier, JsonlNotifier, WebhookNotifier

MINIMAL = """
[[feed]]
url = "https://example.com/feed.xml"

[[watchlist]]
name = "chinese-nationals"
victims = ["cn"]
notify = ["desk"]

[notifier.desk]
type = "jsonl"
path = "alerts/desk.jsonl"
"""


def config_file(tmp_path, text):
    path = tmp_path / "watch.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "seconds"),
    [(90, 90.0), ("90", 90.0), ("45s", 45.0), ("10m", 600.0), ("1h30m", 5400.0), ("2d", 172800.0)],
)
def test_parse_duration_reads_units(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "ten minutes", "10x", "0", "-5m", True])
def test_parse_duration_refuses_the_rest(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_config_defaults_codes_and_relative_paths(tmp_path):
    config = load_config(config_file(tmp_path, MINIMAL))
    assert config.watch.interval == 600 and config.watch.allow_private is False
    assert config.watchlist[0].victims == ["CN"]
    assert config.watchlist[0].kind == "incident"
    notifier = config.notifier["desk"]
    assert isinstance(notifier, JsonlNotifier)
    assert notifier.path == tmp_path / "alerts" / "desk.jsonl"


def test_readme_config_example_is_valid(tmp_path, monkeypatch):
    """The README's full example is what scripts copy: it must load as written."""
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Monitoring desk", 1)[1]
    example = re.search(r"```toml\n(.*?)```", section, re.S)
    assert example, "the Monitoring desk section has a ```toml example"
    monkeypatch.setenv("KHABAR_SMTP_PASSWORD", "from-the-environment")
    config = load_config(config_file(tmp_path, example[1]))
    names = {w.name for w in config.watchlist}
    assert {"chinese-nationals", "pk-accuses-af"} <= names
    kinds = {type(n) for n in config.notifier.values()}
    assert kinds == {WebhookNotifier, EmailNotifier, JsonlNotifier}
    mail = next(n for n in config.notifier.values() if isinstance(n, EmailNotifier))
    assert mail.password == "from-the-environment"
    assert "from-the-environment" not in repr(mail)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("victims", "victim"), r"watchlist\.0\.victim: Extra inputs"),
        (('notify = ["desk"]', 'notify = ["nobody"]'), "notifies nobody"),
        (('victims = ["cn"]', 'victims = ["cn"]\nstatement_types = ["ACCUSE"]'), "mixes"),
        (('type = "jsonl"', 'type = "pager"'), "notifier.desk"),
        (("https://example.com/feed.xml", "file:///etc/passwd"), "not an http"),
        (('victims = ["cn"]', 'victims = ["China"]'), "victims"),
    ],
)
def test_config_errors_name_the_key(tmp_path, change, message):
    text = MINIMAL.replace(*change)
    with pytest.raises(UsageError, match=message):
        load_config(config_file(tmp_path, text))


def test_config_secret_from_a_missing_variable_is_an_error(tmp_path, monkeypatch):
    monkeypatch.delenv("KHABAR_NO_SUCH_SECRET", raising=False)
    text = MINIMAL.replace(
        'type = "jsonl"\npath = "alerts/desk.jsonl"',
        'type = "webhook"\nurl = "https://hooks.example.org/k"\n'
        'secret_env = "KHABAR_NO_SUCH_SECRET"',
    )
    with pytest.raises(UsageError, match="KHABAR_NO_SUCH_SECRET is not set"):
        load_config(config_file(tmp_path, text))


def test_config_that_is_not_toml_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="not valid TOML"):
        load_config(config_file(tmp_path, "[[feed]\nurl ="))
