"""The public log's chain (gongshi/publog.py): any altered, removed or
reordered line is found, and the first bad line is named."""
import hashlib
import json

import pytest
from hypothesis import given, settings, strategies as st

from pelican.plugins.gongshi import publog
from pelican.plugins.gongshi.publog import ZERO, check_chain, make_line

KEYS = ["11110105MB0123456X/清应急罚〔2024〕1号", "11110105MB0765432Y/清市监许〔2025〕8号",
        "11110105MB0123456X/清应急检〔2026〕3号"]


def a_log(n: int) -> list[str]:
    lines, prev = [], ZERO
    for seq in range(1, n + 1):
        line = make_line(seq, f"2026-11-{1 + seq % 28:02d}", publog.KINDS[seq % 4], KEYS[seq % 3],
                         hashlib.sha256(str(seq).encode()).hexdigest(), prev)
        lines.append(line)
        prev = publog.line_hash(line)
    return lines


def anchor_of(lines):
    return len(lines), publog.line_hash(lines[-1])


def test_a_log_as_written_passes_and_its_lines_are_canonical():
    lines = a_log(6)
    assert check_chain(lines, anchor_of(lines)) is None
    first = json.loads(lines[0])
    assert list(first) == ["seq", "date", "event", "key", "digest", "prev"] and first["prev"] == ZERO
    assert json.loads(lines[3])["prev"] == hashlib.sha256(lines[2].encode("utf-8")).hexdigest()
    assert " " not in lines[0] and "清市监许" in lines[0]  # compact, UTF-8 (not \\u escapes)


def _other(field: str, value, draw):
    """A different, well-formed value for ``field``."""
    if field == "seq":
        return draw(st.integers(0, 10 ** 6).filter(lambda v: v != value))
    if field == "date":
        return draw(st.dates().map(lambda d: d.isoformat()).filter(lambda v: v != value))
    if field == "event":
        return draw(st.sampled_from([k for k in publog.KINDS if k != value]))
    if field == "key":
        return draw(st.sampled_from(KEYS + ["11110105MB0123456X/伪造〔2024〕9号"]).filter(lambda v: v != value))
    return draw(st.text("0123456789abcdef", min_size=64, max_size=64).filter(lambda v: v != value))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_altering_any_field_of_any_line_names_that_line(data):
    n = data.draw(st.integers(1, 12))
    lines = a_log(n)
    anchor = anchor_of(lines)  # published on the 数据开放 page before the alteration
    k = data.draw(st.integers(1, n))
    field = data.draw(st.sampled_from(publog.FIELDS))
    obj = json.loads(lines[k - 1])
    obj[field] = _other(field, obj[field], data.draw)
    altered = lines[:]
    altered[k - 1] = make_line(obj["seq"], obj["date"], obj["event"], obj["key"], obj["digest"], obj["prev"])
    found = check_chain(altered, anchor)
    assert found is not None and found.line == k, (k, field, str(found))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_removing_or_reordering_lines_names_the_first_bad_line(data):
    n = data.draw(st.integers(2, 12))
    lines = a_log(n)
    anchor = anchor_of(lines)
    k = data.draw(st.integers(1, n - 1))
    if data.draw(st.booleans()):
        changed, expected = lines[:k - 1] + lines[k:], k  # line k removed
    else:
        changed = lines[:]
        changed[k - 1], changed[k] = changed[k], changed[k - 1]  # lines k and k + 1 swapped
        expected = k
    found = check_chain(changed, anchor)
    assert found is not None and found.line == expected, (k, str(found))
    # The last line removed: only the published anchor can tell.
    found = check_chain(lines[:-1], anchor)
    assert found is not None and found.line == n


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_a_changed_spelling_of_a_line_is_a_bad_line(data):
    n = data.draw(st.integers(1, 8))
    lines = a_log(n)
    k = data.draw(st.integers(1, n))
    respelled = lines[:]
    respelled[k - 1] = json.dumps(json.loads(lines[k - 1]), ensure_ascii=data.draw(st.booleans()))
    found = check_chain(respelled, anchor_of(lines))
    assert found is not None and found.line == k


def test_garbage_and_missing_fields_are_named():
    lines = a_log(3)
    assert check_chain(lines[:1] + ["{not json"] + lines[2:]).line == 2
    obj = json.loads(lines[2])
    del obj["prev"]
    assert check_chain(lines[:2] + [json.dumps(obj, ensure_ascii=False, separators=(",", ":"))]).line == 3


@pytest.mark.parametrize("record", [
    {"key": "X/1", "fine_wan": 2.0, "details": {"b": "乙", "a": "甲"}},
    {"key": "X/2", "fine_wan": None, "details": {}},
])
def test_digest_is_of_the_canonical_form_a_citizen_can_recompute(record):
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert publog.sha256(publog.canonical(record)) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    # Read back from a file written another way, the digest is the same.
    again = json.loads(json.dumps(record, ensure_ascii=False, indent=1))
    assert publog.notice_digest(again) == publog.notice_digest(record)
