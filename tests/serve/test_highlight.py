from khabar.records import Evidence
from khabar.serve._highlight import runs

TEXT = "Four were killed in Quetta on Monday. The BLA claimed it."


def span(start, end, text=TEXT):
    return Evidence(article_id="a", start=start, end=end, quote=text[start:end])


def test_runs_rebuild_the_text_and_mark_each_span():
    evidence = [span(0, 37), span(20, 26), span(38, len(TEXT))]
    cut = runs(TEXT, evidence)
    assert "".join(run.text for run in cut) == TEXT
    marked = {run.text: run.marks for run in cut if run.marks}
    assert marked["Quetta"] == [0, 1]  # nested spans both cover it
    assert marked["Four were killed in "] == [0]
    assert marked["The BLA claimed it."] == [2]
    assert [run.starts for run in cut if run.starts] == [[0], [1], [2]]


def test_a_span_that_does_not_match_the_text_is_left_out():
    wrong = Evidence(article_id="a", start=0, end=4, quote="Five")
    beyond = Evidence(article_id="a", start=50, end=500, quote="x")
    cut = runs(TEXT, [wrong, beyond])
    assert [run.text for run in cut] == [TEXT]
    assert cut[0].marks == []


def test_markup_in_the_text_stays_text():
    text = "He said <script>alert(1)</script> twice."
    cut = runs(text, [span(8, 33, text)])
    assert cut[1].text == "<script>alert(1)</script>" and cut[1].marks == [0]
