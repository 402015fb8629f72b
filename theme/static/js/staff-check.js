/* 执法证号查询 — progressive enhancement for staff/index.html.
 * Looks the number up in open-data/staff.json (URL in the form's data-source);
 * if that cannot be loaded, falls back to the table rows on the page.
 * All data is written with textContent, never as HTML. ES5, no dependencies. */
(function () {
  'use strict';
  var form = document.getElementById('staff-check');
  var input = document.getElementById('cert-no');
  var out = document.getElementById('staff-check-result');
  if (!form || !input || !out) { return; }
  var siteurl = form.getAttribute('data-siteurl') || '.';
  var source = form.getAttribute('data-source');
  var cache = null;

  var EXPLAIN = {
    valid: '该执法证件在有效期内，状态正常。',
    suspended: '该执法证件已被暂扣，暂扣期间持证人不得从事行政执法活动。',
    cancelled: '该执法证件已注销，持证人不得从事行政执法活动。',
    expired: '该执法证件已超过有效期。'
  };

  function norm(s) {
    return String(s == null ? '' : s)
      .replace(/[\uff01-\uff5e]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); })
      .replace(/[\s\u3000]+/g, '')
      .toUpperCase();
  }

  function fromTable() {
    var rows = document.querySelectorAll('tr[data-cert]');
    var list = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var cells = r.querySelectorAll('th, td');
      var badge = r.querySelector('.badge');
      var group = r.parentNode;
      while (group && !(group.className && /\bstaff-group\b/.test(group.className))) { group = group.parentNode; }
      var head = group ? group.querySelector('h3 a') : null;
      var cls = badge ? (badge.className.match(/badge-(\w+)/) || [])[1] : '';
      list.push({
        name: cells[0] ? cells[0].textContent : '',
        cert_no: r.getAttribute('data-cert'),
        category: cells[2] ? cells[2].textContent : '',
        area: cells[3] ? cells[3].textContent : '',
        valid_until: cells[4] ? cells[4].textContent : '',
        status: badge ? badge.textContent : '',
        status_class: cls || '',
        entity_name: head ? head.textContent : '',
        entity_href: head ? head.getAttribute('href') : ''
      });
    }
    return list;
  }

  function load(done) {
    if (cache) { done(cache); return; }
    var finish = function (list) { cache = list; done(list); };
    if (!source || !window.XMLHttpRequest) { finish(fromTable()); return; }
    var xhr = new XMLHttpRequest();
    try { xhr.open('GET', source, true); } catch (e) { finish(fromTable()); return; }
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      var list = null;
      if (xhr.status === 200 || (xhr.status === 0 && xhr.responseText)) {
        try { list = JSON.parse(xhr.responseText); } catch (e) { list = null; }
      }
      finish(list && list.length !== undefined ? list : fromTable());
    };
    try { xhr.send(); } catch (e) { finish(fromTable()); }
  }

  function el(tag, text, cls) {
    var n = document.createElement(tag);
    if (text != null) { n.textContent = text; }
    if (cls) { n.className = cls; }
    return n;
  }

  function row(dl, label, value) {
    var div = el('div');
    div.appendChild(el('dt', label));
    var dd = el('dd');
    if (value && value.nodeType) { dd.appendChild(value); } else { dd.textContent = value || '—'; }
    div.appendChild(dd);
    dl.appendChild(div);
  }

  function show(query, list) {
    var q = norm(query);
    var hit = null;
    for (var i = 0; i < list.length; i++) {
      if (norm(list[i].cert_no) === q) { hit = list[i]; break; }
    }
    out.textContent = '';
    var box = el('div', null, 'result');
    if (!hit) {
      box.className += ' result-none';
      box.appendChild(el('p', '未找到执法证号为 ' + query + ' 的执法人员，请核对号码或咨询执法机关。'));
      out.appendChild(box);
      return;
    }
    var sc = /^(valid|suspended|cancelled|expired)$/.test(hit.status_class) ? hit.status_class : 'unknown';
    box.className += ' result-' + sc;
    box.appendChild(el('p', '查询结果：执法证号 ' + hit.cert_no + '，持证人 ' + hit.name + '，证件状态：' + hit.status + '。', 'result-title'));
    var dl = el('dl');
    row(dl, '姓名', hit.name);
    row(dl, '执法证号', hit.cert_no);
    var href = hit.entity_href || (hit.entity_url ? siteurl + '/' + hit.entity_url : '');
    if (href && !/^\s*javascript:/i.test(href)) {
      var a = el('a', hit.entity_name);
      a.setAttribute('href', href);
      row(dl, '所属主体', a);
    } else {
      row(dl, '所属主体', hit.entity_name);
    }
    row(dl, '执法类别', hit.category);
    row(dl, '执法区域', hit.area);
    var st = el('span');
    st.appendChild(el('span', hit.status, 'badge badge-' + sc));
    var until = hit.no_end_date ? '长期' : hit.valid_until;  // staff.json: null and no_end_date when 长期
    st.appendChild(document.createTextNode(until && until !== '—' ? ' 有效期至 ' + until : ''));
    row(dl, '证件状态', st);
    box.appendChild(dl);
    box.appendChild(el('p', (EXPLAIN[sc] || '') + '如有疑问，请咨询所属执法主体。'));
    out.appendChild(box);
  }

  function run(query) {
    query = String(query).replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
    if (!query) { out.textContent = ''; out.appendChild(el('p', '请输入执法证号。', 'result result-none')); return; }
    out.textContent = '';
    out.appendChild(el('p', '正在查询……', 'result'));
    load(function (list) { show(query, list); });
  }

  // The query lives in the address (?cert=…, as the GET form would send it
  // without JavaScript), so a result can be bookmarked or sent on.
  function fromAddress() {
    var m = /[?&]cert=([^&#]*)/.exec(window.location.search);
    var v = '';
    if (m) {
      try { v = decodeURIComponent(m[1].replace(/\+/g, ' ')); } catch (e) { v = ''; }
    }
    input.value = v;
    if (v) { run(v); } else { out.textContent = ''; }
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var v = String(input.value).replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
    if (v && window.history && history.pushState) {
      try { history.pushState(null, '', window.location.pathname + '?cert=' + encodeURIComponent(v)); } catch (e) { /* file: URLs */ }
    }
    run(input.value);
  });
  window.addEventListener('popstate', fromAddress);
  fromAddress();
})();
