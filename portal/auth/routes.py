"""Login, logout and password reset. (Being built: see issue 2.)"""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import logout_user

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.get("/login")
def login():
    return "login"


@bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("public.home"))
