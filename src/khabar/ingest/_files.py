"""Local files: bounded reads, YAML front matter and light Markdown."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import MalformedInput
from ._decode import check_size

__all__ = ["markdown_to_text", "read_bounded", "split_front_matter"]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
_MD_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*)(?=\S)(.+?)(?<=\S)\1")
_MD_RULE = re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$", re.MULTILINE)
_MD_CODE = re.compile(r"`([^`]*)`")


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """Read a file whole, refusing one over ``max_bytes`` before reading it."""
    check_size(path.stat().st_size, max_bytes)
    return path.read_bytes()


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split YAML front matter (between two ``---`` lines) from the body.

    Returns:
        The front matter as a dict (empty when there is none) and the body.

    Raises:
        MalformedInput: the front matter is not a YAML mapping.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise MalformedInput(f"front matter is not valid YAML{where}") from error
    if not isinstance(meta, dict):
        raise MalformedInput("front matter is not a mapping of keys to values")
    return {str(k).lower(): v for k, v in meta.items()}, text[match.end() :]


def markdown_to_text(markdown: str) -> str:
    """Markdown -> plain text: headings, quotes, links and emphasis lose their markup,
    so that evidence quotes read like the story and not like its source."""
    text = _MD_RULE.sub("", markdown)
    text = _MD_HEADING.sub(lambda m: m.group(1), text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _MD_CODE.sub(lambda m: m.group(1), text)
    return _MD_EMPHASIS.sub(lambda m: m.group(2), text)
