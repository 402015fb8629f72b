"""The fast path changes nothing a reader sees: parallel rendering, skipping
unchanged pages through the slot manifests, and the incremental night give
exactly the bytes a from-scratch build gives, and touch only what changed."""
import multiprocessing
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import tree_digest
from helpers import AGENCY_A, PENALTY_HEADER, fragments, listing, penalty_row, write_csv, write_dataset

from pelican.plugins.gongshi import manifest, render
from pelican.plugins.gongshi.stager import Stager, UnsafePath


def rows(n, **extra):
    return [penalty_row(**{"行政处罚决定书文号": f"清应急罚〔2025〕{i}号", **extra}) for i in range(1, n + 1)]


def inodes(slot: Path) -> dict[str, int]:
    slot = Path(os.path.realpath(slot))
    return {p.relative_to(slot).as_posix(): p.stat().st_ino for p in slot.rglob("*") if p.is_file()}


def other_slot(out: Path) -> Path:
    live = Path(os.path.realpath(out))
    return live.with_name("a" if live.name == "b" else "b")


def test_parallel_rendering_gives_the_same_bytes(tmp_path, build, monkeypatch):
    data = write_dataset(tmp_path, decisions=rows(40), licenses=[], others=[])
    code, serial = build(data, output=tmp_path / "serial", GONGSHI_PROCESSES=1)
    assert code == 0
    monkeypatch.setattr(render, "PARALLEL_MIN", 0)  # fork workers even for a small site
    code, parallel = build(data, output=tmp_path / "parallel", GONGSHI_LEDGER=str(tmp_path / "l2"),
                           GONGSHI_PROCESSES=2)
    assert code == 0
    assert tree_digest(parallel) == tree_digest(serial)
    assert manifest.load(Path(os.path.realpath(parallel))) is not None


def outside_search(tree: dict[str, str]) -> dict[str, str]:
    return {rel: value for rel, value in tree.items() if not rel.startswith("pagefind/")}


def test_an_incremental_night_equals_a_fresh_build_and_rewrites_only_changes(tmp_path, build, monkeypatch):
    monkeypatch.setattr(render, "PARALLEL_MIN", 0)
    data = write_dataset(tmp_path, decisions=rows(40), licenses=[], others=[])
    assert build(data, today="2026-11-20")[0] == 0
    code, out = build(data, today="2026-11-20")  # fills the other slot: the steady state
    assert code == 0
    shutil.copy(tmp_path / "ledger.sqlite", tmp_path / "ledger-fresh.sqlite")
    target = other_slot(out)  # tonight's build updates this slot, then makes it live
    before = inodes(target)
    assert manifest.load(target) is not None

    # Tonight: one correction and one new decision (dated so that it sorts last).
    write_csv(data / "decisions" / "2027-更正.csv", PENALTY_HEADER, [
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2025〕7号", "处罚内容": "警告，并处罚款人民币1万元"}),
        penalty_row(**{"行政处罚决定书文号": "清应急罚〔2020〕99号", "处罚决定日期": "2024-01-01"})])
    code, out = build(data, today="2026-11-21")
    assert code == 0
    code, fresh = build(data, today="2026-11-21", output=tmp_path / "fresh",
                        GONGSHI_LEDGER=str(tmp_path / "ledger-fresh.sqlite"))
    # Byte for byte, but for the search bundle: a night keeps date shards and indexes its change into
    # the delta shard (search.py), where a fresh build indexes everything anew. The index itself
    # holds the same pages with the same text, filters and metadata.
    assert outside_search(tree_digest(out)) == outside_search(tree_digest(fresh))
    assert "delta" in listing(out) and "delta" not in listing(fresh)
    assert fragments(out) == fragments(fresh)

    assert Path(os.path.realpath(out)) == target
    after = inodes(target)
    rewritten = {rel for rel, ino in after.items() if before.get(rel) != ino}
    live = Path(os.path.realpath(out))
    # Only what changed: the corrected and the new page, the lists and pages that show them,
    # open data and the sitemap; not the other 39 decision pages.
    pages = {rel for rel in after if rel.startswith(f"decisions/{AGENCY_A}/")}
    assert len(pages) == 41 and len(pages & rewritten) == 2
    assert "theme/css/site.css" not in rewritten and "open-data/decisions.json" in rewritten
    # The manifest says exactly what the live slot holds.
    entries = manifest.load(live)
    assert set(entries) == set(after)
    for rel, entry in entries.items():
        path = live / rel
        assert manifest.digest(path.read_bytes()) == entry.digest and path.stat().st_mtime_ns == entry.mtime, rel


def test_a_decision_page_is_rendered_again_when_only_its_agency_changes(tmp_path, build):
    # A decision page shows its agency's remedies: its input key must follow the agency too.
    from helpers import ENTITIES, ENTITY_HEADER

    data = write_dataset(tmp_path, decisions=rows(3), licenses=[], others=[])
    for _ in range(2):  # both slots current
        code, out = build(data, today="2026-11-20")
        assert code == 0
    entities = [list(e) for e in ENTITIES]
    entities[0][ENTITY_HEADER.index("行政复议机关")] = "示例市人民政府复议办公室"
    write_csv(data / "entities.csv", ENTITY_HEADER, entities)
    code, out = build(data, today="2026-11-20")
    assert code == 0
    pages = sorted((Path(os.path.realpath(out)) / "decisions" / AGENCY_A).glob("*.html"))
    assert len(pages) == 3
    assert all("示例市人民政府复议办公室" in p.read_text(encoding="utf-8") for p in pages)


def test_the_second_manifest_shares_the_entries_equal_to_the_first(tmp_path, build):
    """Two slots hold mostly the same files: a manifest loaded ``like`` the
    other slot's is the same mapping, made of the other's objects where equal."""
    data = write_dataset(tmp_path)
    assert build(data, today="2026-11-20")[0] == 0
    code, out = build(data, today="2026-11-21")  # the other slot, one day later: some files differ
    live = Path(os.path.realpath(out))
    first, plain = manifest.load(other_slot(out)), manifest.load(live)
    shared = manifest.load(live, like=first)
    assert shared == plain
    same = {rel for rel in plain if first.get(rel) == plain[rel]}
    assert same and len(same) < len(plain)
    assert all((shared[rel] is first[rel]) == (rel in same) for rel in shared)


def test_a_slot_without_manifest_is_compared_on_disk(tmp_path, build):
    data = write_dataset(tmp_path)
    assert build(data, today="2026-11-20")[0] == 0
    code, out = build(data, today="2026-11-20")
    other = other_slot(out)
    # A killed build leaves the slot it was updating without manifest, half written.
    manifest.forget(other)
    victim = next((other / "decisions").rglob("*.html"))
    victim.write_text("half written", encoding="utf-8")
    code, out = build(data, today="2026-11-20")
    assert Path(os.path.realpath(out)) == other
    assert victim.read_text(encoding="utf-8") != "half written"
    assert manifest.load(other) is not None


def test_the_stager_refuses_paths_outside_the_slot(tmp_path):
    stager = Stager(tmp_path / "slot", None, {}, None)
    for rel in ("../x.html", "/etc/passwd", "a/../../x", "", "a\x00b"):
        with pytest.raises(UnsafePath):
            stager.emit(rel, b"x")
    assert stager.emit("a/b.html", b"x") and (tmp_path / "slot" / "a" / "b.html").read_bytes() == b"x"


def test_input_key_depends_on_every_part():
    base = render.input_key("f", "t.html", "u.html", {"a": [1, "中"]})
    assert base == render.input_key("f", "t.html", "u.html", {"a": [1, "中"]})
    assert len({base, render.input_key("g", "t.html", "u.html", {"a": [1, "中"]}),
                render.input_key("f", "s.html", "u.html", {"a": [1, "中"]}),
                render.input_key("f", "t.html", "v.html", {"a": [1, "中"]}),
                render.input_key("f", "t.html", "u.html", {"a": [1, "中文"]})}) == 5
    assert render.input_key("f", "t.html", "u.html", {"a": object()}) == ""  # never reused


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                     lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=3), kids, max_size=4),
                     max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(a=st.dictionaries(st.text(max_size=3), _json, max_size=4),
       b=st.dictionaries(st.text(max_size=3), _json, max_size=4))
def test_input_key_memo_changes_nothing(a, b):
    """Pages share objects (a listing's facets, a decision on several list
    pages); the memo that serialises each shared object once must give every
    page the key it would get alone, and different contexts different keys."""
    memo: dict = {}
    shared = {"x": [a, b], "y": a}
    with_memo = [render.input_key("f", "t", "u", ctx, memo) for ctx in (a, b, shared, a)]
    alone = [render.input_key("f", "t", "u", ctx) for ctx in (a, b, shared, a)]
    assert with_memo == alone
    import json
    same = json.dumps(a, sort_keys=False) == json.dumps(b, sort_keys=False)
    assert (with_memo[0] == with_memo[1]) == same


def test_a_failing_render_fails_the_build_in_any_process(tmp_path, monkeypatch):
    """Whichever process (the build's or a forked child) meets the page that
    cannot be rendered, render_specs raises, and no child is left behind."""
    from types import SimpleNamespace
    monkeypatch.setattr(render, "PARALLEL_MIN", 0)
    for bad in (0, 399):  # the first chunk (taken by the build process) and the last
        specs = [SimpleNamespace(url=f"p/{i}.html", n=i) for i in range(400)]

        def page(spec, bad=bad):
            if spec.n == bad:
                raise ValueError("unrenderable")
            return f"<p>{spec.n}</p>".encode()

        stager = Stager(tmp_path / f"slot{bad}", None, {}, None)
        with pytest.raises((ValueError, RuntimeError), match="unrenderable"):
            render.render_specs(specs, page, lambda spec, memo: "", stager, workers=2)
        assert not multiprocessing.active_children()
    # A child that dies without a word (killed): the build fails all the same. The build
    # process waits for the child to have started dying, so the child surely takes a chunk.
    parent, dying = os.getpid(), multiprocessing.get_context("fork").Event()

    def dies(spec):
        if os.getpid() != parent:
            dying.set()
            os._exit(3)
        assert dying.wait(60)
        return b"<p></p>"

    specs = [SimpleNamespace(url=f"p/{i}.html", n=i) for i in range(400)]
    with pytest.raises(RuntimeError, match="died|failed"):
        render.render_specs(specs, dies, lambda spec, memo: "", Stager(tmp_path / "slot-d", None, {}, None),
                            workers=2)
    assert not multiprocessing.active_children()


def _pages(rows, emit, key):  # (module level: a spawned process imports it)
    for n, text in rows:
        emit(f"x/{n}.txt", text.encode(), key)
    return len(rows)


def _fails(rows, emit):
    emit("y/0.txt", b"0")
    raise ValueError("unwritable")


def _dies(rows, emit):
    os._exit(3)


def _hangs(rows, emit):
    threading.Event().wait()


def _waits(gate, emit):
    while not os.path.exists(gate):
        time.sleep(0.02)
    return "done"


def _ready(folder):  # runs in the side process before its input is sent
    (Path(folder) / "ready").write_text(str(os.getpid()))
    return os.getpid()


def _with_ready(rows, emit, folder, ready):
    return ready, os.getpid()


def test_the_side_process_gets_ready_before_its_input_is_sent(tmp_path):
    """publish.py starts the side process before it prepares the site: the
    process's ``ready`` (reading the field index's memo) runs while the build
    prepares, in that process, and its result reaches the work sent later."""
    side = render.Background(_with_ready, str(tmp_path), ready=_ready)
    deadline = time.monotonic() + 60
    while not (tmp_path / "ready").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert (tmp_path / "ready").read_text() == str(side.child.pid)  # nothing sent yet
    ready, pid = side.send([], Stager(tmp_path / "slot", None, {}, None), []).join()
    assert ready == pid == side.child.pid != os.getpid()
    # Small sites: no process; ready and the work run here, at send.
    here = render.Background(_with_ready, str(tmp_path), ready=_ready, workers=1)
    assert here.child is None
    assert here.send([], Stager(tmp_path / "slot-h", None, {}, None), []).join() == (os.getpid(), os.getpid())


def test_the_build_sends_its_side_work_to_the_process_started_before_preparing(tmp_path, build, monkeypatch):
    """publish.py starts the side process before it prepares the site (the
    idle core imports it and reads the memo), and the generator sends the
    field index and the feeds to that process, not to one started later."""
    from pelican.plugins.gongshi import cli

    monkeypatch.setattr(render, "PARALLEL_MIN", 0)  # a side process even for a small site
    before, sent = [], []
    prepare, send = cli.prepare, render.Background.send

    def spied_prepare(*args, **kwargs):
        before.extend(child.pid for child in multiprocessing.active_children())
        return prepare(*args, **kwargs)

    def spied_send(self, *args, **kwargs):
        sent.append(self.child.pid)
        return send(self, *args, **kwargs)
    monkeypatch.setattr(cli, "prepare", spied_prepare)
    monkeypatch.setattr(render.Background, "send", spied_send)
    data = write_dataset(tmp_path, decisions=rows(40), licenses=[], others=[])
    code, out = build(data, GONGSHI_PROCESSES=2)
    assert code == 0 and (Path(os.path.realpath(out)) / "search" / "fields" / "meta.json").is_file()
    assert len(sent) == 1 and sent[0] in before


def test_no_rendering_child_runs_beside_a_side_process_still_at_work(tmp_path, monkeypatch):
    """The build's memory never holds the build process, a rendering child and the
    side process (the field index) at once: while the side process works, the build
    process renders every page itself; its children start once it is done."""
    from types import SimpleNamespace
    monkeypatch.setattr(render, "PARALLEL_MIN", 0)
    gate = tmp_path / "gate"
    side = render.Background(_waits, size=0).send(str(gate), Stager(tmp_path / "side", None, {}, None), [])
    specs = [SimpleNamespace(url=f"p/{i}.html") for i in range(600)]

    def page(spec):
        time.sleep(0.002)  # a child, were one started, would surely take a chunk
        return str(os.getpid()).encode()

    stager = Stager(tmp_path / "slot", None, {}, None)
    try:
        render.render_specs(specs, page, lambda spec, memo: "", stager, workers=2, beside=side)
        assert {(tmp_path / "slot" / s.url).read_text() for s in specs} == {str(os.getpid())}
        assert not side.done()
    finally:
        gate.touch()  # (a failure leaves no process behind)
    assert side.join() == "done" and side.done()


def test_files_made_in_the_background_are_staged_and_failures_fail_the_build(tmp_path):
    stager = Stager(tmp_path / "slot", None, {}, None)
    rels = [f"x/{n}.txt" for n in range(300)]
    assert render.Background(_pages, "k").send([[i, f"页{i}"] for i in range(300)], stager, rels).join() == 300
    assert sorted(stager.entries) == sorted(rels)
    assert all(stager.entries[rel].key == "k" for rel in rels)
    assert (tmp_path / "slot" / "x" / "7.txt").read_text(encoding="utf-8") == "页7"
    # One process (or a small site): made here and now, the same way.
    here = Stager(tmp_path / "slot-h", None, {}, None)
    job = render.Background(_pages, "k", workers=1).send([[7, "页7"]], here, ["x/7.txt"])
    assert job.child is None and (tmp_path / "slot-h" / "x" / "7.txt").read_bytes() == "页7".encode()
    assert job.join() == 1 and here.entries["x/7.txt"].key == "k"
    # Known to the slot's manifest, same bytes: kept, not written again.
    known = Stager(tmp_path / "slot", None, dict(stager.entries), None)
    assert render.Background(_pages, "k").send([[7, "页7"]], known, ["x/7.txt"]).join() == 1
    assert known.written == {"x/7.txt": False}

    stager = Stager(tmp_path / "slot-f", None, {}, None)
    with pytest.raises(RuntimeError, match="unwritable"):
        render.Background(_fails).send([1], stager, ["y/0.txt"]).join()
    assert stager.entries == {}
    with pytest.raises(RuntimeError, match="died"):
        render.Background(_dies).send([1], Stager(tmp_path / "slot-d", None, {}, None), []).join()
    stuck = render.Background(_hangs).send([1], stager, [])
    stuck.kill()
    assert not multiprocessing.active_children()


@settings(max_examples=60, deadline=None)
@given(old=st.sampled_from([None, b"", b"abc", b"abcdef" * 300]), live=st.sampled_from([None, b"abc", b"x"]),
       new=st.sampled_from([b"", b"abc", b"abcdef" * 300, b"xyz" * 2000]), known=st.booleans(),
       cut=st.integers(min_value=1, max_value=5000))
def test_a_file_written_in_pieces_ends_as_if_written_whole(tmp_path_factory, old, live, new, known, cut):
    """emit_pieces (open data, streamed) leaves the slot, the entry and the
    written flag exactly as emit does, with or without the slot's manifest,
    whatever the slot and the live slot held."""
    outcomes = []
    for how in ("whole", "pieces"):
        root = tmp_path_factory.mktemp(how)
        target, live_slot = root / "a", root / "b"
        live_slot.mkdir()
        target_manifest, live_manifest = ({} if known else None), {}
        for slot, data, entries in ((target, old, target_manifest), (live_slot, live, live_manifest)):
            if data is not None:
                (slot / "d").mkdir(parents=True, exist_ok=True)
                (slot / "d" / "f.json").write_bytes(data)
                os.utime(slot / "d" / "f.json", ns=(10**18 if slot == live_slot else 2 * 10**18,) * 2)
                if entries is not None:
                    entries["d/f.json"] = manifest.Entry("", manifest.digest(data), 10**18 if slot == live_slot else 2 * 10**18)
        stager = Stager(target, live_slot, target_manifest, live_manifest)
        if how == "whole":
            changed = stager.emit("d/f.json", new, "k")
        else:
            changed = stager.emit_pieces("d/f.json", (new[i:i + cut] for i in range(0, len(new), cut)), "k")
        path, entry = target / "d" / "f.json", stager.entries["d/f.json"]
        mtime = path.stat().st_mtime_ns  # the live copy's, the old file's, or (written now) any
        assert entry.mtime == mtime
        outcomes.append((changed, stager.written, entry.key, entry.digest, path.read_bytes(),
                         mtime if mtime in (10**18, 2 * 10**18) else "now", sorted(p.name for p in path.parent.iterdir())))
    assert outcomes[0] == outcomes[1]


def test_record_versions_change_exactly_when_the_public_record_does(tmp_path):
    """Rendering trusts Publication.versions instead of serialising each record
    (render_specs' seed): over real nights (a correction, a row dropped from the
    export and kept from the ledger, a correction back to the old text, a quiet
    night), two versions of a record are equal exactly when the records are."""
    import json
    from datetime import date

    from pelican.plugins.gongshi.ledger import Ledger
    from pelican.plugins.gongshi.pipeline import prepare

    data = write_dataset(tmp_path)
    ledger = Ledger(tmp_path / "ledger.sqlite")
    main, fix = data / "decisions" / "2024-行政处罚.csv", data / "decisions" / "2099-更正.csv"
    full, original = main.read_bytes(), penalty_row()
    other = main.read_text(encoding="utf-8-sig").splitlines()[2]  # the export without the first row
    nights = [
        (date(2026, 11, 20), full, [original]),
        (date(2026, 11, 21), full, [penalty_row(**{"处罚内容": "警告，并处罚款人民币1万元"})]),
        (date(2026, 11, 23), None, None),  # the row is missing tonight: kept from the ledger
        (date(2026, 11, 24), full, [original]),  # the old text again: a new correction
        (date(2026, 11, 25), full, [original]),
    ]
    key = f"{AGENCY_A}/清应急罚〔2024〕1号"
    seen: list[dict] = []
    for today, export, correction in nights:
        if export is None:
            main.write_text(",".join(PENALTY_HEADER) + "\n" + other + "\n", encoding="utf-8")
            fix.unlink()
        else:
            main.write_bytes(export)
            write_csv(fix, PENALTY_HEADER, correction)
        site = prepare(data, today, ledger.entries())
        assert not site.report.problems
        assert (key in site.publication.kept) == (export is None)
        versions = site.publication.versions
        assert set(versions) == {d["key"] for d in site.decisions}
        seen.append({d["key"]: (json.dumps(d, sort_keys=True, ensure_ascii=False), versions[d["key"]])
                     for d in site.decisions})
        ledger.commit(site.publication.changed, today, "a", {})
    ledger.close()
    texts = [night[key][0] for night in seen]
    assert texts[1] == texts[2] and len(set(texts)) == 3  # kept as it was; corrected on nights 2 and 4
    for a in seen:
        for b in seen:
            for k in a.keys() & b.keys():
                assert (a[k][0] == b[k][0]) == (a[k][1] == b[k][1]), k


def test_open_data_and_the_field_index_are_remade_only_when_a_record_changes(tmp_path, build, monkeypatch):
    from pelican.plugins.gongshi import fieldindex, opendata

    from helpers import STAFF, STAFF_HEADER

    made = []
    for module, name in ((opendata, "open_data_files"), (fieldindex, "index_files")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, real=real, name=name: made.append(name) or real(*a))
    data = write_dataset(tmp_path, decisions=rows(5))
    assert build(data, today="2026-11-20")[0] == 0
    assert sorted(made) == ["index_files", "open_data_files"]
    made.clear()
    code, out = build(data, today="2026-11-20")  # no record changed: both taken from the live slot
    assert code == 0 and made == []
    assert outside_search(tree_digest(out)) == outside_search(tree_digest(build(
        data, output=tmp_path / "fresh", GONGSHI_LEDGER=str(tmp_path / "fresh.sqlite"), today="2026-11-20")[1]))
    made.clear()
    staff = [list(s) for s in STAFF]
    staff[0][0] = "王更名"  # one staff member's name: the staff files and the field index change
    write_csv(data / "staff.csv", STAFF_HEADER, staff)
    code, out = build(data, today="2026-11-20")
    assert code == 0 and sorted(made) == ["index_files", "open_data_files"]
    site = Path(os.path.realpath(out))
    assert "王更名" in (site / "open-data" / "staff.csv").read_text(encoding="utf-8-sig")
    assert any("王更名" in p.read_text(encoding="utf-8") for p in (site / "search" / "fields").rglob("*.json"))
    # Same records, another version of this code (which may write them differently): remade
    # (cache.digest, which makes the key, includes the code version).
    made.clear()
    from pelican.plugins.gongshi import cache
    monkeypatch.setattr(cache, "code_version", lambda: "another version")
    assert build(data, today="2026-11-20")[0] == 0
    assert sorted(made) == ["index_files", "open_data_files"]


def _decision(key: str, day: int, text: str) -> dict:
    from pelican.plugins.gongshi.opendata import DECISION_COLUMNS

    d = {k: "" for k, _ in DECISION_COLUMNS}
    d.update(key=key, url=f"decisions/{abs(hash(key)) % 997}.html", docno=key.split("/")[1], decision_date=f"2026-01-{day:02d}",
             summary=text, outcome=f"={text}\n第二行,\"引号\"", fine_wan=day * 1.5, confiscation_wan=None,
             fields={"违法事实": text})
    return d


class _Site:
    """The parts of a prepared site open data reads (a night's public records)."""

    def __init__(self, records: dict[str, tuple[int, str]]):
        self.decisions = sorted((_decision(k, day, text) for k, (day, text) in records.items()),
                                key=lambda d: (d["decision_date"], d["key"]), reverse=True)
        self.staff, self.entities = [], []
        self.publication = type("P", (), {"versions": {k: f"{day}:{text}" for k, (day, text) in records.items()}})()


def _stage_open_data(site, target: Path, live: Path | None):
    from pelican.plugins.gongshi import opendata

    target.mkdir(parents=True, exist_ok=True)
    stager = Stager(target, live, {}, manifest.load(live) if live else None)
    previous = opendata.previous_files(stager)
    files, layout = opendata.open_data_files(site, previous)
    for rel in opendata.DECISION_FILES:
        stager.emit_pieces(rel, files[rel], "k")
    layout.digests = {rel: stager.entries[rel].digest for rel in opendata.DECISION_FILES}
    layout.save(target)
    manifest.save(target, stager.entries)
    return previous


_RECORDS = st.dictionaries(st.sampled_from([f"A/清罚〔2026〕{n}号" for n in range(40)]),
                           st.tuples(st.integers(1, 28), st.sampled_from(["甲", "乙", "丙,丁", "戊\n己"])), max_size=30)


@settings(max_examples=80, deadline=None)
@given(first=_RECORDS, second=_RECORDS, other=_RECORDS,
       tamper=st.sampled_from([None, "open-data/decisions.json", "open-data/decisions.csv"]), stale=st.booleans())
def test_open_data_copied_from_last_night_is_what_encoding_every_record_gives(tmp_path_factory, first, second,
                                                                             other, tamper, stale):
    """Whatever records came, went or changed (and if a live file was edited
    by hand, or the layout beside the slot describes other files), decisions.json/.csv
    equal the files made from scratch; exactly the records unchanged since last
    night are copied, from untouched files the layout describes."""
    from pelican.plugins.gongshi import opendata

    root = tmp_path_factory.mktemp("od")
    _stage_open_data(_Site(first), root / "a", None)
    untouched = set(opendata.DECISION_FILES) - {tamper}
    if tamper:
        path = root / "a" / tamper
        path.write_bytes(path.read_bytes().replace("甲".encode(), "乙".encode()))
    if stale:  # the layout of another night's files
        _stage_open_data(_Site(other), root / "z", None)
        shutil.copyfile(opendata.layout_path(root / "z"), opendata.layout_path(root / "a"))
        untouched = {rel for rel in untouched if (root / "z" / rel).read_bytes() == (root / "a" / rel).read_bytes()}
    site = _Site(second)
    previous = _stage_open_data(site, root / "b", root / "a")
    fresh, _ = opendata.open_data_files(site)
    for rel in opendata.DECISION_FILES:
        assert (root / "b" / rel).read_bytes() == b"".join(fresh[rel])
    last = other if stale else first
    same = sum(1 for k, v in second.items() if last.get(k) == v)
    assert {rel: p.copied for rel, p in previous.items()} == {rel: same for rel in untouched}


def test_a_damaged_or_foreign_open_data_layout_is_not_used(tmp_path, monkeypatch):
    from pelican.plugins.gongshi import cache, opendata

    _stage_open_data(_Site({"A/清罚〔2026〕1号": (3, "甲"), "A/清罚〔2026〕2号": (4, "乙")}), tmp_path / "a", None)
    path = opendata.layout_path(tmp_path / "a")
    good = path.read_bytes()
    layout = opendata.Layout.load(tmp_path / "a")
    assert layout.keys == ["A/清罚〔2026〕2号", "A/清罚〔2026〕1号"]
    for damaged in (good[:-3], good[:-3] + b"xyz", good.replace(b"opendata 3", b"opendata 2"), b""):
        path.write_bytes(damaged)
        assert opendata.Layout.load(tmp_path / "a") is None
    # Columns of unequal length, under a valid digest, are refused too.
    opendata.Layout(layout.keys, layout.versions[:1], layout.sizes, layout.digests).save(tmp_path / "a")
    assert opendata.Layout.load(tmp_path / "a") is None
    path.write_bytes(good)
    assert opendata.Layout.load(tmp_path / "a").keys == layout.keys
    monkeypatch.setattr(cache, "code_version", lambda: "another version")
    assert opendata.Layout.load(tmp_path / "a") is None


def test_a_build_runs_no_full_collection_and_leaves_the_collector_as_it_was(tmp_path, build):
    """What a build holds after loading lives until it ends, so full
    collections would walk it for nothing (28 of them, 2.4 s, a night at
    100 000 decisions); young ones still run. A test process runs many builds:
    the collector's settings come back."""
    import gc

    data = write_dataset(tmp_path, decisions=rows(300))
    thresholds = gc.get_threshold()
    runs = {0: 0, 1: 0, 2: 0}

    def count(phase, info):
        if phase == "start":
            runs[info["generation"]] += 1

    gc.callbacks.append(count)
    try:
        assert build(data)[0] == 0
    finally:
        gc.callbacks.remove(count)
    assert runs[2] == 0 and runs[0] > 0
    assert gc.get_threshold() == thresholds and gc.isenabled()
