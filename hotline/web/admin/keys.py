"""Admin tab: the Open311 API keys."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from hotline.core.errors import DomainError
from hotline.open311 import operations as open311
from hotline.web.admin import bp, page, refused
from hotline.web.admin.forms import key_form_errors
from hotline.web.auth import current_actor, role_required


@bp.get("/keys")
@role_required("admin")
def keys():
    """List the Open311 API keys."""
    return page("admin/keys.html", "keys", keys=open311.list_keys(), new_key=None, form={},
                errors={})  # fmt: skip


@bp.post("/keys")
@role_required("admin")
def create_key():
    """Issue a key and show it this once (only its hash is kept); on a mistake, the form again."""
    try:
        row, key = open311.create_key(request.form.get("name", ""), current_actor())
    except DomainError as error:
        fields_, status = refused(error)
        # Only the name comes back: no key was made, and none is ever shown twice.
        return page("admin/keys.html", "keys", keys=open311.list_keys(), new_key=None,
                    form={"name": request.form.get("name", "")},
                    errors=key_form_errors(fields_)), status  # fmt: skip
    flash(_("已为「%(name)s」创建接口密钥，请立即复制保存，离开本页后将无法再次查看。",
            name=row.name), "warning")  # fmt: skip
    response = page("admin/keys.html", "keys", keys=open311.list_keys(), new_key=key, form={},
                    errors={})  # fmt: skip
    return response, 201, {"Cache-Control": "no-store"}


@bp.post("/keys/<int:key_id>/revoke")
@role_required("admin")
def revoke_key(key_id: int):
    """Revoke a key; clients using it get 403 from then on."""
    row = open311.revoke_key(key_id, current_actor())
    flash(_("已吊销「%(name)s」的接口密钥。", name=row.name), "success")
    return redirect(url_for("web_admin.keys"), 303)
