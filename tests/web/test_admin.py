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
    assert again.status_code == 409  # said in Chinese, next to the field, the form as typed
    assert "用户名 wuhou_sup 已被使用" in again.get_data(as_text=True)
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


def test_back_and_next_cannot_smuggle_headers_or_leave_the_site(app, staff):
    admin = signed_in(app, staff, "admin")
    for back in ("q=x\r", "q=x\r\nSet-Cookie: a=b", "q=%0D%0ALocation:%20//evil.example"):
        saved = post_form(admin, f"/admin/departments/{DEPT}",
                          {"duty_phone": "028-85551234", "active": "on", "back": back},
                          "/admin/departments")  # fmt: skip
        assert saved.status_code == 303, back
        location = saved.headers["Location"]
        assert location.startswith("/admin/departments") and "\r" not in location, location
        assert "\n" not in location and "Set-Cookie" not in saved.headers.get("Set-Cookie", "")
    with app.app_context():
        dept = db.session.get(Department, DEPT)
        assert dept.active and dept.duty_phone == "02885551234"
        dept.duty_phone = None  # the org data is shared by the whole session
        db.session.commit()
        db.session.remove()
    for target in (
        "/operator\r\nX: y",
        "/\\evil.example",
        "//evil.example",
        "https://evil.example",
    ):
        response = admin.get("/login", query_string={"next": target})
        assert response.headers["Location"] == "/admin", target


def _form_of(page: str, action: str) -> str:
    """Return the markup of the form posting to ``action`` up to the end of its table cell."""
    start = page.index(f'action="{action}"')
    return page[start : page.index("</td>", start)]


def test_department_form_keeps_what_was_typed(app, staff):
    admin = signed_in(app, staff, "admin")
    action = f"/admin/departments/{DEPT}"
    bad = post_form(admin, action, {"duty_phone": "hello", "back": "q=武侯区城市管理"},
                    "/admin/departments")  # fmt: skip
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    row = _form_of(page, action)
    assert 'value="hello"' in row and "checked" not in row  # as typed: the box left unticked
    assert "值班电话须为手机号或带区号的固定电话" in row and "请检查标红的内容" in page
    assert "成华区" not in page and 'name="back" value="q=' in row  # the same list, same filters
    with app.app_context():
        dept = db.session.get(Department, DEPT)
        assert dept.duty_phone is None and dept.active is True
        db.session.remove()
    missing = post_form(admin, "/admin/departments/nope", {"duty_phone": "028-85551234"},
                        "/admin/departments")  # fmt: skip
    assert missing.status_code == 404  # no field to show it beside: the error page


def test_knowledge_form_keeps_what_was_typed(app, staff):
    admin = signed_in(app, staff, "admin")
    form = {"title": "", "body": "携带户口簿到派出所办理。", "keywords": "户口 迁移"}
    bad = post_form(admin, "/admin/knowledge", form, "/admin/knowledge")
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "携带户口簿到派出所办理。</textarea>" in page and 'value="户口 迁移"' in page
    assert "请填写标题" in page and 'name="active" checked' not in page
    saved = {**form, "title": "户口迁移", "active": "on"}
    assert post_form(admin, "/admin/knowledge", saved, "/admin/knowledge").status_code == 303
    taken = post_form(
        admin, "/admin/knowledge", {**saved, "body": "另一种说法"}, "/admin/knowledge"
    )
    assert taken.status_code == 409
    page = taken.get_data(as_text=True)
    assert "已有同名的标准答复" in page and "另一种说法</textarea>" in page
    article_id = re.search(r"/admin/knowledge\?edit=(\d+)", page).group(1)
    edit = f"/admin/knowledge/{article_id}"
    blank = post_form(admin, edit, {**saved, "body": " ", "title": "户口迁移（新）"},
                      f"/admin/knowledge?edit={article_id}")  # fmt: skip
    assert blank.status_code == 400
    page = blank.get_data(as_text=True)
    assert f'action="{edit}"' in page and 'value="户口迁移（新）"' in page
    assert "请填写答复内容" in page and 'name="active" checked' in page


def test_key_form_keeps_the_name_and_shows_no_key(app, staff):
    admin = signed_in(app, staff, "admin")
    name = "市民云" * 27  # 81 characters: one too many
    bad = post_form(admin, "/admin/keys", {"name": name}, "/admin/keys")
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert f'value="{name}"' in page and "请填写应用名称（1–80 字）" in page
    assert 'id="new-key"' not in page and "o311_" not in page
    blank = post_form(admin, "/admin/keys", {"name": "  "}, "/admin/keys")
    assert blank.status_code == 400 and "请填写应用名称" in blank.get_data(as_text=True)
    listing = admin.get("/admin/keys").get_data(as_text=True)
    assert name not in listing and "/revoke" not in listing  # no key was made
