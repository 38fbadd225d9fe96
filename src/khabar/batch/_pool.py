"""A pool of budgeted workers: tasks run side by side, results come back in order.

Each member is a ``BudgetedWorker``: a forked child that keeps the per-document time
budget and the isolation (a hung document kills only its member, which the next task
forks again). The pool starts one task on every member, then reads the members in the
order the tasks were given, starting the next task on a member as soon as its results
are read. The caller therefore sees exactly the sequence one worker would give, so a
single process (the parent) can write the store in the same order as before.

The children are forked from the parent after it loaded the model, so each member has
the model at once (shared copy-on-write), never loaded again.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from ._budget import BudgetedWorker, Late, fork_available

__all__ = ["WorkerPool", "default_workers"]

Task = TypeVar("Task")
Item = TypeVar("Item")


def default_workers() -> int:
    """The cores this process may run on (its affinity, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


class WorkerPool(Generic[Task, Item]):
    """``workers`` budgeted workers running ``target``; ``map`` keeps the tasks' order.

    With one worker (or where ``fork`` does not exist) it is one ``BudgetedWorker``
    exactly as before: tasks run in a child when there is a budget, here otherwise.
    """

    def __init__(
        self,
        target: Callable[[Task], Iterable[Item]],
        *,
        workers: int = 1,
        budget: float | None,
    ) -> None:
        self.workers = max(1, workers) if fork_available() else 1
        parallel = self.workers > 1
        self._target = target
        self._budget = budget
        self._members = [
            BudgetedWorker(target, budget=budget, isolate=parallel) for _ in range(self.workers)
        ]
        self._spare: BudgetedWorker[Task, Item] | None = None

    @property
    def budget(self) -> float | None:
        return self._members[0].budget

    @property
    def restarts(self) -> int:
        spare = self._spare.restarts if self._spare else 0
        return sum(member.restarts for member in self._members) + spare

    def __enter__(self) -> WorkerPool[Task, Item]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def map(
        self,
        tasks: Iterable[Task],
        *,
        budget_of: Callable[[Task], float | None] | None = None,
    ) -> Iterator[tuple[Task, list[Item], Late | None]]:
        """Each task with the items it gave, and a ``Late`` when it overran (the items
        before the late one are kept), in the order of ``tasks``. Errors raised by the
        target are raised here, in order too."""
        pending: deque[tuple[BudgetedWorker[Task, Item], Task]] = deque()
        queue = iter(tasks)

        def feed(member: BudgetedWorker[Task, Item]) -> None:
            for task in queue:
                member.start(task, budget=budget_of(task) if budget_of else None)
                pending.append((member, task))
                return

        for member in self._members:
            feed(member)
        while pending:
            member, task = pending.popleft()
            items: list[Item] = []
            late: Late | None = None
            for item in member.results():
                if isinstance(item, Late):
                    late = item
                else:
                    items.append(item)
            feed(member)
            yield task, items, late

    def run(self, task: Task, *, budget: float | None = None) -> Iterator[Item | Late]:
        """One task outside ``map`` (a retry while the members are busy with the next
        tasks), in a worker of its own with the same budget and isolation."""
        if self._spare is None:
            self._spare = BudgetedWorker(
                self._target, budget=self._budget, isolate=self.workers > 1
            )
        return self._spare.run(task, budget=budget)

    def close(self) -> None:
        for member in self._members:
            member.close()
        if self._spare is not None:
            self._spare.close()
