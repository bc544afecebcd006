"""Attachments: checked by content, stripped of EXIF, stored locally or in S3, shown in scope."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from tests.support.images import jpeg_with_gps, png_bytes
from tests.support.plugin import DEPT, OTHER_DEPT


def _upload(client: Any, number: str, headers: dict[str, str], data: bytes,
            name: str = "photo.jpg", **form: Any) -> Any:  # fmt: skip
    body = {"file": (io.BytesIO(data), name), **form}
    return client.post(f"/api/v1/tickets/{number}/attachments", headers=headers, data=body,
                       content_type="multipart/form-data")  # fmt: skip


def _dispatch(client: Any, number: str, op: dict[str, str]) -> None:
    response = client.post(f"/api/v1/tickets/{number}/actions", headers=op,
                           json={"action": "dispatch", "department": DEPT, "reason": "属地"})  # fmt: skip
    assert response.status_code == 200, response.json


def test_staff_upload_strips_exif_and_serves_in_scope(client, staff, new_ticket):
    op = staff("operator")
    number = new_ticket()
    original = jpeg_with_gps()
    assert b"Exif" in original and b"PhoneMaker" in original
    response = _upload(client, number, op, original, name="../../etc/现场.jpeg")
    assert response.status_code == 201, response.json
    item = response.json
    assert set(item) >= {"id", "filename", "content_type", "size", "url"}
    assert item["filename"] == "现场.jpg" and item["content_type"] == "image/jpeg"
    stored = client.get(item["url"], headers=op)
    assert stored.status_code == 200 and stored.mimetype == "image/jpeg"
    assert stored.headers["X-Content-Type-Options"] == "nosniff"
    # Opened directly, a stored file runs nothing in the site's origin: its own policy stays.
    assert stored.headers.getlist("Content-Security-Policy") == ["sandbox"]
    assert stored.headers["X-Frame-Options"] == "DENY"  # the site's other headers still come
    assert len(stored.data) == item["size"]
    assert b"Exif" not in stored.data and b"PhoneMaker" not in stored.data
    assert not Image.open(io.BytesIO(stored.data)).getexif()
    ticket = client.get(f"/api/v1/tickets/{number}", headers=op).json
    assert [a["id"] for a in ticket["attachments"]] == [item["id"]]
    assert ticket["events"][-1]["action"] == "attach"

    # Only those who may see the ticket get the file.
    _dispatch(client, number, op)
    mine, theirs = staff("agent", department=DEPT), staff("agent", department=OTHER_DEPT)
    assert client.get(item["url"], headers=mine).status_code == 200
    assert client.get(item["url"], headers=theirs).status_code == 404
    assert client.get(item["url"]).status_code == 401
    assert _upload(client, number, theirs, png_bytes(), "x.png").status_code == 403
    assert _upload(client, number, mine, png_bytes(), "x.png").status_code == 201
    # The resident's tracking answer lists none of these internal files.
    track = client.get(f"/api/v1/track/{number}?phone=13812345678").json
    assert track["attachments"] == []


def test_type_and_size_come_from_the_content(client, staff, new_ticket, configure):
    op = staff("operator")
    number = new_ticket()
    fake = _upload(client, number, op, b"#!/bin/sh\nrm -rf /\n", name="photo.jpg")
    assert fake.status_code == 422 and "file" in fake.json["error"]["fields"]
    broken = _upload(client, number, op, b"\xff\xd8\xff\xe0" + b"\x00" * 100, name="a.jpg")
    assert broken.status_code == 422 and "file" in broken.json["error"]["fields"]
    missing = client.post(f"/api/v1/tickets/{number}/attachments", headers=op, data={},
                          content_type="multipart/form-data")  # fmt: skip
    assert missing.status_code == 422 and "file" in missing.json["error"]["fields"]
    pdf = _upload(client, number, op, b"%PDF-1.4\n%%EOF\n", name="report.exe")
    assert pdf.status_code == 201 and pdf.json["filename"] == "report.pdf"
    configure(upload_max_bytes=1000)
    big = _upload(client, number, op, b"%PDF-1.4\n" + b"0" * 2000)
    assert big.status_code == 422 and "file" in big.json["error"]["fields"]
    ticket = client.get(f"/api/v1/tickets/{number}", headers=op).json
    assert [a["filename"] for a in ticket["attachments"]] == ["report.pdf"]


def test_public_files_reach_the_resident_by_signed_link(client, staff, new_ticket):
    op = staff("operator")
    number, other = new_ticket(), new_ticket()
    shown = _upload(client, number, op, png_bytes(), "proof.png", public="true").json
    hidden = _upload(client, number, op, png_bytes(), "internal.png").json
    track = client.get(f"/api/v1/track/{number}?phone=13812345678").json
    assert [a["id"] for a in track["attachments"]] == [shown["id"]]
    link = track["attachments"][0]["url"]
    assert link.startswith(f"/track/{number}/attachments/{shown['id']}?t=")
    anonymous = client.application.test_client()
    assert anonymous.get(link).status_code == 200
    assert anonymous.get(link.split("?")[0]).status_code == 404
    token = link.split("t=")[1]
    assert anonymous.get(f"/track/{number}/attachments/{hidden['id']}?t={token}").status_code == 404
    assert anonymous.get(f"/track/{other}/attachments/{shown['id']}?t={token}").status_code == 404


def test_s3_storage(client, staff, new_ticket, configure, s3_server):
    import boto3

    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1",
                      aws_access_key_id="test", aws_secret_access_key="test")  # fmt: skip
    s3.create_bucket(Bucket="hotline-files")
    configure(s3_bucket="hotline-files", s3_endpoint=s3_server, s3_access_key="test",
              s3_secret_key="test", s3_region="us-east-1")  # fmt: skip
    op = staff("operator")
    number = new_ticket()
    item = _upload(client, number, op, jpeg_with_gps("green")).json
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="hotline-files")["Contents"]]
    assert len(keys) == 1 and keys[0].startswith(number + "/")
    body = s3.get_object(Bucket="hotline-files", Key=keys[0])["Body"].read()
    assert b"Exif" not in body
    assert client.get(item["url"], headers=op).data == body
