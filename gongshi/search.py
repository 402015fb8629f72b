"""Site search: the Pagefind index and the exact-match lookup.

Two parts, both built from public output only:

* ``exact_files(site)`` — a small lookup, sharded by a hash of the normalised
  key, of every full target name (not natural persons), target credit code,
  文书号, entity name and code, and 执法证号. ``search.js`` consults it first, so
  a citizen typing a company's full name or a 文书号 always finds it, whatever
  Pagefind's Chinese segmentation does (see README: 搜索).
* ``index_slot(slot, produced, reference)`` — runs the pinned Pagefind
  *extended* binary (Chinese segmentation) over the staged slot after stale
  pages are pruned, so the index holds exactly the pages that go live: no
  withdrawal notice (they carry no ``data-pagefind-body``), nothing taken down.
  Pagefind writes its filter files in hash-map order, which differs between
  runs; they are re-encoded in sorted order and renamed by content hash so the
  same site gives the same bytes and unchanged files are not rewritten.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import cbor2


BUNDLE = "pagefind"  # folder of the Pagefind bundle under the site root
EXACT = "search/exact"  # folder of the exact-match shards
LANGUAGE = "zh-cn"
PAGEFIND_VERSION = "1.5.2"  # must equal the pin in requirements.txt
_SIGNATURE = b"pagefind_dcd"
# Pagefind's ready-made UIs: the site has its own search page (search.js).
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")

# Brackets people type for the 〔〕 of a 文书号: all compare equal.
_OPEN = "[(〔【［（〈《「"
_CLOSE = "])〕】］）〉》」"
_BRACKETS = str.maketrans({**{c: "〔" for c in _OPEN}, **{c: "〕" for c in _CLOSE}})
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The lookup key: NFKC (full-width → half-width), no spaces, upper case,
    one kind of bracket. search.js implements the same function."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", str(text or ""))).upper()
    return unicodedata.normalize("NFKC", text).translate(_BRACKETS)


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-8 bytes (search.js computes the same)."""
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def shard_count(keys: int) -> int:
    """A power of two giving about 128 keys per shard (1 for a small site, at
    most 4096), so a lookup downloads one small file at any size."""
    n = 1
    while n < 4096 and keys > n * 128:
        n *= 2
    return n


def _decision_record(d: dict) -> dict:
    return {"kind": "decision", "url": d["url"], "docno": d["docno"], "target": d["target_name"],
            "agency": d["agency_name"], "date": d["decision_date"], "category": d["category"],
            "year": str(d["year"])}


def _entity_record(e: dict) -> dict:
    return {"kind": "entity", "url": e["url"], "name": e["name"], "type": e["type"], "agency": e["name"],
            "category": "执法主体", "code": e["code"]}


def _staff_record(s: dict) -> dict:
    return {"kind": "staff", "url": f"staff/index.html#entity-{s['entity_code']}", "name": s["name"],
            "cert_no": s["cert_no"], "status": s["status"], "status_class": s["status_class"],
            "agency": s["entity_name"], "agency_url": s["entity_url"], "valid_until": s["valid_until"],
            "category": s["category"]}


def exact_entries(site) -> dict[str, list[dict]]:
    """Normalised key → public records it names exactly."""
    entries: dict[str, list[dict]] = {}

    def add(key: str, record: dict) -> None:
        key = normalize(key)
        if len(key) >= 2 and record not in entries.setdefault(key, []):
            entries[key].append(record)

    for d in site.decisions:
        rec = _decision_record(d)
        add(d["docno"], rec)
        if d["target_type"] != "自然人":  # a masked name (张*) is no key
            add(d["target_name"], rec)
            if d["target_code"]:
                add(d["target_code"], rec)
    for e in site.entities:
        rec = _entity_record(e)
        add(e["name"], rec)
        add(e["code"], rec)
    for s in site.staff:
        add(s["cert_no"], _staff_record(s))
    return entries


def exact_files(site) -> dict[str, bytes]:
    """``search/exact/<shard>.json``: {"keys": {key: [record index]}, "records": [...]}."""
    entries = exact_entries(site)
    shards = shard_count(len(entries))
    buckets: list[dict[str, list[dict]]] = [{} for _ in range(shards)]
    for key in sorted(entries):
        buckets[fnv1a(key) % shards][key] = entries[key]
    files = {}
    for number, bucket in enumerate(buckets):
        records: list[dict] = []
        index: dict[str, int] = {}
        keys = {}
        for key, recs in bucket.items():
            ids = []
            for rec in recs:
                ident = json.dumps(rec, ensure_ascii=False, sort_keys=True)
                if ident not in index:
                    index[ident] = len(records)
                    records.append(rec)
                ids.append(index[ident])
            keys[key] = ids
        body = json.dumps({"shards": shards, "keys": keys, "records": records},
                          ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        files[f"{EXACT}/{number:03x}.json"] = body.encode("utf-8")
    return files


def exact_shards(site) -> int:
    return shard_count(len(exact_entries(site)))


# --- Pagefind ---------------------------------------------------------------

class SearchIndexError(RuntimeError):
    pass


def pagefind_binary() -> Path:
    """The extended binary (with Chinese segmentation) shipped by
    ``pagefind[extended]``; the standard one would index Chinese unsegmented."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:  # pragma: no cover - requirements.txt installs it
        raise SearchIndexError("缺少 Pagefind 扩展版：请运行 pip install -r requirements.txt"
                               f"（需要 pagefind[extended]=={PAGEFIND_VERSION}）") from None
    return Path(get_executable())


def _decode(data: bytes):
    raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    if not raw.startswith(_SIGNATURE):
        raise SearchIndexError("Pagefind 输出格式无法识别")
    return cbor2.loads(raw[len(_SIGNATURE):])


def _encode(value) -> bytes:
    return gzip.compress(_SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _digest(data: bytes, size: int) -> str:
    return hashlib.sha256(data).hexdigest()[:size]


def canonical_bundle(bundle: Path) -> dict[str, bytes]:
    """The bundle's files (relative path → bytes), with the filter files in
    sorted order and the files naming them renamed by content hash."""
    files = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*"))
             if p.is_file() and not p.name.startswith(_UNUSED)}
    entry = json.loads(files.pop("pagefind-entry.json"))
    for lang, info in entry["languages"].items():
        meta_rel = f"pagefind.{info['hash']}.pf_meta"
        meta = _decode(files.pop(meta_rel))
        # meta[3] lists [filter name, file hash]; meta layout of Pagefind 1.5.
        renamed = []
        for name, old in meta[3]:
            payload = _decode(files.pop(f"filter/{old}.pf_filter"))
            payload[1] = sorted(payload[1], key=lambda item: item[0])
            data = _encode(payload)
            new = f"{lang}_{_digest(data, 7)}"
            files[f"filter/{new}.pf_filter"] = data
            renamed.append([name, new])
        meta[3] = sorted(renamed)
        data = _encode(meta)
        info["hash"] = f"{lang}_{_digest(data, 13)}"
        files[f"pagefind.{info['hash']}.pf_meta"] = data
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return files


def run_pagefind(site_dir: Path, out: Path) -> None:
    cmd = [str(pagefind_binary()), "--site", str(site_dir), "--output-path", str(out),
           "--force-language", LANGUAGE, "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or not (out / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"Pagefind 建立搜索索引失败：{(proc.stderr or proc.stdout).strip()}")
    version = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))["version"]
    if version != PAGEFIND_VERSION:
        raise SearchIndexError(f"Pagefind 版本为 {version}，本工具固定使用 {PAGEFIND_VERSION}；"
                               "请按 requirements.txt 重新安装")


def index_slot(slot: Path, stager) -> None:
    """Index the staged slot (stale pages already pruned) and write the bundle
    into ``slot/pagefind/`` through the slot's stager, which writes only changed
    files (the caller then prunes the bundle files no longer produced)."""
    with tempfile.TemporaryDirectory(prefix="gongshi-pagefind-") as tmp:
        out = Path(tmp) / BUNDLE
        run_pagefind(slot, out)
        files = canonical_bundle(out)
        shutil.rmtree(out, ignore_errors=True)
    for rel, data in sorted(files.items()):
        path = f"{BUNDLE}/{rel}"
        stager.emit(path, data)
