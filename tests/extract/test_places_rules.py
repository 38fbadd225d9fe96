"""Where an attack happened, as issue 11 asks: invented sentences, one per rule."""

import datetime as dt

import pytest

from khabar.extract import ExtractOptions, Extractor
from khabar.ingest import fingerprint
from khabar.records import Article


@pytest.fixture(scope="module")
def extractor():
    return Extractor(ExtractOptions(model="blank"), today=dt.date(2026, 11, 22))


def place_of(extractor, text):
    article = Article(id=fingerprint(text), text=text, published=dt.date(2026, 5, 6), file="p.txt")
    found = [r for r in extractor.extract(article) if r.kind == "incident"]
    assert found, text
    return found[0].location


def test_the_afghan_capital_is_kabul(extractor):
    location = place_of(
        extractor,
        "A bomb exploded near a ministry in the Afghan capital on Monday, killing four people.",
    )
    assert (location.place, location.country) == ("Kabul", "AF")


def test_names_match_whole_tokens_only(extractor):
    location = place_of(
        extractor,
        "Two years after the end of the US-led war, a blast in Jalalabad killed three people.",
    )
    assert location.country == "AF"


def test_a_quarter_of_a_city_is_the_city(extractor):
    location = place_of(
        extractor,
        "A suicide bomber struck a mosque in Kocha Risaldar, Peshawar, killing 20 worshippers.",
    )
    assert (location.place, location.admin2) == ("Peshawar", "Peshawar")


def test_an_institution_named_after_its_town_gives_the_town(extractor):
    location = place_of(
        extractor, "Militants attacked Cadet College Wana on Monday, killing two guards."
    )
    assert location.place == "Wana"


def test_origins_and_destinations_are_no_event_places(extractor):
    location = place_of(
        extractor,
        "A bus on its way from Islamabad to Gilgit was attacked near Chilas, killing five "
        "passengers.",
    )
    assert location.place == "Chilas"


def test_an_event_over_two_provinces_has_only_its_country(extractor):
    location = place_of(
        extractor,
        "Warplanes struck houses in Kunar and Nangarhar provinces on Monday, killing nine people.",
    )
    assert (location.country, location.admin1, location.precision) == ("AF", None, "country")


def _where(text):
    import datetime as dt

    from khabar.extract import ExtractOptions, Extractor
    from khabar.ingest import fingerprint
    from khabar.records import Article

    ex = Extractor(ExtractOptions(model="blank"), today=dt.date(2026, 11, 22))
    art = Article(id=fingerprint(text), text=text, published=dt.date(2026, 5, 13), file="a.txt")
    return [r.location for r in ex.extract(art) if r.kind == "incident"]


def test_fire_sent_into_a_country_is_an_event_there():
    found = _where(
        "Border troops fired mortar shells into Turkmenistan on Sunday, wounding two "
        "farmers, officials said."
    )
    assert [(loc.country, loc.precision) for loc in found] == [("TM", "country")]


def test_attackers_from_across_the_border_leave_the_event_place_standing():
    found = _where(
        "Militants attacked a check post from across the border on Sunday, killing three "
        "soldiers in Bajaur."
    )
    assert [(loc.country, loc.admin2) for loc in found] == [("PK", "Bajaur")]


def test_a_convoy_heading_into_a_country_does_not_put_the_event_there():
    found = _where(
        "Gunmen ambushed a convoy in Kurram on Sunday as it headed into Afghanistan, killing "
        "three drivers."
    )
    assert [loc.admin2 for loc in found] == ["Kurram"]


@pytest.mark.parametrize(
    ("text", "admin2"),
    [
        # news names the district before its split: that is the district the text fixes
        (
            "Gunmen attacked a checkpost near Azam Warsak in South Waziristan on Friday, "
            "killing two soldiers.",
            "South Waziristan",
        ),
        (
            "Gunmen attacked a checkpost near Azam Warsak in Lower South Waziristan on "
            "Friday, killing two soldiers.",
            "Lower South Waziristan",
        ),
        (
            "A landmine killed three herders near Garam Chashma on Sunday, officials said.",
            "Lower Chitral",
        ),
    ],
)
def test_a_split_district_keeps_the_name_the_text_gives(extractor, text, admin2):
    assert place_of(extractor, text).admin2 == admin2


def test_the_x_area_of_y_is_the_more_specific_place(extractor):
    location = place_of(
        extractor,
        "A roadside bomb killed three policemen in Bannu on Friday. The blast struck their "
        "van in the Domel area of Bannu, police said.",
    )
    assert location.place == "Domel"


def test_a_capital_named_after_the_word_capital_is_the_place(extractor):
    location = place_of(
        extractor,
        "A car bomb outside a bank in the Tajik capital Dushanbe left four guards dead, "
        "officials said.",
    )
    assert (location.place, location.country) == ("Dushanbe", "TJ")


def test_a_town_in_a_province_named_like_its_capital_is_the_place(extractor):
    location = place_of(
        extractor,
        "A bomb killed seven worshippers at a mosque in Dand-e Ghori in Baghlan on Friday. "
        "Officials in Baghlan said the blast in Baghlan was the worst this year.",
    )
    assert (location.place, location.admin1) == ("Dand-e Ghori", "Baghlan")
