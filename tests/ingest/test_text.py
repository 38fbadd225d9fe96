from khabar.ingest._text import clean_text, fingerprint


def test_fingerprint_ignores_whitespace_quotes_and_dashes():
    a = "Pakistan’s  Foreign Office said – on Monday –\n\nthat “nothing” changed."
    b = 'Pakistan\'s Foreign Office said - on Monday -\nthat "nothing" changed.  '
    assert fingerprint(a) == fingerprint(b)


def test_fingerprint_differs_for_different_figures():
    assert fingerprint("Four people were killed.") != fingerprint("Five people were killed.")


def test_fingerprint_is_sixteen_hex_digits():
    value = fingerprint("text")
    assert len(value) == 16
    int(value, 16)


def test_clean_text_collapses_blank_runs_and_trailing_spaces():
    assert clean_text("a  \r\n\r\n\r\n\r\nb\x00\u00a0c\n") == "a\n\nb c"
