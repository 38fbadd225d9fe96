"""Spark's rows a unit to a file: the driver reads each unit, in order, as soon as it is
whole, never a partial file, and never waits for a file a finished job did not write."""

import threading
import time

import pytest

from khabar.batch._spark import SparkJob
from khabar.batch._unitfiles import read_units, unit_path, write_unit

pytest.importorskip("pyarrow")


def _rows(unit, count, *, start=0):
    for item in range(start, start + count):
        yield {
            "unit": unit,
            "item": item,
            "article_id": f"a{unit}-{item}",
            "locator": f"f.jsonl:{item + 1}",
            "article": f'{{"id": "a{unit}-{item}"}}',
            "records": "[]",
            "failure": None,
        }


def _never_ends():
    return False


def test_units_are_read_back_in_order_and_a_unit_without_rows_has_a_file(tmp_path):
    assert write_unit(tmp_path, 1, _rows(1, 3)) == 3
    assert write_unit(tmp_path, 0, _rows(0, 1201), chunk=500) == 1201  # three row groups
    assert write_unit(tmp_path, 2, iter([])) == 0
    rows = list(read_units(tmp_path, 3, ended=_never_ends))
    assert [(r[0], r[1]) for r in rows] == [(0, i) for i in range(1201)] + [
        (1, i) for i in range(3)
    ]
    assert rows[0][2:] == ('{"id": "a0-0"}', "[]", None)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        unit_path(tmp_path, i).name for i in (0, 1, 2)
    ]


def test_a_unit_file_appears_only_when_it_is_whole_and_a_failed_unit_leaves_none(tmp_path):
    final = unit_path(tmp_path, 0)

    def watched():
        for row in _rows(0, 5):
            assert not final.exists()
            yield row

    write_unit(tmp_path, 0, watched(), chunk=2)
    assert final.exists()

    def failing():
        yield from _rows(1, 2)
        raise RuntimeError("the task was killed")

    with pytest.raises(RuntimeError):
        write_unit(tmp_path, 1, failing())
    assert sorted(p.name for p in tmp_path.iterdir()) == [final.name]


def test_the_reader_waits_for_each_unit_and_gives_them_in_unit_order(tmp_path):
    def tasks():
        time.sleep(0.2)
        write_unit(tmp_path, 1, _rows(1, 2))  # the second unit's task ends first
        time.sleep(0.2)
        write_unit(tmp_path, 0, _rows(0, 2))

    writer = threading.Thread(target=tasks)
    writer.start()
    rows = list(read_units(tmp_path, 2, ended=_never_ends, poll=0.01))
    writer.join()
    assert [(r[0], r[1]) for r in rows] == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_a_finished_job_without_a_units_file_is_an_error_not_a_wait(tmp_path):
    write_unit(tmp_path, 0, _rows(0, 1))
    with pytest.raises(RuntimeError, match="unit 1"):
        list(read_units(tmp_path, 2, ended=lambda: True))

    def failed():
        raise ValueError("an executor died")

    with pytest.raises(ValueError, match="executor"):
        list(read_units(tmp_path, 2, ended=failed))


def test_rows_of_another_unit_or_out_of_order_are_refused(tmp_path):
    write_unit(tmp_path, 0, _rows(1, 2))
    with pytest.raises(RuntimeError, match="out of order"):
        list(read_units(tmp_path, 1, ended=_never_ends))
    write_unit(tmp_path, 0, [*_rows(0, 2, start=1), *_rows(0, 1)])
    with pytest.raises(RuntimeError, match="out of order"):
        list(read_units(tmp_path, 1, ended=_never_ends))


class _Session:
    """What SparkJob needs of a SparkSession."""

    def __init__(self):
        self.stopped = threading.Event()
        self.sparkContext = self
        self.cancelled = False

    def stop(self):
        self.stopped.set()

    def cancelAllJobs(self):
        self.cancelled = True


def test_the_job_checks_that_the_driver_read_what_the_tasks_wrote(tmp_path):
    def action():
        write_unit(tmp_path, 0, _rows(0, 3))
        write_unit(tmp_path, 1, _rows(1, 2))
        return [(1, 2), (0, 3)]

    spark = _Session()
    job = SparkJob(spark, action, tmp_path, 2).start()
    assert len(list(job.rows())) == 5
    job.finish().join()
    assert spark.stopped.is_set() and job.ended_at is not None

    claimed = SparkJob(_Session(), lambda: [(0, 4)], tmp_path, 1).start()
    list(claimed.rows())  # unit 0's file holds 3 rows, the task said 4
    with pytest.raises(RuntimeError, match="not the rows"):
        claimed.check()


def test_a_job_still_running_when_the_driver_fails_is_cancelled(tmp_path):
    release = threading.Event()
    spark = _Session()

    def action():
        release.wait(5)
        return []

    job = SparkJob(spark, action, tmp_path, 1).start()
    spark.cancelAllJobs = lambda: (setattr(spark, "cancelled", True), release.set())
    job.abort()
    assert spark.cancelled and spark.stopped.is_set()
