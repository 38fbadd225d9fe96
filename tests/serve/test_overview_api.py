"""The dashboard overview's API: totals by group (/api/aggregates/totals) and the offline
map's labels (/api/map/labels), over the demo database."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from khabar.serve._overview import _inside, label_point


def ok(response):
    assert response.status_code == 200, response.text
    return response.json()


def test_totals_count_every_incident_dated_or_not(client):
    listed = ok(client.get("/api/incidents", params={"limit": 500}))
    totals = ok(client.get("/api/aggregates/totals", params={"by": "event_type"}))
    assert totals["by"] == "event_type"
    assert totals["total"] == listed["total"]
    assert sum(g["incidents"] for g in totals["groups"]) == listed["total"]
    killed = sum((i["fatalities"] or {}).get("best") or 0 for i in listed["items"])
    assert sum(g["fatalities"] for g in totals["groups"]) == killed
    # dated or not: the timeline leaves some out, the totals do not
    series = ok(client.get("/api/aggregates", params={"interval": "week"}))
    assert series["left_out"] > 0
    assert totals["total"] > sum(c["incidents"] for c in series["series"])


@pytest.mark.parametrize("order", ["incidents", "fatalities"])
def test_totals_largest_first(client, order):
    groups = ok(client.get("/api/aggregates/totals", params={"by": "admin1", "order": order}))[
        "groups"
    ]
    values = [g[order] for g in groups]
    assert values == sorted(values, reverse=True)
    named = [g["group"] for g in groups if g["group"] is not None]
    assert named and all("/" in name for name in named), "admin1 groups are COUNTRY/admin1"


def test_totals_take_the_incident_filters(client):
    everything = ok(client.get("/api/aggregates/totals", params={"by": "country"}))
    afghan = ok(client.get("/api/aggregates/totals", params={"by": "country", "country": "AF"}))
    assert [g["group"] for g in afghan["groups"]] == ["AF"]
    whole = next(g for g in everything["groups"] if g["group"] == "AF")
    assert afghan["groups"][0]["incidents"] == whole["incidents"] == afghan["total"]


def test_totals_by_actor_count_an_incident_once_per_actor(client):
    totals = ok(client.get("/api/aggregates/totals", params={"by": "actor"}))
    assert sum(g["incidents"] for g in totals["groups"]) >= totals["total"]
    names = {g["group"] for g in totals["groups"]}
    assert "TTP" in names


def test_totals_reject_an_unknown_group_or_parameter(client):
    assert client.get("/api/aggregates/totals", params={"by": "colour"}).status_code == 422
    assert client.get("/api/aggregates/totals", params={"bye": "actor"}).status_code == 422


def test_map_labels_name_countries_provinces_and_towns(client):
    labels = ok(client.get("/api/map/labels"))
    kinds = {label["kind"] for label in labels}
    assert kinds == {"country", "admin1", "town"}
    countries = {label["name"] for label in labels if label["kind"] == "country"}
    assert {"Pakistan", "Afghanistan", "Tajikistan", "Iran"} <= countries
    provinces = {(label["country"], label["name"]) for label in labels if label["kind"] == "admin1"}
    assert ("PK", "Balochistan") in provinces and ("AF", "Herat") in provinces
    towns = [label for label in labels if label["kind"] == "town"]
    # larger towns show from a lower zoom; no town is named twice at one spot
    karachi = next(t for t in towns if t["name"] == "Karachi")
    small = min(towns, key=lambda t: t["population"])
    assert karachi["min_zoom"] < small["min_zoom"]
    spots = [(t["country"], round(t["lat"], 1), round(t["lon"], 1)) for t in towns]
    assert len(spots) == len(set(spots))


def test_every_outline_label_lies_inside_its_outline(client):
    labels = ok(client.get("/api/map/labels"))
    data = resources.files("khabar.data").joinpath("boundaries")
    for name, kind, key in (
        ("countries.geojson", "country", "name"),
        ("admin1.geojson", "admin1", "admin1"),
    ):
        for feature in json.loads(data.joinpath(name).read_text("utf-8"))["features"]:
            geometry = feature["geometry"]
            polygons = (
                [geometry["coordinates"]]
                if geometry["type"] == "Polygon"
                else geometry["coordinates"]
            )
            label = next(
                x for x in labels if x["kind"] == kind and x["name"] == feature["properties"][key]
            )
            assert _inside((label["lon"], label["lat"]), polygons), label


def test_label_point_of_a_concave_shape_is_inside_it():
    # A U shape: its centroid falls in the gap between the arms.
    ring = [[0, 0], [10, 0], [10, 10], [8, 10], [8, 2], [2, 2], [2, 10], [0, 10], [0, 0]]
    point = label_point([[ring]])
    assert _inside(point, [[ring]])
    square = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    assert label_point([[square]]) == (2.0, 2.0)
