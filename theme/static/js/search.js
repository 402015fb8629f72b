/* 站内搜索 — search/index.html.
 *
 * The query is split on white space into terms, each normalised as
 * gongshi.fieldindex.normalize does. A result is shown as a match only when
 * its text contains every term; counts are only ever of such verified matches
 * ("至少 N 条" while some are still unchecked).
 *
 * 1. The field index (search/fields/, gongshi/fieldindex.py): names, 文书号,
 *    credit codes, 执法证号 and withdrawn 文书号, cut into grams that need no
 *    word segmenter. For each term: the list of records containing the whole
 *    term when it equals a value ("="), else the lists of a few rare grams,
 *    intersected (a gram no record has means no record has the term). The
 *    candidates' cards are loaded by block and checked; withdrawal notices
 *    are listed apart, first.
 * 2. Then the full text, with Pagefind (pagefind/shards.json: shards by
 *    decision date, newest first). By date (the default) the shards are
 *    merged and searched one by one, newest first, so the first results need
 *    only the newest shards; each candidate's text is checked before it is
 *    shown. By relevance every shard is merged first (slower). A small
 *    "delta" shard holds pages changed since their shard was indexed;
 *    superseded ids ("stale") are never shown.
 * Candidates that fail the check may be listed under "以下结果只包含部分文字",
 * never counted. Results are written with textContent only (never as HTML);
 * an excerpt's <mark> highlights are rebuilt as elements. The query, filters
 * and sort are kept in the address (?q=…&agency=…). */
(function () {
  'use strict';
  var form = document.getElementById('site-search');
  if (!form) { return; }
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var withdrawnBox = document.getElementById('search-withdrawn');
  var withdrawnList = document.getElementById('search-withdrawn-list');
  var partialBox = document.getElementById('search-partial');
  var partialList = document.getElementById('search-partial-list');
  var filtersBox = document.getElementById('search-filters');
  var filtersNote = document.getElementById('search-filters-note');
  var siteurl = form.getAttribute('data-siteurl') || '.';
  var fieldsBase = form.getAttribute('data-fields-url');
  var cfg = JSON.parse(form.getAttribute('data-fields') || '{}');
  var slotSpan = Math.pow(2, cfg.slot_bits || 8);
  var bundleBase = new URL(form.getAttribute('data-bundle'), document.baseURI).href.replace(/[^\/]*$/, '');
  var FILTERS = ['category', 'agency', 'year'];
  var PAGE = 20;          // results a page of the list shows
  var FIRST_BLOCKS = 2;   // card blocks loaded before the first results
  var BLOCKS_AT_ONCE = 6; // then this many at a time
  var GRAMS = 3;          // grams a term is looked up by (at first)
  var AUTO_SHARDS = 4;    // full-text shards searched without being asked (then twice as many a press)
  var CHECK_LIMIT = 60;   // full-text candidates checked without being asked (then three times as many)
  var PARTIAL_MAX = 10;
  var generation = 0;
  var finished = 0;
  var cache = {};
  var pagefind = null;
  var current = null;

  var STATUS_NOTE = {
    valid: '该执法证件在有效期内，状态正常。',
    suspended: '该执法证件已被暂扣，暂扣期间持证人不得从事行政执法活动。',
    cancelled: '该执法证件已注销，持证人不得从事行政执法活动。',
    expired: '该执法证件已超过有效期。'
  };
  var OPEN = '[(〔【［（〈《「', CLOSE = '])〕】］）〉》」';

  /* Same as gongshi.fieldindex.normalize: NFKC, no spaces, upper case, one bracket kind. */
  function normalize(text) {
    var s = String(text == null ? '' : text).normalize('NFKC').replace(/\s+/g, '').toUpperCase().normalize('NFKC');
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      out += OPEN.indexOf(c) >= 0 ? '〔' : CLOSE.indexOf(c) >= 0 ? '〕' : c;
    }
    return out;
  }

  /* 32-bit FNV-1a over UTF-8 bytes, as gongshi.fieldindex.fnv1a. */
  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /* The grams of a term, as gongshi.fieldindex.grams cuts a value (a term's
   * characters are code points: Array.from). Each gets a rank (lower: likely
   * rarer) and its position. */
  function termGrams(term) {
    var s = Array.from(term), n = s.length, alnum = [], seen = {}, out = [];
    var i;
    for (i = 0; i < n; i++) { alnum.push(/^[0-9A-Z]$/.test(s[i])); }
    function add(g, pos, rank) {
      if (seen[g] == null) { seen[g] = out.length; out.push({ gram: g, pos: pos, rank: rank }); }
      else if (out[seen[g]].rank > rank) { out[seen[g]].rank = rank; }
    }
    for (i = 0; i < n - 1; i++) {
      if (!(alnum[i] && alnum[i + 1])) { add(s[i] + s[i + 1], i, 2); }
      if (i < n - 2 && alnum[i] + alnum[i + 1] + alnum[i + 2] <= 1) { add(s[i] + s[i + 1] + s[i + 2], i, 1); }
    }
    for (i = 0; i < n; i++) {
      if (!alnum[i] || (i > 0 && alnum[i - 1])) { continue; }
      var j = i;
      while (j < n && alnum[j]) { j++; }
      for (var k = i; k + 4 <= j; k++) { add(s.slice(k, k + 4).join(''), k, 1); }
      if (i > 0 && j < n) { add(s.slice(i - 1, j + 1).join(''), i - 1, 0); }
    }
    return out;
  }

  /* Up to k grams not yet tried: best rank first, from the middle of the
   * term outwards (a name's start and end — district, 有限公司 — are common),
   * not overlapping the ones picked if possible. */
  function pickGrams(term, grams, k) {
    var centre = (Array.from(term).length - 2) / 2;
    var left = grams.filter(function (g) { return !g.tried; });
    left.sort(function (a, b) {
      return a.rank - b.rank || Math.abs(a.pos - centre) - Math.abs(b.pos - centre) || a.pos - b.pos;
    });
    var picked = [];
    [true, false].forEach(function (apart) {
      left.forEach(function (g) {
        if (picked.length >= k || picked.indexOf(g) >= 0) { return; }
        if (apart && picked.some(function (p) { return Math.abs(p.pos - g.pos) < 2; })) { return; }
        picked.push(g);
      });
    });
    return picked;
  }

  function href(url) {
    return siteurl + '/' + String(url || '').replace(/^\/+/, '');
  }

  function el(tag, text, cls) {
    var n = document.createElement(tag);
    if (text != null) { n.textContent = text; }
    if (cls) { n.className = cls; }
    return n;
  }

  function field(dl, label, value) {
    if (!value) { return; }
    var div = el('div');
    div.appendChild(el('dt', label));
    var dd = el('dd');
    if (value.nodeType) { dd.appendChild(value); } else { dd.textContent = value; }
    div.appendChild(dd);
    dl.appendChild(div);
  }

  function selected() {
    var f = {};
    FILTERS.forEach(function (name) {
      var v = form.elements[name].value;
      if (v) { f[name] = v; }
    });
    return f;
  }

  function getJSON(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (r.status === 404) { return null; }
        if (!r.ok) { throw new Error(url + ': ' + r.status); }
        return r.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  /* ---- the field index ---- */

  function shardUrl(key) {
    return fieldsBase + 'g/' + (fnv1a(key) % cfg.shards).toString(16) + '.json';
  }

  function lookup(key) {
    return getJSON(shardUrl(key)).then(function (shard) { return posting(shard ? shard[key] : null); });
  }

  /* A posting list: {size, inline} (entries, newest record first) or
   * {size, pages} (names of its pages in search/fields/l/). */
  function posting(value) {
    if (!value) { return { size: 0, inline: [] }; }
    if (Array.isArray(value)) { return { size: value.length, inline: value }; }
    return { size: value.n, pages: value.p };
  }

  function intersect(lists) {
    lists = lists.slice().sort(function (a, b) { return a.length - b.length; });
    var sets = lists.slice(1).map(function (l) { return new Set(l); });
    return lists[0].filter(function (e) { return sets.every(function (s) { return s.has(e); }); });
  }

  /* Entries of postings one after another (reverse: oldest first), each once. */
  function Cursor(postings, reverse) {
    var parts = reverse ? postings.slice().reverse() : postings.slice();
    var part = 0, page = 0, buffer = [], seen = new Set();
    function fill() {
      if (buffer.length || part >= parts.length) { return Promise.resolve(); }
      var p = parts[part];
      if (p.inline) {
        buffer = reverse ? p.inline.slice().reverse() : p.inline.slice();
        part++;
        return fill();
      }
      if (page >= p.pages.length) { part++; page = 0; return fill(); }
      var name = p.pages[reverse ? p.pages.length - 1 - page : page];
      page++;
      return getJSON(fieldsBase + 'l/' + name + '.json').then(function (entries) {
        buffer = (entries || []).slice();
        if (reverse) { buffer.reverse(); }
        return fill();
      });
    }
    return {
      /* Up to k more entries ([] when there are no more). */
      take: function (k) {
        var out = [];
        function step() {
          if (out.length >= k) { return Promise.resolve(out); }
          return fill().then(function () {
            if (!buffer.length) { return out; }
            while (buffer.length && out.length < k) {
              var e = buffer.shift();
              if (!seen.has(e)) { seen.add(e); out.push(e); }
            }
            return step();
          });
        }
        return step();
      }
    };
  }

  function agencyCodes(term) {
    var out = [];
    Object.keys(cfg.agencies || {}).forEach(function (name) {
      if (normalize(name).indexOf(term) >= 0) { out.push(cfg.agencies[name]); }
    });
    return out;
  }

  /* What each term can be looked up by: {term, grams, agencies, source}.
   * source: null (the index cannot find it), or {postings, size} with
   * every record whose fields contain the term among its entries. */
  function planTerms(terms) {
    var plans = terms.map(function (t) {
      return { term: t, grams: termGrams(t), agencies: agencyCodes(t), eq: null, lists: {}, none: false };
    });
    function round(k, again) {
      var keys = [];
      plans.forEach(function (p) {
        if (again && (p.eq || p.none)) { return; }
        if (!p.eqTried) { p.eqTried = true; keys.push({ plan: p, key: '=' + fnv1a('=' + p.term).toString(36), eq: true }); }
        pickGrams(p.term, p.grams, k).forEach(function (g) { g.tried = true; keys.push({ plan: p, key: g.gram }); });
      });
      return Promise.all(keys.map(function (k) { return lookup(k.key); })).then(function (got) {
        keys.forEach(function (k, i) {
          if (k.eq) { if (got[i].size) { k.plan.eq = got[i]; } }
          else if (!got[i].size) { k.plan.none = true; }
          else { k.plan.lists[k.key] = got[i]; }
        });
      });
    }
    function source(p) {
      var postings = [], size = 0;
      if (p.eq) { postings.push(p.eq); size = p.eq.size; }
      else if (!p.none) {
        var lists = Object.keys(p.lists).map(function (k) { return p.lists[k]; });
        var inline = lists.filter(function (l) { return l.inline; });
        if (inline.length) {
          var both = intersect(inline.map(function (l) { return l.inline; }));
          postings.push({ size: both.length, inline: both });
          size = both.length;
        } else if (lists.length) {
          var key = Object.keys(p.lists).sort(function (a, b) { return p.lists[a].size - p.lists[b].size; })[0];
          postings.push(p.lists[key]);
          size = p.lists[key].size;
        } else {
          return null;  // no gram to look it up by
        }
      }
      if (!p.agencies.length) { return { postings: postings, size: size }; }
      // Every decision of an agency whose name contains the term contains it.
      return Promise.all(p.agencies.map(function (code) { return lookup('@' + code); })).then(function (got) {
        got.forEach(function (l) { postings.push(l); size += l.size; });
        return { postings: postings, size: size };
      });
    }
    var k = terms.length === 1 ? GRAMS : 2;
    return round(k).then(function () {
      // Many candidates, and the grams looked up leave part of the term
      // uncovered: a second, narrower look.
      var again = plans.some(function (p) {
        return !p.eq && !p.none && !covered(p) && intersectSize(p) > 24 && p.grams.some(function (g) { return !g.tried; });
      });
      return again ? round(k, true) : null;
    }).then(function () {
      return Promise.all(plans.map(source)).then(function (sources) {
        plans.forEach(function (p, i) { p.source = sources[i]; });
        return plans;
      });
    });
  }

  /* Whether the grams with lists cover every character of the term. */
  function covered(p) {
    var n = Array.from(p.term).length, hit = [];
    p.grams.forEach(function (g) {
      if (!p.lists[g.gram]) { return; }
      for (var i = 0; i < Array.from(g.gram).length; i++) { hit[g.pos + i] = true; }
    });
    for (var i = 0; i < n; i++) { if (!hit[i]) { return false; } }
    return true;
  }

  function intersectSize(p) {
    var inline = Object.keys(p.lists).map(function (k) { return p.lists[k]; }).filter(function (l) { return l.inline; });
    return inline.length ? intersect(inline.map(function (l) { return l.inline; })).length : Infinity;
  }

  /* The text of a card a query is checked against: what its result shows. */
  var CARD_TEXT = ['docno', 'target', 'code', 'agency', 'date', 'category', 'name', 'type', 'cert_no', 'status',
                   'valid_until', 'reason', 'note'];

  function cardTexts(card) {
    return CARD_TEXT.map(function (k) { return normalize(card[k] || ''); }).filter(Boolean);
  }

  function containsAll(texts, terms) {
    return terms.every(function (t) { return texts.some(function (x) { return x.indexOf(t) >= 0; }); });
  }

  function equalsAny(texts, terms) {
    return terms.some(function (t) { return texts.indexOf(t) >= 0; });
  }

  function cardMatchesFilters(card, filters) {
    if (filters.category && card.category !== filters.category) { return false; }
    if (filters.agency && card.agency !== filters.agency) { return false; }
    if (filters.year && card.kind !== 'notice' && card.year !== filters.year) { return false; }
    return true;
  }

  /* The field stage: the candidates of the term with the fewest, in list
   * order, checked block by block. next(want, blocksFirst) finds up to
   * `want` more matches. */
  function FieldStage(terms, filters, reverse) {
    var self = { matches: [], notices: [], partial: [], done: false, staff: 0, usable: true };
    var cursor = null, pending = [];
    var ready = planTerms(terms).then(function (plans) {
      var usable = plans.filter(function (p) { return p.source; });
      if (!usable.length) { self.usable = false; self.done = true; return; }
      // Terms no record's fields contain are only checked on the cards found by the others.
      usable = usable.filter(function (p) { return p.source.size; });
      if (!usable.length) { self.done = true; return; }
      usable.sort(function (a, b) { return a.source.size - b.source.size; });
      cursor = Cursor(usable[0].source.postings, reverse);
    });
    function check(entries, blocks) {
      return Promise.all(blocks.map(function (b) {
        return getJSON(fieldsBase + 'b/' + b.toString(16) + '.json');
      })).then(function (got) {
        var byBlock = {};
        blocks.forEach(function (b, i) { byBlock[b] = (got[i] && got[i].cards) || []; });
        var found = 0;
        entries.forEach(function (e) {
          var slot = e % slotSpan, cards = byBlock[Math.floor(e / slotSpan)] || [];
          cards.forEach(function (card) {
            if (card.slot !== slot) { return; }
            var texts = cardTexts(card);
            if (!containsAll(texts, terms)) {
              if (card.kind !== 'notice') { self.partial.push(card); }
              return;
            }
            if (!cardMatchesFilters(card, filters)) { return; }
            card.equal = equalsAny(texts, terms);
            if (card.kind === 'notice') { self.notices.push(card); return; }
            if (card.kind === 'staff') { self.staff++; }
            self.matches.push(card);
            found++;
          });
        });
        return found;
      });
    }
    /* The entries of the next `count` blocks (in list order); last: no
     * entries are left after them. */
    function nextBlocks(count) {
      var blocks = [], entries = [], last = false;
      function step() {
        if (!pending.length) {
          return cursor.take(64).then(function (more) {
            if (!more.length) { last = true; return; }
            pending = more;
            return step();
          });
        }
        while (pending.length) {
          var b = Math.floor(pending[0] / slotSpan);
          if (blocks.indexOf(b) < 0) {
            if (blocks.length >= count) { return Promise.resolve(); }
            blocks.push(b);
          }
          entries.push(pending.shift());
        }
        return step();
      }
      return step().then(function () { return { blocks: blocks, entries: entries, last: last }; });
    }
    /* Check candidates until `want` more matches (or none are left), the
     * first `blocksFirst` blocks alone; after each batch, shown(). */
    self.next = function (want, blocksFirst, shown) {
      var found = 0, first = true;
      function step() {
        if (self.done || found >= want) { return Promise.resolve(); }
        var count = first ? blocksFirst : BLOCKS_AT_ONCE;
        first = false;
        return nextBlocks(count).then(function (batch) {
          if (!batch.blocks.length) { self.done = true; shown(); return; }
          return check(batch.entries, batch.blocks).then(function (n) {
            found += n;
            if (batch.last) { self.done = true; }
            shown();
            return step();
          });
        });
      }
      return ready.then(function () {
        if (cursor) { return step(); }
        shown();
      });
    };
    return self;
  }

  /* ---- the full text (Pagefind) ---- */

  /* {pf, shards, stale, delta, merged}: one Pagefind instance; the newest
   * shard's bundle is the primary, the others are added with mergeIndex
   * (sharing the primary's WebAssembly module) only when a search needs
   * them, each tagged with a synthetic "shard" filter (mergeFilter) so a
   * search can be limited to one shard. "stale" lists the ids the shards no
   * longer stand for (taken-down pages, older versions of corrected ones):
   * the build purges them, dropping them here is a second guard. */
  function loadPagefind() {
    if (!pagefind) {
      pagefind = getJSON(bundleBase + 'shards.json').then(function (listing) {
        var shardList = (listing && listing.shards) || [];
        var stale = {};
        (listing && listing.stale || []).forEach(function (id) { stale[id] = true; });
        if (!shardList.length) { return { pf: null, shards: [] }; }
        var first = shardList[0].id;
        return import(bundleBase + first + '/pagefind.js').then(function (mod) {
          var pf = mod.createInstance({ basePath: bundleBase + first + '/', baseUrl: '/' });
          var merged = {};
          merged[first] = Promise.resolve(pf.options({ mergeFilter: { shard: first } }));
          return { pf: pf, shards: shardList, stale: stale, delta: listing.delta || null, merged: merged };
        });
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  function merge(index, id) {
    if (!index.merged[id]) {
      index.merged[id] = index.pf.mergeIndex(bundleBase + id + '/', { baseUrl: '/', mergeFilter: { shard: id } });
    }
    return index.merged[id];
  }

  function pfSearch(index, query, options) {
    return index.pf.search(query, options).then(function (r) {
      return ((r && r.results) || []).filter(function (x) { return !index.stale[x.id]; });
    });
  }

  function withShard(filters, id) {
    var out = { shard: id };
    Object.keys(filters).forEach(function (k) { out[k] = filters[k]; });
    return out;
  }

  /* A shard's results by date (sorted by Pagefind) merged with the delta's
   * results that belong under it (dates known from shards.json): a base
   * result's date is read from its data, which the page shows anyway.
   * → loaders, in order. */
  function mergeByDate(base, extra, desc) {
    var out = [], b = 0, d = 0, datas = {};
    function data(r) { return datas[r.id] || (datas[r.id] = r.data()); }
    function step() {
      if (d >= extra.length) {
        return Promise.resolve(out.concat(base.slice(b).map(function (r) { return function () { return data(r); }; })));
      }
      if (b >= base.length) {
        return Promise.resolve(out.concat(extra.slice(d).map(function (x) { return function () { return data(x.result); }; })));
      }
      return data(base[b]).then(function (x) {
        var date = (x && x.meta && x.meta.date) || '', other = extra[d].date;
        var r = (desc ? other > date : other < date) ? extra[d++].result : base[b++];
        out.push(function () { return data(r); });
        return step();
      });
    }
    return step();
  }

  /* The full-text stage: candidates (loaders of Pagefind result data) in
   * order, taken shard by shard by date (newest first unless asc) or all at
   * once by relevance; next(want, shardsMax) checks candidates until `want`
   * more matches. */
  function FullText(query, terms, filters, sort) {
    var self = { matches: [], partial: [], done: false, shardsSearched: 0, checkedAll: true };
    var queue = [], order = null, k = 0, extras = null, index = null;
    var desc = sort !== 'asc';
    var ready = loadPagefind().then(function (got) {
      index = got;
      if (!index.pf) { self.done = true; return; }
      var dated = index.shards.filter(function (s) { return s.year; });
      if (!desc) { dated.reverse(); }
      order = dated.concat(index.shards.filter(function (s) { return !s.year; }));
      if (filters.year) { order = order.filter(function (s) { return !s.year || s.year === filters.year; }); }
      if (sort === 'relevance') {
        return Promise.all(index.shards.map(function (s) { return merge(index, s.id); }).concat(
          index.delta ? [merge(index, index.delta.id)] : [])).then(function () {
          return pfSearch(index, query, { filters: filters });
        }).then(function (rs) {
          queue = rs.map(function (r) { return function () { return r.data(); }; });
          order = [];
          self.shardsSearched = index.shards.length;
        });
      }
      if (!index.delta) { extras = Promise.resolve({}); return; }
      extras = merge(index, index.delta.id).then(function () {
        return pfSearch(index, query, { filters: withShard(filters, index.delta.id), sort: { date: desc ? 'desc' : 'asc' } });
      }).then(function (rs) {
        var by = {};
        rs.forEach(function (r) {
          var where = index.delta.pages[r.id];
          if (where) { (by[where[0]] = by[where[0]] || []).push({ result: r, date: where[1] }); }
        });
        return by;
      });
    });
    function searchNext() {
      var shard = order[k++];
      return Promise.all([merge(index, shard.id), extras]).then(function (got) {
        return pfSearch(index, query, { filters: withShard(filters, shard.id), sort: { date: desc ? 'desc' : 'asc' } })
          .then(function (rs) { return mergeByDate(rs, got[1][shard.id] || [], desc); });
      }).then(function (loaders) {
        self.shardsSearched++;
        queue = queue.concat(loaders);
      });
    }
    /* Check candidates until `want` more matches not `shown` yet (or the
     * candidates run out, or `shardsMax` shards were searched). */
    self.next = function (want, shardsMax, checkMax, shown, progress) {
      var found = 0, checked = 0, shards = 0;
      function step() {
        if (found >= want) { return Promise.resolve(); }
        if (!queue.length) {
          if (!order || k >= order.length) { self.done = true; return Promise.resolve(); }
          if (shards >= shardsMax) { return Promise.resolve(); }
          shards++;
          return searchNext().then(step);
        }
        if (checked >= checkMax) { return Promise.resolve(); }
        var batch = queue.splice(0, Math.min(6, want - found + 2));
        checked += batch.length;
        return Promise.all(batch.map(function (load) { return load(); })).then(function (datas) {
          datas.forEach(function (d) {
            if (!d) { return; }
            var text = normalize((d.meta && d.meta.title || '') + '\n' + (d.content || ''));
            if (terms.every(function (t) { return text.indexOf(t) >= 0; })) {
              self.matches.push(d);
              if (!shown.has(String(d.url).replace(/^\/+/, ''))) { found++; }
            }
            else { self.partial.push(d); }
          });
          progress();
          return step();
        });
      }
      return ready.then(function () { return self.done ? null : step(); });
    };
    return self;
  }

  /* ---- rendering ---- */

  function excerptNode(html) {
    // Pagefind's excerpt is escaped page text with <mark> around hits: parse it
    // inertly and copy only text and <mark>.
    var p = el('p', null, 'search-excerpt');
    var doc = new DOMParser().parseFromString('<p>' + html + '</p>', 'text/html');
    var nodes = doc.body.firstChild ? doc.body.firstChild.childNodes : [];
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      if (n.nodeType === 3) { p.appendChild(document.createTextNode(n.nodeValue)); }
      else if (n.nodeName === 'MARK') { p.appendChild(el('mark', n.textContent)); }
      else { p.appendChild(document.createTextNode(n.textContent)); }
    }
    return p;
  }

  function renderRecord(rec, excerpt) {
    var li = el('li', null, 'search-result search-' + rec.kind);
    var h = el('h3');
    var a = el('a', rec.kind === 'decision' || rec.kind === 'notice' ? rec.docno : rec.name || rec.title);
    a.setAttribute('href', href(rec.url));
    h.appendChild(a);
    if (rec.kind === 'notice') { h.appendChild(el('span', '已撤回', 'tag-withdrawn')); }
    else if (rec.equal) { h.appendChild(el('span', '名称或编号完全一致', 'tag-exact')); }
    li.appendChild(h);
    var dl = el('dl', null, 'result-fields');
    if (rec.kind === 'decision') {  // the heading is the 文书号
      field(dl, '行政相对人', rec.target);
      field(dl, '统一社会信用代码', rec.code);
      field(dl, '执法机关', rec.agency);
      field(dl, '决定日期', rec.date);
      field(dl, '类别', rec.category);
    } else if (rec.kind === 'notice') {  // what the notice page shows
      field(dl, '执法机关', rec.agency);
      field(dl, '类别', rec.category);
      field(dl, '撤回日期', rec.date);
      field(dl, '撤回原因', rec.reason);
      field(dl, '说明', rec.note);
    } else if (rec.kind === 'entity') {
      field(dl, '类型', '执法主体' + (rec.type ? '（' + rec.type + '）' : ''));
      field(dl, '统一社会信用代码', rec.code);
    } else if (rec.kind === 'staff') {
      var st = el('span');
      st.appendChild(el('span', rec.status, 'badge badge-' + (/^(valid|suspended|cancelled|expired)$/.test(rec.status_class) ? rec.status_class : 'unknown')));
      if (rec.valid_until) { st.appendChild(document.createTextNode(' 有效期至 ' + rec.valid_until)); }
      field(dl, '执法证号', rec.cert_no);
      field(dl, '证件状态', st);
      var ag = el('a', rec.agency);
      ag.setAttribute('href', href(rec.agency_url));
      field(dl, '所属主体', ag);
      field(dl, '执法类别', rec.category);
    }
    li.appendChild(dl);
    if (rec.kind === 'staff' && STATUS_NOTE[rec.status_class]) {
      li.appendChild(el('p', STATUS_NOTE[rec.status_class] + '如有疑问，请咨询所属执法主体。', 'search-excerpt'));
    }
    if (excerpt) { li.appendChild(excerptNode(excerpt)); }
    return li;
  }

  function fromPagefind(data) {
    var m = data.meta || {};
    return {
      kind: m.kind || 'page', url: data.url, docno: m.docno, target: m.target, agency: m.agency,
      date: m.date, category: m.category, name: m.title, type: m.kind === 'entity' ? m.target : ''
    };
  }

  function describe(query, filters) {
    var parts = [];
    if (query) { parts.push('“' + query + '”'); }
    FILTERS.forEach(function (name) {
      if (filters[name]) {
        var sel = form.elements[name];
        parts.push(sel.options[sel.selectedIndex].text);
      }
    });
    return parts.join('，');
  }

  function path(url) {
    return String(url || '').replace(/^\/+/, '');
  }

  /* One search: the field stage, then the full text; show() renders what is
   * new and says how far it got. */
  function Search(query, terms, filters, sort) {
    var s = {
      query: query, terms: terms, filters: filters, sort: sort, shown: new Set(), count: 0,
      field: terms.length ? FieldStage(terms, filters, sort === 'asc') : null,
      text: null, fieldShown: 0, fieldCount: 0, textShown: 0, noticesShown: 0, partial: {}
    };
    s.fullText = function () {
      if (!s.text) { s.text = FullText(query || null, terms, filters, sort); }
      return s.text;
    };
    return s;
  }

  function showNew(s) {
    var f = s.field;
    if (f) {
      var fresh = f.matches.slice(s.fieldShown);
      s.fieldShown = f.matches.length;
      if (s.sort === 'relevance') { fresh.sort(function (a, b) { return (b.equal ? 1 : 0) - (a.equal ? 1 : 0); }); }
      fresh.forEach(function (card) {
        if (s.shown.has(path(card.url))) { return; }
        s.shown.add(path(card.url));
        s.count++;
        s.fieldCount++;
        list.appendChild(renderRecord(card, ''));
      });
      f.notices.slice(s.noticesShown).forEach(function (card) {
        if (s.shown.has(path(card.url))) { return; }
        s.shown.add(path(card.url));
        withdrawnList.appendChild(renderRecord(card, ''));
      });
      s.noticesShown = f.notices.length;
      withdrawnBox.hidden = !withdrawnList.children.length;
    }
    if (s.text) {
      s.text.matches.slice(s.textShown).forEach(function (d) {
        if (s.shown.has(path(d.url))) { return; }
        s.shown.add(path(d.url));
        s.count++;
        list.appendChild(renderRecord(fromPagefind(d), d.excerpt));
      });
      s.textShown = s.text.matches.length;
    }
    var partial = [];
    if (f) { f.partial.forEach(function (card) { partial.push({ rec: card, url: path(card.url) }); }); }
    if (s.text) { s.text.partial.forEach(function (d) { partial.push({ rec: fromPagefind(d), url: path(d.url), excerpt: d.excerpt }); }); }
    partial.forEach(function (p) {
      if (s.shown.has(p.url) || s.partial[p.url] || Object.keys(s.partial).length >= PARTIAL_MAX) { return; }
      s.partial[p.url] = partialList.appendChild(renderRecord(p.rec, p.excerpt));
    });
    // A page listed as partial that proves a match later leaves the partial list.
    Object.keys(s.partial).forEach(function (url) {
      if (s.shown.has(url)) { partialList.removeChild(s.partial[url]); delete s.partial[url]; }
    });
    partialBox.hidden = !partialList.children.length;
  }

  /* The status line: how many verified matches, and whether that is all
   * (busy: the search goes on by itself). */
  function say(s, busy) {
    var what = describe(s.query, s.filters);
    var f = s.field, t = s.text;
    var fieldDone = !f || f.done, textDone = !!(t && t.done);
    var later = !t || !t.shardsSearched ? '正文中的结果可点“显示更多结果”查找。' :
      '正文只查了较新的执法决定，可点“显示更多结果”继续查找较早的。';
    var done = fieldDone && textDone;
    var n = s.count;
    var notices = f ? f.notices.length : 0;
    var staff = f ? f.staff : 0;
    // A number that looks like a 执法证号 (not an 18-character credit code).
    var certLike = s.terms.length === 1 && /^[0-9A-Z\-]{6,}$/.test(s.terms[0]) && s.terms[0].length !== 18;
    var text;
    if (certLike && !n && fieldDone) {
      text = '没有找到执法证号为“' + s.query + '”的执法人员：本网站公开的执法人员中没有这个证号，请核对号码，或向执法机关咨询。';
      if (!done) { text += busy ? '正在查找正文……' : later; }
    } else if (!n && done) {
      text = '没有找到与' + what + '相符的结果。请检查输入的文字，或减少筛选条件。';
    } else if (!n) {
      text = fieldDone && f && f.usable ? '没有找到名称、文书号或代码中包含' + what + '的记录；' : '没有找到与' + what + '相符的结果；';
      text += busy ? '正在查找正文……' : later;
    } else if (done) {
      text = '找到 ' + n + ' 条与' + what + '相符的结果' + (staff ? '，其中执法证号查询结果 ' + staff + ' 条' : '') + '。';
    } else if (fieldDone && f && f.usable && s.fieldCount) {
      // Every record whose name, 文书号 or code holds the query is listed: say how many.
      text = '找到 ' + s.fieldCount + ' 条名称、文书号或代码中包含' + what + '的结果' +
        (staff ? '（其中执法证号查询结果 ' + staff + ' 条）' : '') +
        (n > s.fieldCount ? '，另有至少 ' + (n - s.fieldCount) + ' 条正文中包含它的结果' : '') + '。';
      text += busy ? '正在查找正文……' : later;
    } else {
      text = '找到至少 ' + n + ' 条与' + what + '相符的结果' + (staff ? '，其中执法证号查询结果 ' + staff + ' 条' : '') + '。';
      text += busy ? '正在查找更多结果……' : '更多结果可点“显示更多结果”继续查找。';
    }
    if (notices && !n) {
      // The first thing a reader of a withdrawn 文书号 must learn.
      text = '没有找到与' + what + '相符的公开执法决定：' + (notices === 1 ? '这个文书号的执法决定已撤回' :
        '有 ' + notices + ' 个相符的执法决定已撤回') + '，撤回说明见下方。' + (done ? '' : busy ? '正在查找正文……' : later);
    } else if (notices) {
      text += '另有 ' + notices + ' 个相符的执法决定已撤回，撤回说明见下方。';
    }
    status.textContent = text;
    more.hidden = done || !!busy;
    more.disabled = false;
  }

  /* Marks the end of a step (data-searches on the status line counts them;
   * data-first is set once the first results, or the answer that there are
   * none, are on screen). */
  function settle(gen) {
    if (gen !== generation) { return; }
    status.setAttribute('data-searches', String(++finished));
    list.removeAttribute('aria-busy');
  }

  function firstShown(gen, focus) {
    if (gen !== generation || status.hasAttribute('data-first')) { return; }
    status.setAttribute('data-first', String(gen));
    if (focus) {
      // On a phone the status line is below the form: bring it into view.
      status.focus({ preventScroll: true });
      status.scrollIntoView({ block: 'start', behavior: 'instant' });
    }
  }

  /* One step: field matches first, then full text until a page is shown. */
  function advance(s, gen, first) {
    var f = s.field;
    var before = s.count;
    var chain = Promise.resolve();
    if (f && !f.done) {
      chain = chain.then(function () {
        return f.next(PAGE, first ? FIRST_BLOCKS : BLOCKS_AT_ONCE, function () {
          if (gen !== generation) { return; }
          showNew(s);
          if (first) { say(s, true); }
          if (s.count || f.notices.length) { firstShown(gen, s.focus); }
        });
      });
    }
    return chain.then(function () {
      if (gen !== generation || (f && !f.done) || s.count - before >= PAGE) { return; }
      if (!s.terms.length && !Object.keys(s.filters).length) { return; }
      var t = s.fullText();
      return t.next(PAGE - (s.count - before), first ? AUTO_SHARDS : AUTO_SHARDS * 2,
                    first ? CHECK_LIMIT : CHECK_LIMIT * 3, s.shown, function () {
                      if (gen !== generation) { return; }
                      showNew(s);
                      if (s.count) { say(s, true); firstShown(gen, s.focus); }
                    });
    }).then(function () {
      if (gen !== generation) { return; }
      showNew(s);
      say(s);
      firstShown(gen, s.focus);
    });
  }

  function run(pushState, focus) {
    var query = input.value.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
    var filters = selected();
    var sort = form.elements.sort.value;
    var gen = ++generation;
    if (pushState) {
      var params = new URLSearchParams();
      if (query) { params.set('q', query); }
      FILTERS.concat(['sort']).forEach(function (name) { if (form.elements[name].value) { params.set(name, form.elements[name].value); } });
      var qs = params.toString();
      history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
    }
    noteFilters();
    [list, withdrawnList, partialList].forEach(function (l) { l.textContent = ''; });
    withdrawnBox.hidden = partialBox.hidden = true;
    list.setAttribute('aria-busy', 'true');
    status.removeAttribute('data-first');
    more.hidden = true;
    var terms = [];
    query.split(/[\s\u3000]+/).map(normalize).forEach(function (t) { if (t && terms.indexOf(t) < 0) { terms.push(t); } });
    if (!terms.length && !Object.keys(filters).length) {
      status.textContent = '请输入关键词，或选择筛选条件。';
      current = null;
      settle(gen);
      return Promise.resolve();
    }
    status.textContent = '正在搜索……';
    var s = current = Search(query, terms, filters, sort);
    s.focus = focus;
    return advance(s, gen, true).catch(function (err) {
      if (window.console) { console.error(err); }
      if (gen !== generation) { return; }
      status.textContent = '搜索暂时无法使用，请稍后再试，或浏览执法决定列表。';
    }).then(function () { settle(gen); });
  }

  function showMore() {
    var s = current, gen = generation;
    if (!s) { return; }
    more.disabled = true;
    list.setAttribute('aria-busy', 'true');
    advance(s, gen, false).catch(function (err) {
      if (window.console) { console.error(err); }
      if (gen === generation) { status.textContent = '搜索暂时无法使用，请稍后再试，或浏览执法决定列表。'; }
    }).then(function () { settle(gen); });
  }

  /* On a small screen the filters fold away, saying how many are set. */
  function noteFilters() {
    var n = Object.keys(selected()).length + (form.elements.sort.value ? 1 : 0);
    filtersNote.textContent = n ? '（已选 ' + n + ' 项）' : '';
  }

  form.addEventListener('submit', function (ev) { ev.preventDefault(); run(true, true); });
  FILTERS.concat(['sort']).forEach(function (name) {
    form.elements[name].addEventListener('change', function () { run(true, false); });
  });
  more.addEventListener('click', showMore);

  var params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  FILTERS.concat(['sort']).forEach(function (name) {
    var v = params.get(name);
    var sel = form.elements[name];
    if (v && Array.prototype.some.call(sel.options, function (o) { return o.value === v; })) { sel.value = v; }
  });
  if (window.matchMedia && window.matchMedia('(max-width: 40em)').matches) { filtersBox.open = false; }
  noteFilters();
  if (input.value || FILTERS.some(function (n) { return form.elements[n].value; })) { run(false, true); }
})();
