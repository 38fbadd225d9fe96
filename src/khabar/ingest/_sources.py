"""Command-line inputs (paths, folders, URLs) -> the sources to read."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ..records import IngestFailure
from ._fetch import is_http_url
from ._readers import Source, SourceKind

__all__ = ["SUFFIXES", "Discovered", "discover"]

SUFFIXES: dict[str, SourceKind] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".arc": "warc",
    ".arc.gz": "warc",
}


def _kind_of(path: Path) -> SourceKind | None:
    name = path.name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return SUFFIXES[suffix]
    return None


class Discovered(NamedTuple):
    sources: list[Source]
    failures: list[IngestFailure]
    """One for each input that cannot be read at all."""
    skipped: list[str]
    """Files inside folders of a type khabar does not read."""
    links: list[str]
    """Symbolic links inside folders that lead outside them, not followed."""


def _leads_outside(child: Path, root: Path) -> bool:
    """Whether ``child`` (or a folder on its way down from ``root``) is a link that
    resolves outside ``root``."""
    try:
        child.resolve(strict=True).relative_to(root)
    except (OSError, RuntimeError, ValueError):  # outside, dangling, or a loop
        return True
    return False


def discover(inputs: list[str], *, follow_symlinks: bool = False) -> Discovered:
    """Expand inputs into sources.

    A folder is walked recursively in sorted order; hidden files and folders are
    skipped, and so are files of a type khabar does not read (they are listed, not
    failed: a folder of articles often holds a README or images). A symbolic link in a
    folder that leads outside it (to ``/etc/passwd``, say, in an unpacked archive) is not
    followed unless ``follow_symlinks``; it is listed. A file named explicitly must be of
    a known type.
    """
    sources: list[Source] = []
    failures: list[IngestFailure] = []
    skipped: list[str] = []
    links: list[str] = []
    for item in inputs:
        if is_http_url(item):
            sources.append(Source(kind="url", locator=item, url=item))
            continue
        path = Path(item)
        if path.is_dir():
            root = path.resolve()
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if any(part.startswith(".") for part in relative.parts) or not child.is_file():
                    continue
                if not follow_symlinks and _leads_outside(child, root):
                    links.append(relative.as_posix())
                    continue
                kind = _kind_of(child)
                if kind is None:
                    skipped.append(relative.as_posix())
                else:
                    sources.append(Source(kind=kind, locator=relative.as_posix(), path=child))
        elif path.is_file():
            kind = _kind_of(path)
            if kind is None:
                failures.append(
                    IngestFailure(
                        locator=item,
                        code="K106",
                        reason=f"unsupported file type {path.suffix or '(none)'!r}; khabar "
                        "reads .txt .md .html .json .jsonl .xml/.rss/.atom .warc(.gz)",
                    )
                )
            else:
                sources.append(Source(kind=kind, locator=path.name, path=path))
        elif "://" in item:
            failures.append(
                IngestFailure(locator=item, code="K110", reason="only http and https URLs are read")
            )
        else:
            failures.append(
                IngestFailure(locator=item, code="K001", reason="no such file or directory")
            )
    return Discovered(sources, failures, skipped, links)
