"""Static files under content-hashed names, cached for a year as immutable, precompressed once.

`flask assets build` (run by `make run` and `make test`) copies `static/` and Bootstrap-Flask's
files to `static/dist/` as `name.<hash>.ext`, points the `url(...)` references of the CSS at
the hashed names, writes gzip and brotli copies (WhiteNoise's compressor) and a manifest.
When the manifest exists, WhiteNoise serves `static/dist/` in front of Flask (the compressed
copy the client accepts, `Cache-Control: max-age=31536000, immutable`), and
`url_for("static", ...)` and Bootstrap-Flask's links give the hashed names: a new file
version is a new URL, so a browser never needs to revalidate. Without a build (a bare
checkout), Flask serves `static/` itself as before.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

MANIFEST = "manifest.json"
FOREVER = 365 * 24 * 3600
# Where each static endpoint's files are kept in the build, and the URL prefix WhiteNoise serves.
CSS_URL = re.compile(r"""url\(\s*(["']?)(?!data:|https?:|/)([^"')?#]+)\1\s*\)""")


def _sources(app: Flask) -> dict[str, tuple[Path, str]]:
    """endpoint -> (folder of its files, URL prefix)."""
    bootstrap = app.blueprints["bootstrap"]
    return {
        "static": (Path(str(app.static_folder)), str(app.static_url_path)),
        "bootstrap.static": (
            Path(str(bootstrap.static_folder)),
            f"{bootstrap.url_prefix or ''}{bootstrap.static_url_path}",
        ),
    }


def dist_folder(app: Flask) -> Path:
    return Path(str(app.static_folder)) / "dist"


def _hashed(name: str, data: bytes) -> str:
    path = Path(name)
    return str(path.with_name(f"{path.stem}.{hashlib.sha256(data).hexdigest()[:12]}{path.suffix}"))


def _rewrite_css(css: str, name: str, names: dict[str, str]) -> str:
    """Point each relative `url(...)` of a stylesheet at the hashed name of the file it names."""
    folder = posixpath.dirname(name) or "."

    def replace(match: re.Match[str]) -> str:
        hashed = names.get(posixpath.normpath(posixpath.join(folder, match.group(2))))
        return f'url("{posixpath.relpath(hashed, folder)}")' if hashed else match.group(0)

    return CSS_URL.sub(replace, css)


def build(app: Flask) -> dict[str, dict[str, str]]:
    """Write the hashed, precompressed copies and the manifest; return the manifest."""
    dist = dist_folder(app)
    shutil.rmtree(dist, ignore_errors=True)
    manifest: dict[str, dict[str, str]] = {}
    for endpoint, (folder, _prefix) in _sources(app).items():
        files = sorted(p for p in folder.rglob("*") if p.is_file() and dist not in p.parents)
        names: dict[str, str] = {}
        # Stylesheets last, once the names of the files they refer to are known.
        for path in sorted(files, key=lambda p: p.suffix == ".css"):
            name = path.relative_to(folder).as_posix()
            data = path.read_bytes()
            if path.suffix == ".css":
                data = _rewrite_css_in(data, name, names)
            names[name] = _hashed(name, data)
            target = dist / endpoint / names[name]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        manifest[endpoint] = names
    _compress(dist)
    (dist / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def _rewrite_css_in(data: bytes, name: str, names: dict[str, str]) -> bytes:
    return _rewrite_css(data.decode("utf-8"), name, names).encode("utf-8")


def _compress(dist: Path) -> None:
    compressor = Compressor(quiet=True)
    for path in dist.rglob("*"):
        if path.is_file() and compressor.should_compress(path.name):
            for _compressed in compressor.compress(str(path)):
                pass


def init_assets(app: Flask) -> None:
    """Serve the build through WhiteNoise and link to hashed names, when a build exists."""
    manifest_file = dist_folder(app) / MANIFEST
    if not manifest_file.is_file():
        return
    manifest: dict[str, dict[str, str]] = json.loads(manifest_file.read_text())
    server = WhiteNoise(app.wsgi_app, max_age=FOREVER, immutable_file_test=lambda _path, _url: True)
    for endpoint, (_folder, prefix) in _sources(app).items():
        server.add_files(str(dist_folder(app) / endpoint), prefix=prefix.strip("/") + "/")
    app.wsgi_app = server  # type: ignore[method-assign]

    @app.url_defaults
    def hashed_name(endpoint: str, values: dict[str, Any]) -> None:
        names = manifest.get(endpoint)
        if names and (hashed := names.get(values.get("filename", ""))):
            values["filename"] = hashed
