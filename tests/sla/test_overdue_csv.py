"""The overdue CSV, byte for byte, against the file its columns and formats describe."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from flask_babel import gettext as _
from sqlalchemy import select, update

from hotline.core.actors import Actor
from hotline.core.context import label, settings
from hotline.core.durations import human_duration
from hotline.core.extensions import db
from hotline.core.timeutil import isoformat
from hotline.org.models import Department
from hotline.sla.export import overdue_export
from hotline.tickets.models import Ticket
from hotline.web.i18n import COOKIE
from tests.support.sla import COMMUNITY_DEPT, act

NOW = datetime(2026, 11, 30, 1, 0, 0, 123456)
HEADER = ["工单号", "类型", "紧急", "反映事项", "地址", "承办单位编码", "承办单位", "职能", "层级",
          "环节", "期限", "超时秒数", "超时时长", "督办层级", "主办/协办"]  # fmt: skip
# (overdue by, description, address, urgent, escalation level, clock): every format's edge.
CASES = [
    (timedelta(seconds=59, microseconds=9), '他说"马上来",结果没来', "玉林1号", False, None, "sign"),
    (timedelta(minutes=5), "第一行\n第二行\r\n第三行\t制表\\.", None, True, "township", "sign"),
    (timedelta(hours=2), "路灯不亮", "武侯区,玉林北路12号", False, "district", "resolve"),
    (timedelta(hours=2, minutes=30, seconds=1), "噪音" * 1500, "", True, "city", "resolve"),
    (timedelta(days=1), "\\.", '"引号"地址', False, "community", "sign"),
    (timedelta(days=1, hours=6, minutes=59), "井盖破损", "\r", False, None, "resolve"),
    (timedelta(days=40, hours=23, minutes=59, seconds=59), "x", "y", True, "district", "sign"),
]  # fmt: skip


def expected_csv(numbers: list[str]) -> bytes:
    """Write the CSV as the columns are specified: the plain csv module over the ORM's rows."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_(word) for word in HEADER])
    tz = settings().timezone
    rows = []
    for number in numbers:
        t = db.session.scalar(select(Ticket).where(Ticket.number == number))
        assert t is not None
        step, due = ("sign", t.sign_due) if t.status == "dispatched" else ("resolve", t.resolve_due)
        rows.append((due, t.id, t, step))
    for due, _id, t, step in sorted(rows, key=lambda r: r[:2]):
        d = db.session.get(Department, t.department_code)
        seconds = int((NOW - due).total_seconds())
        writer.writerow([
            t.number, label("type", t.type), _("是") if t.urgent else _("否"), t.description,
            t.address or "", d.code, d.name, label("function", d.function),
            label("level_long", d.level), label("step", step), isoformat(due, tz), seconds,
            human_duration(seconds, _), label("level_long", t.escalation_level), _("主办"),
        ])  # fmt: skip
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_overdue_csv_is_byte_for_byte_the_specified_file(app, client, new_ticket, staff, locale):
    operator = staff("operator")
    numbers = []
    for late, description, address, urgent, level, clock in CASES:
        number = new_ticket()
        act(client, number, operator, action="dispatch", department=COMMUNITY_DEPT)
        due = NOW - late
        values = {"description": description, "address": address, "urgent": urgent,
                  "escalation_level": level, "sign_due": due, "sla_next_at": due}  # fmt: skip
        if clock == "resolve":
            values |= {"status": "accepted", "signed_at": due, "resolve_due": due}
        with app.app_context():
            db.session.execute(update(Ticket).where(Ticket.number == number).values(**values))
            db.session.commit()
        numbers.append(number)
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE}={locale}"}):
        city = Actor(None, "sup", "supervisor", org_unit_code="5101")
        args = {"page": 1, "per_page": 20, "sort": "most_overdue"}
        response = overdue_export(city, args, NOW)
        body = b"".join(response.response)
        response.close()
        assert body == expected_csv(numbers)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(CASES)
    # An hour on, the same export (its statement kept by the process) counts from the new moment.
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE}={locale}"}):
        later = overdue_export(city, args, NOW + timedelta(hours=1))
        again = list(csv.reader(io.StringIO(b"".join(later.response).decode("utf-8-sig"))))
        later.close()
    assert [int(r[11]) for r in again[1:]] == [int(r[11]) + 3600 for r in rows[1:]]
    if locale == "en":
        assert rows[1][12] == "40d 23h" and rows[-1][12] == "0 min"
        return
    assert [r[12] for r in rows[1:]] == ["40天23小时", "1天6小时", "1天", "2小时30分钟", "2小时",
                                         "5分钟", "0分钟"]  # fmt: skip
    assert rows[1][10].endswith("+08:00") and rows[1][11] == str(40 * 86400 + 86399)
