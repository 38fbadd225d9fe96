"""The README's tour uses real ids of the demo: a reader can paste every command. The
demo's ids are deterministic (articles: a hash of the text; incidents: a hash of their
first account), so after ingesting the demo each one the tour names exists."""

import re

from conftest import REPO
from khabar.store import open_store

TOUR = (REPO / "README.md").read_text().split("## A short tour", 1)[1].split("```", 2)[1]


def test_the_tour_names_real_ids_of_the_demo(demo_db):
    events = set(re.findall(r"\bevt-[0-9a-f]{16}\b", TOUR))
    articles = set(re.findall(r"(?:show|split evt-[0-9a-f]{16}) ([0-9a-f]{8,16})\b", TOUR))
    assert len(events) >= 3 and len(articles) >= 2
    store = open_store(demo_db)
    try:
        known_events = {event.id for event in store.iter_events()}
        for event in events:
            assert event in known_events, event
        for article in articles:
            assert len(store.find_articles(article)) == 1, article
    finally:
        store.close()


def test_the_tour_says_what_blank_trades():
    assert "--model blank" in TOUR and "lower recall" in TOUR
