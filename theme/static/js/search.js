/* 站内搜索 — search/index.html.
 *
 * 1. Exact match first: the normalised query is looked up in one shard of
 *    search/exact/ (full company / 个体工商户 names, credit codes, 文书号,
 *    entity names, 执法证号). A citizen typing a full name or a 文书号 always
 *    finds it, whatever the Chinese word segmentation does.
 * 2. Then Pagefind (built with the extended binary): full-text results with
 *    the filters and sort of the form. The index is split into shards by
 *    decision date (pagefind/shards.json lists them, newest first; see
 *    gongshi/search.py), merged in the browser with Pagefind's mergeIndex;
 *    filters apply to every shard. By date, results are taken shard after
 *    shard (see searchShards). A small "delta" shard holds pages changed since
 *    their shard was indexed; superseded ids ("stale") are never shown.
 * Results are written with textContent only (never as HTML); the excerpt's
 * <mark> highlights are rebuilt as elements from Pagefind's escaped text.
 * The query and filters are kept in the address (?q=…&agency=…) so a search
 * can be bookmarked and shared. */
(function () {
  'use strict';
  var form = document.getElementById('site-search');
  if (!form) { return; }
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var siteurl = form.getAttribute('data-siteurl') || '.';
  var shards = parseInt(form.getAttribute('data-shards'), 10) || 1;
  var exactBase = form.getAttribute('data-exact');
  var bundleBase = new URL(form.getAttribute('data-bundle'), document.baseURI).href.replace(/[^\/]*$/, '');
  var FILTERS = ['category', 'agency', 'year'];
  var PAGE = 20;
  var DEDUPE_LIMIT = 500;
  var shown = {};
  var pagefind = null;
  var shardCache = {};
  var generation = 0;
  var finished = 0;
  var pending = [];

  var STATUS_NOTE = {
    valid: '该执法证件在有效期内，状态正常。',
    suspended: '该执法证件已被暂扣，暂扣期间持证人不得从事行政执法活动。',
    cancelled: '该执法证件已注销，持证人不得从事行政执法活动。',
    expired: '该执法证件已超过有效期。'
  };
  var OPEN = '[(〔【［（〈《「', CLOSE = '])〕】］）〉》」';

  /* Same as gongshi.exact.normalize: NFKC, no spaces, upper case, one bracket kind. */
  function normalize(text) {
    var s = String(text == null ? '' : text).normalize('NFKC').replace(/\s+/g, '').toUpperCase().normalize('NFKC');
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      out += OPEN.indexOf(c) >= 0 ? '〔' : CLOSE.indexOf(c) >= 0 ? '〕' : c;
    }
    return out;
  }

  /* 32-bit FNV-1a over UTF-8 bytes, as gongshi.exact.fnv1a. */
  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
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

  function lookupExact(query) {
    var key = normalize(query);
    if (key.length < 2) { return Promise.resolve([]); }
    var n = (fnv1a(key) % shards).toString(16);
    while (n.length < 3) { n = '0' + n; }
    var url = exactBase + n + '.json';
    var got = shardCache[url] || (shardCache[url] = fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).catch(function () { delete shardCache[url]; return { keys: {}, records: [] }; }));
    return got.then(function (shard) {
      return (shard.keys[key] || []).map(function (i) { return shard.records[i]; });
    });
  }

  function matchesFilters(rec, filters) {
    if (filters.category && rec.category !== filters.category) { return false; }
    if (filters.agency && rec.agency !== filters.agency) { return false; }
    if (filters.year && rec.year !== filters.year) { return false; }
    return true;
  }

  /* {pf, shards, stale, delta}: one Pagefind instance over every shard (the
   * first shard's bundle is the primary, the others are added with mergeIndex,
   * which shares the primary's WebAssembly module), each shard tagged with a
   * synthetic "shard" filter (mergeFilter) so a search can be limited to one
   * shard. The small "delta" shard holds the pages added or changed since
   * their date shard was indexed; "stale" lists the ids those date shards no
   * longer stand for (taken-down pages, older versions of corrected ones).
   * The build purges them from the shards' word index, filters and sorts;
   * dropping them from every result list before counting is a second guard. */
  function loadPagefind() {
    if (!pagefind) {
      pagefind = fetch(bundleBase + 'shards.json').then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      }).then(function (listing) {
        var shardList = listing.shards || [];
        var stale = {};
        (listing.stale || []).forEach(function (id) { stale[id] = true; });
        var delta = listing.delta || null;
        if (!shardList.length) { return { pf: null, shards: [] }; }
        var first = shardList[0].id;
        var merged = shardList.slice(1).map(function (shard) { return shard.id; });
        if (delta) { merged.push(delta.id); }
        return import(bundleBase + first + '/pagefind.js').then(function (mod) {
          var pf = mod.createInstance({ basePath: bundleBase + first + '/', baseUrl: '/' });
          // The primary loads the WebAssembly module first; the merged shards
          // reuse it and load their metadata in parallel.
          return Promise.resolve(pf.options({ mergeFilter: { shard: first } })).then(function () {
            return Promise.all(merged.map(function (id) {
              return pf.mergeIndex(bundleBase + id + '/', { baseUrl: '/', mergeFilter: { shard: id } });
            }));
          }).then(function () { return { pf: pf, shards: shardList, stale: stale, delta: delta }; });
        });
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  function search(index, query, options) {
    return index.pf.search(query, options).then(function (r) {
      return ((r && r.results) || []).filter(function (x) { return !index.stale[x.id]; });
    });
  }

  /* A shard's results by date (sorted by Pagefind) merged with the delta's
   * results that belong under it (dates known from shards.json): a base
   * result's date is read from its data, which the page shows anyway.
   * → {length, get(j)}. */
  function mergeByDate(base, extra, desc) {
    if (!extra.length) {
      return { length: base.length, get: function (j) { return Promise.resolve(base[j]); } };
    }
    var out = [], b = 0, d = 0, chain = Promise.resolve();
    function step() {
      if (d >= extra.length) { out.push(base[b++]); return Promise.resolve(); }
      if (b >= base.length) { out.push(extra[d++].result); return Promise.resolve(); }
      return base[b].data().then(function (x) {
        var date = (x && x.meta && x.meta.date) || '', other = extra[d].date;
        out.push((desc ? other > date : other < date) ? extra[d++].result : base[b++]);
      });
    }
    function fill(j) { return out.length > j ? null : step().then(function () { return fill(j); }); }
    return {
      length: base.length + extra.length,
      get: function (j) {
        chain = chain.then(function () { return fill(j); });
        return chain.then(function () { return out[j]; });
      }
    };
  }

  /* Full-text results: by relevance, Pagefind's merged order (by score). By
   * date, Pagefind would interleave the shards by score, so the results are
   * taken shard after shard instead — the shards cover contiguous date ranges,
   * newest first, "other" (entities, no decision date) last — each shard's
   * search run only when the reader pages that far, and the delta's results
   * merged into the shard they belong under. */
  function searchShards(index, query, options) {
    if (!index.pf) { return Promise.resolve({ results: [] }); }
    return search(index, query, options).then(function (results) {
      if (!options.sort || !options.sort.date || (index.shards.length < 2 && !index.delta)) { return { results: results }; }
      var desc = options.sort.date !== 'asc';
      var dated = index.shards.filter(function (s) { return s.year; });
      if (!desc) { dated.reverse(); }
      var order = dated.concat(index.shards.filter(function (s) { return !s.year; }));
      var year = options.filters && options.filters.year;
      function only(shard) {
        var filters = { shard: shard };
        Object.keys(options.filters || {}).forEach(function (name) { filters[name] = options.filters[name]; });
        return { filters: filters, sort: options.sort };
      }
      var extras = !index.delta ? Promise.resolve({}) : search(index, query, only(index.delta.id)).then(function (rs) {
        var by = {};
        rs.forEach(function (r) {
          var where = index.delta.pages[r.id];
          if (!where) { return; }
          (by[where[0]] = by[where[0]] || []).push({ result: r, date: where[1] });
        });
        return by;
      });
      var lists = [];
      function shardResults(k) {
        if (!lists[k]) {
          var shard = order[k];
          if (year && shard.year && shard.year !== year) {
            lists[k] = Promise.resolve(mergeByDate([], [], desc));
          } else {
            lists[k] = Promise.all([search(index, query, only(shard.id)), extras]).then(function (got) {
              return mergeByDate(got[0], got[1][shard.id] || [], desc);
            });
          }
        }
        return lists[k];
      }
      function locate(i, k, offset) {
        return shardResults(k).then(function (rs) {
          if (i < offset + rs.length) { return rs.get(i - offset); }
          return k + 1 < order.length ? locate(i, k + 1, offset + rs.length) : null;
        });
      }
      return {
        results: results.map(function (r, i) {
          return { data: function () { return locate(i, 0, 0).then(function (x) { return x ? x.data() : null; }); } };
        })
      };
    });
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

  function renderRecord(rec, excerpt, exact) {
    var li = el('li', null, 'search-result search-' + rec.kind);
    var h = el('h3');
    var a = el('a', rec.kind === 'decision' ? rec.docno : rec.name || rec.title);
    a.setAttribute('href', href(rec.url));
    h.appendChild(a);
    if (exact) { h.appendChild(el('span', '名称或编号完全一致', 'tag-exact')); }
    li.appendChild(h);
    var dl = el('dl', null, 'result-fields');
    if (rec.kind === 'decision') {  // the heading is the 文书号
      field(dl, '行政相对人', rec.target);
      field(dl, '执法机关', rec.agency);
      field(dl, '决定日期', rec.date);
      field(dl, '类别', rec.category);
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

  function showMore(gen) {
    var batch = pending.splice(0, PAGE);
    more.disabled = true;
    return Promise.all(batch.map(function (load) { return load(); })).then(function (datas) {
      if (gen !== generation) { return; }
      datas.forEach(function (d) {
        if (!d || shown[d.url]) { return; }  // (only when the count said 约)
        list.appendChild(renderRecord(fromPagefind(d), d.excerpt, false));
      });
      more.disabled = false;
      more.hidden = pending.length === 0;
    });
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

  /* Marks the end of a search (data-searches on the status line counts them). */
  function done(gen) {
    if (gen !== generation) { return; }
    status.setAttribute('data-searches', String(++finished));
    list.removeAttribute('aria-busy');
  }

  function run(pushState) {
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
    list.textContent = '';
    list.setAttribute('aria-busy', 'true');
    pending = [];
    more.hidden = true;
    if (!query && !Object.keys(filters).length) {
      status.textContent = '请输入关键词，或选择筛选条件。';
      done(gen);
      return Promise.resolve();
    }
    status.textContent = '正在搜索……';
    var options = { filters: filters };
    if (sort) { options.sort = { date: sort }; }
    var exact = query ? lookupExact(query) : Promise.resolve([]);
    var full = loadPagefind().then(function (index) { return searchShards(index, query || null, options); });
    return Promise.all([exact, full]).then(function (got) {
      if (gen !== generation) { return; }
      var hits = got[0].filter(function (r) { return matchesFilters(r, filters); });
      var results = (got[1] && got[1].results) || [];
      if (!hits.length || results.length > DEDUPE_LIMIT) {
        return [hits, results.map(function (r) { return function () { return r.data(); }; }), !!hits.length];
      }
      // An exact hit is usually among Pagefind's results too: load those
      // (few, for a name or 文书号) and drop the repeats so the count is exact.
      var seen = {};
      hits.forEach(function (r) { seen['/' + r.url] = true; });
      return Promise.all(results.map(function (r) { return r.data(); })).then(function (datas) {
        var rest = datas.filter(function (d) { return d && !seen[d.url]; });
        return [hits, rest.map(function (d) { return function () { return Promise.resolve(d); }; }), false];
      });
    }).then(function (got) {
      if (!got || gen !== generation) { return; }
      var hits = got[0], loaders = got[1], approximate = got[2];
      var staff = hits.filter(function (r) { return r.kind === 'staff'; });
      var total = hits.length + loaders.length;
      var what = describe(query, filters);
      // A number that looks like a 执法证号 and names no officer: say so first.
      var noCert = !hits.length && /^[0-9A-Z\-]{6,}$/.test(normalize(query)) ?
        '没有找到执法证号为“' + query + '”的执法人员：本网站公开的执法人员中没有这个证号，请核对号码，或向执法机关咨询。' : '';
      if (!total) {
        status.textContent = noCert || ('没有找到与' + what + '相符的结果。请检查输入的文字，或减少筛选条件。');
        return;
      }
      status.textContent = noCert ? noCert + '另有 ' + total + ' 条全文搜索结果包含这些数字。' :
        '找到' + (approximate ? '约 ' : ' ') + total + ' 条与' + what + '相符的结果' +
        (staff.length ? '，其中执法证号查询结果 ' + staff.length + ' 条' : '') + '。';
      hits.forEach(function (r) { list.appendChild(renderRecord(r, '', true)); });
      shown = {};
      hits.forEach(function (r) { shown['/' + r.url] = true; });
      pending = loaders;
      return showMore(gen);
    }).catch(function (err) {
      if (window.console) { console.error(err); }
      if (gen !== generation) { return; }
      status.textContent = '搜索暂时无法使用，请稍后再试，或浏览执法决定列表。';
    }).then(function () { done(gen); });
  }

  form.addEventListener('submit', function (ev) { ev.preventDefault(); run(true); });
  FILTERS.concat(['sort']).forEach(function (name) {
    form.elements[name].addEventListener('change', function () { run(true); });
  });
  more.addEventListener('click', function () { showMore(generation); });

  var params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  FILTERS.concat(['sort']).forEach(function (name) {
    var v = params.get(name);
    var sel = form.elements[name];
    if (v && Array.prototype.some.call(sel.options, function (o) { return o.value === v; })) { sel.value = v; }
  });
  if (input.value || FILTERS.some(function (n) { return form.elements[n].value; })) { run(false); }
})();
