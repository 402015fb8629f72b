"""The Pagefind 1.5 bundle format: reading it, making it canonical, and
purging pages from a built bundle.

A bundle (one language, ``zh-cn``) is ``pagefind-entry.json`` naming the meta
file ``pagefind.<hash>.pf_meta``, which lists the pages, the word-index chunks,
the filter files and the sort orders. Every ``.pf_*`` file is gzip over
``pagefind_dcd`` + CBOR. As Pagefind 1.5.2 writes them:

* meta: ``[version, pages, chunks, filters, sorts, meta fields]`` — pages are
  ``[page id, word count]`` (a result's page number is its place in this list),
  chunks ``[first word, last word, file hash]``, filters ``[name, file hash]``,
  sorts ``[name, [page number, …]]`` in sorted order;
* index chunk: ``[[[word, postings, extra], …]]`` — postings ``[page, locations,
  meta locations]`` in page order, each page number the *difference* from the
  previous posting's (the first from 0);
* filter: ``[name, [[value, [page number, …]], …]]`` (absolute numbers).

The web side reads files only by the names the meta and entry give, so a file
rewritten here is renamed by content hash and the files naming it rewritten.

The word index is cut again into smaller chunks (``CHUNK_BYTES``): the browser
fetches one chunk per query word from every shard (``search.py``), and
Pagefind's own chunks (~60 KB before gzip) made a first search at 100 000
decisions fetch 3–9 MB, most of it words nobody asked for.

This depends on Pagefind's internal format: ``search.PAGEFIND_VERSION`` pins
it, and ``tests/test_bundle.py`` checks a purged bundle against a fresh
Pagefind run, so an upgrade that changes the format fails there first.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
_LEVEL = 6  # gzip level of rewritten files: level 9 is 5× slower for 2 % less
# Raw CBOR bytes a word-index chunk holds at least (``_rechunked``). Smaller
# chunks mean less to fetch per query word and shard, and a longer chunk list
# in the meta, which a first search fetches for every shard. Measured at
# 100 000 decisions (75 shards), a first search fetches 1.4 MB for one word
# and 2.2 MB for a company name (five words); 2 KB saves another 2 %, 8 KB
# costs 20 % more. (With Pagefind's own chunks and 107 shards: 3.0 and 9.5 MB.)
CHUNK_BYTES = 4096
# Pagefind's ready-made UIs: the site has its own search page (search.js).
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


class SearchIndexError(RuntimeError):
    pass


def _payload(data: bytes) -> bytes:
    """A ``.pf_*`` file's bytes after gzip and the signature."""
    raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    if not raw.startswith(SIGNATURE):
        raise SearchIndexError("Pagefind 输出格式无法识别")
    return raw[len(SIGNATURE):]


def decode(data: bytes):
    return cbor2.loads(_payload(data))


def encode(value) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=_LEVEL, mtime=0)


def _digest(data: bytes, size: int) -> str:
    return hashlib.sha256(data).hexdigest()[:size]


def _meta_rel(info: dict) -> str:
    return f"pagefind.{info['hash']}.pf_meta"


def _dump_entry(entry: dict) -> bytes:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _renamed_meta(lang: str, info: dict, meta: list, out: dict[str, bytes]) -> None:
    data = encode(meta)
    info["hash"] = f"{lang}_{_digest(data, 13)}"
    out[_meta_rel(info)] = data


def _store(lang: str, folder: str, suffix: str, data: bytes, out: dict[str, bytes],
           taken: frozenset[str] = frozenset()) -> str:
    """Store one rewritten file under its content hash; return the hash. As in
    Pagefind, the hash grows past 7 digits while it would name another file
    (in ``out``, or one of the bundle's own, ``taken``): with hundreds of
    chunks per shard, 7 hex digits do collide now and then."""
    digest = hashlib.sha256(data).hexdigest()
    for size in range(7, len(digest)):
        name = f"{lang}_{digest[:size]}"
        rel = f"{folder}/{name}.{suffix}"
        if rel not in taken and out.get(rel, data) == data:
            break
    out[rel] = data
    return name


def _put(lang: str, folder: str, suffix: str, value, out: dict[str, bytes],
         taken: frozenset[str] = frozenset()) -> str:
    return _store(lang, folder, suffix, encode(value), out, taken)


def canonical_bundle(bundle: Path) -> dict[str, bytes]:
    """The bundle's files (relative path → bytes), with the filter files in
    sorted order and the files naming them renamed by content hash (Pagefind
    writes filters in hash-map order, which differs between runs), and the
    word index cut into smaller chunks (``_rechunked``)."""
    files = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*"))
             if p.is_file() and not p.name.startswith(_UNUSED)}
    entry = json.loads(files.pop(ENTRY))
    for lang, info in entry["languages"].items():
        meta = decode(files.pop(_meta_rel(info)))
        renamed = []
        for name, old in meta[3]:
            payload = decode(files.pop(f"filter/{old}.pf_filter"))
            payload[1] = sorted(payload[1], key=lambda item: item[0])
            renamed.append([name, _put(lang, "filter", "pf_filter", payload, files)])
        meta[3] = sorted(renamed)
        meta[2] = _rechunked(lang, meta[2], files)
        _renamed_meta(lang, info, meta, files)
    files[ENTRY] = _dump_entry(entry)
    return files


def _rechunked(lang: str, chunks: list, files: dict[str, bytes], size: int = CHUNK_BYTES) -> list:
    """Cut the word index (``chunks`` of the meta, their files in ``files``)
    into chunks of at least ``size`` raw bytes, each closed at the first
    change of a word's first character once it has that much. The words and
    their bytes are kept as they are, in order. Returns the meta's new chunk
    list; the files are replaced in ``files``.

    Why the first character: for each query word the browser fetches only the
    chunks whose ``[from, to]`` holds it (else those holding its first
    characters), then matches the words in them that start with it, or its
    longest prefix found. Words sharing a first character stay together, so
    the chunks fetched hold every word the query word could match, and a
    search finds what it would with the whole word index loaded (Pagefind's
    own cuts can fall anywhere). Like Pagefind, adjacent chunks are named by
    the shortest prefixes that tell their last and first words apart: here
    one character each."""
    items: list[tuple[str, bytes]] = []
    outer, tail = 1, b""
    for _, _, name in chunks:
        raw = _payload(files.pop(f"index/{name}.pf_index"))
        outer, pos = _head(raw, 0)
        count, pos = _head(raw, pos)
        fp = io.BytesIO(raw)
        decoder = cbor2.CBORDecoder(fp)
        fp.seek(pos)
        for _ in range(count):
            start = fp.tell()
            word = decoder.decode()[0]
            items.append((word, raw[start:fp.tell()]))
        tail = raw[fp.tell():]  # the chunk's fields after the words (none in Pagefind 1.5)
    if not items:
        return []
    groups: list[list[tuple[str, bytes]]] = [[]]
    filled = 0
    for item in items:
        if filled >= size and item[0][:1] != groups[-1][-1][0][:1]:
            groups.append([])
            filled = 0
        groups[-1].append(item)
        filled += len(item[1])
    out = [[group[0][0], group[-1][0], ""] for group in groups]
    for left, right in zip(out, out[1:]):
        left[1], right[0] = _apart(left[1], right[0])
    for chunk, group in zip(out, groups):
        body = _array_head(outer) + _array_head(len(group)) + b"".join(raw for _, raw in group) + tail
        chunk[2] = _store(lang, "index", "pf_index", gzip.compress(SIGNATURE + body, _LEVEL, mtime=0), files)
    return out


def _apart(last: str, first: str) -> tuple[str, str]:
    """The shortest prefixes of two adjacent words (``last`` < ``first``) that
    differ: one character past their common prefix (Pagefind's rule)."""
    common = 0
    for a, b in zip(last, first):
        if a != b:
            break
        common += 1
    return last[:common + 1], first[:common + 1]


def page_ids(files: dict[str, bytes]) -> dict[str, str]:
    """Slot path → Pagefind page id, from a bundle's fragment files (the id is
    the fragment's name; the page's URL is inside it)."""
    out = {}
    for rel, data in files.items():
        if rel.startswith("fragment/") and rel.endswith(".pf_fragment"):
            url = json.loads(_payload(data))["url"]
            rel_url = str(url).lstrip("/")
            out[rel_url + ("index.html" if url.endswith("/") else "")] = rel[len("fragment/"):-len(".pf_fragment")]
    return out


def _head(raw: bytes, pos: int) -> tuple[int, int]:
    """A CBOR array head at ``pos``: (length, position after it)."""
    info = raw[pos] & 31
    if info < 24:
        return info, pos + 1
    size = 1 << (info - 24)
    return int.from_bytes(raw[pos + 1:pos + 1 + size], "big"), pos + 1 + size


def _array_head(n: int) -> bytes:
    if n < 24:
        return bytes([0x80 | n])
    size = next(size for size in (1, 2, 4, 8) if n < 1 << (8 * size))
    return bytes([0x98 + size.bit_length() - 1]) + n.to_bytes(size, "big")


def _pages(item: list):
    """The page numbers of a word item's postings (stored as differences)."""
    page = 0
    for posting in item[1]:
        page += posting[0]
        yield page


def _spliced(raw: bytes, gone: set[int]) -> bytes:
    """A word item's bytes without the postings of pages in ``gone`` (b"" when
    none is left). The postings kept keep their bytes, except the one after a
    removed run, whose difference grows by the run's."""
    fp = io.BytesIO(raw)
    decoder = cbor2.CBORDecoder(fp)
    _, word_start = _head(raw, 0)  # the item head stays as it is (same number of fields)
    fp.seek(word_start)
    decoder.decode()  # the word
    word_end = fp.tell()
    count, pos = _head(raw, word_end)
    fp.seek(pos)
    parts, kept, page, carry, run = [], 0, 0, 0, pos
    for _ in range(count):
        start = fp.tell()
        posting = decoder.decode()
        page += posting[0]
        if page in gone:
            parts.append(raw[run:start])
            carry += posting[0]
            run = fp.tell()
            continue
        kept += 1
        if carry:
            parts.append(raw[run:start])
            posting[0] += carry
            parts.append(cbor2.dumps(posting))
            carry, run = 0, fp.tell()
    if not kept:
        return b""
    parts.append(raw[run:])  # the rest of this posting run, then the item's other fields
    return raw[:word_end] + _array_head(kept) + b"".join(parts)


def _purge_chunk(data: bytes, gone: set[int]) -> bytes | None:
    """An index chunk without the postings of pages in ``gone`` (words left
    with none are dropped); None when it has none. Words are decoded one by
    one; in a word that lists a purged page only the posting after each
    removed run is re-encoded: all other bytes are kept (re-encoding whole
    words cost more than all the rest of a purge)."""
    raw = _payload(data)
    outer, pos = _head(raw, 0)
    count, pos = _head(raw, pos)
    fp = io.BytesIO(raw)
    decoder = cbor2.CBORDecoder(fp)
    fp.seek(pos)
    parts, kept, changed, run = [], 0, False, pos
    for _ in range(count):
        start = fp.tell()
        item = decoder.decode()
        if gone.isdisjoint(_pages(item)):
            kept += 1
            continue
        changed = True
        parts.append(raw[run:start])
        spliced = _spliced(raw[start:fp.tell()], gone)
        if spliced:
            kept += 1
            parts.append(spliced)
        run = fp.tell()
    if not changed:
        return None
    parts.append(raw[run:])
    body = _array_head(outer) + _array_head(kept) + b"".join(parts)
    return gzip.compress(SIGNATURE + body, compresslevel=_LEVEL, mtime=0)


def purge(read, ids: set[str]) -> tuple[dict[str, bytes], set[str]]:
    """Make the pages ``ids`` unfindable in a built bundle: their postings
    leave the word index, and their numbers the filters and sort orders, so
    no query, filter or sort can return them. ``read``: relative path → the
    bundle file's bytes (only the entry, meta, chunks and filters are read). Returns the files to
    write (rewritten under new content-hash names, and the entry) and the
    paths they replace. The pages keep their place in the meta's page list
    (renumbering would rewrite every chunk); the caller leaves out their
    fragment files, the only place their text was."""
    entry = json.loads(read(ENTRY))
    out: dict[str, bytes] = {}
    replaced: set[str] = set()
    for lang, info in entry["languages"].items():
        meta_rel = _meta_rel(info)
        meta = decode(read(meta_rel))
        gone = {number for number, (page_id, _) in enumerate(meta[1]) if page_id in ids}
        if not gone:
            continue
        before = len(replaced)
        taken = frozenset([f"index/{chunk[2]}.pf_index" for chunk in meta[2]]
                          + [f"filter/{item[1]}.pf_filter" for item in meta[3]])
        for chunk in meta[2]:
            rel = f"index/{chunk[2]}.pf_index"
            data = _purge_chunk(read(rel), gone)
            if data is not None:
                replaced.add(rel)
                chunk[2] = _store(lang, "index", "pf_index", data, out, taken)
        for item in meta[3]:
            rel = f"filter/{item[1]}.pf_filter"
            payload = decode(read(rel))
            values = [[value, [n for n in pages if n not in gone]] for value, pages in payload[1]]
            values = [v for v in values if v[1]]
            if values != payload[1]:
                replaced.add(rel)
                item[1] = _put(lang, "filter", "pf_filter", [payload[0], values, *payload[2:]], out, taken)
        sorts = [[name, [n for n in pages if n not in gone]] for name, pages in meta[4]]
        if sorts == meta[4] and len(replaced) == before:
            continue  # purged before: nothing of these pages is left
        meta[3], meta[4] = sorted(meta[3]), sorts
        replaced.add(meta_rel)
        _renamed_meta(lang, info, meta, out)
    if replaced:
        replaced.add(ENTRY)
        out[ENTRY] = _dump_entry(entry)
    return out, replaced
