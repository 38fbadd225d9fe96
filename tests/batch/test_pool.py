"""WorkerPool: tasks side by side, results in order, the budget kept per member; and
``khabar ingest --workers 2`` writing exactly what one worker writes."""

import json
import os
import time

import pytest

from khabar.batch import WorkerPool, default_workers, fork_available
from khabar.batch.synth import write_corpus

pytestmark = pytest.mark.skipif(not fork_available(), reason="needs fork")


def uneven(task):
    """Sleeps longer for earlier tasks, so a pool that returned results as they came
    would return them out of order; 'z' hangs."""
    number, letters = task
    time.sleep(0.05 * (5 - number % 5))
    for letter in letters:
        if letter == "z":
            time.sleep(60)
        yield (number, letter, os.getpid())


def test_results_come_in_the_order_of_the_tasks_from_several_processes():
    tasks = [(n, "ab") for n in range(10)]
    with WorkerPool(uneven, workers=2, budget=5) as pool:
        results = list(pool.map(tasks))
    assert [task for task, _, _ in results] == tasks
    assert all(late is None for _, _, late in results)
    assert [[letter for _, letter, _ in items] for _, items, _ in results] == [["a", "b"]] * 10
    pids = {pid for _, items, _ in results for _, _, pid in items}
    assert len(pids) == 2 and os.getpid() not in pids


def test_a_late_document_costs_only_its_task_and_the_others_come_back_in_order():
    tasks = [(0, "ab"), (1, "azb"), (2, "c"), (3, "d")]
    started = time.monotonic()
    with WorkerPool(uneven, workers=2, budget=1) as pool:
        results = list(pool.map(tasks))
        assert pool.restarts == 1
    assert time.monotonic() - started < 10
    assert [t for t, _, _ in results] == tasks
    late = [(t[0], [x[1] for x in items], bool(lt)) for t, items, lt in results]
    assert late == [(0, ["a", "b"], False), (1, ["a"], True), (2, ["c"], False), (3, ["d"], False)]


def test_errors_are_raised_in_order():
    def broken(task):
        if task == 2:
            raise ValueError("bad task 2")
        yield task

    with WorkerPool(broken, workers=2, budget=5) as pool:
        seen = []
        with pytest.raises(ValueError, match="bad task 2"):
            for task, _, _ in pool.map(range(5)):
                seen.append(task)
    assert seen == [0, 1]


def test_without_a_budget_the_members_still_run_apart():
    with WorkerPool(lambda task: [os.getpid()], workers=2, budget=None) as pool:
        pids = {items[0] for _, items, _ in pool.map(range(4))}
    assert os.getpid() not in pids


def test_the_default_is_the_cores_this_process_may_use():
    assert default_workers() == len(os.sched_getaffinity(0))


def _ingest(folder, db, workers, runner):
    from khabar.cli import app

    result = runner.invoke(
        app,
        [
            "ingest",
            str(folder),
            "--db",
            str(db),
            "--no-progress",
            "--json",
            "--model",
            "blank",
            "--workers",
            str(workers),
        ],
    )
    assert result.exit_code == 0, result.output
    exported = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl"]).stdout
    accounts = runner.invoke(app, ["export", "--db", str(db), "--accounts"]).stdout
    articles = runner.invoke(app, ["articles", "--db", str(db), "--format", "jsonl"]).stdout
    return json.loads(result.stdout), exported, accounts, articles


def test_two_workers_write_exactly_what_one_writes(tmp_path, runner):
    import duckdb

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 120, per_file=30)
    one = _ingest(corpus, tmp_path / "one.duckdb", 1, runner)
    two = _ingest(corpus, tmp_path / "two.duckdb", 2, runner)
    assert one[0]["extracted"] == two[0]["extracted"] == 120
    assert one[1:] == two[1:]
    assert one[1].count("\n") > 100
    # The order the articles were written in (resolution decides in that order).
    orders = []
    for name in ("one", "two"):
        con = duckdb.connect(str(tmp_path / f"{name}.duckdb"), read_only=True)
        orders.append(
            con.execute(
                "SELECT a.id, l.event_id, l.reason FROM articles a JOIN records r "
                "ON r.article_id = a.id JOIN incident_links l ON l.mention_id = r.id "
                "ORDER BY a.first_seen, a.published, a.id"
            ).fetchall()
        )
        con.close()
    assert orders[0] == orders[1]
