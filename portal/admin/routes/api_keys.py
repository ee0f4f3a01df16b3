"""The keys other systems call the intake API with: admins create, see and revoke them (audited).

A new key's secret is shown once, on the page that answers its creation (never flashed, so it
is never in a cookie); afterwards only its prefix is shown."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import bp
from portal.admin.forms import ApiKeyForm
from portal.auth.session import admin_required
from portal.core.api_keys import SCOPES, all_keys, create_key, revoke_key
from portal.extensions import db
from portal.models import ApiKey
from portal.web.actions import run_action
from portal.web.form_fields import ActionForm


def _page(form: ApiKeyForm, created: dict[str, str] | None = None):
    """The key list with the new-key form (and the secret of the key just created, once)."""
    return lambda status, **messages: (
        render_template("admin/api_keys.html", form=form, keys=all_keys(), scope_labels=SCOPES, created=created),
        status,
    )


@bp.route("/api-keys", methods=["GET", "POST"])
@admin_required
def api_keys():
    form = ApiKeyForm()
    if request.method == "GET":
        return _page(form)(200)
    created: dict[str, str] = {}

    def action() -> None:
        key, secret = create_key(form.name.data, form.scopes.data, current_user)
        created.update(name=key.name, secret=secret)

    answer = run_action(form, action, done=url_for("admin.api_keys"), page=_page(form))
    return _page(ApiKeyForm(formdata=None), created)(200) if created else answer


@bp.post("/api-keys/<int:key_id>/revoke")
@admin_required
def api_key_revoke(key_id: int):
    """Revoking is at once and for good: the next request with the key is refused."""
    key = db.session.get(ApiKey, key_id) or abort(404)

    def action() -> str:
        revoke_key(key, current_user)
        return _("Key %(name)s revoked.", name=key.name)

    return run_action(ActionForm(), action, done=url_for("admin.api_keys"), page=_page(ApiKeyForm(formdata=None)))
