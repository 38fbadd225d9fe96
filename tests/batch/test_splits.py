"""Big JSONL files are read in byte ranges that start and end at line starts
(``split_units``): the parts, read one after the other, give exactly what the whole
file gives (the same Articles, failures and locators, in the same order), wherever
the cuts fall."""

import itertools
import json

import pytest

from khabar.batch import _rows
from khabar.batch._rows import Unit, plan, read_unit, split_units
from khabar.ingest import IngestOptions, Reader


def _story(number: int) -> str:
    return json.dumps(
        {
            "title": f"Blast in Quetta market {number}",
            "text": f"QUETTA: A bomb killed {number % 9 + 2} people at a market on "
            f"Tuesday, police said. The attack number {number} was not claimed.",
            "published": "2025-02-11",
        }
    )


def _read(units, options=None):
    with Reader(options or IngestOptions()) as reader:
        return [item.model_dump(mode="json") for unit in units for item in read_unit(reader, unit)]


def _file(tmp_path, data: bytes):
    path = tmp_path / "corpus" / "news.jsonl"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    (unit,) = plan([str(path.parent)]).units
    return unit


def _all_splits(unit, monkeypatch, chunk=7):
    """The unit cut into as many parts as it will take, its newlines looked for a few
    bytes at a time (so that cuts fall at every place in a chunk)."""
    monkeypatch.setattr(_rows, "_CHUNK", chunk)
    return split_units([unit], 10_000, min_bytes=1)


LINES = [_story(n) for n in range(12)]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(("\n".join(LINES) + "\n").encode(), id="lf"),
        pytest.param(("\r\n".join(LINES) + "\r\n").encode(), id="crlf"),
        pytest.param("\n".join(LINES).encode(), id="no-final-newline"),
        pytest.param(
            (
                "\n".join([*LINES[:3], "", "{not json", *LINES[3:7], "[1, 2]", "", *LINES[7:]])
            ).encode(),
            id="bad-and-empty-lines-in-both-halves",
        ),
        pytest.param(("\n" * 5 + "\n".join(LINES) + "\n\n\n").encode(), id="blank-runs"),
    ],
)
def test_the_parts_read_as_the_whole_file(tmp_path, monkeypatch, data):
    unit = _file(tmp_path, data)
    whole = _read([unit])
    parts = _all_splits(unit, monkeypatch)
    assert len(parts) > 5
    assert [p.index for p in parts] == list(range(len(parts)))
    assert parts[0].start == 0 and parts[-1].stop is None
    assert all(a.stop == b.start for a, b in itertools.pairwise(parts))
    # Every part starts at a line start, and its first line number is that line's.
    for part in parts:
        assert part.start == 0 or data[part.start - 1 : part.start] == b"\n"
        assert part.line == data[: part.start].count(b"\n") + 1
    assert _read(parts) == whole
    assert len(whole) == len(LINES) + (2 if b"{not json" in data else 0)


def test_a_line_that_straddles_a_cut_belongs_to_the_part_it_starts_in(tmp_path, monkeypatch):
    long = _story(99)[:-1] + ', "note": "' + "x" * 400 + '"}'
    unit = _file(tmp_path, ("\n".join([LINES[0], long, LINES[1]]) + "\n").encode())
    # Three equal cuts, all inside the long line: the first part keeps it whole, the
    # second starts at the line after it.
    monkeypatch.setattr(_rows, "_CHUNK", 16)
    parts = split_units([unit], 4, min_bytes=1)
    after = len(LINES[0]) + 1 + len(long) + 1
    assert [(p.start, p.stop, p.line) for p in parts] == [(0, after, 1), (after, None, 3)]
    assert _read(parts) == _read([unit])
    assert [a["locator"] for a in _read(parts)] == [
        "news.jsonl:1",
        "news.jsonl:2",
        "news.jsonl:3",
    ]


def test_a_line_over_the_size_limit_fails_alone_in_its_part(tmp_path, monkeypatch):
    big = _story(7)[:-1] + ', "note": "' + "y" * 3000 + '"}'
    unit = _file(tmp_path, ("\n".join([*LINES[:4], big, *LINES[4:]]) + "\n").encode())
    options = IngestOptions(max_bytes=1000)
    whole = _read([unit], options)
    assert [item.get("code") for item in whole].count("K103") == 1
    assert _read(_all_splits(unit, monkeypatch), options) == whole


def test_what_is_not_split(tmp_path):
    empty = _file(tmp_path, b"")
    assert split_units([empty], 8, min_bytes=1) == [empty]
    assert _read([empty]) == []
    one_line = _file(tmp_path, (LINES[0] + "\n").encode())
    assert split_units([one_line], 8, min_bytes=1) == [one_line]
    # Enough units already, or parts that would be under the minimum: unchanged.
    many = _file(tmp_path, ("\n".join(LINES) + "\n").encode())
    assert split_units([many], 1, min_bytes=1) == [many]
    assert split_units([many], 8) == [many]
    # Other kinds are never split; they are numbered again after the parts before them.
    html = Unit(1, "html", "page.html", str(tmp_path / "page.html"))
    split = split_units([many, html], 4, min_bytes=1)
    assert len(split) == 4 and split[-1] == Unit(3, "html", "page.html", html.path)


def test_parts_go_to_files_by_size_and_keep_the_input_order(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.jsonl").write_text("\n".join(LINES * 3) + "\n")
    (folder / "b.jsonl").write_text("\n".join(LINES) + "\n")
    units = plan([str(folder)]).units
    parts = split_units(units, 8, min_bytes=1)
    assert len(parts) >= 8
    assert [p.locator for p in parts] == sorted(p.locator for p in parts)
    assert sum(p.locator == "a.jsonl" for p in parts) > sum(p.locator == "b.jsonl" for p in parts)
    assert _read(parts) == _read(units)


def test_a_unit_survives_the_trip_through_pandas():
    pd = pytest.importorskip("pandas")
    units = [Unit(0, "jsonl", "a.jsonl", "/x/a.jsonl", None, 0, 120, 1), Unit(1, "html", "b")]
    frame = pd.DataFrame([u.as_dict() for u in units])
    assert [Unit.from_record(r) for r in frame.to_dict("records")] == units


def test_files_get_exactly_as_many_parts_as_tasks(tmp_path):
    """Two files of nearly one size for 8 tasks: 4 parts each, not 5 and 4 (a ninth
    unit put two on one task, which then ran alone at the end)."""
    line = json.dumps({"title": "t", "text": "x" * 200}) + "\n"
    (tmp_path / "a.jsonl").write_text(line * 2000 + line[:-1] + "y\n")
    (tmp_path / "b.jsonl").write_text(line * 2000)
    (tmp_path / "c.jsonl").write_text(line * 700)
    for files, parts in ((["a", "b"], 8), (["a", "b"], 7), (["a", "b", "c"], 8)):
        units = plan([str(tmp_path / f"{name}.jsonl") for name in files]).units
        split = split_units(units, parts, min_bytes=1024)
        assert len(split) == parts
        assert [u.index for u in split] == list(range(parts))
