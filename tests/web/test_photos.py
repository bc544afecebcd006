"""Photos on the web: the portal's write-in form, an agent's result photo, /track."""

from __future__ import annotations

import io
from typing import Any

from tests.support.images import jpeg_with_gps, png_bytes
from tests.support.plugin import DEPT, OTHER_DEPT


def _write_in(client: Any, files: list[tuple[bytes, str]]) -> Any:
    form = {
        "type": "complaint",
        "description": "玉林北路12号门口有人占道经营，见照片",
        "phone": "13812345678",
        "community": "510107005001",
        "attachments": [(io.BytesIO(data), name) for data, name in files],
    }
    return client.post("/", data=form, content_type="multipart/form-data")


def test_portal_photos_reach_staff_and_the_resident(app, client, nocsrf, signin, staff):
    response = _write_in(client, [(jpeg_with_gps(), "IMG_0001.JPG"), (png_bytes(), "b.png")])
    assert response.status_code == 303, response.data[:500]
    number = client.get("/submitted").get_data(as_text=True).split('id="ticket-number"')[1]
    number = number.split(">")[1].split("<")[0].strip()
    page = client.get(f"/track/{number}").get_data(as_text=True)
    assert 'id="files"' in page and "IMG_0001.jpg" in page
    op = staff("operator")
    items = client.get(f"/api/v1/tickets/{number}", headers=op).json["attachments"]
    assert [i["filename"] for i in items] == ["IMG_0001.jpg", "b.png"]
    assert all(i["public"] for i in items)
    # The browser that wrote in sees its files; another browser does not.
    assert client.get(f"/track/{number}/attachments/{items[0]['id']}").status_code == 200
    stranger = app.test_client()
    assert stranger.get(f"/track/{number}/attachments/{items[0]['id']}").status_code == 404


def test_portal_refuses_a_disguised_file_and_opens_no_ticket(client, nocsrf, staff):
    response = _write_in(client, [(b"MZ\x90\x00 not a photo", "photo.jpg")])
    assert response.status_code == 400
    assert "附件须为照片" in response.get_data(as_text=True)
    op = staff("operator")
    assert client.get("/api/v1/tickets", headers=op).json["total"] == 0


def test_agent_result_photo_is_shown_on_track(app, client, nocsrf, signin, staff, new_ticket):
    op = staff("operator")
    number = new_ticket()
    client.post(f"/api/v1/tickets/{number}/actions", headers=op,
                json={"action": "dispatch", "department": DEPT, "reason": "属地"})  # fmt: skip
    agent = signin("agent", department=DEPT)
    agent.post(f"/tickets/{number}/act", data={"action": "sign"})
    note = agent.post(f"/tickets/{number}/act", data={
        "action": "note", "text": "现场核实", "attachments": (io.BytesIO(png_bytes()), "n.png")},
        content_type="multipart/form-data")  # fmt: skip
    assert note.status_code == 303
    done = agent.post(f"/tickets/{number}/act", data={
        "action": "resolve", "reply": "已清理", "attachments": (io.BytesIO(jpeg_with_gps()), "r.jpg")},
        content_type="multipart/form-data")  # fmt: skip
    assert done.status_code == 303
    items = client.get(f"/api/v1/tickets/{number}", headers=op).json["attachments"]
    assert [(i["filename"], i["public"]) for i in items] == [("n.png", False), ("r.jpg", True)]
    page = agent.get(f"/tickets/{number}").get_data(as_text=True)
    assert "n.png" in page and "r.jpg" in page
    track = client.get(f"/api/v1/track/{number}?phone=13812345678").json
    assert [a["filename"] for a in track["attachments"]] == ["r.jpg"]
    assert client.get(track["attachments"][0]["url"]).status_code == 200
    # Another department cannot open the ticket, nor its files.
    other = signin("agent", department=OTHER_DEPT)
    assert other.get(f"/api/v1/tickets/{number}/attachments/{items[0]['id']}").status_code == 404


def test_open311_location_and_media_shown(app, client, signin, new_ticket):
    from hotline.core.extensions import db
    from hotline.tickets.models import Ticket

    number = new_ticket()
    with app.app_context():
        ticket = db.session.query(Ticket).filter_by(number=number).one()
        ticket.latitude, ticket.longitude = 30.6405, 104.0432
        ticket.media_url = "https://example.org/p.jpg"
        db.session.commit()
        db.session.remove()
    op = signin("operator")
    page = op.get(f"/tickets/{number}").get_data(as_text=True)
    assert "30.640500, 104.043200" in page and 'href="https://example.org/p.jpg"' in page
