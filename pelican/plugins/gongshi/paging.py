"""Content-defined page breaks for the decision lists.

A list is sorted newest first by decision date, ties broken by the decision's
key, so its order depends only on what it holds. Counting pages from either
end would move every page whenever one decision is added or removed (and one
expires at the old end of every list every night), so the breaks are chosen
by the items themselves:

* every item gets a stable 64-bit hash of its key (``key_hash``);
* an item ENDS a page when its hash is smaller than the hash of every item
  within ``w`` places of it on either side (a local minimum, radius ``w``),
  and it is at least ``w`` places from the newest end and ``w + 1`` from the
  oldest end of the list (the list's ends count as smaller than everything);
* the oldest item always ends the last page.

Consequences (tests/test_paging.py checks them with Hypothesis):

* two breaks are more than ``w`` places apart, so every page has at least
  ``w + 1`` items (``min_size``), the first and last page included, unless
  the whole list is shorter; on random hashes a page has ``2w + 1`` items on
  average (``w = (per_page - 1) // 2`` gives about ``per_page``). There is no
  hard maximum: long pages are rare (at 100 000 items and ``per_page = 30``
  the longest measured was under 3 × ``per_page``, see the tests);
* whether an item ends a page depends only on the items within ``w + 1``
  places of it, so inserting or removing one item changes the break status of
  at most ``2w + 2`` neighbouring items, which hold at most two breaks: at most
  three pages change (the one holding the change and its neighbours, when a
  break appears or disappears) and every other page keeps its items and name;
* a page is named by the item that ends it (``name``: 10 hex digits of its
  hash), so adding to a page or removing from it does not rename it, and its
  neighbours' links to it stay the same. The newest page is named ``''`` (the
  list's ``index.html``) and the oldest ``OLDEST``: decisions expire at the old
  end every night, and a fixed name keeps the link to the last page stable.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Sequence

OLDEST = "oldest"
_PERSON = b"gongshi-paging"


def key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8, person=_PERSON).digest(), "big")


def radius(per_page: int) -> int:
    """The local-minimum radius ``w`` for a target page size: mean ``2w + 1``."""
    return max(0, (int(per_page) - 1) // 2)


def min_size(per_page: int) -> int:
    return radius(per_page) + 1


@dataclass(frozen=True)
class Page:
    start: int  # index of the newest item on the page
    stop: int  # one past the oldest item
    name: str  # '' = the newest page, OLDEST = the oldest, else named by its last item


def breaks(hashes: Sequence[int], w: int) -> list[int]:
    """Indices of the items that end a page by content (not the list's last item).

    Item ``i`` qualifies when ``w <= i <= n - w - 2`` and ``hashes[i]`` is
    smaller than every other hash in ``hashes[i - w: i + w + 1]``.
    """
    n = len(hashes)
    out: list[int] = []
    i, last = w, n - w - 2
    while i <= last:
        h = hashes[i]
        if w:
            right = hashes[i + 1: i + w + 1]
            low = min(right)
            if low <= h:
                # Every item between i and the right window's minimum is larger
                # than that minimum, which lies within its reach: none is a break.
                i += 1 + right.index(low)
                continue
            if min(hashes[i - w: i]) <= h:
                i += 1
                continue
        out.append(i)
        i += w + 1  # the next w items all have this one within reach
    return out


def _names(ends: list[int], hashes: Sequence[int]) -> list[str]:
    """10 hex digits of each page-ending item's hash; the full 16 where two of
    one list would share a prefix (practically never), a suffix if even that does."""
    full = [f"{hashes[e]:016x}" for e in ends]
    short = [h[:10] for h in full]
    seen: dict[str, int] = {}
    for s in short:
        seen[s] = seen.get(s, 0) + 1
    names, used = [], set()
    for s, f in zip(short, full):
        name = s if seen[s] == 1 else f
        base, k = name, 2
        while name in used:
            name, k = f"{base}-{k}", k + 1
        used.add(name)
        names.append(name)
    return names


def paginate(keys: Sequence[str], per_page: int, hashes: Sequence[int] | None = None) -> list[Page]:
    """Cut a sorted list (newest first) into pages. ``hashes``: ``key_hash`` of
    each key, when the caller has them already. An empty list is one empty page."""
    n = len(keys)
    if n == 0:
        return [Page(0, 0, "")]
    if hashes is None:
        hashes = [key_hash(k) for k in keys]
    ends = breaks(hashes, radius(per_page))
    if not ends or ends[-1] != n - 1:
        ends.append(n - 1)
    inner = _names(ends[:-1], hashes)
    pages, start = [], 0
    for i, end in enumerate(ends):
        name = "" if i == 0 else (OLDEST if i == len(ends) - 1 else inner[i])
        pages.append(Page(start, end + 1, name))
        start = end + 1
    return pages
