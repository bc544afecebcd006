"""English mode: durations, status words and admin badges through the catalogue."""

from __future__ import annotations

import re

from hotline.core.extensions import db


def test_overdue_durations_follow_the_language(app, signin):
    from datetime import timedelta

    from hotline.core.timeutil import utcnow
    from tests.support.stats import put

    with app.app_context():
        now = utcnow()
        put("J", now - timedelta(days=3), "510104017001", "510104-urban_management",
            sign_due=now - timedelta(days=1, hours=3, minutes=5), status="dispatched")  # fmt: skip
        db.session.commit()
        db.session.remove()
    sup = signin("supervisor", org_unit="5101")
    zh = sup.get("/supervisor").text
    assert "1天3小时" in zh
    sup.get("/lang/en?next=/supervisor")
    en = sup.get("/supervisor").text
    badge = en.split('class="badge badge-danger">', 1)[1].split("<", 1)[0]
    assert badge == "1d 3h"
    assert "天" not in en and "小时" not in en and "分钟" not in en


def test_status_words_follow_the_domain(signin, new_ticket, act_as):
    from hotline.web.labels import STATUS

    assert {k: str(v) for k, v in STATUS.items()} == {
        "received": "已受理",
        "answered": "直接答复",
        "dispatched": "已派单",
        "accepted": "已签收",
        "returned": "已退单",
        "resolved": "已办结",
        "closed": "已归档",
        "merged": "已合并",
    }
    number = new_ticket()
    operator = signin("operator")
    assert "已受理" in operator.get(f"/tickets/{number}").text
    operator.get(f"/lang/en?next=/tickets/{number}")
    page = operator.get(f"/tickets/{number}").text
    assert ">Received<" in page


def test_admin_badges_read_active_inactive_and_keys_created(app, signin):
    from hotline.users.models import User
    from tests.support.plugin import make_user

    make_user(app, "operator", username="gone_user")
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "gone_user").values(active=False))
        db.session.commit()
        db.session.remove()
    admin = signin("admin")
    admin.get("/lang/en?next=/admin")
    users = admin.get("/admin").text
    badges = re.findall(r'<span class="badge badge-(?:ok|muted)">([^<]*)</span>', users)
    assert "Active" in badges and "Inactive" in badges
    assert "Activate" not in badges and "Deactivate" not in badges
    keys = admin.get("/admin/keys").text
    assert "<th>Created</th>" in keys
