"""What the exports and pages read: resolved incidents with their context, and the
accounts behind them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import Article, Incident
from ..store import ExportRecord, Store

if TYPE_CHECKING:
    from ..export import ExportContext


def export_records(store: Store, kind: str | None = None) -> list[ExportRecord]:
    """What ``khabar export`` writes: the resolved incidents, and the statements and
    arrests with ``about`` pointing at those incidents."""
    records: list[ExportRecord] = []
    if kind in (None, "incident"):
        records += list(store.iter_events())
    for other in ("arrest", "statement"):
        if kind in (None, other):
            records += repointed_records(store, other)
    return records


def articles_by_id(store: Store, ids: list[str]) -> dict[str, Article]:
    """The stored articles with these ids: one lookup each for a few, one scan of the
    table for many (a lookup costs a few ms; a scan reads every row once)."""
    wanted = set(ids)
    if len(wanted) > 50:
        from ..store import ArticleQuery

        return {a.id: a for a in store.list_articles(ArticleQuery()) if a.id in wanted}
    found: dict[str, Article] = {}
    for article_id in wanted:
        for article in store.find_articles(article_id):
            if article.id == article_id:
                found[article_id] = article
    return found


def export_context(
    store: Store, records: list[ExportRecord], *, base_url: str | None = None
) -> ExportContext:
    """What the derived export formats need beyond the records: the outlet, title, URL
    and date of every article the records cite."""
    from ..export import ExportContext
    from ..export._context import ArticleInfo

    urls = {s.article_id: s.url for record in records for s in record.sources}
    found = articles_by_id(store, list(urls))
    articles = {
        article_id: ArticleInfo(
            outlet=found[article_id].outlet if article_id in found else None,
            title=found[article_id].title if article_id in found else None,
            url=(found[article_id].url if article_id in found else None) or url,
            published=found[article_id].published if article_id in found else None,
        )
        for article_id, url in urls.items()
    }
    return ExportContext(articles=articles, base_url=base_url)


def account_records(store: Store) -> list[tuple[Incident, str | None]]:
    """Every article's account of an incident as extraction read it, before resolution,
    with the resolved incident (event id) it joined: what ``khabar export --accounts``
    writes, so that extraction can be scored apart from merging."""
    links = store.resolution_links()
    return [
        (mention, links[mention.id][0] if mention.id in links else None)
        for mention, _ in store.incident_mentions()
    ]


def repointed_records(store: Store, kind: str) -> list[ExportRecord]:
    """The statements (or arrests), ``about`` re-pointed from the incident mention they
    were found beside to the resolved incident that holds it."""
    links = store.resolution_links()
    return [
        record.model_copy(update={"about": links[record.about][0]})
        if record.about and record.about in links
        else record
        for record in store.iter_records(kind)
    ]
