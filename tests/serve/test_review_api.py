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
