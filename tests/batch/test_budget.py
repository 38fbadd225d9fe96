import os
import time

import pytest

from khabar.batch import BudgetedWorker, Late, fork_available

pytestmark = pytest.mark.skipif(not fork_available(), reason="needs fork")


def slow_letters(task):
    """One item per letter; 'z' hangs, 'x' kills its own process."""
    for letter in task:
        if letter == "z":
            time.sleep(60)
        if letter == "x":
            os._exit(3)
        yield letter.upper()


def test_items_come_back_from_a_child_process():
    with BudgetedWorker(lambda task: [os.getpid()], budget=5) as worker:
        (pid,) = list(worker.run("a"))
    assert pid != os.getpid()


def test_a_late_item_is_abandoned_and_the_next_task_gets_a_fresh_child():
    with BudgetedWorker(slow_letters, budget=0.5) as worker:
        started = time.monotonic()
        items = list(worker.run("abz"))
        assert time.monotonic() - started < 5
        assert items[:2] == ["A", "B"]
        assert items[2] == Late(0.5, 2)
        assert list(worker.run("cd")) == ["C", "D"]
        assert worker.restarts == 1


def test_a_child_that_dies_is_reported_not_raised():
    with BudgetedWorker(slow_letters, budget=5) as worker:
        items = list(worker.run("ax"))
        assert items == ["A", Late(5, 1, died=True)]
        assert list(worker.run("b")) == ["B"]


def test_errors_of_the_target_are_raised_in_the_parent():
    def broken(task):
        yield 1
        raise ValueError(f"bad {task}")

    with BudgetedWorker(broken, budget=5) as worker, pytest.raises(ValueError, match="bad t"):
        list(worker.run("t"))


def test_without_a_budget_tasks_run_here():
    with BudgetedWorker(lambda task: [os.getpid()], budget=0) as worker:
        assert not worker.enforced
        assert list(worker.run("a")) == [os.getpid()]
