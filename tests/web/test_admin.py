"""Admin pages: accounts, departments, knowledge base, Open311 keys and the rules view."""

from __future__ import annotations

import re

from sqlalchemy import select

from hotline.core.extensions import db
from hotline.org.models import Department
from tests.support.web import login, post_form, signed_in

DEPT = "510107-urban_management"
OPEN311_FORM = {"service_code": "litter", "address_string": "玉林北路", "phone": "13812345678"}


def test_only_admins_get_in(app, client, staff):
    assert "/login" in client.get("/admin").headers["Location"]
    for role, scope in (("agent", {"department": DEPT}), ("operator", {}),
                        ("supervisor", {"org_unit": "5101"})):  # fmt: skip
        other = signed_in(app, staff, role, **scope)
        for path in ("/admin", "/admin/departments", "/admin/keys", "/admin/rules",
                     "/admin/knowledge"):  # fmt: skip
            assert other.get(path).status_code == 403, (role, path)
        assert post_form(other, "/admin/keys", {"name": "x"}, "/supervisor").status_code in (
            400,
            403,
        )


def test_admin_creates_a_user_who_can_sign_in(app, client, staff):
    admin = signed_in(app, staff, "admin")
    form = {"username": "wuhou_sup", "display_name": "王督办", "password": "s3cret-pass",
            "role": "supervisor", "org_unit": "510107", "department": ""}  # fmt: skip
    created = post_form(admin, "/admin/users", form, "/admin")
    assert created.status_code == 303
    assert "wuhou_sup" in admin.get("/admin").get_data(as_text=True)
    fresh = app.test_client()
    response = login(fresh, "wuhou_sup", "s3cret-pass")
    assert response.status_code == 302 and response.headers["Location"] == "/supervisor"
    assert fresh.get("/supervisor").status_code == 200

    again = post_form(admin, "/admin/users", form, "/admin")  # the username is taken
    assert again.status_code == 303
    assert "already exists" in admin.get("/admin").get_data(as_text=True)  # flashed
    bad = post_form(
        admin, "/admin/users", {**form, "username": "x y", "password": "short"}, "/admin"
    )
    assert bad.status_code in (303, 400)
    agent_without_dept = post_form(
        admin, "/admin/users", {**form, "username": "agent1", "role": "agent", "org_unit": ""},
        "/admin",
    )  # fmt: skip
    assert agent_without_dept.status_code in (303, 422)
    with app.app_context():
        from hotline.users.models import User

        names = set(db.session.scalars(select(User.username)))
        assert "agent1" not in names and "x y" not in names
        user_id = db.session.scalar(select(User.id).where(User.username == "wuhou_sup"))
        db.session.remove()

    reset = post_form(
        admin, f"/admin/users/{user_id}/password", {"password": "another-pass"}, "/admin"
    )
    assert reset.status_code == 303
    assert login(app.test_client(), "wuhou_sup", "s3cret-pass").status_code == 401
    assert login(app.test_client(), "wuhou_sup", "another-pass").status_code == 302

    off = post_form(admin, f"/admin/users/{user_id}/active", {"active": "false"}, "/admin")
    assert off.status_code == 303
    assert login(app.test_client(), "wuhou_sup", "another-pass").status_code == 401
    # The session signed in before the deactivation is dropped too.
    assert fresh.get("/supervisor").status_code == 302
    on = post_form(admin, f"/admin/users/{user_id}/active", {"active": "true"}, "/admin")
    assert on.status_code == 303
    assert login(app.test_client(), "wuhou_sup", "another-pass").status_code == 302


def test_departments_duty_phone_and_active(app, staff):
    admin = signed_in(app, staff, "admin")
    page = admin.get("/admin/departments?q=武侯区城市管理").get_data(as_text=True)
    assert DEPT in page and "成华区" not in page
    assert "共 1 个" in page
    saved = post_form(admin, f"/admin/departments/{DEPT}",
                      {"duty_phone": "028-85551234", "back": "q=x"}, "/admin/departments")  # fmt: skip
    assert saved.status_code == 303 and saved.headers["Location"] == "/admin/departments?q=x"
    with app.app_context():
        dept = db.session.get(Department, DEPT)
        assert dept.duty_phone == "02885551234" and dept.active is False
        dept.active, dept.duty_phone = True, None
        db.session.commit()
        db.session.remove()
    bad = post_form(admin, f"/admin/departments/{DEPT}", {"duty_phone": "hello", "active": "on"},
                    "/admin/departments")  # fmt: skip
    assert bad.status_code in (303, 400)
    assert admin.get("/admin/departments?function=galaxy").status_code == 400
    assert admin.get("/admin/departments?org_unit=510107&page=2").status_code == 200


def test_knowledge_articles(app, staff):
    admin = signed_in(app, staff, "admin")
    form = {"title": "社保卡补办", "body": "携带身份证到就近社保经办网点办理。", "keywords": "社保卡 补办",
            "active": "on"}  # fmt: skip
    assert post_form(admin, "/admin/knowledge", form, "/admin/knowledge").status_code == 303
    page = admin.get("/admin/knowledge").get_data(as_text=True)
    assert "社保卡补办" in page
    article_id = re.search(r"/admin/knowledge\?edit=(\d+)", page).group(1)
    edit = admin.get(f"/admin/knowledge?edit={article_id}").get_data(as_text=True)
    assert "携带身份证" in edit
    changed = {**form, "body": "新的答复内容"}
    del changed["active"]
    assert post_form(admin, f"/admin/knowledge/{article_id}", changed,
                     "/admin/knowledge").status_code == 303  # fmt: skip
    with app.app_context():
        from hotline.knowledge.models import KnowledgeArticle

        article = db.session.get(KnowledgeArticle, int(article_id))
        assert article.body == "新的答复内容" and article.active is False
        db.session.remove()


def test_open311_key_created_in_admin_works(app, client, staff):
    admin = signed_in(app, staff, "admin")
    created = post_form(admin, "/admin/keys", {"name": "天府市民云"}, "/admin/keys")
    assert created.status_code == 201
    key = re.search(r'id="new-key"[^>]*>([^<]+)<', created.get_data(as_text=True)).group(1)
    assert key.startswith("o311_")
    listing = admin.get("/admin/keys").get_data(as_text=True)
    assert "天府市民云" in listing and key not in listing  # shown once only
    filed = client.post("/open311/v2/requests.json", data={**OPEN311_FORM, "api_key": key})
    assert filed.status_code == 201, filed.get_data(as_text=True)
    key_id = re.search(r"/admin/keys/(\d+)/revoke", listing).group(1)
    assert post_form(admin, f"/admin/keys/{key_id}/revoke", {}, "/admin/keys").status_code == 303
    refused = client.post("/open311/v2/requests.json", data={**OPEN311_FORM, "api_key": key})
    assert refused.status_code == 403
    assert "已吊销" in admin.get("/admin/keys").get_data(as_text=True)


def test_rules_read_only_view(app, staff):
    admin = signed_in(app, staff, "admin")
    page = admin.get("/admin/rules").get_data(as_text=True)
    assert "emergency.yaml" in page and "规则命中统计" in page
    urban = admin.get("/admin/rules?file=urban.yaml")
    assert urban.status_code == 200
    assert admin.get("/admin/rules?file=../pyproject.toml").status_code == 404
    assert admin.post("/admin/rules").status_code in (400, 405)
