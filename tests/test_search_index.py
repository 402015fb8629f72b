"""The search indexes, checked in the built output: the Pagefind full-text
shards and the field index (names, 文书号, codes)."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
from pathlib import Path

from hypothesis import given, settings, strategies as st

from conftest import all_text
from pelican.plugins.gongshi import bundle, fieldindex, search
from helpers import (AGENCY_A, PENALTY_HEADER, TAKEDOWN_HEADER, fragments, listing, penalty_row, shards, write_csv,
                     write_dataset)

FACT = "当事人在夜间违规存放易燃物品"
GONE_FACT = "当事人擅自拆除消防设施"
GONE_NAME = "示例万里消失贸易有限公司"


class Fields:
    """The field index as the browser reads it (search.js): a key's
    posting list (its pages joined), and the cards an entry names."""

    def __init__(self, files: dict[str, bytes]):
        self.files = {rel.removeprefix(fieldindex.FIELDS + "/"): data for rel, data in files.items()}
        self.meta = self.json("meta.json")

    @classmethod
    def built(cls, out: Path) -> "Fields":
        root = Path(os.path.realpath(out))
        return cls({p.relative_to(root).as_posix(): p.read_bytes()
                    for p in (root / fieldindex.FIELDS).rglob("*.json")})

    def json(self, rel: str):
        return json.loads(self.files[rel]) if rel in self.files else None

    def shard_of(self, key: str) -> str:
        (h,) = fieldindex.fnv1a([key])
        return f"g/{h % self.meta['shards']:x}.json"

    def entries(self, key: str) -> list[int] | None:
        value = (self.json(self.shard_of(key)) or {}).get(key)
        if value is None or isinstance(value, list):
            return value
        pages = [self.json(f"l/{name}.json") for name in value["p"]]
        joined = [e for page in pages for e in page]
        assert len(joined) == value["n"] and all(page for page in pages)
        return joined

    def cards(self, entry: int) -> list[dict]:
        span = 1 << self.meta["slot_bits"]
        block = self.json(f"b/{entry // span:x}.json") or {"cards": []}
        return [c for c in block["cards"] if c["slot"] == entry % span]

    def equal(self, value: str) -> list[dict] | None:
        """The cards the ``=`` list of a whole value names."""
        entries = self.entries(fieldindex.equal_key(fieldindex.normalize(value))[1])
        return None if entries is None else [c for e in entries for c in self.cards(e)]

    def keys(self) -> dict[str, object]:
        out = {}
        for rel, data in self.files.items():
            if rel.startswith("g/"):
                out.update(json.loads(data))
        return out


def _text(fields: Fields) -> str:
    return "\n".join(data.decode("utf-8") for data in fields.files.values())


def _two_builds_with_a_takedown(tmp_path, build):
    data = write_dataset(tmp_path, decisions=[
        penalty_row(**{"违法事实": FACT}),
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕9号", "行政相对人名称": GONE_NAME, "违法事实": GONE_FACT}),
    ])
    code, out = build(data, today="2026-11-20")
    assert code == 0
    before = fragments(out)
    assert any(GONE_FACT in t for t in before.values())  # it was searchable while public
    write_csv(data / "takedowns.csv", TAKEDOWN_HEADER, [["清应急罚〔2024〕9号", AGENCY_A, "决定被撤销", "2026-11-19", ""]])
    code, out = build(data, today="2026-11-22")
    assert code == 0
    return out


def test_index_holds_record_pages_and_never_a_taken_down_decision(tmp_path, build):
    out = _two_builds_with_a_takedown(tmp_path, build)
    pages = fragments(out)
    urls = [u for u in pages if not u.endswith("#meta")]
    assert any(FACT in pages[u] for u in urls)  # live content is indexed
    assert all(u.startswith(("/decisions/", "/entities/")) for u in urls), urls  # records only, no lists
    text = "\n".join(pages[u] for u in urls)
    assert GONE_FACT not in text and GONE_NAME not in text and "清应急罚〔2024〕9号" not in text
    # the withdrawal notice page exists but is not indexed
    notice = next(p for p in Path(os.path.realpath(out)).joinpath("decisions").rglob("*.html")
                  if "撤回说明" in p.read_text(encoding="utf-8"))
    assert "/" + notice.relative_to(os.path.realpath(out)).as_posix() not in pages
    fields = Fields.built(out)
    # the withdrawal notice keeps the 文书号 (it is public); the decision's card, name and code are gone
    withdrawn = fields.equal("清应急罚〔2024〕9号")
    assert [c["kind"] for c in withdrawn] == ["notice"] and withdrawn[0]["reason"] == "决定被撤销"
    assert fields.equal(GONE_NAME) is None and not fields.entries(GONE_NAME[2:5])  # no gram of its name left
    assert GONE_FACT not in all_text(out) and GONE_NAME not in all_text(out)
    # navigation and boilerplate are not indexed: the remedies text is on every decision page
    assert not any("法律规定的申请期限" in pages[u] for u in urls)


def test_record_pages_carry_filters_sort_key_and_result_metadata(tmp_path, build):
    code, out = build(write_dataset(tmp_path))
    docs = [v for k, v in fragments(out).items() if k.endswith("#meta")]
    decisions = [d for d in docs if d["meta"].get("kind") == "decision"]
    assert decisions and len(docs) == len(fragments(out)) // 2
    for shard in shards(out):
        live = Path(os.path.realpath(out)) / "pagefind" / shard
        entry = json.loads((live / "pagefind-entry.json").read_text(encoding="utf-8"))
        meta = bundle.decode((live / f"pagefind.{entry['languages']['zh-cn']['hash']}.pf_meta").read_bytes())
        sorts = dict((name, order) for name, order in meta[4])
        count = len(fragments(out, shard)) // 2
        assert sorted(sorts["date"]) == list(range(count))  # a sort key on every record page
    for d in decisions:
        assert {"docno", "target", "agency", "date", "category"} <= set(d["meta"])
        assert set(d["filters"]) == {"agency", "category", "year"}
        assert d["filters"]["year"] == [d["meta"]["date"][:4]]
    assert "张三" not in json.dumps(docs, ensure_ascii=False)  # natural persons stay masked


def test_field_index_finds_names_docnos_codes_and_certificates(tmp_path, build):
    code, out = build(write_dataset(tmp_path))
    fields = Fields.built(out)
    company = fields.equal("示例恒达建材有限公司")
    assert "清应急罚〔2024〕1号" in {c["docno"] for c in company}
    by_docno = fields.equal("清应急罚[2024]1号")  # brackets people type
    assert [c["docno"] for c in by_docno] == ["清应急罚〔2024〕1号"] and by_docno[0] in company
    assert fields.equal("91110105MA01ABCD2X") == company
    staff = fields.equal("110105 23003")
    assert staff[0]["status"] == "暂扣" and staff[0]["agency"] == "清河区市场监督管理局"
    part = [c for e in fields.entries("恒达建") for c in fields.cards(e)]  # part of a name
    assert {c["docno"] for c in part} == {c["docno"] for c in company}
    agency = [c for e in fields.entries(f"@{AGENCY_A}") for c in fields.cards(e)]
    assert agency and all(c["agency"] == "清河区应急管理局" for c in agency)
    keys = fields.keys()
    assert not any(k in keys for k in ("张三", "张*", "张", "三")) and fields.equal("张三") is None
    text = _text(fields)
    assert "110105199001011237" not in text and "13800138000" not in text and "张三" not in text


# --- the field index, against a search of every record ---------------------

_HAN = "示例市清河区华泰文化有限公司老王店"
_TEXT = st.text(alphabet=_HAN + "0123AB〔〕（）- ", min_size=1, max_size=12)


def _site(decisions, notices=()):
    from types import SimpleNamespace

    out = []
    for i, (name, docno, code, natural, agency) in enumerate(decisions):
        out.append({"key": f"{agency}/{docno}{i}", "url": f"decisions/{agency}/{i}.html", "docno": docno,
                    "target_name": "张*" if natural else name, "target_type": "自然人" if natural else "法人",
                    "target_code": "" if natural else code, "agency_code": agency, "agency_name": f"{agency}局",
                    "decision_date": f"2025-01-{i % 28 + 1:02d}", "category": "行政处罚", "year": 2025})
    entities = [{"code": "A1", "name": "清河区华泰局", "type": "行政机关", "url": "entities/A1.html"}]
    staff = [{"name": "王五", "cert_no": "110105 23003", "entity_code": "A1", "entity_name": "清河区华泰局",
              "entity_url": "entities/A1.html", "category": "", "valid_until": "", "status": "有效",
              "status_class": "valid"}]
    notices = [{"key": f"A1/{d}", "url": f"decisions/A1/w{i}.html", "docno": d, "category": "行政处罚",
                "agency_name": "清河区华泰局", "agency_url": "entities/A1.html", "taken_down": "2026-01-01",
                "reason": "决定被撤销", "note": ""} for i, d in enumerate(notices)]
    return SimpleNamespace(decisions=out, entities=entities, staff=staff, notices=notices)


def _records(site) -> list[tuple[str, tuple[str, ...], str]]:
    """(url, normalised values the index holds, agency code) of every record, in list order."""
    out = [(e["url"], (e["name"], e["code"]), "") for e in site.entities]
    out += [(f"staff/index.html#entity-{s['entity_code']}", (s["cert_no"],), "") for s in site.staff]
    out += [(n["url"], (n["docno"],), "") for n in site.notices]
    out += [(d["url"], (d["docno"],) if d["target_type"] == "自然人" else (d["docno"], d["target_name"], d["target_code"]),
             d["agency_code"]) for d in site.decisions]
    return [(url, tuple(v for v in map(fieldindex.normalize, values) if v), agency) for url, values, agency in out]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT, st.text(alphabet="0123AB", max_size=6), st.booleans(),
                          st.sampled_from(["A1", "B2"])), min_size=1, max_size=25),
       st.lists(_TEXT, max_size=2), st.lists(_TEXT, max_size=6), st.sampled_from([2, 4]), st.sampled_from([8, 1]))
def test_every_list_names_exactly_the_records_holding_its_text(decisions, notices, queries, cap, slot_bits):
    """Each gram's list holds the entry of every record whose values contain
    the gram, and no other; each whole value's ``=`` list, of every record
    containing the value; each entry once, newest first (where the first
    record of it is: records may share one); pages (a small CAP forces them)
    join to the list; every card sits where its entry says. (One slot bit:
    many records share an entry.)"""
    site = _site(decisions, notices)
    before = fieldindex.CAP, fieldindex.SLOT_BITS
    fieldindex.CAP, fieldindex.SLOT_BITS = cap, slot_bits
    try:
        files = dict(fieldindex.index_files(fieldindex.sources(site), 4, 8))
        span = 1 << fieldindex.SLOT_BITS
    finally:
        fieldindex.CAP, fieldindex.SLOT_BITS = before
    fields = Fields(files)
    records = _records(site)
    where = {}  # url → entry, read from the blocks
    for rel, data in fields.files.items():
        if rel.startswith("b/"):
            for card in json.loads(data)["cards"]:
                where[card["url"]] = int(rel[2:-5], 16) * span + card["slot"]
    assert set(where) == {url for url, _, _ in records}

    def expected(holds) -> list[int]:
        """The entries of the records that hold it, each once, in list order."""
        return list(dict.fromkeys(where[url] for url, values, agency in records if holds(values, agency)))

    keys = fields.keys()
    values = {v for _, vs, _ in records for v in vs}
    assert {k for k in keys if k.startswith("=")} == {fieldindex.equal_key(v)[1] for v in values}
    for key in keys:
        assert fields.shard_of(key) in fields.files and key in fields.json(fields.shard_of(key))
        if key.startswith("@"):
            assert fields.entries(key) == expected(lambda vs, agency: agency == key[1:])
        elif not key.startswith("="):
            assert fields.entries(key) == expected(lambda vs, agency: any(key in v for v in vs)), key
    for value in values | {fieldindex.normalize(q) for q in queries} - {""}:
        want = expected(lambda vs, agency: any(value in v for v in vs))
        got = fields.entries(fieldindex.equal_key(value)[1])
        if value in values:
            assert got == want, value
        for gram in fieldindex.grams(value):  # what the browser may look a part up by
            assert set(want) <= set(fields.entries(gram) or ()), (value, gram)


def test_the_same_records_give_the_same_bytes_and_a_new_one_changes_only_its_own_files():
    rows = [(f"示例市清河区华泰{i}文化有限公司", f"清罚〔2025〕{i}号", f"9111{i:04d}AB", i % 5 == 0, "A1")
            for i in range(300)]
    a = dict(fieldindex.index_files(fieldindex.sources(_site(rows)), 16, 256))
    assert dict(fieldindex.index_files(fieldindex.sources(_site(rows)), 16, 256)) == a
    new = ("示例市清河区老王店", "清罚〔2025〕999号", "91119999AB", False, "A1")
    b = dict(fieldindex.index_files(fieldindex.sources(_site(rows + [new])), 16, 256))
    fa, fb = Fields(a), Fields(b)
    own = {"@A1"} | {k for v in new[:3] for k in fieldindex.grams(fieldindex.normalize(v))} | {
        fieldindex.equal_key(fieldindex.normalize(v))[1] for v in new[:3]}
    changed_keys = {k for k in fa.keys().keys() | fb.keys().keys() if fa.entries(k) != fb.entries(k)}
    assert changed_keys and changed_keys <= own
    changed = {rel.removeprefix("search/fields/") for rel in a.keys() | b.keys() if a.get(rel) != b.get(rel)}
    assert [rel for rel in changed if rel.startswith("b/")] == [f"b/{fb.entries('@A1')[-1] >> 8:x}.json"]
    pages_of = {}
    for f in (fa, fb):
        for key in changed_keys:
            value = (f.json(f.shard_of(key)) or {}).get(key)
            pages_of.update({f"l/{name}.json": key for name in (value["p"] if isinstance(value, dict) else ())})
    for rel in changed - {"meta.json"}:
        if rel.startswith("g/"):  # a shard changed only in the values of changed keys
            sa, sb = fa.json(rel) or {}, fb.json(rel) or {}
            differ = {k for k in sa.keys() | sb.keys() if sa.get(k) != sb.get(k)}
            assert differ and differ <= changed_keys, rel
        elif rel.startswith("l/"):  # a page of a changed list
            assert rel in pages_of, rel
    assert len(changed) < len(a) / 4, (len(changed), len(a))


_ROWS = st.lists(st.tuples(_TEXT, _TEXT, st.text(alphabet="0123AB", max_size=6), st.booleans(),
                          st.sampled_from(["A1", "B2"])), min_size=1, max_size=20)


@settings(max_examples=60, deadline=None)
@given(_ROWS, _ROWS)
def test_the_memo_of_earlier_nights_never_changes_the_bytes(tmp_path_factory, before, tonight):
    """The index made with the grams memo of an earlier night (other records,
    some of them gone tonight; kept in a real cache folder, and dropped down
    to tonight's values when most of it is stale) is the index made afresh."""
    from pelican.plugins.gongshi.cache import Cache

    cache = Cache(tmp_path_factory.mktemp("cache"))
    afresh = dict(fieldindex.index_files(fieldindex.sources(_site(tonight)), 4, 8))
    for night, rows in enumerate((before, tonight, tonight)):  # an earlier night, tonight, tomorrow
        memo = fieldindex.Grams.load(cache)
        made = dict(fieldindex.index_files(fieldindex.sources(_site(rows)), 4, 8, memo))
        if night:
            assert made == afresh
        if night == 2:  # tonight's memo, dropped to tonight's values or not, knew all it needs
            assert not memo.changed and memo.values
            assert 4 * (len(memo.values) - len(memo.held)) <= len(memo.values)
        memo.save(cache)


def test_a_damaged_memo_is_made_afresh(tmp_path):
    from pelican.plugins.gongshi.cache import Cache

    rows = [(f"华泰{i}文化", f"清罚〔2025〕{i}号", f"91{i:04d}", False, "A1") for i in range(30)]
    cache = Cache(tmp_path)
    memo = fieldindex.Grams()
    afresh = dict(fieldindex.index_files(fieldindex.sources(_site(rows)), 4, 8, memo))
    memo.save(cache)
    assert len(fieldindex.Grams.load(cache).values) == len(memo.values) > 0
    (entry,) = tmp_path.iterdir()
    entry.write_bytes(entry.read_bytes()[:-7])  # torn
    assert fieldindex.Grams.load(cache).values == []
    # Whole (its digest right), but not of the shape a memo has: a value that is no text.
    memo.values[0] = 7
    memo.changed = True
    memo.save(cache)
    assert fieldindex.Grams.load(cache).values == []
    assert dict(fieldindex.index_files(fieldindex.sources(_site(rows)), 4, 8, fieldindex.Grams.load(cache))) == afresh


def test_keys_sharing_a_hash_name_their_pages_by_their_text_not_their_order():
    keys, hashes = ["b", "a", "c", "d"], [5, 5, 7, 5]
    import numpy as np

    assert fieldindex._suffixes(keys, np.array(hashes)) == {0: "x", 3: "xx"}
    assert fieldindex._suffixes(keys[::-1], np.array(hashes[::-1])) == {3: "x", 0: "xx"}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_HAN[:6] + "02A〔〕-", max_size=14))
def test_grams_are_the_parts_the_rules_name(text):
    """The rules search.js cuts a query by (its termGrams): every part of
    two characters not both letters or digits, of three with at most one,
    four letters or digits, and a run of letters or digits with the
    characters either side."""
    alnum = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    def named(g: str) -> bool:
        k = sum(c in alnum for c in g)
        return ((len(g) == 2 and k < 2) or (len(g) == 3 and k <= 1) or (len(g) == 4 and k == 4)
                or (len(g) >= 3 and g[0] not in alnum and g[-1] not in alnum and k == len(g) - 2))

    parts = {text[i:j] for i in range(len(text)) for j in range(i + 2, len(text) + 1)}
    assert fieldindex.grams(text) == {g for g in parts if named(g)}


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 1 << 24), min_size=1, max_size=6000, unique=True), st.data())
def test_pages_join_to_the_list_and_a_record_more_or_less_changes_one_or_two(entries, data):
    pages = fieldindex._pages(entries)
    assert [e for _, page in pages for e in page] == entries
    assert len({name for name, _ in pages}) == len(pages) and all(0 < len(p) <= fieldindex._PAGE_MAX for _, p in pages)
    gone = data.draw(st.integers(0, len(entries) - 1))
    other = dict(fieldindex._pages(entries[:gone] + entries[gone + 1:]))
    changed = [name for name, page in pages if other.get(name) != page]
    assert len(changed) <= 2 or len(entries) > fieldindex._PAGE_MAX  # a forced cut may move along


def test_layout_grows_with_the_records_and_stays_a_power_of_two():
    from types import SimpleNamespace

    sizes = [fieldindex.layout(SimpleNamespace(decisions=[{}] * n, entities=[], staff=[], notices=[]))
             for n in (0, 1, 100, 10_000, 100_000, 1_000_000)]
    for blocks, shards in sizes:
        assert blocks & (blocks - 1) == 0 and shards & (shards - 1) == 0
    assert sizes == sorted(sizes) and sizes[0] == (1, 1) and sizes[-1][1] <= 1 << 16


def _bundle(out: Path) -> dict[str, bytes]:
    live = Path(os.path.realpath(out))
    return {p.relative_to(live).as_posix(): p.read_bytes() for p in (live / "pagefind").rglob("*") if p.is_file()}


def test_bundle_is_deterministic_and_unchanged_files_keep_their_bytes(tmp_path, build):
    data = write_dataset(tmp_path)
    code, out = build(data)
    first = _bundle(out)
    assert any(rel.startswith("pagefind/2024/filter/") for rel in first)
    live = Path(os.path.realpath(out))
    mtimes = {rel: (live / rel).stat().st_mtime_ns for rel in first}
    # Pagefind itself writes filter files in hash-map order; index the same site again from scratch.
    code, other = build(data, output=tmp_path / "again")
    assert code == 0 and _bundle(other) == first
    code, out = build(data)  # same data, same day: nothing in the bundle rewritten
    live = Path(os.path.realpath(out))
    assert {rel: (live / rel).stat().st_mtime_ns for rel in mtimes} == mtimes


def _indexed(monkeypatch) -> list[str]:
    """Records the shards Pagefind is run on."""
    calls: list[str] = []
    real = search._index_shard

    def spy(slot, tmp, shard, pages):
        calls.append(shard)
        return real(slot, tmp, shard, pages)

    monkeypatch.setattr(search, "_index_shard", spy)
    return calls


def _files(out: Path, shard: str) -> dict[str, tuple[int, int, bytes]]:
    live = Path(os.path.realpath(out))
    return {p.relative_to(live).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in (live / "pagefind" / shard).rglob("*") if p.is_file()}


def test_a_change_in_one_shard_reindexes_and_rewrites_only_that_shard(tmp_path, build, monkeypatch):
    rows = [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔{y}〕{i}号", "处罚决定日期": f"{y}-03-0{i}",
                           "违法事实": f"{y}年第{i}起"}) for y in (2024, 2025) for i in (1, 2)]
    data = write_dataset(tmp_path, decisions=rows)
    calls = _indexed(monkeypatch)
    code, out = build(data)  # slot a
    assert code == 0 and sorted(calls) == sorted(shards(out)) and {"2024", "2025", "other"} <= set(calls)
    calls.clear()
    code, out = build(data)  # slot b: every shard copied from a, none re-indexed
    assert code == 0 and calls == []
    before = {shard: _files(out, shard) for shard in ("2024", "2025")}
    rows[2] = penalty_row(**{"行政处罚决定书文号": "清应急罚〔2025〕1号", "处罚决定日期": "2025-03-01",
                             "违法事实": "2025年第1起（已更正）"})
    write_dataset(tmp_path, decisions=rows)
    code, out = build(data, today="2026-11-23")  # slot a again, the live one is b
    assert code == 0
    assert "2025" in calls and "2024" not in calls
    # slot a's 2024 bundle: the same bytes and mtimes as the live (b) copy; a's files were not rewritten
    assert {rel: v[1:] for rel, v in _files(out, "2024").items()} == {rel: v[1:] for rel, v in before["2024"].items()}
    assert any("（已更正）" in text for text in fragments(out, "2025").values())
    assert not any("（已更正）" in text for text in fragments(out, "2024").values())


def test_a_new_indexing_scheme_indexes_every_shard_again(tmp_path, build, monkeypatch):
    rows = [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔{y}〕1号", "处罚决定日期": f"{y}-03-01"}) for y in (2024, 2025)]
    data = write_dataset(tmp_path, decisions=rows)
    calls = _indexed(monkeypatch)
    assert build(data)[0] == 0
    calls.clear()
    code, out = build(data)
    assert code == 0 and calls == []  # nothing changed: every shard kept
    monkeypatch.setattr(search, "_SCHEME", search._SCHEME + " (next)")
    code, out = build(data)
    assert code == 0 and sorted(calls) == sorted(shards(out)) and {"2024", "2025", "other"} <= set(calls)


def test_a_takedown_reindexes_its_shard_only_and_leaves_no_trace(tmp_path, build, monkeypatch):
    calls = _indexed(monkeypatch)
    out = _two_builds_with_a_takedown(tmp_path, build)
    # build 1 indexed every shard; build 2 (the takedown of a 2024 decision) the 2024 one, and
    # "other" since the entity page lists the agency's decisions
    assert calls.count("2024") == 2
    assert "清应急罚〔2024〕9号" not in json.dumps(fragments(out), ensure_ascii=False)


def test_shard_plan_covers_every_page_once_in_date_ranges():
    from types import SimpleNamespace

    decisions = [{"url": f"decisions/a/{i}.html", "decision_date": f"202{i % 3 + 4}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"}
                 for i in range(3000)]
    site = SimpleNamespace(decisions=decisions, entities=[{"url": "entities/x.html"}])
    for limit in (5000, 900, 100, 20):
        plan = search.shard_plan(site, limit)
        pages = [rel for group in plan.values() for rel in group]
        assert sorted(pages) == sorted([d["url"] for d in decisions] + ["entities/x.html"])
        assert plan["other"] == ["entities/x.html"]
        dates = {d["url"]: d["decision_date"] for d in decisions}
        order = search.shard_order(plan)
        assert order[-1] == "other"
        ranges = [(min(dates[r] for r in plan[s]), max(dates[r] for r in plan[s])) for s in order[:-1]]
        # newest first and not overlapping: date order across shards is shard order
        assert all(older[1] < newer[0] for newer, older in zip(ranges, ranges[1:]))
        assert all(len(plan[s]) <= limit or len(set(dates[r] for r in plan[s])) == 1 for s in order[:-1])
    assert search.shard_plan(site, 5000).keys() == {"2024", "2025", "2026", "other"}


def test_a_month_slightly_too_big_for_one_shard_makes_two_not_three():
    """Every shard is a browser request per query word: a month of 2 100
    decisions goes by half months (two shards), not by ten days (three)."""
    from types import SimpleNamespace

    decisions = [{"url": f"decisions/a/{i}.html", "decision_date": f"2025-03-{i % 31 + 1:02d}"} for i in range(2100)]
    plan = search.shard_plan(SimpleNamespace(decisions=decisions, entities=[]), 2000)
    assert plan.keys() == {"2025-q1-03-a", "2025-q1-03-b"}
    first = {d["url"] for d in decisions if d["decision_date"] <= "2025-03-15"}
    assert set(plan["2025-q1-03-a"]) == first


def test_pagefind_version_is_the_pinned_one():
    pins = (Path(__file__).resolve().parent.parent / "requirements.txt").read_text(encoding="utf-8")
    assert f"pagefind[extended]=={search.PAGEFIND_VERSION}" in pins
    assert f"pagefind_bin_extended=={search.PAGEFIND_VERSION}" in pins
    binary = search.pagefind_binary()
    assert binary.name == "pagefind_extended"  # the build with Chinese segmentation
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout
    assert version.split() == ["pagefind", search.PAGEFIND_VERSION]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_normalize_is_idempotent_and_space_free(text):
    once = fieldindex.normalize(text)
    assert fieldindex.normalize(once) == once
    assert not any(c.isspace() for c in once)


def _fnv1a(text: str) -> int:  # the definition, byte by byte (as search.js computes it)
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), max_size=40))
def test_the_vectorised_fnv1a_is_fnv1a(texts):
    assert fieldindex.fnv1a(texts) == [_fnv1a(t) for t in texts]


def test_fnv1a_known_values():  # published FNV-1a 32-bit test vectors
    assert fieldindex.fnv1a(["", "a", "foobar"]) == [0x811C9DC5, 0xE40C292C, 0xBF9CF968]


def test_a_failing_indexer_publishes_nothing(tmp_path, build, monkeypatch):
    data = write_dataset(tmp_path)
    code, out = build(data)
    live_before = os.readlink(out)
    digest = {p: p.read_bytes() for p in Path(os.path.realpath(out)).rglob("*") if p.is_file()}
    broken = tmp_path / "pagefind_extended"
    broken.write_text("#!/bin/sh\necho 'index exploded' >&2\nexit 7\n")
    broken.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_binary", lambda: broken)
    code, out = build(data, today="2026-11-23")  # nothing to index changed: Pagefind is not run
    assert code == 0
    live_before = os.readlink(out)
    digest = {p: p.read_bytes() for p in Path(os.path.realpath(out)).rglob("*") if p.is_file()}
    write_csv(data / "decisions" / "2024-行政处罚-补录.csv", PENALTY_HEADER,
              [penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕7号"})])
    code, out = build(data, today="2026-11-24")  # a 2024 decision added: that shard must be indexed
    assert code == 3
    assert os.readlink(out) == live_before
    assert {p: p.read_bytes() for p in Path(os.path.realpath(out)).rglob("*") if p.is_file()} == digest


# --- the delta shard ------------------------------------------------------------

OLD_MARK = "zqoldmark"
NEW_MARK = "zqnewmark"


def _year_rows(year: int, n: int, fact=lambda i: f"第{i}起违法事实") -> list[list[str]]:
    return [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔{year}〕{i}号", "处罚决定日期": f"{year}-{i % 12 + 1:02d}-{i % 27 + 1:02d}",
                           "违法事实": fact(i)}) for i in range(1, n + 1)]


def _words(out: Path, shard: str) -> str:
    """The shard's word index (every chunk, decoded) as text."""
    live = Path(os.path.realpath(out)) / "pagefind" / shard
    return json.dumps([bundle.decode(p.read_bytes()) for p in sorted((live / "index").iterdir())], ensure_ascii=False)


def _ids(out: Path, shard: str) -> dict[str, str]:
    """Page URL → Pagefind id in one shard of the live slot."""
    live = Path(os.path.realpath(out)) / "pagefind" / shard
    return {json.loads(gzip.decompress(p.read_bytes())[12:])["url"]: p.name.split(".")[0]
            for p in (live / "fragment").iterdir()}


def test_a_small_change_goes_to_the_delta_and_the_date_shard_is_kept(tmp_path, build, monkeypatch):
    rows = _year_rows(2025, 30, lambda i: f"第{i}起 {OLD_MARK}" if i == 3 else f"第{i}起违法事实") + _year_rows(2024, 5)
    data = write_dataset(tmp_path, decisions=rows)
    calls = _indexed(monkeypatch)
    code, out = build(data, today="2026-11-20")
    assert code == 0 and "delta" not in listing(out) and listing(out)["stale"] == []
    old_ids = _ids(out, "2025")
    corrected = next(url for url, text in fragments(out, "2025").items() if OLD_MARK in text)
    before, old_words = _files(out, "2025"), _words(out, "2025")
    # night 2: one decision corrected, one new, both dated 2025 (2 of 30 pages: the shard is kept)
    rows[2] = penalty_row(**{"行政处罚决定书文号": "清应急罚〔2025〕3号", "处罚决定日期": "2025-04-04", "违法事实": f"第3起 {NEW_MARK}"})
    rows.append(penalty_row(**{"行政处罚决定书文号": "清应急罚〔2025〕31号", "处罚决定日期": "2025-06-15", "违法事实": "新增的一起"}))
    write_dataset(tmp_path, decisions=rows)
    calls.clear()
    code, out = build(data, today="2026-11-23")
    assert code == 0 and "delta" in calls and "2025" not in calls and "2024" not in calls
    got = listing(out)
    assert got["stale"] == [old_ids[corrected]]  # the old version's id, dropped by search.js
    delta = fragments(out, "delta")
    urls = sorted(u for u in delta if not u.endswith("#meta"))
    assert corrected in urls and len(urls) == 2 and NEW_MARK in delta[corrected]
    new_url = next(u for u in urls if u != corrected)
    by_id = {pid: where for pid, where in got["delta"]["pages"].items()}
    assert sorted(by_id.values()) == [["2025", "2025-04-04"], ["2025", "2025-06-15"]]
    assert delta[new_url + "#meta"]["meta"]["date"] == "2025-06-15"
    # the kept shard: same files, same bytes and mtimes, except the old version's text, not published
    # (no page left the shard, so nothing is purged: the old words stay in its index, never shown)
    kept = _files(out, "2025")
    gone = f"pagefind/2025/fragment/{old_ids[corrected]}.pf_fragment"
    assert gone in before and gone not in kept
    assert {rel: v[1:] for rel, v in kept.items()} == {rel: v[1:] for rel, v in before.items() if rel != gone}
    assert OLD_MARK in old_words and OLD_MARK in _words(out, "2025")
    assert OLD_MARK not in json.dumps(fragments(out), ensure_ascii=False)
    assert NEW_MARK in json.dumps(fragments(out), ensure_ascii=False)
    # a quiet night: nothing indexed, the listing unchanged
    calls.clear()
    code, again = build(data, today="2026-11-23")
    assert code == 0 and calls == [] and listing(again) == got


def test_a_takedown_is_purged_from_a_kept_shard_and_leaves_no_trace(tmp_path, build, monkeypatch):
    rows = _year_rows(2025, 30, lambda i: f"第{i}起 {OLD_MARK}" if i == 3 else f"第{i}起违法事实")
    data = write_dataset(tmp_path, decisions=rows)
    calls = _indexed(monkeypatch)
    code, out = build(data, today="2026-11-20")
    assert code == 0 and OLD_MARK in _words(out, "2025")
    ids = _ids(out, "2025")
    gone_url = next(url for url, text in fragments(out, "2025").items() if OLD_MARK in text)
    rows[4] = penalty_row(**{"行政处罚决定书文号": "清应急罚〔2025〕5号", "处罚决定日期": "2025-06-06", "违法事实": f"第5起 {NEW_MARK}"})
    write_dataset(tmp_path, decisions=rows,
                  takedowns=[["清应急罚〔2025〕3号", AGENCY_A, "决定被撤销", "2026-11-19", ""]])
    calls.clear()
    code, out = build(data, today="2026-11-23")
    # the 2025 shard is kept (not re-indexed): the taken-down page and the correction's old version
    # are purged from it, the correction goes to the delta
    assert code == 0 and "2025" not in calls and "delta" in calls
    got = listing(out)
    corrected = next(url for url, text in fragments(out, "delta").items() if NEW_MARK in text)
    assert got["stale"] == sorted([ids[gone_url], ids[corrected]])
    text = json.dumps(fragments(out), ensure_ascii=False)
    assert NEW_MARK in text and OLD_MARK not in text and "清应急罚〔2025〕3号" not in text
    # not a word of the taken-down decision in the kept shard's word index, nor its number in a filter
    # or the sort order: no query, filter or sort can return it
    words = _words(out, "2025")
    assert OLD_MARK not in words and "第3起" not in words and NEW_MARK not in words
    live = Path(os.path.realpath(out)) / "pagefind" / "2025"
    entry = json.loads((live / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = bundle.decode((live / f"pagefind.{entry['languages']['zh-cn']['hash']}.pf_meta").read_bytes())
    numbers = {n for n, (pid, _) in enumerate(meta[1]) if pid in (ids[gone_url], ids[corrected])}
    assert len(numbers) == 2  # still in the page list (renumbering would rewrite every chunk)
    for name, h in meta[3]:
        for value, pages in bundle.decode((live / "filter" / f"{h}.pf_filter").read_bytes())[1]:
            assert not numbers & set(pages)
    assert all(not numbers & set(order) for _, order in meta[4])
    assert sorted(n for _, order in meta[4] for n in order) == sorted(set(range(len(meta[1]))) - numbers)
    # a quiet night: the kept shard as it is, its purged pages still stale
    calls.clear()
    code, again = build(data, today="2026-11-23")
    assert code == 0 and calls == [] and listing(again) == got
    # more purges than STALE_SHARE of the shard: it is re-indexed and nothing is stale any more
    write_dataset(tmp_path, decisions=rows, takedowns=[
        [f"清应急罚〔2025〕{i}号", AGENCY_A, "决定被撤销", "2026-11-19", ""] for i in (3, 6, 7)])
    code, out = build(data, today="2026-11-24")
    assert code == 0 and "2025" in calls and listing(out)["stale"] == [] and "delta" not in listing(out)


def test_a_kept_shard_changed_by_hand_is_reindexed_instead_of_purged(tmp_path, build, monkeypatch):
    rows = _year_rows(2025, 30, lambda i: f"第{i}起 {OLD_MARK}" if i == 3 else f"第{i}起违法事实")
    data = write_dataset(tmp_path, decisions=rows)
    calls = _indexed(monkeypatch)
    code, out = build(data, today="2026-11-20")
    assert code == 0
    # a valid Pagefind file, but not the one the manifest lists: one filter file's bytes in another's place
    first, second = sorted((Path(os.path.realpath(out)) / "pagefind" / "2025" / "filter").iterdir())[:2]
    second.write_bytes(first.read_bytes())
    write_dataset(tmp_path, decisions=rows, takedowns=[["清应急罚〔2025〕3号", AGENCY_A, "决定被撤销", "2026-11-19", ""]])
    calls.clear()
    code, out = build(data, today="2026-11-23")
    # the purge cannot trust the live copy: the shard is indexed afresh, and holds no trace either way
    assert code == 0 and "2025" in calls and listing(out)["stale"] == []
    assert OLD_MARK not in _words(out, "2025") and "清应急罚〔2025〕3号" not in json.dumps(fragments(out), ensure_ascii=False)


_rel_names = st.text("abcdef", min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["2024", "2025", "2026", "other"]),
                       st.tuples(st.dictionaries(_rel_names, st.tuples(st.sampled_from("xyz"), st.sampled_from("xyz"),
                                                                       st.booleans(), st.booleans()),
                                                 min_size=1, max_size=12),
                                 st.integers(0, 3)),
                       min_size=1),
       st.sampled_from([0.1, 0.3, 1.0]), st.integers(0, 8))
def test_delta_layout_sees_each_page_once_and_purges_every_lost_or_changed_one(shards_, share, cap):
    """Each shard: (page → (digest tonight, digest when built, whether it was
    built, whether its id is known), pages purged before); a digest tonight
    of "z" is a page gone tonight (taken down, expired, moved)."""
    plan, digests, built = {}, {}, {}
    for shard, (pages, dead) in shards_.items():
        now = [f"{shard}/{rel}" for rel, (d, *_) in sorted(pages.items()) if d != "z"]
        if now:
            plan[shard] = now
        digests.update({f"{shard}/{rel}": d for rel, (d, *_) in pages.items()})
        old = {f"{shard}/{rel}": [b, f"id-{shard}-{rel}-{b}" if known else ""]
               for rel, (_, b, was, known) in pages.items() if was}
        if old:
            built[shard] = {"key": "k", "pages": old, "dead": [f"dead-{shard}-{i}" for i in range(dead)]}
    layout = search.plan_index(plan, digests, built, share, cap)
    assert set(layout.build) | set(layout.keep) == set(plan) and not set(layout.build) & set(layout.keep)
    assert len(layout.delta) <= cap
    for shard, fresh in layout.keep.items():
        old, dead = built[shard]["pages"], built[shard]["dead"]
        gone = [rel for rel in old if rel not in plan[shard]]
        assert set(fresh) == {rel for rel in plan[shard] if rel not in old or old[rel][0] != digests[rel]}
        assert len(fresh) + len(gone) + len(dead) <= share * (len(old) + len(dead))
        changed = [old[rel][1] for rel in fresh if rel in old]
        # every page lost since it was indexed is purged by its id (takedown is total), and with it
        # the older versions of changed pages; every id the shard no longer stands for is stale
        assert layout.purge[shard] == (sorted([old[rel][1] for rel in gone] + changed) if gone else [])
        assert all(layout.purge[shard]) and all(changed)
        assert layout.stale[shard] == sorted(set(dead + changed + layout.purge[shard]))
    # what a search sees: each page tonight exactly once, in its current version
    seen = [rel for shard in layout.build for rel in plan[shard]] + layout.delta
    seen += [rel for shard, fresh in layout.keep.items() for rel, (_, pid) in built[shard]["pages"].items()
             if pid not in layout.stale[shard]]
    assert sorted(seen) == sorted(rel for pages in plan.values() for rel in pages)


def test_a_superseded_id_equal_to_a_live_one_reindexes_its_shard(tmp_path, build, monkeypatch):
    assert search.collisions({"2025": ["zh-cn_a"], "2024": ["zh-cn_b"]}, {"zh-cn_b", "zh-cn_c"}) == {"2024"}
    assert search.collisions({"2025": ["zh-cn_a"]}, {"zh-cn_c"}) == set()
    rows = _year_rows(2025, 30, lambda i: f"第{i}起 {OLD_MARK}" if i == 3 else f"第{i}起违法事实")
    data = write_dataset(tmp_path, decisions=rows)
    calls = _indexed(monkeypatch)
    code, out = build(data, today="2026-11-20")
    corrected = next(url for url, text in fragments(out, "2025").items() if OLD_MARK in text)
    stale_id = _ids(out, "2025")[corrected]
    rows[2] = penalty_row(**{"行政处罚决定书文号": "清应急罚〔2025〕3号", "处罚决定日期": "2025-04-04", "违法事实": f"第3起 {NEW_MARK}"})
    rows.append(penalty_row(**{"行政处罚决定书文号": "清应急罚〔2025〕31号", "处罚决定日期": "2025-06-15", "违法事实": "新增的一起"}))
    write_dataset(tmp_path, decisions=rows)
    # Pagefind's 7-hex ids repeating across shards is rare: make the delta's new page take the id
    # the corrected page had in its kept shard, as a real repeat would.
    real = search.page_ids

    def repeating(files):
        ids = real(files)
        text = {pid: gzip.decompress(files[f"fragment/{pid}.pf_fragment"]).decode().replace("\u200b", "")
                for pid in ids.values()}
        return {rel: stale_id if "新增的一起" in text[pid] else pid for rel, pid in ids.items()}

    monkeypatch.setattr(search, "page_ids", repeating)
    calls.clear()
    code, out = build(data, today="2026-11-23")
    # the delta was indexed, the repeat found, and the 2025 shard re-indexed instead of hiding a page
    assert code == 0 and "delta" in calls and calls.index("delta") < calls.index("2025")
    got = listing(out)
    assert got["stale"] == [] and "delta" not in got
    text = json.dumps(fragments(out), ensure_ascii=False)
    assert NEW_MARK in text and "新增的一起" in text and OLD_MARK not in text


def test_without_the_state_file_shards_are_reused_and_their_ids_read_back(tmp_path, build, monkeypatch):
    """A live slot from before the delta shard (or whose state file was lost)."""
    rows = _year_rows(2025, 30, lambda i: f"第{i}起 {OLD_MARK}" if i == 3 else f"第{i}起违法事实")
    data = write_dataset(tmp_path, decisions=rows)
    calls = _indexed(monkeypatch)
    code, out = build(data, today="2026-11-20")
    live = Path(os.path.realpath(out))
    old_ids = _ids(out, "2025")
    search.state_path(live).unlink()
    calls.clear()
    code, out = build(data, today="2026-11-20")
    assert code == 0 and calls == []  # same pages: copied from the live slot, not re-indexed
    assert search.load_state(Path(os.path.realpath(out)))["2025"]["pages"]  # ids read back from the bundle
    rows[2] = penalty_row(**{"行政处罚决定书文号": "清应急罚〔2025〕3号", "处罚决定日期": "2025-04-04", "违法事实": f"第3起 {NEW_MARK}"})
    write_dataset(tmp_path, decisions=rows)
    code, out = build(data, today="2026-11-23")
    assert code == 0 and "2025" not in calls and "delta" in calls
    corrected = next(url for url, text in fragments(out, "delta").items() if NEW_MARK in text)
    assert listing(out)["stale"] == [old_ids[corrected]]
