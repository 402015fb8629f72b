"""The build cache (gongshi.cache) never changes a result: a load or build
through it equals one without it, on any day, after any change of the files."""
from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import tree_digest
from pelican.plugins.gongshi import cache as cache_mod
from pelican.plugins.gongshi.cache import Cache, DecisionFiles, PublicRecords
from pelican.plugins.gongshi.load import load_dataset
from pelican.plugins.gongshi.pipeline import prepare
from pelican.plugins.gongshi.publication import public_record
from helpers import AGENCY_A, AGENCY_B, ENTITIES, ENTITY_HEADER, PENALTY_HEADER, penalty_row, write_csv, write_dataset

DAY = date(2026, 11, 22)


def _rows():
    """Future dates (so validity depends on the day), a bad date, a duplicate,
    an unknown agency and a correction in a later file."""
    return [
        penalty_row(),
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2026〕7号", "处罚决定日期": "2026-11-25"}),
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2026〕8号", "处罚决定日期": "2026-11-20",
                       "公示截止期": "2029-11-20"}),
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2026〕9号", "处罚决定日期": "2026-13-01"}),
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2024〕1号"}),  # duplicate in the file
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2026〕10号", "处罚机关统一社会信用代码": AGENCY_B}),
    ]


def _dataset(tmp: Path) -> Path:
    data = write_dataset(tmp, decisions=_rows())
    header = PENALTY_HEADER + ["公示日期"]
    write_csv(data / "decisions" / "2027-更正.csv", header, [
        penalty_row(**{"违法事实": "更正后的事实"}) + ["2026-11-24"],
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2026〕11号", "处罚决定日期": "2026-11-18"}) + [""]])
    return data


def _same(a, b) -> None:
    assert a.report.problems == b.report.problems  # same problems in the same order
    assert a.decisions == b.decisions and list(a.decisions) == list(b.decisions)
    assert a.held_keys == b.held_keys and a.files == b.files
    assert a.entities == b.entities and a.takedowns == b.takedowns


days = st.integers(-6, 6).map(lambda n: DAY + timedelta(days=n))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=days, later=days)
def test_cached_load_equals_fresh_load_on_any_day(tmp_path_factory, first, later):
    tmp = tmp_path_factory.mktemp("c")
    data = _dataset(tmp)
    cache = Cache(tmp / "cache")
    load_dataset(data, first, DecisionFiles(cache))  # fills the cache on one day
    assert cache.misses and not cache.hits
    again = Cache(tmp / "cache")
    _same(load_dataset(data, later, DecisionFiles(again)), load_dataset(data, later))
    assert again.hits + again.misses == 4  # one lookup per decision file


def test_cache_follows_the_files_and_the_entities(tmp_path):
    data = _dataset(tmp_path)
    folder = tmp_path / "cache"
    load_dataset(data, DAY, DecisionFiles(Cache(folder)))
    # The same file name with other bytes: not the cached result.
    write_csv(data / "decisions" / "2024-行政处罚.csv", PENALTY_HEADER,
              [penalty_row(**{"行政处罚决定书文号": "清应急罚〔2026〕99号"})])
    _same(load_dataset(data, DAY, DecisionFiles(Cache(folder))), load_dataset(data, DAY))
    # An agency leaves entities.csv: its rows become unknown-entity problems.
    write_csv(data / "entities.csv", ENTITY_HEADER, ENTITIES[:1])
    cached = load_dataset(data, DAY, DecisionFiles(Cache(folder)))
    _same(cached, load_dataset(data, DAY))
    assert any(p.code == "unknown-entity" for p in cached.report.problems)


def test_public_records_follow_agency_names(tmp_path):
    data = _dataset(tmp_path)
    folder = tmp_path / "cache"
    fresh = prepare(data, DAY)
    assert prepare(data, DAY, cache=Cache(folder)).decisions == fresh.decisions
    warm = prepare(data, DAY, cache=Cache(folder))
    assert warm.decisions == fresh.decisions and warm.cache.hits >= 6
    renamed = [list(ENTITIES[0]), ENTITIES[1]]
    renamed[0][0] = "清河区应急管理局（新名称）"
    write_csv(data / "entities.csv", ENTITY_HEADER, renamed)
    cached = prepare(data, DAY, cache=Cache(folder))
    assert cached.decisions == prepare(data, DAY).decisions
    assert {d["agency_name"] for d in cached.decisions if d["agency_code"] == AGENCY_A} == {renamed[0][0]}


def test_public_records_recomputed_without_a_file_key(tmp_path):
    data = _dataset(tmp_path)
    ds = load_dataset(data, DAY)
    records = PublicRecords(Cache(tmp_path / "cache"), DecisionFiles(Cache(None)), ds.entities, public_record)
    d = next(iter(ds.decisions.values()))
    assert records(d, ds.entities[d.agency_code]) == public_record(d, ds.entities[d.agency_code])


def test_code_version_is_part_of_every_key(monkeypatch):
    before = cache_mod.digest("x")
    monkeypatch.setattr(cache_mod, "code_version", lambda: "another version")
    assert cache_mod.digest("x") != before


def test_build_with_warm_cold_or_corrupt_cache_gives_the_same_site(tmp_path, build):
    def night(tag: str, spoil=None) -> dict:
        root = tmp_path / tag
        data = _dataset(root)
        ledger = root / "ledger.sqlite"
        code, out = build(data, today=DAY.isoformat(), output=root / "out", GONGSHI_LEDGER=str(ledger))
        assert code == 5  # published; _dataset holds rows with problems on purpose
        folder = cache_mod.for_ledger(ledger).folder
        assert any(folder.glob("decisions-*")) and any(folder.glob("public-*"))
        assert any(folder.glob("feed-*"))
        old = set(os.listdir(folder))
        # Next night: one file changes.
        write_csv(data / "decisions" / "2024-行政处罚.csv", PENALTY_HEADER,
                  _rows() + [penalty_row(**{"行政处罚决定书文号": "清应急罚〔2026〕12号", "处罚决定日期": "2026-11-22"})])
        if spoil:
            spoil(folder)
        code, out = build(data, today=(DAY + timedelta(days=1)).isoformat(), output=root / "out",
                          GONGSHI_LEDGER=str(ledger))
        assert code == 5  # published; _dataset holds rows with problems on purpose
        if spoil is None:  # the entries of the old file version are gone, the rest kept
            now = set(os.listdir(folder))
            assert old - now and old & now
        return tree_digest(out)

    def corrupt(folder: Path) -> None:
        for path in folder.iterdir():
            path.write_bytes(b"not a pickle")

    def empty(folder: Path) -> None:
        for path in folder.iterdir():
            path.unlink()

    warm = night("warm")
    assert night("cold", empty) == warm
    assert night("corrupt", corrupt) == warm


def test_feeds_rendered_by_a_child_keep_their_cache_entries(tmp_path, build, monkeypatch):
    from pelican.plugins.gongshi import render

    monkeypatch.setattr(render, "PARALLEL_MIN", 0)  # the feeds are made by a forked child
    data = _dataset(tmp_path)
    ledger = tmp_path / "ledger.sqlite"
    folder = cache_mod.for_ledger(ledger).folder
    feeds = []
    for _ in range(2):
        code, out = build(data, today=DAY.isoformat(), output=tmp_path / "out", GONGSHI_LEDGER=str(ledger),
                          GONGSHI_PROCESSES=2)
        assert code == 5  # published; _dataset holds rows with problems on purpose
        feeds.append(sorted(p.name for p in folder.glob("feed-*")))
    # The child's cache entries count as used: the build that used them does not prune them.
    assert feeds[0] and feeds[1] == feeds[0]


# --- the entries' format: no pickles, damage means "compute again" -----------------

def _rich_dataset(tmp: Path) -> Path:
    """Every kind of value the loader makes: 长期 (NO_END_DATE), a 2016-template file
    whose agency is found by name, a columns.csv rename, a cleaned 文书号 (a note)."""
    data = _dataset(tmp)
    write_csv(data / "decisions" / "2026-长期.csv", PENALTY_HEADER, [penalty_row(**{
        "行政处罚决定书文号": "清应急罚〔2026〕2\u200b1号", "处罚有效期": "长期", "处罚决定日期": "2026-11-02"})])
    write_csv(data / "decisions" / "2026-旧模板.csv",
              ["行政处罚决定书文号", "处罚名称", "处罚类别1", "处罚类别2", "处罚事由", "处罚依据", "当事人",
               "行政相对人代码_5（居民身份证号）", "处罚结果", "处罚决定日期", "处罚机关", "地方编码"],
              [["清应急罚〔2026〕30号", "吸烟", "警告", "", "在仓库吸烟。", "《消防法》", "李四", "110105199202023456",
                "警告", "2026-11-03", "清河区应急管理局", "110105"]])
    write_csv(data / "columns.csv", ["导出列名", "标准列名"], [["当事人", "行政相对人名称"]])
    return data


def test_cached_load_and_records_equal_fresh_ones_for_every_kind_of_value(tmp_path):
    data = _rich_dataset(tmp_path)
    fresh = load_dataset(data, DAY)
    assert any(d.values.get("penalty_valid_until") is not None and not isinstance(d.values["penalty_valid_until"], date)
               for d in fresh.decisions.values())  # a NO_END_DATE is among them
    assert fresh.report.notes and any(d.spec.endswith("2016版模板）") for d in fresh.decisions.values())
    folder = tmp_path / "cache"
    load_dataset(data, DAY, DecisionFiles(Cache(folder)))
    again = Cache(folder)
    cached = load_dataset(data, DAY, DecisionFiles(again))
    assert again.hits == 6 and not again.misses
    _same(cached, fresh)
    assert cached.report.notes == fresh.report.notes and cached.rejected == fresh.rejected

    site = prepare(data, DAY)
    prepare(data, DAY, cache=Cache(folder))
    warm = prepare(data, DAY, cache=Cache(folder))
    assert warm.cache.misses == 0 and warm.decisions == site.decisions
    assert all(type(pair) is tuple for d in warm.decisions for pair in d["fields"])
    assert any(d.get("no_end_date") == ["处罚有效期"] for d in warm.decisions)


def _filled(tmp_path) -> tuple[Path, Path]:
    data = _rich_dataset(tmp_path)
    folder = tmp_path / "cache"
    prepare(data, DAY, cache=Cache(folder))
    entries = sorted(folder.glob("*-*"))
    assert entries and all(p.read_bytes().startswith(b"gongshi-cache 2 ") for p in entries)
    return data, folder


def _recomputed(data: Path, folder: Path) -> None:
    again = Cache(folder)
    _same(load_dataset(data, DAY, DecisionFiles(again)), load_dataset(data, DAY))
    assert again.misses == 6 and not again.hits
    site = prepare(data, DAY, cache=Cache(folder))
    assert site.decisions == prepare(data, DAY).decisions


def test_a_planted_pickle_is_never_unpickled(tmp_path):
    import pickle

    data, folder = _filled(tmp_path)
    marker = tmp_path / "code-ran"

    class Exploit:
        def __reduce__(self):
            return (Path.touch, (marker,))

    payload = pickle.dumps(Exploit())
    for path in folder.iterdir():
        path.write_bytes(payload)
        # also as a well-formed entry: a pickle where JSON is expected
        path.with_name(path.name).write_bytes(
            b"gongshi-cache 2 json " + cache_mod.digest(path.name.split("-")[0], payload).encode() + b"\n" + payload)
    _recomputed(data, folder)
    assert not marker.exists()


@pytest.mark.parametrize("spoil", ["flip", "torn", "shape", "types"])
def test_a_tampered_or_torn_entry_is_computed_again(tmp_path, spoil):
    data, folder = _filled(tmp_path)
    for path in folder.iterdir():
        raw = path.read_bytes()
        head, _, payload = raw.partition(b"\n")
        kind = path.name.split("-")[0]
        if spoil == "flip":  # one byte of the payload changed, the digest left as it was
            i = len(payload) // 2
            raw = head + b"\n" + payload[:i] + bytes([payload[i] ^ 1]) + payload[i + 1:]
        elif spoil == "torn":  # the write stopped halfway
            raw = raw[:len(raw) // 2]
        else:  # a well-formed entry holding something else
            payload = b'{"decisions": 1}' if spoil == "shape" else payload.replace(b'"d"', b'"x"', 1)
            raw = b"gongshi-cache 2 json " + cache_mod.digest(kind, payload).encode() + b"\n" + payload
        path.write_bytes(raw)
    _recomputed(data, folder)


def test_cache_follows_agency_names_and_columns_csv(tmp_path):
    data = _rich_dataset(tmp_path)
    folder = tmp_path / "cache"
    load_dataset(data, DAY, DecisionFiles(Cache(folder)))
    # The 2016 row's 处罚机关 no longer names an entity: its row must be held now.
    renamed = [list(ENTITIES[0]), ENTITIES[1]]
    renamed[0][0] = "清河区应急管理局（新名称）"
    write_csv(data / "entities.csv", ENTITY_HEADER, renamed)
    cached = load_dataset(data, DAY, DecisionFiles(Cache(folder)))
    _same(cached, load_dataset(data, DAY))
    assert any(p.code == "unknown-entity" and p.column == "处罚机关" for p in cached.report.problems)
    # columns.csv no longer renames 当事人: that file now lacks a required column.
    write_csv(data / "columns.csv", ["导出列名", "标准列名"], [["经办人", "备注"]])
    cached = load_dataset(data, DAY, DecisionFiles(Cache(folder)))
    _same(cached, load_dataset(data, DAY))
    assert any(p.code == "missing-column" and p.column == "行政相对人名称" for p in cached.report.problems)
