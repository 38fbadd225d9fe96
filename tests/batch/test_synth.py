"""The synthetic corpus: the same seed gives the same corpus, and its events are the
size real coverage gives them (a few to tens of stories, never thousands)."""

import datetime as dt
import json
from collections import Counter

from khabar.batch.synth import articles, events, write_corpus


def test_the_same_seed_gives_the_same_corpus_and_another_seed_another():
    first = list(articles(300, seed=5))
    assert first == list(articles(300, seed=5))
    assert first != list(articles(300, seed=6))
    assert len(first) == 300
    assert len({a["text"] for a in first}) == 300  # every story is its own article


def test_events_at_100k_are_tens_of_stories_at_most():
    planned = list(events(100_000))
    assert sum(e.stories for e in planned) == 100_000
    sizes = Counter(e.stories for e in planned)
    assert max(sizes) <= 40
    assert 2.5 <= 100_000 / len(planned) <= 4.5  # a few stories an event on average
    assert sizes[1] > sizes[2] > sizes[3]  # most events are told once or twice
    # Stories that share a place, a day and a kind of attack are one event's, or two
    # events' by chance: never the thousands one key drew before.
    per_key = Counter()
    for event in planned:
        per_key[(event.place, event.day, event.template)] += event.stories
    assert max(per_key.values()) <= 80
    # The corpus covers years at a steady rate, not one year ever more densely.
    days = (planned[-1].day - planned[0].day).days
    assert days > 5 * 365
    per_week = Counter(e.day.toordinal() // 7 for e in planned)
    assert max(per_week.values()) < 100


def test_an_events_stories_share_its_place_and_follow_its_day():
    planned = list(events(2_000, seed=3))
    stories = list(articles(2_000, seed=3))
    n = 0
    for event in planned:
        told = stories[n : n + event.stories]
        n += event.stories
        for story in told:
            assert story["text"].startswith(event.place.name.upper() + ":")
            lag = dt.date.fromisoformat(story["published"]) - event.day
            assert dt.timedelta(days=1) <= lag <= dt.timedelta(days=6)
    assert n == 2_000


def test_a_larger_corpus_covers_more_days_at_the_same_rate():
    small, large = list(events(2_000)), list(events(20_000))
    assert large[: len(small) - 1] == small[:-1]  # the same start; the last is cut
    rate = [len(e) / ((e[-1].day - e[0].day).days + 1) for e in (small, large)]
    assert abs(rate[0] - rate[1]) < 1.5


def test_write_corpus_writes_files_of_the_size_asked(tmp_path):
    paths = write_corpus(tmp_path, 120, per_file=50)
    lines = [json.loads(line) for p in paths for line in p.read_text().splitlines()]
    assert [len(p.read_text().splitlines()) for p in paths] == [50, 50, 20]
    assert lines == list(articles(120))


def test_a_big_event_is_told_by_as_many_stories_over_most_of_a_year():
    planned = list(events(5_000, big=3_000))
    assert planned[0].stories == 3_000 and max(e.stories for e in planned[1:]) <= 40
    assert next(events(5_000)).stories < 3_000  # off by default
    told = list(articles(3_000, big=3_000))
    day = planned[0].day
    lags = [(dt.date.fromisoformat(s["published"]) - day).days for s in told]
    assert max(lags) > 200 and min(lags) >= 1
    late = next(s for s, lag in zip(told, lags, strict=True) if lag > 6)
    assert f"{day:%B} {day.day}" in late["text"]  # a later story names the day by date
