"""One progress bar for the long commands (extract, resolve --rebuild, eval), on stderr
and only on a terminal, so that pipes and logs get the results alone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ._app import err

__all__ = ["counter"]


@contextmanager
def counter(
    label: str, *, enabled: bool = True
) -> Iterator[Callable[[Any, int | None], None] | None]:
    """A callback ``(done, total)`` that advances a bar; None when no bar is shown.

    ``done`` may be None: one more item is done (for callers that only count)."""
    if not (enabled and err.is_terminal):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    task = bar.add_task(label, total=None)
    seen = 0

    def advance(done: Any, total: int | None) -> None:
        nonlocal seen
        seen = seen + 1 if done is None else int(done)
        bar.update(task, completed=seen, total=total)

    with bar:
        yield advance
