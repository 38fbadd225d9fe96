"""The API's review and mention-only filters, and a merge that warns before it goes."""

from typing import Any

from fastapi.testclient import TestClient


def items(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/incidents", params={**params, "limit": 500})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_mention_only_incidents_stay_out_of_lists_maps_and_aggregates(client):
    listed = items(client)
    everything = items(client, mentioned="true")
    assert all(i["status"] == "reported" for i in listed)
    assert {i["status"] for i in everything} == {"reported", "mentioned"}
    points = client.get("/api/incidents/points").json()
    assert len(points["features"]) + points["unplaced"] == len(listed)
    series = client.get("/api/aggregates", params={"interval": "quarter"}).json()
    counted = sum(cell["incidents"] for cell in series["series"]) + series["left_out"]
    assert counted == len(listed)


def test_review_filter_splits_incidents_by_their_reasons(client):
    flagged = items(client, review="true", mentioned="true")
    clean = items(client, review="false", mentioned="true")
    assert flagged and all(i["review"] for i in flagged)
    assert clean and not any(i["review"] for i in clean)
    assert len(flagged) + len(clean) == len(items(client, mentioned="true"))


def test_incident_page_lists_the_review_reasons(client):
    (flagged, *_) = items(client, review="true", mentioned="true")
    page = client.get(f"/incidents/{flagged['id']}")
    assert page.status_code == 200
    assert "To review" in page.text
    for reason in flagged["review"]:
        assert reason.replace("'", "&#39;") in page.text or reason in page.text


def test_a_merge_of_incidents_days_apart_needs_force(writer):
    listed = sorted(items(writer), key=lambda i: i["date"]["value"] if i["date"] else "")
    dated = [i for i in listed if i["date"] and i["date"]["precision"] == "day"]
    first, last = dated[0], dated[-1]
    refused = writer.post(f"/api/incidents/{first['id']}/merge", json={"other": last["id"]})
    assert refused.status_code == 409
    assert "days apart" in refused.text
    assert len(items(writer)) == len(listed)
    forced = writer.post(
        f"/api/incidents/{first['id']}/merge", json={"other": last["id"], "force": True}
    )
    assert forced.status_code == 200, forced.text
    assert len(items(writer)) == len(listed) - 1


def test_decisions_are_listed_and_taken_back_and_unmerge_undoes_a_merge(writer):
    listed = items(writer)
    first, second = listed[0], listed[1]
    merged = writer.post(
        f"/api/incidents/{first['id']}/merge", json={"other": second["id"], "force": True}
    ).json()
    (decision,) = writer.get("/api/decisions").json()
    assert decision["kind"] == "merge"
    undone = writer.post(f"/api/incidents/{merged['incident']}/unmerge")
    assert undone.status_code == 200, undone.text
    assert [d["id"] for d in undone.json()["decisions"]] == [decision["id"]]
    assert len(items(writer)) == len(listed)
    assert writer.get("/api/decisions").json() == []
    again = writer.post(f"/api/incidents/{listed[0]['id']}/unmerge")
    assert again.status_code == 409
    # A split, taken back by its id.
    gwadar = max(listed, key=lambda i: len(i["sources"]))
    article = next(s["article_id"] for s in gwadar["sources"] if s["role"] == "report")
    assert writer.post(f"/api/incidents/{gwadar['id']}/split", json={"article": article}).is_success
    (split,) = writer.get("/api/decisions").json()
    reverted = writer.post(f"/api/decisions/{split['id']}/revert")
    assert reverted.status_code == 200, reverted.text
    assert len(items(writer)) == len(listed)
    assert writer.post("/api/decisions/hd-none/revert").status_code == 404
