import datetime as dt

import pytest

from khabar.ingest._page import detect_dateline, load_boilerplate, read_page

BOILERPLATE = load_boilerplate()


def test_read_page_splits_a_page_of_two_stories(data_dir):
    text = (data_dir / "pages" / "two-stories.txt").read_text()
    first, second = read_page(text, boilerplate=BOILERPLATE)
    assert first.title == "Gunmen kill four police officers at checkpoint in Lakki Marwat"
    assert first.published == dt.date(2026, 1, 14)
    assert first.dateline == "PESHAWAR"
    assert first.text.startswith("• Attackers fled towards the hills")
    assert "search operation was under way" in first.text
    assert second.title == "Dam financing talks resume in Beijing after two-year pause"
    assert second.published == dt.date(2026, 1, 16)
    assert second.dateline == "ISLAMABAD"
    assert second.text.endswith("security arrangements for Chinese staff working on the site.")


def test_read_page_drops_site_furniture(data_dir):
    text = (data_dir / "pages" / "two-stories.txt").read_text()
    joined = "\n".join(story.text for story in read_page(text, boilerplate=BOILERPLATE))
    for furniture in (
        "Short Url",
        "Follow",
        "Share",
        "WhatsApp",
        "Tweet",
        "(AFP/File)",
        "Please enter",
        "Updated 14 January",
        "Menu",
        "Home",
    ):
        assert furniture not in joined
    assert joined.count("Gunmen kill four police officers") == 0  # title kept apart


def test_read_page_drops_a_related_block_after_the_body(data_dir):
    text = (data_dir / "pages" / "related-block.txt").read_text()
    (story,) = read_page(text, boilerplate=BOILERPLATE)
    assert story.title == "Two Chinese engineers wounded in roadside blast near Gwadar"
    assert story.dateline == "QUETTA"
    assert "Photo:" not in story.text
    assert "Port expansion" not in story.text
    assert "new security force" not in story.text
    assert story.text.endswith("planted in a culvert under the road.")


def test_read_page_keeps_a_story_whose_menu_says_related():
    text = "Related\nHome\n\n" + "Militants attacked a convoy in the district on Monday. " * 5
    (story,) = read_page(text, boilerplate=BOILERPLATE)
    assert story.text.startswith("Militants attacked a convoy")


def test_read_page_finds_no_title_in_a_page_that_opens_with_a_paragraph():
    text = (
        "Pakistan on Friday rejected a report that it had allowed foreign guards to "
        "protect Chinese nationals working on projects in the country, calling it "
        "speculation.\nThe foreign office said talks on security were routine."
    )
    (story,) = read_page(text, boilerplate=BOILERPLATE)
    assert story.title is None
    assert story.text.startswith("Pakistan on Friday rejected")


def test_read_page_does_not_split_when_told_not_to(data_dir):
    text = (data_dir / "pages" / "two-stories.txt").read_text()
    (story,) = read_page(text, boilerplate=BOILERPLATE, split=False, title="A page")
    assert "Lakki Marwat" in story.text and "Dam financing" in story.text


def test_read_page_returns_nothing_for_furniture_only():
    assert (
        read_page("Share\nTweet\nFollow\n\nPlease enter your comment!", boilerplate=BOILERPLATE)
        == []
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KARACHI: Pakistan on Thursday condemned the attack.", "KARACHI"),
        ("KABUL, AFGHANISTAN – Pakistan formally asked the Taliban.", "KABUL, AFGHANISTAN"),
        ("QUETTA (Indus Wire) - A bomb exploded.", "QUETTA"),
        ("DUSHANBE, Tajikistan — A border guard was killed.", "DUSHANBE, Tajikistan"),
        ("D.I. KHAN: Police said.", "D.I. KHAN"),
        ("ISLAMABAD, Jan 5 (Reuters) - Officials said.", "ISLAMABAD"),
        ("Afghan Taliban: Alleged Involvement of Pakistanis", None),
        ("In a recent development, the Taliban said.", None),
        ("ISPR said the operation continued.", None),
    ],
)
def test_detect_dateline(text, expected):
    assert detect_dateline(text) == expected


def test_read_page_takes_the_headline_above_a_byline_and_drops_outlet_captions():
    text = (
        "Pakistan\n"
        "Police post attacked near Tank, two constables killed\n"
        "Our Correspondent\n"
        "Updated 2 February 2026\n"
        "Share\n"
        "Mourners at the funeral in Tank on Monday. (Frontier Ledger/File)\n"
        "TANK: Two constables were killed when militants attacked a police post in Tank "
        "district on Sunday night, police said, adding that the attackers fled in the dark.\n"
    )
    (story,) = read_page(text, boilerplate=BOILERPLATE)
    assert story.title == "Police post attacked near Tank, two constables killed"
    assert story.dateline == "TANK"
    assert story.text.startswith("TANK: Two constables")


def test_detect_dateline_reads_a_double_dateline():
    assert detect_dateline("DUSHANBE/KABUL — Officials on both sides said.") == "DUSHANBE/KABUL"
