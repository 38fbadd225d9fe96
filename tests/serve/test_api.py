"""The REST API under /api, driven through FastAPI's TestClient over the demo database.

Most assertions are invariants checked against the API's own answers (a filter's items
all match it, and every unfiltered item that matches is in it; pages partition the list;
aggregates add up), so they hold whatever extraction finds in the demo corpus. The few
facts written out (an incident in Gwadar with Chinese victims claimed by the BLA) are
the demo's own story.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from khabar.cli import app as cli_app
from khabar.pipeline import resolve_into
from khabar.serve import ServeOptions, create_app
from khabar.settings import Settings
from khabar.store import open_store

KEY = "test-key-5f1c"  # the key conftest's clients are made with
MAX = 500  # the largest page the API serves

# A fictional report, written for these tests: an attack in a real place in Khyber
# Pakhtunkhwa, with a toll and a claim by the TTP.
POSTED_TEXT = (
    "LAKKI MARWAT, Pakistan - Gunmen attacked a police checkpoint on the outskirts of Lakki "
    "Marwat in Khyber Pakhtunkhwa late on Tuesday, killing five policemen, officials said. "
    "Two other officers were wounded in the attack, which lasted nearly an hour. "
    "District police chief Imran Khattak said the attackers used rifles and hand grenades "
    "before fleeing towards the hills. "
    "The Tehreek-e-Taliban Pakistan (TTP) claimed responsibility for the attack in a "
    "statement sent to reporters. "
    "Security forces launched a search operation in the area on Wednesday. "
    "The provincial government announced compensation for the families of the dead officers."
)
POSTED = {
    "text": POSTED_TEXT,
    "title": "Five policemen killed in Lakki Marwat checkpoint attack",
    "outlet": "Frontier Test Gazette",
    "published": "2025-11-05",
    "dateline": "LAKKI MARWAT",
}

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options")


@contextmanager
def serve(db: Path, **options: Any) -> Iterator[TestClient]:
    """A client over ``db`` with these ServeOptions (conftest's make_client, inline)."""
    settings = Settings(db=str(db), serve=ServeOptions(**options))
    with TestClient(create_app(settings)) as client:
        yield client


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def every_incident(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    page = ok(client.get("/api/incidents", params={**params, "limit": MAX}))
    assert page["total"] <= MAX
    assert len(page["items"]) == page["total"]
    return page["items"]


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def article_ids(incident: dict[str, Any]) -> set[str]:
    return {source["article_id"] for source in incident["sources"]}


def actors_of(incident: dict[str, Any]) -> set[str]:
    perpetrator = incident["perpetrator"] or {"claimed_by": None, "alleged": []}
    names = {perpetrator["claimed_by"], *(a["actor"] for a in perpetrator["alleged"])}
    return names - {None}


def day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def is_gwadar(incident: dict[str, Any]) -> bool:
    where = incident["location"] or {}
    return (
        where.get("country") == "PK"
        and where.get("admin1") == "Balochistan"
        and "Gwadar" in (where.get("place"), where.get("admin2"))
        and "CN" in {v["nationality"] for v in incident["victims"]}
        and (incident["perpetrator"] or {}).get("claimed_by") == "BLA"
    )


def message_of(response: Any) -> str:
    """The one-line message of a 422: every 422 the API gives has one."""
    assert response.status_code == 422, response.text
    body = response.json()
    assert "message" in body, f"a 422 without a message: {body}"
    return body["message"]


@pytest.fixture(scope="module")
def incidents(client: TestClient) -> list[dict[str, Any]]:
    """Every incident of the demo database, in the API's default order."""
    found = every_incident(client)
    assert found, "the demo database has incidents"
    return found


@pytest.fixture(scope="module")
def gwadar(incidents: list[dict[str, Any]]) -> dict[str, Any]:
    found = [i for i in incidents if is_gwadar(i)]
    assert len(found) == 1, [i["location"] for i in incidents]
    return found[0]


@pytest.fixture(scope="module")
def statements(client: TestClient) -> list[dict[str, Any]]:
    page = ok(client.get("/api/statements", params={"limit": MAX}))
    assert page["total"] == len(page["items"]) <= MAX
    assert page["items"], "the demo database has statements"
    return page["items"]


@pytest.fixture(scope="module")
def articles(client: TestClient) -> list[dict[str, Any]]:
    page = ok(client.get("/api/articles", params={"limit": MAX}))
    assert page["total"] == len(page["items"])
    return page["items"]


# -- health, schema, docs -------------------------------------------------------------


def test_health_reports_what_the_database_holds(client, incidents, articles):
    health = ok(client.get("/api/health"))
    assert health["status"] == "ok"
    assert isinstance(health["khabar"], str) and health["khabar"]
    assert isinstance(health["schema"], int)
    assert health["articles"] == len(articles) > 0
    # Incidents only passing mentions know are counted apart.
    assert health["incidents"] == len(incidents)
    assert all(i["status"] == "reported" for i in incidents)
    assert health["mentioned"] == len(every_incident(client, mentioned="true")) - len(incidents)


EXPECTED_ROUTES = {
    ("get", "/api/health"),
    ("get", "/api/incidents"),
    ("get", "/api/incidents/points"),
    ("get", "/api/incidents/{event_id}"),
    ("get", "/api/statements"),
    ("get", "/api/statements/network"),
    ("get", "/api/actors"),
    ("get", "/api/actors/{name}"),
    ("get", "/api/articles"),
    ("get", "/api/articles/{article_id}"),
    ("get", "/api/aggregates"),
    ("get", "/api/aggregates/totals"),
    ("get", "/api/actors/{name}/activity"),
    ("get", "/api/map/labels"),
    ("get", "/api/export"),
    ("post", "/api/ingest"),
    ("post", "/api/incidents/{event_id}/merge"),
    ("post", "/api/incidents/{event_id}/split"),
    ("post", "/api/incidents/{event_id}/corrections"),
    ("post", "/api/incidents/{event_id}/unmerge"),
    ("get", "/api/decisions"),
    ("post", "/api/decisions/{decision_id}/revert"),
}


def test_openapi_lists_every_route(client):
    schema = ok(client.get("/openapi.json"))
    listed = {(method, path) for path, methods in schema["paths"].items() for method in methods}
    assert listed == EXPECTED_ROUTES
    # the dashboard's pages are not part of the API
    assert not any(path in ("/", "/login") for _, path in listed)


def test_openapi_documents_the_write_key_and_the_filters(client):
    schema = ok(client.get("/openapi.json"))
    assert "APIKeyHeader" in schema["components"]["securitySchemes"]
    parameters = {p["name"] for p in schema["paths"]["/api/incidents"]["get"]["parameters"]}
    assert parameters >= {
        "since",
        "until",
        "country",
        "admin1",
        "event_type",
        "nationality",
        "actor",
        "min_fatalities",
        "suicide",
        "q",
        "sort",
        "limit",
        "offset",
    }


def test_docs_page_renders_every_operation(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for _, path in EXPECTED_ROUTES:
        assert path in response.text


# -- incidents: list, filters, sort, pages --------------------------------------------


def test_incident_list_shape_and_default_page(client, incidents):
    page = ok(client.get("/api/incidents"))
    assert set(page) == {"total", "limit", "offset", "items"}
    assert page["limit"] == 50  # ServeOptions.page_size
    assert page["offset"] == 0
    assert page["total"] == len(incidents)
    for item in page["items"]:
        assert item["kind"] == "incident"
        assert item["id"].startswith("evt-")
        assert item["sources"], item["id"]
        for evidence in item["evidence"]:
            assert evidence["quote"]
            assert evidence["end"] >= evidence["start"]


def test_the_demo_gwadar_attack_is_listed(gwadar):
    assert gwadar["location"]["country"] == "PK"
    assert gwadar["perpetrator"]["claimed_by"] == "BLA"
    assert gwadar["date"] is not None


def filtered(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    found = every_incident(client, **params)
    assert len(found) == len(set(ids(found)))
    return found


def assert_filter(
    client: TestClient,
    incidents: list[dict[str, Any]],
    params: dict[str, Any],
    matches: Callable[[dict[str, Any]], bool],
) -> list[dict[str, Any]]:
    """The filter returns exactly the incidents that match, in the default order."""
    found = filtered(client, **params)
    expected = [i for i in incidents if matches(i)]
    assert ids(found) == ids(expected), params
    assert len(found) <= len(incidents)
    return found


def test_filter_by_country_accepts_lower_case(client, incidents):
    upper = assert_filter(
        client,
        incidents,
        {"country": "PK"},
        lambda i: (i["location"] or {}).get("country") == "PK",
    )
    assert upper, "the demo has incidents in Pakistan"
    assert ids(filtered(client, country="pk")) == ids(upper)
    assert len(upper) < len(incidents), "the demo has incidents outside Pakistan too"


def test_filter_by_admin1_in_any_case(client, incidents, gwadar):
    found = assert_filter(
        client,
        incidents,
        {"admin1": "balochistan"},
        lambda i: ((i["location"] or {}).get("admin1") or "").casefold() == "balochistan",
    )
    assert gwadar["id"] in ids(found)
    assert ids(filtered(client, admin1="BALOCHISTAN")) == ids(found)


def test_filter_by_event_type_repeated_is_a_union(client, incidents):
    types = sorted({i["event_type"] for i in incidents})
    assert len(types) >= 2
    first, second = types[:2]
    one = assert_filter(
        client, incidents, {"event_type": first}, lambda i: i["event_type"] == first
    )
    two = assert_filter(
        client, incidents, {"event_type": second}, lambda i: i["event_type"] == second
    )
    both = assert_filter(
        client,
        incidents,
        {"event_type": [first, second]},
        lambda i: i["event_type"] in (first, second),
    )
    assert len(both) == len(one) + len(two)


def test_filter_by_victims_nationality(client, incidents, gwadar):
    found = assert_filter(
        client,
        incidents,
        {"nationality": "cn"},
        lambda i: "CN" in {v["nationality"] for v in i["victims"]},
    )
    assert gwadar["id"] in ids(found)


@pytest.mark.parametrize("name", ["BLA", "Balochistan Liberation Army", "bla"])
def test_filter_by_actor_accepts_an_alias(client, incidents, gwadar, name):
    found = assert_filter(client, incidents, {"actor": name}, lambda i: "BLA" in actors_of(i))
    assert gwadar["id"] in ids(found)


def test_filter_by_actor_matches_allegations_too(client, incidents):
    alleged_only = [
        (i, a["actor"])
        for i in incidents
        for a in (i["perpetrator"] or {"alleged": []})["alleged"]
        if a["actor"] != (i["perpetrator"] or {}).get("claimed_by")
    ]
    assert alleged_only, "the demo has allegations"
    incident, actor = alleged_only[0]
    assert incident["id"] in ids(filtered(client, actor=actor))


def test_filter_by_an_unknown_actor_finds_nothing(client):
    assert filtered(client, actor="No Such Front") == []


def test_filter_by_min_fatalities(client, incidents):
    tolls = sorted(
        {
            i["fatalities"]["best"]
            for i in incidents
            if i["fatalities"] and i["fatalities"]["best"] is not None
        }
    )
    assert len(tolls) >= 2
    threshold = tolls[len(tolls) // 2]
    found = assert_filter(
        client,
        incidents,
        {"min_fatalities": threshold},
        lambda i: bool(i["fatalities"]) and (i["fatalities"]["best"] or -1) >= threshold,
    )
    assert 0 < len(found) < len(incidents)
    zero = filtered(client, min_fatalities=0)
    assert all(i["fatalities"] and i["fatalities"]["best"] is not None for i in zero)


def test_filter_by_suicide(client, incidents, gwadar):
    yes = assert_filter(client, incidents, {"suicide": "true"}, lambda i: i["suicide"] is True)
    no = assert_filter(client, incidents, {"suicide": "false"}, lambda i: i["suicide"] is False)
    assert gwadar["id"] in ids(yes)
    assert len(yes) + len(no) <= len(incidents)
    assert not set(ids(yes)) & set(ids(no))


def test_filter_by_text_is_case_insensitive(client, incidents, gwadar):
    lower = filtered(client, q="gwadar")
    assert gwadar["id"] in ids(lower)
    assert ids(filtered(client, q="GWADAR")) == ids(lower)
    for incident in lower:
        text = json.dumps(incident).casefold()
        assert "gwadar" in text
    assert filtered(client, q="zzqx-nowhere") == []


def overlaps(incident: dict[str, Any], since: dt.date | None, until: dt.date | None) -> bool:
    date = incident["date"]
    if date is None or date["earliest"] is None:
        return False
    if since and day(date["latest"]) < since:
        return False
    return not (until and day(date["earliest"]) > until)


def test_date_window_keeps_incidents_that_overlap_it(client, incidents):
    dated = sorted(day(i["date"]["earliest"]) for i in incidents if i["date"])
    since, until = dated[1], dated[-2]
    found = assert_filter(
        client,
        incidents,
        {"since": since.isoformat(), "until": until.isoformat()},
        lambda i: overlaps(i, since, until),
    )
    assert 0 < len(found) < len(incidents)
    assert_filter(
        client, incidents, {"since": since.isoformat()}, lambda i: overlaps(i, since, None)
    )
    assert_filter(
        client, incidents, {"until": until.isoformat()}, lambda i: overlaps(i, None, until)
    )


def test_date_filters_are_inclusive_and_leave_out_undated(client, incidents, gwadar):
    on = gwadar["date"]["earliest"]
    before = (day(on) - dt.timedelta(days=1)).isoformat()
    after = (day(on) + dt.timedelta(days=1)).isoformat()
    assert gwadar["id"] in ids(filtered(client, since=on, until=on))
    assert gwadar["id"] not in ids(filtered(client, until=before))
    assert gwadar["id"] not in ids(filtered(client, since=after))
    wide = filtered(client, since="1900-01-01")
    assert ids(wide) == ids([i for i in incidents if i["date"] and i["date"]["earliest"]])


def test_filters_combine(client, incidents, gwadar):
    found = filtered(client, country="PK", nationality="CN", actor="BLA", since="2000-01-01")
    assert gwadar["id"] in ids(found)
    for incident in found:
        assert incident["location"]["country"] == "PK"
        assert "CN" in {v["nationality"] for v in incident["victims"]}
        assert "BLA" in actors_of(incident)
    assert len(found) <= min(
        len(filtered(client, country="PK")), len(filtered(client, nationality="CN"))
    )


def sort_key(order: str) -> Callable[[dict[str, Any]], Any]:
    name = order.lstrip("-")
    if name == "date":
        return lambda i: day(i["date"]["earliest"]) if i["date"] else None
    if name == "fatalities":
        return lambda i: i["fatalities"]["best"] if i["fatalities"] else None
    return lambda i: len(i["sources"])


@pytest.mark.parametrize(
    "order", ["date", "-date", "fatalities", "-fatalities", "sources", "-sources"]
)
def test_sort_orders_with_unknown_values_last(client, incidents, order):
    found = filtered(client, sort=order)
    assert sorted(ids(found)) == sorted(ids(incidents))
    key = sort_key(order)
    values = [key(i) for i in found]
    known = [v for v in values if v is not None]
    assert values == known + [None] * (len(values) - len(known)), "unknown values go last"
    assert known == sorted(known, reverse=order.startswith("-"))


def test_default_sort_is_newest_first(client, incidents):
    assert ids(incidents) == ids(filtered(client, sort="-date"))


@pytest.mark.parametrize("size", [1, 3, 4])
def test_pages_partition_the_list(client, incidents, size):
    seen: list[str] = []
    for offset in range(0, len(incidents) + size, size):
        page = ok(
            client.get(
                "/api/incidents", params={"limit": size, "offset": offset, "sort": "fatalities"}
            )
        )
        assert page["total"] == len(incidents)
        assert (page["limit"], page["offset"]) == (size, offset)
        assert len(page["items"]) <= size
        seen += ids(page["items"])
    assert seen == ids(filtered(client, sort="fatalities"))


def test_offset_past_the_end_gives_an_empty_page(client, incidents):
    page = ok(client.get("/api/incidents", params={"offset": len(incidents) + 10}))
    assert page["items"] == []
    assert page["total"] == len(incidents)


def test_pages_of_a_filter_count_the_filter(client):
    full = filtered(client, country="PK")
    page = ok(client.get("/api/incidents", params={"country": "PK", "limit": 1}))
    assert page["total"] == len(full)
    assert ids(page["items"]) == ids(full[:1])


# -- incidents: points -----------------------------------------------------------------


def test_points_are_geojson_for_the_filtered_incidents(client, incidents, gwadar):
    collection = ok(client.get("/api/incidents/points"))
    assert collection["type"] == "FeatureCollection"
    by_id = {i["id"]: i for i in incidents}
    assert len(collection["features"]) + collection["unplaced"] == len(incidents)
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        where = by_id[feature["id"]]["location"]
        assert [lon, lat] == [where["lon"], where["lat"]]
        assert feature["properties"]["country"] == where["country"]
        assert feature["properties"]["sources"] == len(by_id[feature["id"]]["sources"])
    placed = {f["id"] for f in collection["features"]}
    unplaced = [i for i in incidents if i["id"] not in placed]
    assert all(i["location"] is None or i["location"]["lat"] is None for i in unplaced)
    point = next(f for f in collection["features"] if f["id"] == gwadar["id"])
    lon, lat = point["geometry"]["coordinates"]
    assert 60 < lon < 65 and 24 < lat < 27, "[lon, lat], in that order"
    assert point["properties"]["claimed_by"] == "BLA"


def test_points_take_the_incident_filters(client):
    collection = ok(client.get("/api/incidents/points", params={"country": "pk"}))
    total = len(filtered(client, country="PK"))
    assert len(collection["features"]) + collection["unplaced"] == total
    assert all(f["properties"]["country"] == "PK" for f in collection["features"])
    none = ok(client.get("/api/incidents/points", params={"actor": "No Such Front"}))
    assert none == {"type": "FeatureCollection", "features": [], "unplaced": 0}


# -- incidents: detail -----------------------------------------------------------------


def test_every_incident_detail_has_accounts_and_statements_about_it(client, incidents, statements):
    for incident in incidents:
        detail = ok(client.get(f"/api/incidents/{incident['id']}"))
        assert set(detail) == {"incident", "accounts", "corrections", "statements", "arrests"}
        assert detail["incident"] == incident
        assert detail["accounts"], incident["id"]
        for account in detail["accounts"]:
            assert account["article"] is not None, account
            assert account["article"]["id"] in article_ids(incident)
            assert isinstance(account["reason"], str) and account["reason"]
            assert account["role"] in ("report", "mention")
        assert {a["article"]["id"] for a in detail["accounts"]} == article_ids(incident)
        assert detail["corrections"] == []
        about = [s["id"] for s in statements if s["about"] == incident["id"]]
        assert [s["id"] for s in detail["statements"]] == about
        assert all(a["about"] == incident["id"] for a in detail["arrests"])


def test_gwadar_detail_has_statements(client, gwadar):
    detail = ok(client.get(f"/api/incidents/{gwadar['id']}"))
    assert detail["statements"], "the demo reports reactions to the Gwadar attack"
    assert len(detail["accounts"]) >= 2


@pytest.mark.parametrize(
    "path",
    [
        "/api/incidents/evt-0000000000000000",
        "/api/articles/0000000000000000",
        "/api/actors/No Such Front",
    ],
)
def test_unknown_things_are_404_with_a_json_detail(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert "detail" in response.json()


# -- statements and the network --------------------------------------------------------


def test_statement_list_shape(client, statements):
    page = ok(client.get("/api/statements"))
    assert set(page) == {"total", "limit", "offset", "items"}
    assert page["total"] == len(statements)
    for statement in statements:
        assert statement["kind"] == "statement"
        assert statement["source"]["name"]
        assert statement["type"] in (
            "ACCUSE",
            "REJECT",
            "REQUEST",
            "AGREE",
            "THREATEN",
            "SUPPORT",
            "CLAIM_RESPONSIBILITY",
        )


def test_statement_pages_partition_the_list(client, statements):
    seen: list[str] = []
    for offset in range(0, len(statements), 7):
        page = ok(client.get("/api/statements", params={"limit": 7, "offset": offset}))
        assert page["total"] == len(statements)
        seen += ids(page["items"])
    assert seen == ids(statements)


def test_statements_by_type_repeated(client, statements):
    types = sorted({s["type"] for s in statements})
    assert len(types) >= 2
    wanted = types[:2]
    page = ok(client.get("/api/statements", params={"type": wanted, "limit": MAX}))
    assert ids(page["items"]) == ids([s for s in statements if s["type"] in wanted])
    one = ok(client.get("/api/statements", params={"type": wanted[0]}))["total"]
    two = ok(client.get("/api/statements", params={"type": wanted[1]}))["total"]
    assert page["total"] == one + two


def speaking_actor_with_alias(client: TestClient, role: str) -> dict[str, Any]:
    actors = ok(client.get("/api/actors"))
    found = [a for a in actors if a["aliases"] and a["counts"].get(role)]
    assert found, f"the demo has an actor with aliases that {role}"
    return found[0]


def test_statements_by_source_alias(client, statements):
    actor = speaking_actor_with_alias(client, "said")
    page = ok(client.get("/api/statements", params={"source": actor["aliases"][0], "limit": MAX}))
    assert page["total"] == actor["counts"]["said"]
    assert ids(page["items"]) == ids(
        [s for s in statements if s["source"]["name"] == actor["name"]]
    )


def test_statements_by_target_alias(client, statements):
    actor = speaking_actor_with_alias(client, "addressed")
    page = ok(client.get("/api/statements", params={"target": actor["aliases"][0], "limit": MAX}))
    assert page["total"] == actor["counts"]["addressed"]
    assert all(s["target"]["name"] == actor["name"] for s in page["items"])


def test_statements_about_an_incident(client, statements, gwadar):
    page = ok(client.get("/api/statements", params={"about": gwadar["id"], "limit": MAX}))
    assert page["total"] > 0
    assert ids(page["items"]) == ids([s for s in statements if s["about"] == gwadar["id"]])
    nothing = ok(client.get("/api/statements", params={"about": "evt-0000000000000000"}))
    assert nothing["total"] == 0


def test_statements_in_a_date_window(client, statements):
    dated = sorted(
        day(s["date"]["earliest"]) for s in statements if s["date"] and s["date"]["earliest"]
    )
    assert dated
    since, until = dated[len(dated) // 3], dated[2 * len(dated) // 3]
    page = ok(
        client.get(
            "/api/statements",
            params={"since": since.isoformat(), "until": until.isoformat(), "limit": MAX},
        )
    )
    assert ids(page["items"]) == ids([s for s in statements if overlaps(s, since, until)])
    assert 0 < page["total"] <= len(statements)


def test_network_edges_join_nodes_and_count_statements_with_a_target(client, statements):
    network = ok(client.get("/api/statements/network"))
    nodes = {node["id"]: node for node in network["nodes"]}
    assert len(nodes) == len(network["nodes"])
    with_target = {s["id"]: s for s in statements if s["target"] is not None}
    assert sum(edge["count"] for edge in network["edges"]) == len(with_target)
    assert sum(node["statements"] for node in nodes.values()) == 2 * len(with_target)
    listed: list[str] = []
    for edge in network["edges"]:
        assert edge["source"] in nodes and edge["target"] in nodes
        assert edge["count"] == len(edge["statements"])
        for statement_id in edge["statements"]:
            statement = with_target[statement_id]
            assert (
                statement["source"]["name"],
                statement["target"]["name"],
                statement["type"],
            ) == (edge["source"], edge["target"], edge["type"])
        listed += edge["statements"]
    assert sorted(listed) == sorted(with_target)


def test_network_takes_the_statement_filters(client, statements):
    network = ok(client.get("/api/statements/network", params={"type": "ACCUSE"}))
    assert all(edge["type"] == "ACCUSE" for edge in network["edges"])
    accusations = [s for s in statements if s["type"] == "ACCUSE" and s["target"]]
    assert sum(edge["count"] for edge in network["edges"]) == len(accusations)


# -- actors ----------------------------------------------------------------------------


def test_actor_list_most_often_first(client):
    actors = ok(client.get("/api/actors"))
    assert actors
    totals = [sum(a["counts"].values()) for a in actors]
    assert totals == sorted(totals, reverse=True)
    assert all(total > 0 for total in totals), "without q, only actors the records name"
    assert len({a["name"] for a in actors}) == len(actors)
    assert len(ok(client.get("/api/actors", params={"limit": 2}))) == 2


def test_actor_search_finds_aliases_and_the_dictionary(client):
    found = ok(client.get("/api/actors", params={"q": "balochistan liberation"}))
    names = [a["name"] for a in found]
    assert "BLA" in names
    assert any(not a["counts"] for a in found), "the dictionary's, even if no record names it"
    for actor in found:
        forms = [actor["name"], *actor["aliases"]]
        assert any("balochistan liberation" in form.casefold() for form in forms), actor
    totals = [sum(a["counts"].values()) for a in found]
    assert totals == sorted(totals, reverse=True)
    assert ok(client.get("/api/actors", params={"q": "zzqx nobody"})) == []


def test_actor_search_gives_an_organ_under_its_state(client):
    """An army's words are recorded under its state, so the search names the state."""
    names = [
        a["name"] for a in ok(client.get("/api/actors", params={"q": "People's Liberation Army"}))
    ]
    assert names == ["China"]


def test_actor_by_alias_gives_the_canonical_entry(client):
    actor = ok(client.get("/api/actors/Balochistan Liberation Army"))
    assert actor["name"] == "BLA"
    assert actor["kind"] == "armed_group"
    assert actor["country"] == "PK"
    assert "Balochistan Liberation Army" in actor["aliases"]
    assert actor["counts"] == ok(client.get("/api/actors/BLA"))["counts"]
    assert actor["counts"].get("claimed", 0) >= 1


def test_actor_only_in_the_records_is_found(client):
    actors = ok(client.get("/api/actors"))
    outside = [a for a in actors if a["kind"] is None]
    if not outside:
        pytest.skip("every actor the demo names is in the dictionary")
    actor = ok(client.get(f"/api/actors/{outside[0]['name']}"))
    assert actor == outside[0]


# -- articles --------------------------------------------------------------------------


def test_article_list_newest_first_and_paged(client, articles):
    published = [day(a["published"]) for a in articles]
    known = [p for p in published if p is not None]
    assert published == known + [None] * (len(published) - len(known))
    assert known == sorted(known, reverse=True)
    seen: list[str] = []
    for offset in range(0, len(articles), 8):
        page = ok(client.get("/api/articles", params={"limit": 8, "offset": offset}))
        assert page["total"] == len(articles)
        seen += ids(page["items"])
    assert seen == ids(articles)
    for article in articles:
        assert article["characters"] > 0
        assert "text" not in article


def test_article_search_in_title_or_text(client, articles):
    page = ok(client.get("/api/articles", params={"q": "gwadar", "limit": MAX}))
    assert 0 < page["total"] < len(articles)
    for summary in page["items"]:
        article = ok(client.get(f"/api/articles/{summary['id']}"))["article"]
        assert "gwadar" in ((article["title"] or "") + article["text"]).casefold()


def test_article_filter_by_outlet(client, articles):
    outlets = sorted({a["outlet"] for a in articles if a["outlet"]})
    assert outlets
    outlet = outlets[0]
    part = outlet.split()[0].lower()
    page = ok(client.get("/api/articles", params={"outlet": part, "limit": MAX}))
    assert ids(page["items"]) == ids(
        [a for a in articles if a["outlet"] and part in a["outlet"].casefold()]
    )
    assert outlet in {a["outlet"] for a in page["items"]}


def test_article_filter_by_published_window(client, articles):
    dates = sorted(day(a["published"]) for a in articles if a["published"])
    since, until = dates[len(dates) // 4], dates[3 * len(dates) // 4]
    page = ok(
        client.get(
            "/api/articles",
            params={"since": since.isoformat(), "until": until.isoformat(), "limit": MAX},
        )
    )
    expected = [a for a in articles if a["published"] and since <= day(a["published"]) <= until]
    assert ids(page["items"]) == ids(expected)
    assert 0 < page["total"] < len(articles)


def test_article_detail_maps_incident_mentions_to_incidents(client, articles):
    by_id = {i["id"]: i for i in every_incident(client, mentioned="true")}
    mapped = 0
    for summary in articles:
        detail = ok(client.get(f"/api/articles/{summary['id']}"))
        article = detail["article"]
        assert article["id"] == summary["id"]
        assert len(article["text"]) == summary["characters"]
        assert detail["sources"] and all(
            s["article_id"] == article["id"] for s in detail["sources"]
        )
        for record in detail["records"]:
            assert record["kind"] in ("incident", "statement", "arrest")
            assert all(e["article_id"] == article["id"] for e in record["evidence"])
            for evidence in record["evidence"]:
                assert article["text"][evidence["start"] : evidence["end"]] == evidence["quote"]
            if record["kind"] == "incident":
                event = detail["event"][record["id"]]
                assert article["id"] in article_ids(by_id[event])
                mapped += 1
        mentions = {r["id"] for r in detail["records"] if r["kind"] == "incident"}
        assert set(detail["event"]) == mentions
    assert mapped >= len(by_id)


# -- aggregates ------------------------------------------------------------------------


PERIOD_FORMS = {
    "week": r"^\d{4}-\d{2}-\d{2}$",
    "month": r"^\d{4}-\d{2}$",
    "quarter": r"^\d{4}-Q[1-4]$",
}


@pytest.mark.parametrize("interval", ["week", "month", "quarter"])
def test_aggregates_account_for_every_incident(client, incidents, interval):
    series = ok(client.get("/api/aggregates", params={"interval": interval}))
    assert series["interval"] == interval and series["by"] is None
    total = sum(cell["incidents"] for cell in series["series"])
    assert total + series["left_out"] == len(incidents)
    periods = [cell["period"] for cell in series["series"]]
    assert periods == sorted(periods) and len(periods) == len(set(periods))
    for cell in series["series"]:
        assert re.match(PERIOD_FORMS[interval], cell["period"]), cell
        assert cell["group"] is None
        if interval == "week":
            assert dt.date.fromisoformat(cell["period"]).weekday() == 0, "weeks start Monday"
    # the fitted fatalities are those of the incidents placed
    placed = sum(cell["fatalities"] for cell in series["series"])
    assert placed <= sum((i["fatalities"] or {}).get("best") or 0 for i in incidents)


def test_coarser_intervals_leave_out_fewer(client):
    left = {
        interval: ok(
            client.get("/api/aggregates", params={"interval": interval, "mentioned": "true"})
        )["left_out"]
        for interval in ("week", "month", "quarter")
    }
    assert left["week"] >= left["month"] >= left["quarter"]
    assert left["week"] > left["month"], "the demo has month-precision dates"


@pytest.mark.parametrize("by", ["country", "admin1", "actor", "nationality", "event_type"])
def test_aggregates_by_group(client, by):
    plain = ok(client.get("/api/aggregates", params={"interval": "month"}))
    grouped = ok(client.get("/api/aggregates", params={"interval": "month", "by": by}))
    assert grouped["by"] == by
    assert grouped["left_out"] == plain["left_out"]
    keys = [(c["period"], c["group"] or "") for c in grouped["series"]]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    per_period: dict[str, int] = {}
    for cell in grouped["series"]:
        per_period[cell["period"]] = per_period.get(cell["period"], 0) + cell["incidents"]
    plain_per_period = {c["period"]: c["incidents"] for c in plain["series"]}
    assert set(per_period) == set(plain_per_period)
    for period, count in per_period.items():
        if by in ("actor", "nationality"):  # an incident counts once in each group
            assert count >= plain_per_period[period]
        else:
            assert count == plain_per_period[period]


def test_aggregates_by_country_name_the_countries(client, incidents):
    grouped = ok(client.get("/api/aggregates", params={"interval": "quarter", "by": "country"}))
    countries = {(i["location"] or {}).get("country") for i in incidents}
    assert {c["group"] for c in grouped["series"]} <= countries


@pytest.mark.parametrize(
    "params",
    [
        {"country": "PK"},
        {"nationality": "CN"},
        {"event_type": ["bombing", "armed_assault"]},
        {"since": "2025-09-01", "actor": "TTP"},
    ],
)
def test_aggregates_take_the_incident_filters(client, params):
    total = len(filtered(client, **params))
    series = ok(client.get("/api/aggregates", params={**params, "interval": "week"}))
    assert sum(c["incidents"] for c in series["series"]) + series["left_out"] == total


# -- export ----------------------------------------------------------------------------


def export_lines(client: TestClient, **params: Any) -> list[str]:
    response = client.get("/api/export", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert "attachment" in response.headers["content-disposition"]
    assert response.text.endswith("\n")
    return response.text.splitlines()


def test_export_writes_every_record_a_line(client, statements):
    incidents = every_incident(client, mentioned="true")  # export writes them all
    records = [json.loads(line) for line in export_lines(client)]
    kinds = [r["kind"] for r in records]
    assert set(kinds) <= {"incident", "statement", "arrest"}
    assert kinds.count("incident") == len(incidents)
    assert kinds.count("statement") == len(statements)
    exported = {r["id"]: r for r in records if r["kind"] == "incident"}
    assert exported == {i["id"]: i for i in incidents}


@pytest.mark.parametrize("kind", ["incident", "statement", "arrest"])
def test_export_of_one_kind(client, kind):
    lines = export_lines(client, kind=kind, format="jsonl")
    assert all(json.loads(line)["kind"] == kind for line in lines)
    response = client.get("/api/export", params={"kind": kind})
    assert f"khabar-{kind}.jsonl" in response.headers["content-disposition"]


def test_export_matches_the_cli(writable_db, runner):
    with serve(writable_db) as client:
        api = export_lines(client, kind="incident")
        every = export_lines(client)
    result = runner.invoke(
        cli_app, ["export", "--format", "jsonl", "--kind", "incident", "--db", str(writable_db)]
    )
    assert result.exit_code == 0, result.output
    assert api == result.stdout.splitlines()
    assert api
    result = runner.invoke(cli_app, ["export", "--format", "jsonl", "--db", str(writable_db)])
    assert every == result.stdout.splitlines()


# -- bad parameters --------------------------------------------------------------------


BAD_PARAMETERS = [
    ("/api/incidents", {"since": "2025-13-01"}, "since"),
    ("/api/incidents", {"until": "yesterday"}, "until"),
    ("/api/incidents", {"since": "2025-10-01", "until": "2025-09-01"}, "until"),
    ("/api/incidents", {"country": "PAK"}, "country"),
    ("/api/incidents", {"nationality": "Chinese"}, "nationality"),
    ("/api/incidents", {"limit": 0}, "limit"),
    ("/api/incidents", {"limit": 501}, "limit"),
    ("/api/incidents", {"event_type": "explosion"}, "event_type"),
    ("/api/incidents", {"event_type": ["bombing", "explosion"]}, "event_type"),
    ("/api/incidents", {"sort": "size"}, "sort"),
    ("/api/incidents", {"offset": -1}, "offset"),
    ("/api/incidents", {"min_fatalities": -1}, "min_fatalities"),
    ("/api/incidents", {"suicide": "maybe"}, "suicide"),
    ("/api/incidents", {"countr": "PK"}, "countr"),
    ("/api/incidents/points", {"country": "PAK"}, "country"),
    ("/api/incidents/points", {"sort": "date"}, "sort"),
    ("/api/statements", {"type": "BLAME"}, "type"),
    ("/api/statements", {"since": "2025-10-01", "until": "2025-09-01"}, "until"),
    ("/api/statements", {"sourse": "Pakistan"}, "sourse"),
    ("/api/statements/network", {"type": "BLAME"}, "type"),
    ("/api/actors", {"limit": 0}, "limit"),
    ("/api/actors", {"name": "BLA"}, "name"),
    ("/api/articles", {"since": "2025-02-30"}, "since"),
    ("/api/articles", {"since": "2025-10-01", "until": "2025-09-01"}, "until"),
    ("/api/articles", {"limit": 501}, "limit"),
    ("/api/aggregates", {"interval": "day"}, "interval"),
    ("/api/aggregates", {"by": "city"}, "by"),
    ("/api/export", {"format": "xlsx"}, "format"),
    ("/api/export", {"format": "stix", "kind": "statement"}, "kind"),
    ("/api/export", {"kind": "event"}, "kind"),
    ("/api/incidents/evt-0000000000000000", {"verbose": "1"}, "verbose"),
]


@pytest.mark.parametrize(("path", "params", "name"), BAD_PARAMETERS)
def test_bad_parameters_are_422_with_a_message_naming_them(client, path, params, name):
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert name in message_of(response)


def test_validation_errors_list_each_problem(client):
    response = client.get("/api/incidents", params={"country": "PAK", "limit": 0})
    message = message_of(response)
    assert "country" in message and "limit" in message
    detail = response.json()["detail"]
    assert isinstance(detail, list) and len(detail) == 2
    assert {tuple(d["loc"]) for d in detail} == {("query", "country"), ("query", "limit")}
    assert all(d["msg"] and d["type"] for d in detail)


# -- access ----------------------------------------------------------------------------


def write_requests(event_id: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("/api/ingest", POSTED),
        (f"/api/incidents/{event_id}/merge", {"other": event_id}),
        (f"/api/incidents/{event_id}/split", {"article": "0000000000000000"}),
        (f"/api/incidents/{event_id}/corrections", {"field": "fatalities", "value": 12}),
    ]


@pytest.mark.parametrize("step", range(4))
def test_writes_need_the_key(client, gwadar, step):
    path, body = write_requests(gwadar["id"])[step]
    missing = client.post(path, json=body)
    assert missing.status_code == 401
    assert "X-API-Key" in missing.json()["detail"]
    wrong = client.post(path, json=body, headers={"X-API-Key": KEY + "x"})
    assert wrong.status_code == 401
    assert "wrong" in wrong.json()["detail"]
    assert ok(client.get("/api/health"))["incidents"] == len(every_incident(client))


def test_a_server_without_a_key_refuses_every_write(writable_db):
    with serve(writable_db) as client:
        event = every_incident(client)[0]["id"]
        before = ok(client.get("/api/health"))
        for path, body in write_requests(event):
            for headers in ({}, {"X-API-Key": KEY}, {"X-API-Key": ""}):
                response = client.post(path, json=body, headers=headers)
                assert response.status_code == 401, (path, headers)
                assert "writes are disabled" in response.json()["detail"]
        assert ok(client.get("/api/incidents"))["total"] > 0, "reads stay open"
        assert ok(client.get("/api/health")) == before


def test_closed_reads_need_the_key(writable_db):
    with serve(writable_db, open_reads=False, api_key=KEY) as client:
        for path in (
            "/api/incidents",
            "/api/incidents/points",
            "/api/statements",
            "/api/statements/network",
            "/api/actors",
            "/api/articles",
            "/api/aggregates",
            "/api/export",
            "/api/actors/BLA",
        ):
            refused = client.get(path)
            assert refused.status_code == 401, path
            assert "API key" in refused.json()["detail"]
            wrong = client.get(path, headers={"X-API-Key": "nope"})
            assert wrong.status_code == 401, path
            assert client.get(path, headers={"X-API-Key": KEY}).status_code == 200, path
        health = client.get("/api/health")
        assert health.status_code == 200
        assert health.json()["status"] == "ok"


def test_closed_reads_hide_unknown_incidents_behind_the_key_too(writable_db):
    with serve(writable_db, open_reads=False, api_key=KEY) as client:
        assert client.get("/api/incidents/evt-0000000000000000").status_code == 401


def test_dashboard_login_sets_a_cookie(writable_db):
    with serve(writable_db, open_reads=False, api_key=KEY) as client:
        first = client.get("/", follow_redirects=False)
        assert first.status_code == 303
        assert first.headers["location"].startswith("/login")
        deep = client.get("/statements?type=ACCUSE", follow_redirects=False)
        assert deep.status_code == 303
        assert "next=" in deep.headers["location"]
        assert client.get("/login").status_code == 200
        response = client.post("/login", data={"key": KEY, "next": "/"}, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("khabar_key=")
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
        page = client.get("/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        # the cookie opens the API's reads too, but never a write
        assert client.get("/api/incidents").status_code == 200
        assert client.post("/api/ingest", json=POSTED).status_code == 401


def test_dashboard_login_with_a_wrong_key(writable_db):
    with serve(writable_db, open_reads=False, api_key=KEY) as client:
        response = client.post(
            "/login", data={"key": "not-the-key", "next": "/"}, follow_redirects=False
        )
        assert response.status_code == 401
        assert "set-cookie" not in response.headers
        assert not client.cookies
        assert client.get("/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "//evil.example/x",
        "/\\evil.example",
        "evil.example",
        "javascript:alert(1)",
    ],
)
def test_login_never_redirects_off_site(writable_db, target):
    with serve(writable_db, open_reads=False, api_key=KEY) as client:
        response = client.post("/login", data={"key": KEY, "next": target}, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/"


def test_login_goes_back_to_the_page_asked_for(writable_db):
    with serve(writable_db, open_reads=False, api_key=KEY) as client:
        response = client.post(
            "/login", data={"key": KEY, "next": "/statements?type=ACCUSE"}, follow_redirects=False
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/statements?type=ACCUSE"


def test_pages_are_open_when_reads_are(client):
    assert client.get("/", follow_redirects=False).status_code == 200


# -- writes: ingest --------------------------------------------------------------------


def test_posting_an_article_ingests_extracts_and_resolves_it(writer):
    before = ok(writer.get("/api/health"))
    result = ok(writer.post("/api/ingest", json=POSTED))
    assert (result["new"], result["known"], result["failures"]) == (1, 0, [])
    assert len(result["articles"]) == 1
    article_id = result["articles"][0]
    after = ok(writer.get("/api/health"))
    assert after["articles"] == before["articles"] + 1
    assert result["incidents"] == after["incidents"] >= before["incidents"]

    listed = ok(writer.get("/api/articles", params={"q": "Lakki Marwat"}))
    assert article_id in ids(listed["items"])
    summary = next(a for a in listed["items"] if a["id"] == article_id)
    assert summary["title"] == POSTED["title"]
    assert summary["outlet"] == POSTED["outlet"]
    assert summary["published"] == POSTED["published"]

    detail = ok(writer.get(f"/api/articles/{article_id}"))
    assert detail["article"]["text"] == POSTED_TEXT
    events = set(detail["event"].values())
    assert events, "extraction found the attack"
    placed = [ok(writer.get(f"/api/incidents/{e}"))["incident"] for e in events]
    in_kp = [
        i
        for i in placed
        if i["location"]
        and i["location"]["country"] == "PK"
        and i["location"]["admin1"] == "Khyber Pakhtunkhwa"
    ]
    assert in_kp, placed
    incident = in_kp[0]
    assert article_id in article_ids(incident)
    assert incident["id"] in ids(every_incident(writer, country="PK"))
    assert incident["id"] in ids(every_incident(writer, actor="Pakistani Taliban"))
    assert incident["fatalities"]["best"] == 5


def test_posting_the_same_article_again_changes_nothing(writer):
    first = ok(writer.post("/api/ingest", json=POSTED))
    after_first = ok(writer.get("/api/health"))
    export_first = writer.get("/api/export").text
    second = ok(writer.post("/api/ingest", json=POSTED))
    assert (second["new"], second["known"]) == (0, 1)
    assert second["articles"] == first["articles"]
    assert ok(writer.get("/api/health")) == after_first
    assert writer.get("/api/export").text == export_first


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": "no text"},
        {"text": ""},
        {"text": "x", "colour": "red"},
        {"url": "not a url"},
        {"text": "x", "published": "2025-13-01"},
    ],
)
def test_posting_an_invalid_article_is_422(writer, body):
    before = ok(writer.get("/api/health"))
    response = writer.post("/api/ingest", json=body)
    assert response.status_code == 422, response.text
    assert message_of(response)
    assert ok(writer.get("/api/health")) == before


def test_posting_neither_text_nor_url_says_so(writer):
    assert "text" in message_of(writer.post("/api/ingest", json={"title": "t"}))


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x", "http://10.0.0.1/", "http://localhost:9/", "http://[::1]:9/"]
)
def test_posting_a_private_url_is_refused(writer, url):
    before = ok(writer.get("/api/health"))
    response = writer.post("/api/ingest", json={"url": url})
    assert response.status_code == 422, response.text
    assert "public" in json.dumps(response.json()) or "private" in json.dumps(response.json())
    assert ok(writer.get("/api/health")) == before


# -- writes: merge and split -----------------------------------------------------------


def test_merging_two_incidents(writer):
    incidents = every_incident(writer, sort="date", mentioned="true")
    first, second = incidents[0], incidents[1]
    result = ok(
        writer.post(
            f"/api/incidents/{first['id']}/merge", json={"other": second["id"], "force": True}
        )
    )
    after = every_incident(writer, mentioned="true")
    assert len(after) == len(incidents) - 1
    assert result["incidents"] == len(after)
    merged = ok(writer.get(f"/api/incidents/{result['incident']}"))
    assert article_ids(merged["incident"]) >= article_ids(first) | article_ids(second)
    accounts = {a["article"]["id"] for a in merged["accounts"]}
    assert accounts >= article_ids(first) | article_ids(second)
    holders = [i for i in after if article_ids(i) & (article_ids(first) | article_ids(second))]
    assert merged["incident"]["id"] in ids(holders)


def test_a_merge_survives_a_later_ingest(writer):
    incidents = every_incident(writer, sort="date", mentioned="true")
    first, second = incidents[0], incidents[1]
    result = ok(
        writer.post(
            f"/api/incidents/{first['id']}/merge", json={"other": second["id"], "force": True}
        )
    )
    ok(writer.post("/api/ingest", json=POSTED))
    merged = ok(writer.get(f"/api/incidents/{result['incident']}"))["incident"]
    assert article_ids(merged) >= article_ids(first) | article_ids(second)


def test_merging_with_itself_or_nothing(writer, gwadar):
    total = len(every_incident(writer))
    itself = writer.post(f"/api/incidents/{gwadar['id']}/merge", json={"other": gwadar["id"]})
    assert itself.status_code == 422
    assert "itself" in message_of(itself)
    missing = writer.post(
        f"/api/incidents/{gwadar['id']}/merge", json={"other": "evt-0000000000000000"}
    )
    assert missing.status_code == 404
    unknown = writer.post("/api/incidents/evt-0000000000000000/merge", json={"other": gwadar["id"]})
    assert unknown.status_code == 404
    assert writer.post(f"/api/incidents/{gwadar['id']}/merge", json={}).status_code == 422
    assert len(every_incident(writer)) == total


def only_here(incidents: list[dict[str, Any]], incident: dict[str, Any]) -> list[str]:
    """Articles that report this incident and no other."""
    elsewhere = {a for i in incidents if i["id"] != incident["id"] for a in article_ids(i)}
    return sorted(
        s["article_id"]
        for s in incident["sources"]
        if s["role"] == "report" and s["article_id"] not in elsewhere
    )


def test_splitting_an_account_off(writer, gwadar):
    incidents = every_incident(writer, mentioned="true")
    candidates = only_here(incidents, gwadar)
    assert candidates and len(article_ids(gwadar)) >= 2
    leaving = candidates[-1]
    result = ok(writer.post(f"/api/incidents/{gwadar['id']}/split", json={"article": leaving}))
    after = every_incident(writer, mentioned="true")
    assert len(after) == len(incidents) + 1
    assert result["incidents"] == len(after)
    holder = ok(writer.get(f"/api/incidents/{result['incident']}"))["incident"]
    assert article_ids(holder) == {leaving}
    rest = [i for i in after if article_ids(i) & (article_ids(gwadar) - {leaving})]
    assert rest and all(leaving not in article_ids(i) for i in rest)
    assert any(is_gwadar(i) for i in rest), "the rest is still the Gwadar attack"


def test_a_split_accepts_an_article_id_prefix(writer, gwadar):
    incidents = every_incident(writer, mentioned="true")
    leaving = only_here(incidents, gwadar)[-1]
    result = ok(writer.post(f"/api/incidents/{gwadar['id']}/split", json={"article": leaving[:8]}))
    assert result["incidents"] == len(incidents) + 1


def test_splitting_with_an_article_not_in_the_incident(writer, gwadar, articles):
    outside = [a["id"] for a in articles if a["id"] not in article_ids(gwadar)]
    total = len(every_incident(writer))
    response = writer.post(f"/api/incidents/{gwadar['id']}/split", json={"article": outside[0]})
    assert response.status_code == 422
    assert outside[0] in message_of(response)
    assert (
        writer.post(f"/api/incidents/{gwadar['id']}/split", json={"article": "ab"}).status_code
        == 422
    )
    assert (
        writer.post(
            "/api/incidents/evt-0000000000000000/split", json={"article": outside[0]}
        ).status_code
        == 404
    )
    assert len(every_incident(writer)) == total


def test_splitting_the_only_article_off(writer):
    incidents = every_incident(writer)
    single = [i for i in incidents if len(article_ids(i)) == 1]
    assert single, "the demo has an incident only one article tells"
    incident = single[0]
    response = writer.post(
        f"/api/incidents/{incident['id']}/split",
        json={"article": next(iter(article_ids(incident)))},
    )
    assert response.status_code == 422
    assert len(every_incident(writer)) == len(incidents)


# -- writes: corrections ---------------------------------------------------------------


def test_correcting_fatalities(writer, gwadar):
    response = writer.post(
        f"/api/incidents/{gwadar['id']}/corrections",
        json={
            "field": "fatalities",
            "value": 12,
            "note": "the hospital's final count",
            "author": "tester",
        },
    )
    assert response.status_code == 201, response.text
    detail = response.json()
    incident = detail["incident"]
    assert incident["fatalities"] == {"low": 12, "best": 12, "high": 12}
    assert not [e for e in incident["evidence"] if e["field"] == "fatalities"]
    assert [e for e in incident["evidence"] if e["field"] != "fatalities"] == [
        e for e in gwadar["evidence"] if e["field"] != "fatalities"
    ]
    (correction,) = detail["corrections"]
    assert correction["field"] == "fatalities"
    assert correction["value"] == {"low": 12, "best": 12, "high": 12}
    assert correction["note"] == "the hospital's final count"
    assert correction["author"] == "tester"
    assert correction["event_id"] == gwadar["id"]
    assert ok(writer.get(f"/api/incidents/{gwadar['id']}")) == detail
    listed = every_incident(writer, min_fatalities=12)
    assert gwadar["id"] in ids(listed)
    points = ok(writer.get("/api/incidents/points"))
    assert (
        next(f for f in points["features"] if f["id"] == gwadar["id"])["properties"]["fatalities"]
        == 12
    )


def test_correcting_with_a_cited_span(writer, gwadar):
    article_id = sorted(article_ids(gwadar))[0]
    text = ok(writer.get(f"/api/articles/{article_id}"))["article"]["text"]
    start, end = 0, text.index(".") + 1
    detail = writer.post(
        f"/api/incidents/{gwadar['id']}/corrections",
        json={
            "field": "fatalities",
            "value": {"low": 7, "best": 8, "high": 9},
            "evidence": {"article_id": article_id, "start": start, "end": end},
        },
    ).json()
    assert detail["incident"]["fatalities"] == {"low": 7, "best": 8, "high": 9}
    (cited,) = [e for e in detail["incident"]["evidence"] if e["field"] == "fatalities"]
    assert (cited["article_id"], cited["start"], cited["end"]) == (article_id, start, end)
    assert cited["quote"] == text[start:end]
    assert detail["corrections"][0]["evidence"]["quote"] == text[start:end]


def test_a_later_correction_of_the_same_field_wins(writer, gwadar):
    path = f"/api/incidents/{gwadar['id']}/corrections"
    assert writer.post(path, json={"field": "fatalities", "value": 12}).status_code == 201
    detail = writer.post(path, json={"field": "fatalities", "value": 10}).json()
    assert detail["incident"]["fatalities"]["best"] == 10
    assert [c["value"]["best"] for c in detail["corrections"]] == [12, 10]


def test_correcting_other_fields(writer, gwadar):
    path = f"/api/incidents/{gwadar['id']}/corrections"
    claimed = gwadar["perpetrator"]["alleged"]
    steps = [
        ("event_type", "armed_assault", lambda i: i["event_type"] == "armed_assault"),
        ("suicide", False, lambda i: i["suicide"] is False),
        (
            "date",
            "2026-01",
            lambda i: (
                i["date"]["precision"] == "month"
                and i["date"]["earliest"] == "2026-01-01"
                and i["date"]["latest"] == "2026-01-31"
            ),
        ),
        (
            "location",
            "Turbat",
            lambda i: i["location"]["place"] == "Turbat" and i["location"]["country"] == "PK",
        ),
        ("injured", None, lambda i: i["injured"] is None),
        ("target", "a convoy", lambda i: i["target"] == "a convoy"),
        (
            "claimed_by",
            "BLF",
            lambda i: (
                i["perpetrator"]["claimed_by"] == "BLF" and i["perpetrator"]["alleged"] == claimed
            ),
        ),
    ]
    for field, value, check in steps:
        response = writer.post(path, json={"field": field, "value": value})
        assert response.status_code == 201, (field, response.text)
        assert check(response.json()["incident"]), field
    detail = ok(writer.get(f"/api/incidents/{gwadar['id']}"))
    assert [c["field"] for c in detail["corrections"]] == [s[0] for s in steps]
    assert all(check(detail["incident"]) for _, _, check in steps)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("event_type", "explosion"),
        ("date", "2025-13"),
        ("date", "2025-02-30"),
        ("fatalities", -1),
        ("fatalities", {"low": 5, "best": 2}),
        ("fatalities", "many"),
        ("location", "Atlantis"),
        ("location", {"country": "Pakistan"}),
        ("casualties", 3),
        ("suicide", "yes"),
        ("target", ""),
    ],
)
def test_bad_corrections_are_422(writer, gwadar, field, value):
    path = f"/api/incidents/{gwadar['id']}/corrections"
    response = writer.post(path, json={"field": field, "value": value})
    assert response.status_code == 422, response.text
    assert message_of(response)
    assert ok(writer.get(f"/api/incidents/{gwadar['id']}"))["corrections"] == []


@pytest.mark.parametrize(
    "evidence",
    [
        {"article_id": "0000000000000000", "start": 0, "end": 5},
        {"start": 0, "end": 5},
        {"article_id": "{first}", "start": 5, "end": 5},
        {"article_id": "{first}", "start": 0, "end": 10_000_000},
        {"article_id": "{first}", "start": -1, "end": 5},
    ],
)
def test_a_correction_citing_a_bad_span_is_422(writer, gwadar, evidence):
    first = sorted(article_ids(gwadar))[0]
    if evidence.get("article_id") == "{first}":
        evidence = {**evidence, "article_id": first}
    response = writer.post(
        f"/api/incidents/{gwadar['id']}/corrections",
        json={"field": "fatalities", "value": 12, "evidence": evidence},
    )
    assert response.status_code == 422, response.text
    assert ok(writer.get(f"/api/incidents/{gwadar['id']}"))["corrections"] == []


def test_correcting_an_unknown_incident_is_404(writer):
    response = writer.post(
        "/api/incidents/evt-0000000000000000/corrections", json={"field": "fatalities", "value": 12}
    )
    assert response.status_code == 404


def test_a_correction_survives_a_rebuild(writable_db):
    with serve(writable_db, api_key=KEY) as client:
        client.headers["X-API-Key"] = KEY
        gwadar = next(i for i in every_incident(client) if is_gwadar(i))
        detail = client.post(
            f"/api/incidents/{gwadar['id']}/corrections",
            json={"field": "fatalities", "value": 12, "note": "n"},
        ).json()
        (correction,) = detail["corrections"]
    store = open_store(writable_db)
    try:
        resolve_into(store, rebuild=True)
        (kept,) = store.corrections()
        assert kept.id == correction["id"]
        event_id = store.resolution_links()[kept.anchor][0]
        (event,) = [e for e in store.iter_events() if e.id == event_id]
        assert event.fatalities is not None and event.fatalities.best == 12
        assert not [e for e in event.evidence if e.field == "fatalities"]
    finally:
        store.close()
    with serve(writable_db) as client:
        again = ok(client.get(f"/api/incidents/{event_id}"))
        assert again["incident"]["fatalities"]["best"] == 12
        assert [c["id"] for c in again["corrections"]] == [correction["id"]]


def test_a_correction_follows_its_incident_through_a_split(writer, gwadar):
    path = f"/api/incidents/{gwadar['id']}/corrections"
    assert writer.post(path, json={"field": "target", "value": "a convoy"}).status_code == 201
    incidents = every_incident(writer)
    leaving = only_here(incidents, gwadar)[-1]
    ok(writer.post(f"/api/incidents/{gwadar['id']}/split", json={"article": leaving}))
    corrected = [i for i in every_incident(writer) if i["target"] == "a convoy"]
    assert len(corrected) == 1, "the correction applies once, to one of the two parts"


# -- limits and headers ----------------------------------------------------------------


def test_a_body_over_the_limit_is_413(writable_db):
    with serve(writable_db, api_key=KEY, max_body_bytes=2000) as client:
        before = ok(client.get("/api/health"))
        body = {**POSTED, "text": POSTED_TEXT * 5}
        response = client.post("/api/ingest", json=body, headers={"X-API-Key": KEY})
        assert response.status_code == 413
        assert "2000" in response.json()["detail"]
        small = client.post("/api/ingest", json=POSTED, headers={"X-API-Key": KEY})
        assert small.status_code == 200, small.text
        assert ok(client.get("/api/health"))["articles"] == before["articles"] + 1


def test_a_streamed_body_over_the_limit_is_413(writable_db):
    """Without a Content-Length, the limit is counted as the body arrives."""
    with serve(writable_db, api_key=KEY, max_body_bytes=2000) as client:
        before = ok(client.get("/api/health"))
        payload = json.dumps({**POSTED, "text": POSTED_TEXT * 5}).encode()
        chunks = iter([payload[i : i + 500] for i in range(0, len(payload), 500)])
        response = client.post(
            "/api/ingest",
            content=chunks,
            headers={"X-API-Key": KEY, "Content-Type": "application/json"},
        )
        assert response.status_code == 413, response.text
        assert ok(client.get("/api/health")) == before


def test_a_413_carries_the_security_headers(writable_db):
    with serve(writable_db, api_key=KEY, max_body_bytes=2000) as client:
        response = client.post("/api/ingest", json={**POSTED, "text": POSTED_TEXT * 5})
        assert response.status_code == 413
        for header in SECURITY_HEADERS:
            assert header in response.headers, header


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/docs",
        "/login",
        "/articles",
        "/statements",
        "/api/health",
        "/api/incidents",
        "/api/export",
        "/openapi.json",
        "/api/incidents/evt-0000000000000000",
        "/api/incidents?limit=0",
        "/incidents/evt-0000000000000000",
    ],
)
def test_security_headers_on_pages_and_api(client, path):
    response = client.get(path)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_security_headers_on_refused_writes(client):
    response = client.post("/api/ingest", json=POSTED)
    assert response.status_code == 401
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in response.headers["content-security-policy"]


# A fictional page, written for this test: the HTML reader finds its text and metadata.
POSTED_PAGE = """<!doctype html><html><head>
<title>Two guards killed in Chaman market attack | Border Test Times</title>
<meta property="og:title" content="Two guards killed in Chaman market attack">
<meta property="article:published_time" content="2025-10-14T08:00:00Z">
<meta property="og:site_name" content="Border Test Times">
</head><body><nav>Home | World | Sport</nav><article>
<h1>Two guards killed in Chaman market attack</h1>
<p>CHAMAN: Two security guards were killed and three shopkeepers wounded when gunmen
opened fire in the main market of Chaman in Balochistan on Monday, police said.</p>
<p>The attackers fled on motorcycles towards the border, a police officer said, and a
search operation was under way. No group has claimed responsibility so far.</p>
<p>Traders shut their shops in protest on Tuesday and demanded better security.</p>
</article><footer>Share this story</footer></body></html>"""


def test_ingest_a_posted_html_page(writer):
    answer = writer.post("/api/ingest", json={"html": POSTED_PAGE})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["new"] == 1 and len(body["articles"]) == 1
    article = ok(writer.get(f"/api/articles/{body['articles'][0]}"))["article"]
    assert article["title"] == "Two guards killed in Chaman market attack"
    assert article["published"] == "2025-10-14"
    assert "Share this story" not in article["text"]
    chaman = every_incident(writer, q="Chaman")
    assert any((i["location"] or {}).get("admin1") == "Balochistan" for i in chaman)


@pytest.mark.parametrize(
    "body",
    [
        {"html": POSTED_PAGE, "text": "Both."},
        {"html": POSTED_PAGE, "title": "A title the page does not have"},
    ],
)
def test_ingest_refuses_mixed_inputs(writer, body):
    assert "html" in message_of(writer.post("/api/ingest", json=body))


def test_an_incident_renamed_by_a_merge_redirects_to_its_new_id(writer):
    incidents = every_incident(writer)
    first, second = incidents[0], incidents[1]
    merged = ok(
        writer.post(
            f"/api/incidents/{first['id']}/merge", json={"other": second["id"], "force": True}
        )
    )
    gone = {first["id"], second["id"]} - {merged["incident"]}
    assert gone, "a merge leaves one of the two ids unused"
    for old in gone:
        response = writer.get(f"/api/incidents/{old}", follow_redirects=False)
        assert response.status_code == 307, response.text
        assert response.headers["location"] == f"/api/incidents/{merged['incident']}"
        assert merged["incident"] in response.json()["detail"]
        followed = ok(writer.get(f"/api/incidents/{old}"))
        assert followed["incident"]["id"] == merged["incident"]
        page = writer.get(f"/incidents/{old}", follow_redirects=False)
        assert page.status_code == 307
        assert page.headers["location"] == f"/incidents/{merged['incident']}"
    assert writer.get("/api/incidents/evt-0000000000000000").status_code == 404
