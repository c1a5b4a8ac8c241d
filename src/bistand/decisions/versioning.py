"""Which rules a decision was made with: a fingerprint of the code version and every parameter file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bistand import __version__
from bistand.rules.parameters import overlay_dir

PACKAGED = Path(__file__).resolve().parent.parent / "rules" / "parameters"


def rules_version() -> str:
    """`<version>+<hash>`: equal when the code version and all parameter files (with overlays) are equal."""
    digest = hashlib.sha256()
    for folder in (PACKAGED, overlay_dir()):
        if not folder.exists():
            continue
        for path in sorted(folder.rglob("*.yaml")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"
