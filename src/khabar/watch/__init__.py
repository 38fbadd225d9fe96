"""Watch: poll feeds, run the pipeline on what is new, alert on watchlists.

``khabar watch CONFIG.toml`` reads one TOML file (``load_config``): the feeds to poll,
the watchlists (filters on incidents or statements) and the notifiers they alert
(webhook, e-mail, JSON lines). Its state (feeds' validators and backoff, the figures
each watchlist last alerted, the outbox of undelivered alerts) lives in the database.

    config = load_config("watch.toml")
    watcher = Watcher(store, config, extractor=Extractor())
    report = watcher.run_round()
"""

from __future__ import annotations

from ._alerts import alert_body, figures_of, summary_of
from ._config import WatchConfig, Watchlist, load_config, parse_duration
from ._match import Matcher
from ._notify import AlertRefused, NotifierDown, build_notifier, signature
from ._round import RoundReport, Watcher

__all__ = [
    "AlertRefused",
    "Matcher",
    "NotifierDown",
    "RoundReport",
    "WatchConfig",
    "Watcher",
    "Watchlist",
    "alert_body",
    "build_notifier",
    "figures_of",
    "load_config",
    "parse_duration",
    "signature",
    "summary_of",
]
