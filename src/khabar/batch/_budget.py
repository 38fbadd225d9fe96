"""A time budget per document, enforced by a child process that can be killed.

A check between steps cannot stop a parser that never returns (a pathological page
inside libxml2, a regex on a hostile text): only a process can be stopped from outside.
``BudgetedWorker`` forks one child that runs a generator function per task and sends
each item back as soon as it is made; the parent waits at most the budget for every
item. When an item is late, the child is killed (SIGKILL), the task ends with a
``Late`` marker, and the next task forks a fresh child. The run goes on.

The child is forked from the parent, so what the parent loaded (the spaCy model, the
gazetteer, a reader's settings) is there at once, shared copy-on-write, and nothing is
pickled but the tasks and the items. Where ``fork`` does not exist (Windows), or with no
budget, tasks run in the parent and the budget is not enforced.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

__all__ = ["BudgetedWorker", "Late", "fork_available"]

Task = TypeVar("Task")
Item = TypeVar("Item")

_ITEM, _DONE, _ERROR = "item", "done", "error"


@dataclass(frozen=True)
class Late:
    """The task overran its budget after ``items`` items and the child was killed, or
    the child died under it (``died``: killed by the kernel for its memory, say)."""

    budget: float
    items: int
    died: bool = False


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _serve(
    target: Callable[[Any], Iterable[Any]], connection: Connection, parents_end: Connection
) -> None:
    """The child's loop: one task in, its items out, until the parent closes the pipe."""
    parents_end.close()  # the fork copied it; held open here, the pipe would never close
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        try:
            for item in target(task):
                connection.send((_ITEM, item))
            connection.send((_DONE, None))
        except Exception as error:  # sent to the parent, raised there
            try:
                connection.send((_ERROR, error))
            except Exception:  # an exception that does not pickle
                connection.send((_ERROR, RuntimeError(traceback.format_exc())))


class BudgetedWorker(Generic[Task, Item]):
    """Runs ``target(task)`` in a child process, at most ``budget`` seconds per item.

    Use as a context manager; the child is started on the first task and stopped on
    exit. ``budget`` of ``None`` (or no ``fork``) runs tasks in this process instead.
    """

    def __init__(
        self,
        target: Callable[[Task], Iterable[Item]],
        *,
        budget: float | None,
        isolate: bool = False,
    ) -> None:
        self._target = target
        self.budget = budget if budget and budget > 0 else None
        # ``isolate``: a child even without a budget (a pool's members run side by side).
        self.enforced = (self.budget is not None or isolate) and fork_available()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self._task: tuple[Task, float | None, float] | None = None
        self.restarts = 0

    def __enter__(self) -> BudgetedWorker[Task, Item]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, task: Task, *, budget: float | None = None) -> Iterator[Item | Late]:
        """The items of ``task``; a ``Late`` last when an item took longer than the
        budget (``budget`` overrides the worker's for this task). Errors raised by the
        target are raised here."""
        self.start(task, budget=budget)
        return self.results()

    def start(self, task: Task, *, budget: float | None = None) -> None:
        """Send ``task`` to the child, which starts on it at once; ``results`` reads its
        items. A pool starts one task on each member, then reads them in turn."""
        limit = budget if budget and budget > 0 else self.budget
        if self.enforced:
            self._child().send(task)
        self._task = (task, limit, time.monotonic())

    def results(self) -> Iterator[Item | Late]:
        """The items of the task ``start`` sent. Each item must come within the budget
        of the one before it (the first, of the start); an item already waiting in the
        pipe counts as on time, so reading the members of a pool one after another
        never makes a document late, it can only give it longer."""
        assert self._task is not None, "results() without start()"
        task, limit, since = self._task
        self._task = None
        if not self.enforced:
            yield from self._target(task)
            return
        connection = self._connection
        assert connection is not None
        items = 0
        while True:
            wait = None if limit is None else max(0.0, since + limit - time.monotonic())
            if not connection.poll(wait):
                self._kill()
                yield Late(limit or 0.0, items)
                return
            try:
                kind, payload = connection.recv()
            except (EOFError, OSError):  # the child died (out of memory, a signal)
                self._kill()
                yield Late(limit or 0.0, items, died=True)
                return
            since = time.monotonic()
            if kind == _ITEM:
                items += 1
                yield payload
            elif kind == _DONE:
                return
            else:
                raise payload

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            self._process.join(timeout=1)
            if self._process.is_alive():
                self._kill()
            self._process = None

    def _child(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._connection:
            return self._connection
        self._kill()
        context = multiprocessing.get_context("fork")
        parent_end, child_end = context.Pipe()
        process = context.Process(
            target=_serve, args=(self._target, child_end, parent_end), daemon=True
        )
        process.start()
        child_end.close()
        self._process, self._connection = process, parent_end
        return parent_end

    def _kill(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            if self._process.is_alive() and self._process.pid is not None:
                os.kill(self._process.pid, signal.SIGKILL)
            self._process.join()
            self._process = None
            self.restarts += 1
