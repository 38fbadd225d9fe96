import pytest

from khabar.errors import MalformedInput
from khabar.ingest._files import markdown_to_text, split_front_matter


def test_split_front_matter_reads_keys_and_body():
    meta, body = split_front_matter("---\ntitle: A\nPublished: 2026-01-02\n---\nBody here.\n")
    assert meta["title"] == "A"
    assert str(meta["published"]) == "2026-01-02"
    assert body == "Body here.\n"


def test_split_front_matter_without_front_matter_returns_the_text():
    assert split_front_matter("No front matter.\n---\n") == ({}, "No front matter.\n---\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: [unclosed\n---\nBody", "not valid YAML"),
        ("---\n- a list\n---\nBody", "not a mapping"),
    ],
)
def test_split_front_matter_refuses_bad_yaml(text, message):
    with pytest.raises(MalformedInput, match=message):
        split_front_matter(text)


def test_markdown_to_text_removes_markup():
    markdown = (
        '# Blast in Quetta\n\n> "We condemn it," the **minister** said.\n\n'
        "See [the report](https://x.example/r) and `code`.\n\n---\n"
    )
    text = markdown_to_text(markdown)
    assert text.strip() == (
        'Blast in Quetta\n\n"We condemn it," the minister said.\n\nSee the report and code.'
    )
