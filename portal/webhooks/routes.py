"""The webhook pages (admins only): endpoints, their recent deliveries, and the actions on them."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.session import admin_required
from portal.web import shown_once
from portal.web.actions import run_action
from portal.web.form_fields import ActionForm
from portal.webhooks import bp, queries, services
from portal.webhooks.forms import EndpointForm
from portal.webhooks.presentation import EVENT_LABELS, delivery_rows

# The secret of the endpoint just registered, carried to its page, which shows it once.
NEW_ENDPOINT_KEY = "new_webhook_endpoint"


def _index_page(form: EndpointForm):
    return lambda status, **messages: (
        render_template("webhooks/index.html", form=form, endpoints=queries.endpoints(), event_labels=EVENT_LABELS),
        status,
    )


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index() -> ResponseReturnValue:
    form = EndpointForm()
    if request.method == "GET":
        return _index_page(form)(200)
    created: dict[str, int] = {}

    def action() -> str:
        data = services.EndpointInput(form.url.data or "", form.description.data or "", form.events.data or [])
        endpoint, secret = services.create_endpoint(data, current_user)
        shown_once.keep(NEW_ENDPOINT_KEY, {"id": endpoint.id, "secret": secret})
        created["id"] = endpoint.id
        return _("Endpoint registered. Copy its signing secret now: it is shown only once.")

    done = lambda: url_for("webhooks.endpoint", endpoint_id=created["id"])  # noqa: E731
    return run_action(form, action, done=done, page=_index_page(form))


def _endpoint_page(endpoint_id: int):
    def render(status: int = 200, **messages: str | None) -> ResponseReturnValue:
        endpoint = queries.endpoint_or_404(endpoint_id)
        fresh = shown_once.take(NEW_ENDPOINT_KEY)
        secret = fresh["secret"] if isinstance(fresh, dict) and fresh.get("id") == endpoint.id else None
        return render_template(
            "webhooks/endpoint.html",
            endpoint=endpoint,
            secret=secret,
            deliveries=delivery_rows(queries.recent_deliveries(endpoint)),
            event_labels=EVENT_LABELS,
            error=messages.get("error") or messages.get("conflict"),
        ), status

    return render


@bp.get("/<int:endpoint_id>")
@admin_required
def endpoint(endpoint_id: int) -> ResponseReturnValue:
    return _endpoint_page(endpoint_id)()


def _switch(endpoint_id: int, active: bool) -> ResponseReturnValue:
    endpoint = queries.endpoint_or_404(endpoint_id)

    def action() -> str:
        services.set_active(endpoint, active, current_user)
        return _("Endpoint enabled.") if active else _("Endpoint disabled: nothing more is sent to it.")

    page = _endpoint_page(endpoint_id)
    return run_action(ActionForm(), action, done=url_for("webhooks.endpoint", endpoint_id=endpoint_id), page=page)


@bp.post("/<int:endpoint_id>/disable")
@admin_required
def disable(endpoint_id: int) -> ResponseReturnValue:
    return _switch(endpoint_id, active=False)


@bp.post("/<int:endpoint_id>/enable")
@admin_required
def enable(endpoint_id: int) -> ResponseReturnValue:
    return _switch(endpoint_id, active=True)


@bp.post("/deliveries/<int:delivery_id>/redeliver")
@admin_required
def redeliver(delivery_id: int) -> ResponseReturnValue:
    delivery = queries.delivery_or_404(delivery_id)
    endpoint_id = delivery.endpoint_id

    def action() -> str:
        services.redeliver(delivery, current_user)
        return _("The event is queued again; it is sent on the next run of the sender.")

    page = _endpoint_page(endpoint_id)
    return run_action(ActionForm(), action, done=url_for("webhooks.endpoint", endpoint_id=endpoint_id), page=page)
