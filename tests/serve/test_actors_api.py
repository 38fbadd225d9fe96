"""Actor pages: /api/actors/{name}/activity and /actors/{name}, over the demo database."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest


def ok(response):
    assert response.status_code == 200, response.text
    return response.json()


def test_activity_lists_claims_allegations_and_statements(client):
    found = ok(client.get("/api/actors/TTP/activity"))
    assert found["actor"]["name"] == "TTP" and found["interval"] == "month"
    counts = found["actor"]["counts"]
    assert len(found["claimed"]) == counts.get("claimed", 0) >= 1
    assert len(found["alleged"]) == counts.get("accused_of_attack", 0) >= 1
    assert len(found["said"]) == counts.get("said", 0) >= 1
    assert len(found["addressed"]) == counts.get("addressed", 0)
    assert all(i["claimed_by"] == "TTP" for i in found["claimed"])
    assert all(s["source"]["name"] == "TTP" for s in found["said"])
    assert all(s["target"]["name"] == "TTP" for s in found["addressed"])
    for brief in found["alleged"]:
        incident = ok(client.get(f"/api/incidents/{brief['id']}"))["incident"]
        assert "TTP" in {a["actor"] for a in incident["perpetrator"]["alleged"]}
        assert len(brief["alleged_by"]) >= 1


def test_activity_matches_the_records_the_incident_filter_finds(client):
    found = ok(client.get("/api/actors/TTP/activity"))
    filtered = ok(client.get("/api/incidents", params={"actor": "TTP", "limit": 500}))
    assert {i["id"] for i in found["claimed"] + found["alleged"]} == {
        i["id"] for i in filtered["items"]
    }


def test_activity_over_time_counts_each_dated_record_once(client):
    found = ok(client.get("/api/actors/Pakistan/activity", params={"interval": "quarter"}))
    cells = found["series"]
    assert cells and all(re.match(r"^\d{4}-Q[1-4]$", c["period"]) for c in cells)
    assert [c["period"] for c in cells] == sorted(c["period"] for c in cells)
    placed = sum(c["claimed"] + c["alleged"] + c["said"] + c["addressed"] for c in cells)
    records = sum(len(found[k]) for k in ("claimed", "alleged", "said", "addressed"))
    assert placed + found["left_out"] == records
    # a statement with no date of its own is placed when its article was published
    undated = [s for s in found["said"] + found["addressed"] if not (s["date"] or {}).get("value")]
    placed_by_article = [s for s in undated if s["id"] in found["reported"]]
    assert placed_by_article
    for statement in placed_by_article:
        days = [
            ok(client.get(f"/api/articles/{source['article_id']}"))["article"]["published"]
            for source in statement["sources"]
        ]
        assert found["reported"][statement["id"]] == min(d for d in days if d)


@pytest.mark.parametrize("name", ["Tehrik-e-Taliban Pakistan", "ttp"])
def test_activity_by_alias_or_case_is_the_canonical_actor(client, name):
    by_alias = ok(client.get(f"/api/actors/{quote(name)}/activity"))
    assert by_alias["actor"]["name"] == "TTP"
    assert by_alias == ok(client.get("/api/actors/TTP/activity"))


def test_activity_of_an_unknown_actor_is_404(client):
    assert client.get("/api/actors/Narnia%20Front/activity").status_code == 404
    assert client.get("/actors/Narnia%20Front").status_code == 404


def test_actor_page_lists_and_links(client):
    response = client.get("/actors/TTP")
    assert response.status_code == 200
    page = response.text
    assert "<h1>TTP <small>armed group · PK</small></h1>" in page
    for table in ("claimed", "alleged", "said", "addressed"):
        assert f'id="{table}"' in page
    found = ok(client.get("/api/actors/TTP/activity"))
    for brief in found["claimed"] + found["alleged"]:
        assert f'href="/incidents/{brief["id"]}"' in page
    assert 'href="/actors/Pakistan"' in page  # the other side of a statement links on
    assert 'data-api="/api/actors/TTP/activity"' in page


def test_actor_names_link_to_their_pages_across_the_dashboard(client):
    statements = client.get("/statements").text
    assert 'class="actor" href="/actors/TTP"' in statements
    incident = ok(client.get("/api/incidents", params={"actor": "TTP", "limit": 1}))["items"][0]
    page = client.get(f"/incidents/{incident['id']}").text
    assert re.search(r'<a class="actor" href="/actors/[^"]+">', page)


def test_actor_page_escapes_names_from_articles(writer):
    event = ok(writer.get("/api/incidents", params={"limit": 1}))["items"][0]["id"]
    name = '<img src=x onerror="alert(1)">Front</b>'
    response = writer.post(
        f"/api/incidents/{event}/corrections", json={"field": "claimed_by", "value": name}
    )
    assert response.status_code == 201, response.text
    page = writer.get("/actors/" + quote(name, safe=""))
    assert page.status_code == 200
    assert "<img src=x" not in page.text
    assert "&lt;img src=x onerror=" in page.text
    assert len(ok(writer.get("/api/actors/" + quote(name, safe="") + "/activity"))["claimed"]) == 1
