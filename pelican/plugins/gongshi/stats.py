"""Annual enforcement statistics (行政执法统计年报), DATA-CONTRACT §4.

Pure: computes one yearbook per year from the Site's aggregation-safe
projections (``site.stats_inputs``, made by ``public.stats_*``: no target, no
文书号, no free text) and the publication timeliness records; returns page
specs and the files to write (stats.json, one CSV per table, one SVG chart per
table).

Counting rules:
- every valid decision dated in the year counts (decision date, a calendar
  date), including ones taken down later and ones never published; a decision
  published earlier whose row is held back or missing tonight counts with its
  last published version;
- penalties by type: "occurrences" counts each 第九条 type once per decision
  naming it; "most severe" counts each decision once under its most severe type
  (order in ``gongshi.penalties``);
- 许可类别: the six types of the national template (普通、特许、认可、核准、登记、
  其他); anything else counts as 其他;
- amounts: sums of 罚款金额 / 没收金额 of 行政处罚 decisions, 万元, 2 decimals;
- takedowns: takedowns.csv rows by the year of 原因发生日期, plus expiries under
  公示期满 by the year of their 公示截止期 (or the end of the default period),
  plus decisions a publication rule withdrew (rules.py) by the year withdrawn;
- timeliness: decisions ever published, by the year of the decision date:
  first-publication date vs the working-day deadline (on the day = on time);
  takedowns.csv withdrawals by the year of 原因发生日期, vs 3 working days.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from . import charts, rules, urls
from .opendata import to_csv, to_json
from .pages import PageSpec
from .penalties import SEVERITY_ORDER, most_severe
from .pipeline import Site
from .public import LICENSE_TYPES
from .publication import TAKEDOWN_DEADLINE_DAYS, deadline_days
from .schema import CATEGORIES, TAKEDOWN_REASONS, TARGET_TYPES

MAX_CHART_ROWS = 30  # a chart shows at most this many bars per series; the table has all rows


def years(site: Site) -> list[int]:
    """Every year that has decisions, newest first."""
    return sorted({d["year"] for d in site.stats_inputs["decisions"]}, reverse=True)


def _wan(amounts) -> float:
    total = sum((Decimal(repr(float(a))) for a in amounts), Decimal(0))
    return float(total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _split(items: list[dict], year: int, key: str = "year") -> list[dict]:
    return [d for d in items if d[key] == year]


def _tally(decisions: list[dict], agencies: list[str], months: list[str]) -> dict:
    """The year's decisions counted by category, agency, target type, month,
    penalty type (both ways) and license type."""
    by_category = dict.fromkeys(CATEGORIES, 0)
    by_agency = {code: dict.fromkeys(CATEGORIES, 0) for code in agencies}
    by_target = dict.fromkeys(TARGET_TYPES, 0)
    by_month = {m: dict.fromkeys(CATEGORIES, 0) for m in months}
    occurrences = dict.fromkeys(SEVERITY_ORDER, 0)
    severest = dict.fromkeys(SEVERITY_ORDER, 0)
    licenses = dict.fromkeys(LICENSE_TYPES, 0)
    for d in decisions:
        by_category[d["category"]] += 1
        by_agency[d["agency_code"]][d["category"]] += 1
        by_target[d["target_type"]] = by_target.get(d["target_type"], 0) + 1
        by_month.setdefault(d["decision_date"][:7], dict.fromkeys(CATEGORIES, 0))[d["category"]] += 1
        if d["category"] == "行政处罚":
            for kind in d["penalty_types"]:
                occurrences[kind] += 1
            severest[most_severe(d["penalty_types"])] += 1
        elif d["category"] == "行政许可":
            licenses[d["license_type"]] += 1
    return {"category": by_category, "agency": by_agency, "target": by_target, "month": by_month,
            "occurrences": occurrences, "severest": severest, "licenses": licenses}


def _amounts(penalties: list[dict], agencies: list[str]) -> dict:
    """罚款 and 没收 (万元) by agency, for the agencies with penalties."""
    by_agency: dict[str, list[dict]] = {}
    for d in penalties:
        by_agency.setdefault(d["agency_code"], []).append(d)
    return {code: {"fine_wan": _wan(d["fine_wan"] for d in items),
                   "confiscation_wan": _wan(d["confiscation_wan"] for d in items)}
            for code in agencies if (items := by_agency.get(code))}


def _on_time(site: Site, year: int) -> tuple[dict, dict]:
    """(publications on time and late by category, takedowns on time and late)."""
    on_time = {c: {"on_time": 0, "late": 0} for c in CATEGORIES}
    for t in site.publication.publication:
        if t.start.year == year:
            on_time[t.category]["on_time" if t.on_time else "late"] += 1
    takedowns = {"on_time": 0, "late": 0}
    for t in site.publication.takedowns:
        if t.start.year == year:
            takedowns["on_time" if t.on_time else "late"] += 1
    return on_time, takedowns


def yearbook(site: Site, year: int, settings: dict | None = None) -> dict:
    """The statistics of decisions dated in ``year`` (the content of stats.json)."""
    decisions = _split(site.stats_inputs["decisions"], year)
    names = {e["code"]: e["name"] for e in site.entities}
    agencies = sorted(set(names) | {d["agency_code"] for d in decisions}, key=lambda c: (names.get(c, c), c))
    partial = year >= site.today.year
    last_month = site.today.month if year == site.today.year else 12
    counts = _tally(decisions, agencies, [f"{year}-{m:02d}" for m in range(1, last_month + 1)])
    penalties = [d for d in decisions if d["category"] == "行政处罚"]
    takedowns = dict.fromkeys((*TAKEDOWN_REASONS, rules.REASON), 0)
    for t in _split(site.stats_inputs["takedowns"], year):
        takedowns[t["reason"]] += 1
    on_time, takedowns_on_time = _on_time(site, year)
    by_month = counts["month"]

    return {
        "year": year,
        "as_of": site.today.isoformat() if partial else f"{year}-12-31",
        "partial": partial,
        "agencies": {code: names.get(code, code) for code in agencies},
        "decisions_total": len(decisions),
        "decisions_by_category": counts["category"],
        "decisions_by_agency": counts["agency"],
        "penalty_severity_order": list(SEVERITY_ORDER),
        "penalties_by_type": counts["occurrences"],
        "penalties_by_most_severe_type": counts["severest"],
        "fines_total_wan": _wan(d["fine_wan"] for d in penalties),
        "confiscations_total_wan": _wan(d["confiscation_wan"] for d in penalties),
        "amounts_by_agency": _amounts(penalties, agencies),
        "decisions_by_target_type": counts["target"],
        "decisions_by_month": {m: sum(c.values()) for m, c in sorted(by_month.items())},
        "decisions_by_month_and_category": dict(sorted(by_month.items())),
        "takedowns_by_reason": takedowns,
        "on_time": on_time,
        "deadline_working_days": {c: deadline_days(c, settings) for c in CATEGORIES},
        "takedowns_on_time": takedowns_on_time,
        "takedown_deadline_working_days": TAKEDOWN_DEADLINE_DAYS,
        "licenses_by_type": counts["licenses"],
    }


# --- Tables, summaries and charts ------------------------------------------------

def _pct(n: int, total: int) -> str:
    return f"{n / total:.1%}" if total else "—"


def _money(x: float) -> str:
    return f"{x:.2f}"


def _list(pairs, unit="件") -> str:
    return "、".join(f"{name} {n} {unit}" for name, n in pairs if n)


def _section(id, title, columns, rows, summary, total=None, chart=None, note="", empty="", fold="") -> dict:
    """chart = (labels, [(series name, values)], horizontal, value format) or None.
    fold: the page shows the rows whose second column is 0 as one line starting
    with this label instead of a row each (the CSV keeps every row)."""
    return {"id": id, "title": title, "columns": columns, "rows": rows, "total": total, "summary": summary,
            "chart": chart, "note": note, "empty": empty, "fold": fold}


def _category_section(book: dict, period: str) -> dict:
    total, cats = book["decisions_total"], book["decisions_by_category"]
    return _section(
        "by-category", f"{period}执法决定数（按执法类别）", ["执法类别", "决定数", "占比"],
        [[c, n, _pct(n, total)] for c, n in cats.items()],
        f"{period}共作出执法决定 {total} 件：{_list(cats.items())}。",
        total=["合计", total, _pct(total, total)],
        chart=(list(cats), [("决定数", list(cats.values()))], True, "{:g}"))


def _agency_section(book: dict, period: str) -> dict:
    agencies = book["agencies"]
    rows = [[agencies[code], code, *counts.values(), sum(counts.values())]
            for code, counts in book["decisions_by_agency"].items()]
    active = sorted((r for r in rows if r[-1]), key=lambda r: (-r[-1], r[0]))
    summary = f"{len(active)} 个执法机关作出了执法决定" + (
        f"，最多的是{active[0][0]}（{active[0][-1]} 件）。" if active else "。")
    if len(active) > MAX_CHART_ROWS:
        summary += f"图中列出决定数最多的 {MAX_CHART_ROWS} 个机关，表中列出全部机关。"
    shown = active[:MAX_CHART_ROWS]
    return _section(
        "by-agency", f"{period}执法决定数（按执法机关和执法类别）",
        ["执法机关", "统一社会信用代码", *CATEGORIES, "合计"], rows, summary,
        total=["合计", "", *book["decisions_by_category"].values(), book["decisions_total"]],
        chart=([r[0] for r in shown], [("决定数", [r[-1] for r in shown])], True, "{:g}") if shown else None)


def _penalty_section(book: dict, period: str) -> dict:
    occ, sev = book["penalties_by_type"], book["penalties_by_most_severe_type"]
    n_pen = book["decisions_by_category"]["行政处罚"]
    top = max(sev.items(), key=lambda kv: kv[1]) if n_pen else None
    used = [t for t in SEVERITY_ORDER if occ[t]]
    return _section(
        "penalty-types", f"{period}行政处罚决定数（按处罚种类）",
        ["处罚种类（从重到轻）", "出现次数", "按最重种类计"], [[t, occ[t], sev[t]] for t in SEVERITY_ORDER],
        (f"行政处罚决定 {n_pen} 件，共涉及处罚种类 {sum(occ.values())} 次"
         f"（一个决定可并处多种处罚）；每个决定只按其中最重的一种计时，{top[0]}最多（{top[1]} 件）。") if n_pen else "",
        total=["合计", sum(occ.values()), sum(sev.values())],
        chart=(used, [("出现次数", [occ[t] for t in used]), ("按最重种类计", [sev[t] for t in used])], True, "{:g}")
        if n_pen else None,
        note="处罚种类按《中华人民共和国行政处罚法》第九条归类。“按最重种类计”时，第九条（一）至（五）项中列举越靠后的"
             "种类越重（同一项内也按列举顺序）：" + "＞".join(SEVERITY_ORDER[:-1]) +
             "；第（六）项“法律、行政法规规定的其他行政处罚”及无法识别的种类计为“其他行政处罚”，排在最轻。",
        empty=f"{period}无行政处罚决定。")


def _amount_section(book: dict, period: str) -> dict:
    agencies, money = book["agencies"], book["amounts_by_agency"]
    arows = [[agencies[code], code, _money(a["fine_wan"]), _money(a["confiscation_wan"]),
              _money(_wan([a["fine_wan"], a["confiscation_wan"]]))] for code, a in money.items()]
    fines, conf = book["fines_total_wan"], book["confiscations_total_wan"]
    shown = sorted(money.items(), key=lambda kv: (-(kv[1]["fine_wan"] + kv[1]["confiscation_wan"]), agencies[kv[0]]))
    shown = shown[:MAX_CHART_ROWS]
    return _section(
        "amounts", f"{period}罚没金额（万元，按执法机关）",
        ["执法机关", "统一社会信用代码", "罚款金额（万元）", "没收金额（万元）", "罚没合计（万元）"], arows,
        f"罚款金额合计 {_money(fines)} 万元，没收违法所得、没收非法财物的金额合计 {_money(conf)} 万元。",
        total=["合计", "", _money(fines), _money(conf), _money(_wan([fines, conf]))],
        chart=([agencies[c] for c, _ in shown], [("罚款", [a["fine_wan"] for _, a in shown]),
                                                ("没收", [a["confiscation_wan"] for _, a in shown])], True, "{:.2f}")
        if fines or conf else None,
        empty=f"{period}无行政处罚决定。")


def _target_section(book: dict, period: str) -> dict:
    total, targets = book["decisions_total"], book["decisions_by_target_type"]
    return _section(
        "target-types", f"{period}执法决定数（按行政相对人类别）", ["相对人类别", "决定数", "占比"],
        [[t, n, _pct(n, total)] for t, n in targets.items()],
        f"{period}的执法决定中，" + "、".join(f"{t} {n} 件（{_pct(n, total)}）" for t, n in targets.items() if n) + "。",
        total=["合计", total, _pct(total, total)],
        chart=(list(targets), [("决定数", list(targets.values()))], True, "{:g}"))


def _month_section(book: dict, period: str) -> dict:
    total, by_month = book["decisions_total"], book["decisions_by_month"]
    peak = max(by_month.items(), key=lambda kv: kv[1])
    return _section(
        "months", f"{period}执法决定数（按月）", ["月份", "合计", *CATEGORIES],
        [[m, by_month[m], *c.values()] for m, c in book["decisions_by_month_and_category"].items()],
        f"决定最多的月份是 {int(peak[0][5:])} 月（{peak[1]} 件）。" if total else "",
        total=["合计", total, *book["decisions_by_category"].values()],
        chart=([f"{int(m[5:])}月" for m in by_month], [("决定数", list(by_month.values()))], False, "{:g}"),
        fold="没有执法决定的月份")


def _takedown_section(book: dict, period: str) -> dict:
    reasons = book["takedowns_by_reason"]
    n_down = sum(reasons.values())
    return _section(
        "takedowns", f"{period}撤下执法决定次数（按撤下原因）", ["撤下原因", "次数"],
        [[r, n] for r, n in reasons.items()],
        f"{period}共撤下 {n_down} 次：{_list(reasons.items(), '次')}。" if n_down else "",
        total=["合计", n_down],
        chart=(list(reasons), [("次数", list(reasons.values()))], True, "{:g}") if n_down else None,
        note="按撤下登记中的“原因发生日期”所在年度统计；公示期满自动撤下的，按公示截止期所在年度计入“公示期满”；"
             f"已公开过、后因公示规则撤回的，按撤回日期所在年度计入“{rules.REASON}”。"
             "统计只计次数，不公开被撤下决定的任何内容。",
        empty=f"{period}无撤下。")


def _timeliness_section(book: dict, period: str) -> dict:
    ot, days = book["on_time"], book["deadline_working_days"]
    trows = [[c, days[c], v["on_time"], v["late"], _pct(v["on_time"], v["on_time"] + v["late"])]
             for c, v in ot.items()]
    tk = book["takedowns_on_time"]
    trows.append(["撤下（撤下登记）", book["takedown_deadline_working_days"], tk["on_time"], tk["late"],
                  _pct(tk["on_time"], tk["on_time"] + tk["late"])])
    n_on, n_late = sum(v["on_time"] for v in ot.values()), sum(v["late"] for v in ot.values())
    used = [c for c, v in ot.items() if v["on_time"] + v["late"]]
    return _section(
        "timeliness", f"{period}公开及时性（按执法类别）",
        ["执法类别", "公开时限（工作日）", "按时", "超时", "按时率"], trows,
        (f"已公开的 {n_on + n_late} 件决定中，{n_on} 件在法定时限内公开（{_pct(n_on, n_on + n_late)}），"
         f"{n_late} 件超时；撤下登记的撤下 {tk['on_time']} 次按时、{tk['late']} 次超时。") if n_on + n_late or sum(tk.values()) else "",
        chart=(used, [("按时", [ot[c]["on_time"] for c in used]), ("超时", [ot[c]["late"] for c in used])],
               True, "{:g}") if used else None,
        note="只统计已经公开过的决定（包括后来撤下的），按决定日期所在年度计：首次公开日期不晚于自决定日期起第 N 个"
             "法定工作日（起算日不计，含调休上班日）为按时。撤下按原因发生日期所在年度计，时限 3 个工作日。",
        empty=f"{period}没有已公开的决定。")


def _license_section(book: dict, period: str) -> dict:
    lic, n_lic = book["licenses_by_type"], book["decisions_by_category"]["行政许可"]
    return _section(
        "license-types", f"{period}行政许可决定数（按许可类别）", ["许可类别", "决定数", "占比"],
        [[t, n, _pct(n, n_lic)] for t, n in lic.items()],
        f"行政许可决定 {n_lic} 件：{_list(lic.items())}。" if n_lic else "",
        total=["合计", n_lic, _pct(n_lic, n_lic)],
        chart=(list(lic), [("决定数", list(lic.values()))], True, "{:g}"),
        empty=f"{period}无行政许可决定。")


# The yearbook page's sections, in page order.
_SECTIONS = (_category_section, _agency_section, _penalty_section, _amount_section, _target_section,
             _month_section, _takedown_section, _timeliness_section, _license_section)


def sections(book: dict) -> list[dict]:
    y = book["year"]
    period = f"{y}年（截至 {book['as_of']}）" if book["partial"] else f"{y}年"
    out = [make(book, period) for make in _SECTIONS]
    for s in out:
        s["short"] = s["title"].removeprefix(period)
        if not s["summary"]:
            s["chart"] = None
    return out


def _lastmod(site: Site, year: int, book: dict) -> str:
    """The latest date the year's figures could have changed on."""
    if book["partial"]:
        return site.today.isoformat()
    dates = [d["decision_date"] for d in _split(site.stats_inputs["decisions"], year)]
    dates += [t["date"] for t in _split(site.stats_inputs["takedowns"], year)]
    dates += [t.done.isoformat() for t in site.publication.publication + site.publication.takedowns
              if t.start.year == year]
    return min(max(dates, default=f"{year}-12-31"), site.today.isoformat())


def outputs(site: Site, settings: dict | None = None) -> tuple[list[PageSpec], dict[str, bytes]]:
    """The statistics pages and their files (stats.json, CSV tables, SVG charts)."""
    specs: list[PageSpec] = []
    files: dict[str, bytes] = {}
    index_rows = []
    crumb = ("统计年报", urls.stats_url())
    for year in years(site):
        book = yearbook(site, year, settings)
        secs = sections(book)
        for s in secs:
            s["csv_url"] = urls.stats_url(year, f"{s['id']}.csv")
            files[s["csv_url"]] = to_csv(s["columns"], s["rows"] + ([s["total"]] if s["total"] else []))
            if s["chart"]:
                labels, series, horizontal, fmt = s["chart"]
                s["chart_url"] = urls.stats_url(year, f"{s['id']}.svg")
                files[s["chart_url"]] = charts.bar_chart(s["title"], labels, series, s["summary"], horizontal, fmt)
        json_url = urls.stats_url(year, "stats.json")
        files[json_url] = to_json(book)
        title = f"{year}年行政执法统计年报"
        specs.append(PageSpec(urls.stats_url(year), "stats_year.html", {
            "page_title": title, "title": title, "book": book, "sections": secs, "json_url": json_url,
            "breadcrumbs": [crumb, (f"{year}年", None)], "nav_active": "stats",
        }, _lastmod(site, year, book)))
        index_rows.append({"year": year, "url": urls.stats_url(year), "json_url": json_url, "book": book})
    specs.append(PageSpec(urls.stats_url(), "stats_index.html", {
        "page_title": "统计年报", "years": index_rows, "breadcrumbs": [("统计年报", None)], "nav_active": "stats",
    }, max((s.lastmod for s in specs), default=None)))
    return specs, files
