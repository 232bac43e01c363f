"""A shipped file as manifest.json records it: SHA-256 and size, what the engine's loadManifest
checks (main/core/model/manifest.ts)."""
from __future__ import annotations

import hashlib
from pathlib import Path


def file_entry(path: Path) -> dict:
    data = path.read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
