"""The logged-in workspace's landing page (`/app/`)."""

from __future__ import annotations

from flask import Blueprint, render_template

from portal.auth.session import staff_required

bp = Blueprint("workspace", __name__, url_prefix="/app")


@bp.get("/")
@staff_required
def home():
    return render_template("workspace/home.html")
