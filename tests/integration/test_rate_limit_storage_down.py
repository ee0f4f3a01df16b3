"""Redis holds the rate-limit counters and is down: the portal keeps serving, counting in
memory meanwhile, with a warning in the log; never a 500.

Run in a process of its own, as a server starts the portal: the limiter is one object per
process, so pointing it at a dead Redis here would leave it there for the tests after.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Serves the login page and sends the login form (limited to 2 a minute) and the enquiry
# form's page, then prints each status code.
SCRIPT = """
import json, re, sys
from portal import create_app
from portal.extensions import db

app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "LOGIN_RATE_LIMIT": "2 per minute"})
with app.app_context():
    db.create_all()
client = app.test_client()
statuses = []
for _ in range(3):
    page = client.get("/auth/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    statuses.append(page.status_code)
    form = {"email": "nobody@example.om", "password": "wrong password!", "csrf_token": token}
    statuses.append(client.post("/auth/login", data=form).status_code)
statuses.append(client.get("/enquire").status_code)
print(json.dumps(statuses))
"""


def closed_port() -> int:
    """A loopback port where nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_portal_keeps_serving_and_limiting_when_redis_is_down(tmp_path: Path) -> None:
    environment = {**os.environ, "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{closed_port()}/9"}
    database = "sqlite:///" + str(tmp_path / "portal.sqlite3")

    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, database], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )

    assert run.returncode == 0, run.stderr[-3000:]
    # Every page answers; the third login in a minute is refused by the in-memory count.
    assert json.loads(run.stdout) == [200, 200, 200, 200, 200, 429, 200]
    assert "Rate limit storage unreachable - falling back to in-memory storage" in run.stderr
