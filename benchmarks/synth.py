#!/usr/bin/env python3
"""Deterministic generator of realistic SYNTHETIC 行政执法公示 input data.

Everything written here is fictional: the district (示例市清河区), the agencies,
the companies, the people.  Identity numbers are *format-valid* only: 统一社会信用代码
carry a correct GB 32100-2015 check character (and a correct GB 11714 organisation
code inside), 身份证号 a correct GB 11643 check digit, bank-card numbers a Luhn digit.
Nothing here describes a real person or a real case.

The output follows /work/shared/DATA-CONTRACT.md (the project's data contract)::

    OUT/entities.csv            执法主体
    OUT/staff.csv               执法人员清单 (with never-published 身份证号/手机号/出生日期)
    OUT/checklists/*.csv        行政执法事项清单, 随机抽查事项清单, 行政处罚自由裁量基准
    OUT/decisions/*.csv|xlsx    执法决定 in the three contract formats (A 处罚, B 许可, C 其他)
    OUT/takedowns.csv           撤下登记

Usage
-----
Bundled example (the project's ``data/`` folder; fixed layout, every input variant)::

    python benchmarks/synth.py --out data --example

Benchmark data (plain UTF-8 CSV, one file per year and format, streamed)::

    python benchmarks/synth.py --out /tmp/synth100k --n 100000 --agencies 40 --seed 1

From Python::

    from benchmarks.synth import generate      # from the repo root, or importlib on the file path
    summary = generate("/tmp/out", n_decisions=100_000, n_agencies=40, seed=1)

Options: ``--n`` decisions (benchmark mode; default 520), ``--agencies`` (default 8;
beyond the 15 hand-written 清河区 agencies, names like 示例市第2区应急管理局 are made up),
``--staff`` staff per agency (default 5), ``--seed`` (default 1), ``--today`` the
reference build date (default 2026-11-22: decisions are dated 2023-01-01 … today-2,
and "expired" means 公示截止期 before it), ``--example`` the fixed bundled example
(ignores --n/--agencies/--staff: 9 agencies, 40 staff, 568 decision rows).

Same arguments → byte-identical files (the .xlsx is written with fixed zip and
document timestamps).  Only the standard library is needed, plus openpyxl for the
example's one .xlsx file.  Benchmark mode streams rows straight to csv writers, so
memory stays flat (~25 MB): 100 000 decisions take ~4 s, 1 000 000 ~45 s.

Example layout (``--example``; file names use the years of --today)::

    decisions/2023-行政处罚.csv            A, UTF-8, 2024-03-05 dates, header variants the contract
                                           allows: half-width brackets, stray spaces, 处罚金额（万元）
    decisions/2024-行政处罚.csv            A, UTF-8 with BOM, 2024/3/5 dates, + 案件程序类别, 公示日期
    decisions/2024-行政许可.xlsx           B, first sheet, Excel date cells, IDs as text cells,
                                           + 公示日期 and an unknown column 内部流水号
    decisions/2025-行政处罚-GB18030.csv    A, GB18030, 2024年3月5日 dates, amounts as 2.00,
                                           + unknown column 经办人手机 (never published)
    decisions/2025-行政许可.csv            B, 2024.3.5 dates; 3 rows with blank 文书号 (keyed by 许可编号)
    decisions/2025-自然人行政处罚.csv      the older 自然人 template, 20240305 dates
    decisions/2026-其他执法决定.csv        C (行政强制/检查/征收征用/确认/其他)
    decisions/2026-行政处罚-1至11月.csv    A, every date form mixed row by row
    decisions/2026-行政处罚-更正.csv       3 corrections repeating earlier keys (read last)

Planted on purpose: 1,200.5 万元; 文书号 with "-" and "/"; 手机号 / 身份证号 (one ending in X) /
bank-card numbers typed into 违法事实, 处罚内容 and 执法结论; compound surnames (欧阳, 司马 …);
rows whose 公示截止期 passed, one ending on the build date itself; one 文书号 shared by two
agencies (卫健委 and its 受委托 监督所), taken down by agency code; staff that are 暂扣,
注销, expired, or valid until exactly the build date.  The CLI prints which rows these are.

Benchmark mode also writes, per year, ~60 % 行政处罚 / 25 % 行政许可 / 15 % other
decisions; ~11 % natural persons (16 % in the example); ~1 % rows whose 公示截止期
already passed (公示截止期 is decision date + 3 years, left blank on rows old enough to have
expired, as legacy exports did);
``max(2, n//1000)`` corrections in ``<last year>-行政处罚（更正）.csv`` and
``max(5, n//1000)`` takedowns.  A summary (files, row counts, notable keys) is
returned by ``generate`` and printed by the CLI.
"""
from __future__ import annotations

import argparse
import bisect
import csv
import io
import os
import random
import re
import sys
import time
import zipfile
from datetime import date, datetime, timedelta

# --------------------------------------------------------------------------------------
# Check digits
# --------------------------------------------------------------------------------------

CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 character set (no I O S V Z)
CC_VALUE = {c: i for i, c in enumerate(CC_CHARS)}
CC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def org_code(body8: str) -> str:
    """GB 11714 organisation code: 8 body chars + check char."""
    s = sum(int(ch, 36) * w for ch, w in zip(body8, ORG_WEIGHTS))
    c = 11 - s % 11
    return body8 + ("X" if c == 10 else "0" if c == 11 else str(c))


def credit_code(prefix2: str, region6: str, body8: str) -> str:
    """GB 32100-2015 统一社会信用代码: 登记管理部门+机构类别, 行政区划, 组织机构代码, 校验码."""
    s17 = prefix2 + region6 + org_code(body8)
    c = 31 - sum(CC_VALUE[ch] * w for ch, w in zip(s17, CC_WEIGHTS)) % 31
    return s17 + CC_CHARS[0 if c == 31 else c]


def credit_code_valid(code: str) -> bool:
    if len(code) != 18 or any(ch not in CC_VALUE for ch in code):
        return False
    c = 31 - sum(CC_VALUE[ch] * w for ch, w in zip(code[:17], CC_WEIGHTS)) % 31
    return code[17] == CC_CHARS[0 if c == 31 else c] and org_code(code[8:16]) == code[8:17]


def id_number(region6: str, birth: date, seq3: int) -> str:
    """GB 11643 公民身份号码 with a correct check digit."""
    s17 = f"{region6}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq3:03d}"
    return s17 + ID_CHECK[sum(int(ch) * w for ch, w in zip(s17, ID_WEIGHTS)) % 11]


def id_valid(s: str) -> bool:
    return (len(s) == 18 and s[:17].isdigit()
            and s[17] == ID_CHECK[sum(int(ch) * w for ch, w in zip(s[:17], ID_WEIGHTS)) % 11])


def luhn_complete(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return partial + str((10 - total % 10) % 10)


def _base(n: int, chars: str, width: int) -> str:
    out = []
    b = len(chars)
    for _ in range(width):
        n, r = divmod(n, b)
        out.append(chars[r])
    return "".join(reversed(out))


M64 = (1 << 64) - 1


def _mix(x: int) -> int:
    """splitmix64 finaliser: a cheap, well-spread deterministic hash of an int."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


# --------------------------------------------------------------------------------------
# Chinese money, dates, amounts
# --------------------------------------------------------------------------------------

_DIG = "零壹贰叁肆伍陆柒捌玖"
_UNIT = ["", "拾", "佰", "仟"]
_BIG = ["", "万", "亿"]


def rmb_upper(n: int) -> str:
    """Integer yuan → 人民币大写, e.g. 12005000 → 壹仟贰佰万伍仟元整."""
    if n == 0:
        return "零元整"
    groups = []
    while n:
        n, g = divmod(n, 10000)
        groups.append(g)
    out, gap = "", False
    for gi in range(len(groups) - 1, -1, -1):
        g = groups[gi]
        if g == 0:
            gap = True
            continue
        if out and (g < 1000 or gap):
            out += "零"
        gap = False
        part, z = "", False
        for pos in (3, 2, 1, 0):
            d = g // 10 ** pos % 10
            if d == 0:
                z = bool(part)
            else:
                if z:
                    part += "零"
                    z = False
                part += _DIG[d] + _UNIT[pos]
        out += part + _BIG[gi]
    return out + "元整"


def fmt_date(d, style: str) -> str:
    if d is None:
        return ""
    if style == "iso":
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "compact":
        return f"{d.year:04d}{d.month:02d}{d.day:02d}"
    raise ValueError(style)


DATE_STYLES = ("iso", "slash", "dot", "cn", "compact")


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def fmt_wan(cents: int | None, style: str = "plain") -> str:
    """Amount in units of 0.01 万元 (= 100 元) → text in 万元.

    plain: 2, 0.5, 1,200.5 (thousands separators from 1000 up); 2dp: 2.00, 1,200.50."""
    if cents is None:
        return ""
    ip, fr = divmod(cents, 100)
    ips = f"{ip:,}" if ip >= 1000 else str(ip)
    if style == "2dp":
        return f"{ips}.{fr:02d}"
    return ips if fr == 0 else f"{ips}.{fr:02d}".rstrip("0")


def add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 Feb
        return d.replace(year=d.year + n, day=28)


def add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, 28))


# --------------------------------------------------------------------------------------
# Name pools
# --------------------------------------------------------------------------------------

_SURNAMES = (
    "王14 李14 张13 刘10 陈9 杨7 黄6 赵6 吴5 周5 徐4 孙4 马4 朱4 胡4 郭3 何3 高3 林3 罗3 "
    "郑3 梁3 谢2 宋2 唐2 许2 韩2 冯2 邓2 曹2 彭2 曾2 肖2 田2 董2 袁2 潘2 于2 蒋2 蔡2 余2 "
    "杜2 叶2 程2 苏2 魏2 吕2 丁2 任2 沈2 姚1 卢1 姜1 崔1 钟1 谭1 陆1 汪1 范1 金1 石1 廖1 "
    "贾1 夏1 韦1 付1 方1 白1 邹1 孟1 熊1 秦1 邱1 江1 尹1 薛1 闫1 段1 雷1 侯1 龙1 史1 陶1 "
    "黎1 贺1 顾1 毛1 郝1 龚1 邵1 万1 钱1 严1 武1 戴1 莫1 孔1 向1 汤1 "
    "欧阳4 司马3 上官3 诸葛2 东方1 皇甫1 慕容1 令狐1 夏侯1 尉迟1"
).split()
SURNAMES = [re.match(r"(\D+)(\d+)", s).groups() for s in _SURNAMES]
COMPOUND_SURNAMES = [s for s, _ in SURNAMES if len(s) == 2]
_SUR_CUM = []
_acc = 0
for _s, _w in SURNAMES:
    _acc += int(_w)
    _SUR_CUM.append(_acc)
_SUR_TOTAL = _acc
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉鑫宇浩然子轩梓涵欣怡"
         "佳琪晨思雨博俊一诺嘉昊天海燕志鹏国新立永春兰凤德成林丹飞斌波亮凯婷雪慧莉颖晓东瑞泽悦雅婧晗宁安")

NICKS = ["老王", "老李", "老张", "老刘", "阿强", "兴旺", "顺心", "好运来", "福满园", "张记", "李记",
         "王记", "刘姐", "陈师傅", "小杨", "惠民", "鑫鑫", "乐家", "红星", "老街坊", "四季", "家和"]
SHOP_TYPES = {
    "餐饮": ["小吃店", "面馆", "烧烤店", "早餐店", "饺子馆", "快餐店", "麻辣烫店", "火锅店"],
    "商贸": ["便利店", "水果店", "五金店", "日用品商店", "烟酒店", "服装店", "粮油店", "超市"],
    "制造": ["五金加工部", "木器加工厂", "印刷部", "塑料制品厂", "门窗加工部"],
    "化工": ["油漆店", "化工建材经营部", "五金建材店"],
    "运输": ["货运部", "物流配送站", "搬家服务部"],
    "汽修": ["汽车修理部", "汽车快修店", "洗车行"],
    "美容": ["理发店", "美发店", "美容院", "足疗店", "浴池"],
    "住宿": ["旅馆", "宾馆", "招待所", "民宿"],
    "医疗": ["中医诊所", "口腔诊所"],
    "文旅": ["网吧", "台球厅", "KTV", "棋牌室"],
    "建筑": ["装修服务部", "建材经营部"],
}
BRANDS = ["恒达", "鑫源", "华泰", "瑞丰", "宏远", "金诚", "永盛", "利民", "盛世", "天和", "顺达", "嘉禾",
          "中兴", "博远", "安泰", "兴隆", "德润", "汇通", "聚丰", "正邦", "信诚", "凯旋", "远航", "万家",
          "福源", "新锐", "东升", "和信", "佳美", "华通", "同创", "明珠", "宏图", "金桥", "益康", "百川",
          "立德", "弘毅", "荣昌", "广源", "晟达", "泰和", "银河", "长青", "方圆", "锦程", "卓越", "启航",
          "海纳", "鼎盛", "清源", "振华", "兆丰", "优品", "星辰", "春晖", "富华", "润泽", "合众", "智远"]
INDUSTRIES = {
    "制造": ["建材", "机械制造", "精密机械", "塑料制品", "包装材料", "金属制品", "电子科技", "家具制造", "印刷"],
    "化工": ["化工", "新材料科技", "涂料", "化学试剂", "石油化工产品"],
    "餐饮": ["餐饮管理", "食品", "餐饮服务", "酒店管理", "超市", "商贸"],
    "建筑": ["建筑工程", "建设工程", "市政工程", "装饰工程", "渣土运输", "房地产开发"],
    "运输": ["物流", "运输", "货运", "汽车租赁", "客运"],
    "医疗": ["口腔门诊部", "综合门诊部", "中医诊所", "医疗美容诊所", "医院管理"],
    "文旅": ["网络科技", "文化传媒", "国际旅行社", "娱乐", "文化发展"],
    "商贸": ["商贸", "百货", "科技", "广告传媒", "农资", "能源"],
    "汽修": ["汽车维修服务", "汽车销售服务"],
    "美容": ["美容美发", "美容管理", "洗浴服务"],
    "住宿": ["酒店管理", "宾馆", "酒店"],
}
GROUPS = list(INDUSTRIES)
FORMS = [("有限公司", 60), ("有限责任公司", 20), ("股份有限公司", 6), ("BRANCH", 14)]
_FORM_CUM = [60, 80, 86, 100]
ROADS = ["兴业路", "和平街", "建设东路", "文化路", "光明大道", "工业园一路", "科技园二路", "滨河路",
         "清河大街", "春华路", "秋实街", "永安路", "富民路", "新华街", "胜利路", "学院路", "人民路",
         "东风路", "西湖路", "北环路", "南环路", "长兴路", "临河路", "朝阳街", "金桥路", "物流园三路"]
MOBILE_PREFIX = ["133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159",
                 "166", "176", "177", "180", "182", "185", "186", "187", "188", "189", "191", "198", "199"]

BIRTH0 = date(1960, 1, 1)
BIRTH_SPAN = 16000  # days → 1960-01-01 … 2003-10-22 (everyone is an adult in 2023)


# --------------------------------------------------------------------------------------
# Agency types (hand-written; the first 9 make up the bundled example)
# --------------------------------------------------------------------------------------
# Penalty template: act, fact (placeholders {t} target, {d} date, {p} place, {x} number),
# basis, cats [(处罚类别, weight)], fine (lo, hi) in 万元 or None, conf (lo, hi) 万元 or None,
# lic (证照名称 for 暂扣/吊销/降级), kinds (O 组织, I 个体工商户, P 自然人), grp (company industry).

def P(id, act, fact, basis, cats, fine=None, conf=None, lic=None, kinds="O", grp="商贸", pre="责令改正，"):
    return dict(id=id, act=act, fact=fact, basis=basis, cats=cats, fine=fine, conf=conf, lic=lic,
                kinds=kinds, grp=grp, pre=pre)


# License template: item, doc name, doc number pattern, 许可类别, cert name, licence-number pattern,
# content, validity years (None = long-term), kinds, grp.  Patterns: {dp} district prefix,
# {y} year, {n} sequence, {r} region code, {cc} target credit code.
def L(id, item, docname, docno, cat, cert, licno, content, years, kinds="O", grp="商贸", basis=""):
    return dict(id=id, item=item, docname=docname, docno=docno, cat=cat, cert=cert, licno=licno,
                content=content, years=years, kinds=kinds, grp=grp, basis=basis)


# Other-decision template: 执法类别, item, doc pattern, basis, conclusion, kinds, grp.
def C(id, cat, item, docno, basis, concl, kinds="OI", grp="商贸"):
    return dict(id=id, cat=cat, item=item, docno=docno, basis=basis, concl=concl, kinds=kinds, grp=grp)


INSPECT_CONCL = [
    "经检查，未发现违法违规问题。",
    "经检查，发现一般问题{x}项，已当场责令整改，复查合格。",
    "经检查，发现问题{x}项，已下达责令限期改正通知书，要求于十五日内整改完毕。",
    "检查对象已停业，无法开展检查，已列入跟踪复查名单。",
]

AGENCY_TYPES = [
    dict(
        key="yj", name="{dn}应急管理局", abbr="应急", cat="行政机关", cc="11", slug="yjj",
        parent="示例市{dn}人民政府", hotline="12350", staffcat="安全生产", weights=(6, 2, 2),
        duty="负责本区安全生产综合监督管理和工矿商贸行业安全生产监督管理，依法查处安全生产违法行为；"
             "负责危险化学品经营许可、烟花爆竹经营（零售）许可；组织指导应急救援工作。",
        laws="《中华人民共和国安全生产法》《中华人民共和国突发事件应对法》《危险化学品安全管理条例》"
             "《烟花爆竹安全管理条例》《中华人民共和国行政处罚法》",
        penalty_no="{dp}应急罚〔{y}〕{n}号",
        penalties=[
            P("yj-train", "未按照规定对从业人员进行安全生产教育和培训",
              "{d}，我局执法人员对{t}位于{p}的生产经营场所进行执法检查，发现该单位{x}名新入职从业人员"
              "未经安全生产教育和培训即上岗作业，且不能提供培训档案。",
              "《中华人民共和国安全生产法》第二十八条第一款、第九十七条第（三）项",
              [("罚款", 7), ("警告;罚款", 3)], fine=(1, 5), kinds="O", grp="制造", pre="责令限期改正，"),
            P("yj-sign", "未在有较大危险因素的生产经营场所设置明显的安全警示标志",
              "{d}，执法人员检查发现，{t}在{p}的液氨储罐区、配电室等有较大危险因素的场所未设置明显的安全警示标志。",
              "《中华人民共和国安全生产法》第三十五条、第九十九条第（一）项",
              [("罚款", 1)], fine=(0.5, 3), kinds="OI", grp="化工", pre="责令限期改正，"),
            P("yj-hazard", "未建立事故隐患排查治理制度",
              "{d}，执法人员对{t}进行检查时发现，该单位未建立事故隐患排查治理制度，未如实记录事故隐患排查治理情况。",
              "《中华人民共和国安全生产法》第四十一条第二款、第一百零一条第（五）项",
              [("罚款", 1)], fine=(2, 10), kinds="O", grp="制造", pre="责令限期改正，"),
            P("yj-ppe", "未为从业人员提供符合国家标准或者行业标准的劳动防护用品",
              "{d}，执法人员检查发现，{t}打磨车间{x}名从业人员未佩戴防尘口罩作业，该单位未按规定配发劳动防护用品。",
              "《中华人民共和国安全生产法》第四十五条、第九十九条第（五）项",
              [("罚款", 1)], fine=(0.5, 5), kinds="OI", grp="制造", pre="责令限期改正，"),
            P("yj-cert", "使用伪造的特种作业操作证",
              "当事人{t}于{d}在{p}从事焊接与热切割作业时，使用伪造的特种作业操作证，经核查该证件编号不存在。",
              "《特种作业人员安全技术培训考核管理规定》第四十条",
              [("警告;罚款", 1)], fine=(0.1, 0.5), kinds="P", pre=""),
        ],
        licenses=[
            L("yj-whp", "危险化学品经营许可", "危险化学品经营许可证", "{dp}应急危化经许〔{y}〕{n}号", "普通",
              "危险化学品经营许可证", "{dp}应急经字〔{y}〕{n:06d}",
              "许可范围：汽油、柴油、液化石油气（不带储存设施经营）", 3, kinds="O", grp="化工",
              basis="《危险化学品安全管理条例》第三十三条"),
            L("yj-yh", "烟花爆竹经营（零售）许可", "烟花爆竹经营（零售）许可证", "{dp}应急烟许〔{y}〕{n}号", "普通",
              "烟花爆竹经营（零售）许可证", "（{dp}）YH〔{y}〕{n:05d}",
              "零售点：{p}；限量：烟花爆竹存放量不超过{x}箱", 1, kinds="I", basis="《烟花爆竹安全管理条例》第十九条"),
        ],
        others=[
            C("yj-seal", "行政强制", "查封存在重大事故隐患的场所", "{dp}应急强〔{y}〕{n}号",
              "《中华人民共和国安全生产法》第六十五条第一款第（四）项",
              "对{t}位于{p}的存在重大事故隐患的喷漆作业场所予以查封，期限三十日。", kinds="OI", grp="制造"),
            C("yj-check", "行政检查", "安全生产执法检查", "{dp}应急检〔{y}〕{n}号",
              "《中华人民共和国安全生产法》第六十五条", "INSPECT", kinds="OI", grp="制造"),
            C("yj-req", "行政征收征用", "应急征用", "{dp}应急征〔{y}〕{n}号",
              "《中华人民共和国突发事件应对法》第十二条",
              "因防汛抢险需要，依法征用{t}所有的挖掘机{x}台，使用完毕后及时返还并依法给予补偿。", kinds="OP", grp="建筑"),
        ],
        spot=[("安全生产执法检查", "工贸行业生产经营单位", "安全生产责任制落实、隐患排查治理、教育培训", "《中华人民共和国安全生产法》第六十五条")],
    ),
    dict(
        key="sj", name="{dn}市场监督管理局", abbr="市监", cat="行政机关", cc="11", slug="scjgj",
        parent="示例市{dn}人民政府", hotline="12315", staffcat="市场监管综合执法", weights=(8, 5, 2),
        duty="负责本区市场综合监督管理，承担食品安全、特种设备安全、价格、广告、计量、标准化等监督管理和"
             "综合执法工作；负责食品经营许可等行政许可。",
        laws="《中华人民共和国食品安全法》《中华人民共和国广告法》《中华人民共和国价格法》"
             "《中华人民共和国特种设备安全法》《无证无照经营查处办法》",
        penalty_no="{dp}市监处罚〔{y}〕{n:04d}号",
        penalties=[
            P("sj-expired", "经营超过保质期的食品",
              "{d}，执法人员对{t}位于{p}的经营场所检查，发现其货架上摆放的{x}袋预包装食品已超过保质期，仍在销售。",
              "《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款第（五）项",
              [("没收违法所得;罚款", 6), ("罚款", 4)], fine=(5, 10), conf=(0.01, 0.2), kinds="OI", grp="餐饮",
              pre="没收超过保质期的食品，"),
            P("sj-nolic", "未取得食品经营许可从事食品经营活动",
              "经查，{t}自{d}起在{p}从事热食类食品制售活动，至案发时未取得食品经营许可证。",
              "《中华人民共和国食品安全法》第三十五条第一款、第一百二十二条第一款",
              [("没收违法所得;罚款", 1)], fine=(5, 10), conf=(0.05, 0.8), kinds="I", grp="餐饮"),
            P("sj-ad", "发布虚假广告",
              "经查，{t}于{d}起在其微信公众号发布含有“销量遥遥领先”“已服务十万家客户”等内容的广告，经核实相关数据系虚构。",
              "《中华人民共和国广告法》第二十八条第一款、第五十五条第一款",
              [("罚款", 1)], fine=(20, 100), kinds="O", grp="商贸", pre="责令停止发布广告，在相应范围内消除影响，"),
            P("sj-price", "不按规定明码标价",
              "{d}，执法人员检查发现，{t}在{p}销售的{x}种商品未标示价格，部分商品标价签品名、规格与实物不符。",
              "《中华人民共和国价格法》第十三条第一款、第四十二条",
              [("罚款", 7), ("警告", 3)], fine=(0.05, 0.5), kinds="IO", grp="商贸"),
            P("sj-sbjy", "使用未经定期检验的特种设备",
              "{d}，执法人员对{t}进行检查，发现其在用的{x}台乘客电梯超过定期检验周期未申请检验，仍在使用。",
              "《中华人民共和国特种设备安全法》第四十条第三款、第八十四条第（一）项",
              [("罚款", 1)], fine=(3, 30), kinds="O", grp="商贸", pre="责令停止使用有关特种设备，"),
            P("sj-wuzhao", "无照经营",
              "当事人{t}未依法取得营业执照，自{d}起在{p}从事服装零售经营活动，违法所得共计人民币{c}元。",
              "《无证无照经营查处办法》第六条、第十三条",
              [("罚款", 5), ("没收违法所得;罚款", 5)], fine=(0.05, 1), conf=(0.01, 0.1), kinds="P",
              pre="责令停止违法行为，"),
        ],
        licenses=[
            L("sj-food", "食品经营许可", "食品经营许可决定书", "{dp}市监食许〔{y}〕{n}号", "普通", "食品经营许可证",
              "JY{b}{r}{yy}{n:04d}{c}", "经营项目：预包装食品（含冷藏冷冻食品）销售；散装食品（不含冷藏冷冻食品）销售；热食类食品制售",
              5, kinds="IO", grp="餐饮", basis="《中华人民共和国食品安全法》第三十五条"),
            L("sj-lift", "特种设备使用登记", "特种设备使用登记决定书", "{dp}市监特登〔{y}〕{n}号", "登记",
              "特种设备使用登记证", "梯11示{dp}{n:05d}({yy})", "乘客电梯使用登记（设备代码：3110{r}{y}{n:04d}）",
              None, kinds="O", grp="商贸", basis="《中华人民共和国特种设备安全法》第三十三条"),
        ],
        others=[
            C("sj-seize", "行政强制", "查封扣押不符合食品安全标准的食品", "{dp}市监强〔{y}〕{n}号",
              "《中华人民共和国食品安全法》第一百一十条第（四）项",
              "对{t}涉嫌超过保质期的食品共计{x}件予以扣押，期限三十日。", kinds="OI", grp="餐饮"),
            C("sj-check", "行政检查", "食品经营者监督检查", "{dp}市监检〔{y}〕{n}号",
              "《中华人民共和国食品安全法》第一百一十条", "INSPECT", kinds="OI", grp="餐饮"),
            C("sj-abn", "其他", "列入经营异常名录", "{dp}市监异〔{y}〕{n}号",
              "《企业经营异常名录管理暂行办法》第四条",
              "因通过登记的住所或者经营场所无法联系，将{t}列入经营异常名录。", kinds="O", grp="商贸"),
        ],
        spot=[("食品销售者监督检查", "食品销售经营者", "进货查验、过期食品处置、贮存条件", "《中华人民共和国食品安全法》第一百一十条"),
              ("特种设备使用单位监督检查", "电梯、锅炉使用单位", "使用登记、定期检验、作业人员持证", "《中华人民共和国特种设备安全法》第六十一条")],
    ),
    dict(
        key="hj", name="示例市生态环境局{dsn}分局", abbr="环", cat="行政机关", cc="11", slug="sthjfj",
        parent="示例市生态环境局", hotline="12369", staffcat="生态环境保护", weights=(6, 3, 2),
        review="示例市生态环境局",
        duty="负责本区生态环境监督管理和生态环境保护综合行政执法，查处大气、水、固体废物、噪声等环境违法行为；"
             "负责建设项目环境影响评价文件审批、排污许可。",
        laws="《中华人民共和国环境保护法》《中华人民共和国大气污染防治法》《中华人民共和国水污染防治法》"
             "《中华人民共和国固体废物污染环境防治法》《中华人民共和国环境影响评价法》",
        penalty_no="{dp}环罚〔{y}〕{n}号",
        penalties=[
            P("hj-air", "超过大气污染物排放标准排放大气污染物",
              "{d}，执法人员对{t}进行现场检查并委托监测，其喷涂废气排放口非甲烷总烃排放浓度超过《大气污染物综合排放标准》规定限值{x}倍。",
              "《中华人民共和国大气污染防治法》第十八条、第九十九条第（二）项",
              [("罚款", 7), ("限制开展生产经营活动;罚款", 3)], fine=(10, 100), kinds="O", grp="制造"),
            P("hj-eia", "建设项目未依法报批环境影响报告表擅自开工建设",
              "经查，{t}在{p}建设的年产{x}万件金属制品项目，未依法报批环境影响报告表，于{d}擅自开工建设。",
              "《中华人民共和国环境影响评价法》第二十五条、第三十一条第一款",
              [("罚款", 1)], fine=(2, 1500), kinds="O", grp="制造", pre="责令停止建设，"),
            P("hj-waste", "危险废物贮存场所未按规定设置识别标志",
              "{d}，执法人员检查发现，{t}废矿物油、废活性炭等危险废物贮存场所未按照规定设置危险废物识别标志。",
              "《中华人民共和国固体废物污染环境防治法》第七十七条、第一百一十二条第一款第（一）项",
              [("罚款", 1)], fine=(10, 100), kinds="O", grp="化工"),
            P("hj-pipe", "通过暗管逃避监管的方式排放水污染物",
              "{d}，执法人员在{t}厂区东侧发现一根直径{x}厘米的暗管，将未经处理的生产废水直接排入市政雨水管网。",
              "《中华人民共和国水污染防治法》第三十九条、第八十三条第（三）项",
              [("罚款", 6), ("责令停产停业;罚款", 4)], fine=(10, 100), kinds="O", grp="化工"),
            P("hj-smoke", "排放油烟的餐饮服务业经营者未安装油烟净化设施",
              "{d}，执法人员检查发现，{t}在{p}经营餐饮服务，厨房排放油烟未安装油烟净化设施，直接排入大气。",
              "《中华人民共和国大气污染防治法》第八十一条第一款、第一百一十八条第一款",
              [("罚款", 1)], fine=(0.5, 5), kinds="I", grp="餐饮"),
            P("hj-burn", "露天焚烧产生烟尘污染的物质",
              "当事人{t}于{d}在{p}附近空地露天焚烧废旧木料、落叶等物质，产生大量烟尘。",
              "《中华人民共和国大气污染防治法》第七十七条、第一百一十九条第一款",
              [("罚款", 1)], fine=(0.05, 0.2), kinds="P"),
        ],
        licenses=[
            L("hj-eia", "建设项目环境影响报告表审批", "关于项目环境影响报告表的批复", "{dp}环许字〔{y}〕第{n}号", "普通",
              "", "", "原则同意该项目按照环境影响报告表所列建设项目的性质、规模、地点和拟采取的环境保护措施进行建设",
              5, kinds="O", grp="制造", basis="《中华人民共和国环境影响评价法》第二十二条"),
            L("hj-pw", "排污许可", "排污许可决定书", "{dp}环排许〔{y}〕{n}号", "普通", "排污许可证", "{cc}001{v}",
              "排污单位行业类别：金属表面处理及热处理加工；主要污染物：颗粒物、挥发性有机物、化学需氧量",
              5, kinds="O", grp="制造", basis="《排污许可管理条例》第十四条"),
        ],
        others=[
            C("hj-seal", "行政强制", "查封扣押造成污染物排放的设施设备", "{dp}环强〔{y}〕{n}号",
              "《中华人民共和国环境保护法》第二十五条",
              "对{t}违法排放污染物的生产设备{x}台予以查封，期限三十日。", kinds="O", grp="制造"),
            C("hj-check", "行政检查", "污染源日常监督检查", "{dp}环检〔{y}〕{n}号",
              "《中华人民共和国环境保护法》第二十四条", "INSPECT", kinds="OI", grp="制造"),
        ],
        spot=[("排污单位“双随机”执法检查", "重点排污单位、一般排污单位", "排污许可执行、污染防治设施运行、自行监测", "《中华人民共和国环境保护法》第二十四条")],
    ),
    dict(
        key="cg", name="{dn}城市管理综合行政执法局", abbr="城管", cat="行政机关", cc="11", slug="cgzfj",
        parent="示例市{dn}人民政府", hotline="12345", staffcat="城市管理", weights=(7, 2, 3),
        duty="负责本区城市管理领域相对集中行政处罚权，查处违法建设、市容环境卫生、城市道路、施工噪声等方面的违法行为；"
             "负责城市建筑垃圾处置核准、户外广告设置审批。",
        laws="《中华人民共和国城乡规划法》《城市市容和环境卫生管理条例》《城市道路管理条例》"
             "《中华人民共和国噪声污染防治法》《中华人民共和国行政强制法》",
        penalty_no="{dp}城管罚字〔{y}〕第{n:04d}号",
        penalties=[
            P("cg-spill", "运输散装货物未密闭覆盖造成遗撒",
              "{d}，执法人员在{p}发现{t}所属渣土运输车辆未采取密闭措施，沿途遗撒渣土约{x}米。",
              "《城市市容和环境卫生管理条例》第十五条、第三十四条第（六）项",
              [("罚款", 1)], fine=(0.1, 2), kinds="O", grp="建筑", pre="责令清除遗撒物，"),
            P("cg-build", "未取得建设工程规划许可证进行建设",
              "经查，{t}于{d}起在{p}未取得建设工程规划许可证擅自搭建彩钢板房约{x}平方米。",
              "《中华人民共和国城乡规划法》第四十条第一款、第六十四条",
              [("罚款", 1)], fine=(1, 50), kinds="OP", grp="建筑", pre="责令限期改正，"),
            P("cg-road", "擅自占用城市道路从事经营活动",
              "{d}，执法人员巡查发现，{t}在{p}门前擅自占用城市道路摆放桌椅经营，占道面积约{x}平方米。",
              "《城市道路管理条例》第二十七条第（一）项、第四十二条",
              [("罚款", 1)], fine=(0.02, 0.5), kinds="IP", grp="餐饮", pre="责令限期改正，"),
            P("cg-noise", "夜间在噪声敏感建筑物集中区域进行产生噪声的建筑施工作业",
              "{d}22时至次日2时，{t}在{p}施工工地未取得夜间施工证明进行混凝土浇筑作业，噪声扰民。",
              "《中华人民共和国噪声污染防治法》第四十三条第一款、第七十七条第一款",
              [("罚款", 1)], fine=(1, 10), kinds="O", grp="建筑"),
        ],
        licenses=[
            L("cg-ztdz", "城市建筑垃圾处置核准", "城市建筑垃圾处置核准决定书", "{dp}城管许〔{y}〕{n}号", "核准",
              "城市建筑垃圾处置核准证", "QHZT-{y}-{n:04d}",
              "核准在{p}工地产生的建筑垃圾约{x}00立方米运至示例市建筑垃圾资源化处置场消纳", 1, kinds="O", grp="建筑",
              basis="《城市建筑垃圾管理规定》第七条"),
            L("cg-ad", "设置大型户外广告审批", "户外广告设置许可决定书", "{dp}城管广许〔{y}〕{n}号", "普通",
              "", "", "同意在{p}设置户外广告牌一块，面积{x}平方米", 2, kinds="OI", grp="商贸",
              basis="《城市市容和环境卫生管理条例》第十一条"),
        ],
        others=[
            C("cg-demolish", "行政强制", "强制拆除违法建设", "{dp}城管强拆〔{y}〕{n}号",
              "《中华人民共和国城乡规划法》第六十八条",
              "依法强制拆除{t}在{p}违法搭建的建筑物约{x}平方米。", kinds="OP", grp="建筑"),
            C("cg-check", "行政检查", "市容环境卫生责任区检查", "{dp}城管检〔{y}〕{n}号",
              "《中华人民共和国城乡规划法》第五十三条", "INSPECT", kinds="OI", grp="餐饮"),
            C("cg-fee", "行政征收征用", "征收餐厨垃圾处理费", "{dp}城管征〔{y}〕{n}号",
              "《中华人民共和国固体废物污染环境防治法》第五十八条",
              "核定{t}{y}年度餐厨垃圾处理费人民币{x}000元。", kinds="IO", grp="餐饮"),
        ],
        spot=[("建设工程施工现场扬尘检查", "建设工程施工单位", "围挡、覆盖、冲洗、密闭运输", "《中华人民共和国大气污染防治法》第六十九条")],
    ),
    dict(
        key="wj", name="{dn}卫生健康委员会", abbr="卫", cat="行政机关", cc="11", slug="wjw",
        parent="示例市{dn}人民政府", hotline="12320", staffcat="卫生健康", weights=(5, 3, 1),
        duty="负责本区医疗卫生、公共卫生、传染病防治等方面的监督管理，依法查处非法行医等违法行为；"
             "负责医疗机构执业登记、医师执业注册、公共场所卫生许可。",
        laws="《中华人民共和国医师法》《中华人民共和国基本医疗卫生与健康促进法》《中华人民共和国传染病防治法》"
             "《医疗机构管理条例》《公共场所卫生管理条例》",
        penalty_no="{dp}卫医罚〔{y}〕{n}号",
        penalties=[
            P("wj-feiyi", "非医师行医",
              "经查，当事人{t}未取得医师资格，自{d}起在{p}出租屋内为他人输液、拔牙等诊疗活动，违法所得人民币{c}元。",
              "《中华人民共和国医师法》第十三条第四款、第五十九条",
              [("没收违法所得;罚款", 1)], fine=(2, 10), conf=(0.01, 0.5), kinds="P",
              pre="责令停止非法执业活动，没收药品、医疗器械，"),
            P("wj-ggcs", "公共场所未依法取得卫生许可证擅自营业",
              "{d}，执法人员检查发现，{t}在{p}经营美容美发服务，未依法取得公共场所卫生许可证擅自营业。",
              "《公共场所卫生管理条例实施细则》第二十二条第一款、第三十五条第一款",
              [("警告;罚款", 1)], fine=(0.05, 0.5), kinds="IO", grp="美容", pre="责令限期改正，"),
            P("wj-ganran", "医疗机构未按照规定承担医院感染控制任务",
              "{d}，执法人员检查发现，{t}口腔诊疗器械未按照规定一人一用一消毒，医院感染管理制度未落实。",
              "《中华人民共和国传染病防治法》第二十一条、第六十九条第（一）项",
              [("警告;通报批评", 1)], kinds="O", grp="医疗"),
            P("wj-feiwei", "医疗机构使用非卫生技术人员从事医疗卫生技术工作",
              "经查，{t}自{d}起安排未取得护士执业证书的{x}名人员从事护理工作。",
              "《医疗机构管理条例》第二十七条、第四十七条",
              [("罚款", 9), ("罚款;吊销许可证件", 1)], fine=(0.1, 0.5), lic="医疗机构执业许可证", kinds="O", grp="医疗",
              pre="责令限期改正，"),
        ],
        licenses=[
            L("wj-yljg", "医疗机构执业登记", "医疗机构执业许可决定书", "{dp}卫医许〔{y}〕{n}号", "普通",
              "医疗机构执业许可证", "PDY{n:08d}{r}D2112", "诊疗科目：内科；外科；口腔科；医学检验科", 5, kinds="O",
              grp="医疗", basis="《医疗机构管理条例》第十五条"),
            L("wj-doc", "医师执业注册", "医师执业注册决定书", "{dp}卫医注〔{y}〕{n}号", "普通", "医师执业证书",
              "1{r}{y}{n:04d}", "执业类别：临床；执业范围：内科专业；执业地点：示例市{dn}第一人民医院", None, kinds="P",
              basis="《中华人民共和国医师法》第十三条"),
            L("wj-ggcs", "公共场所卫生许可", "公共场所卫生许可决定书", "{dp}卫公许〔{y}〕{n}号", "普通",
              "公共场所卫生许可证", "{dp}卫公证字〔{y}〕第{n:04d}号", "许可项目：理发店、美容店", 4, kinds="IO", grp="美容",
              basis="《公共场所卫生管理条例》第八条"),
        ],
        others=[
            C("wj-check", "行政检查", "医疗机构依法执业检查", "{dp}卫监检〔{y}〕{n}号",
              "《医疗机构管理条例》第四十条", "INSPECT", kinds="O", grp="医疗"),
        ],
        spot=[("医疗机构依法执业检查", "医疗机构", "执业登记、人员资质、医疗废物处置", "《医疗机构管理条例》第四十条")],
    ),
    dict(
        key="jt", name="{dn}交通运输局", abbr="交", cat="行政机关", cc="11", slug="jtj",
        parent="示例市{dn}人民政府", hotline="12328", staffcat="交通运输", weights=(6, 3, 1),
        duty="负责本区道路运输、城市客运、公路路政的行业监督管理和综合行政执法；负责道路运输经营许可。",
        laws="《中华人民共和国道路运输条例》《公路安全保护条例》《中华人民共和国公路法》《中华人民共和国行政强制法》",
        penalty_no="{dp}交执罚〔{y}〕{n:05d}号",
        penalties=[
            P("jt-heiche", "未取得道路运输经营许可擅自从事道路运输经营",
              "{d}，执法人员在{p}检查发现，{t}所属车辆未取得道路运输经营许可，擅自从事道路普通货物运输经营，收取运费人民币{x}00元。",
              "《中华人民共和国道路运输条例》第二十四条、第六十三条",
              [("罚款", 1)], fine=(1, 3), kinds="PO", grp="运输", pre="责令停止经营，"),
            P("jt-overload", "车货总质量超过公路限定标准在公路上行驶",
              "{d}，{t}所属重型半挂牵引车在{p}治超检测站经检测车货总质量超过限定标准{x}吨。",
              "《公路安全保护条例》第三十三条第一款、第六十四条",
              [("罚款", 1)], fine=(0.05, 3), kinds="OP", grp="运输", pre="责令改正，"),
            P("jt-wx", "机动车维修经营者未按规定建立维修档案",
              "{d}，执法人员检查发现，{t}对承修的{x}辆机动车未建立维修档案。",
              "《中华人民共和国道路运输条例》第三十九条、第七十条",
              [("警告", 4), ("罚款", 6)], fine=(0.1, 0.5), kinds="I", grp="汽修"),
        ],
        licenses=[
            L("jt-dlys", "道路运输经营许可", "道路运输经营许可决定书", "{dp}交运许〔{y}〕{n}号", "普通",
              "道路运输经营许可证", "示交运管许可货字{r}{n:06d}号", "经营范围：道路普通货物运输", 4, kinds="OI",
              grp="运输", basis="《中华人民共和国道路运输条例》第二十四条"),
        ],
        others=[
            C("jt-kouya", "行政强制", "扣押从事非法营运的车辆", "{dp}交强〔{y}〕{n}号",
              "《中华人民共和国行政强制法》第九条第（三）项、第二十二条",
              "对{t}涉嫌非法营运的车辆予以扣押，期限三十日。", kinds="PO", grp="运输"),
            C("jt-check", "行政检查", "道路运输企业监督检查", "{dp}交检〔{y}〕{n}号",
              "《中华人民共和国道路运输条例》第五十八条", "INSPECT", kinds="OI", grp="运输"),
        ],
        spot=[("道路货物运输企业检查", "道路货物运输经营者", "经营资质、车辆技术状况、驾驶员从业资格", "《中华人民共和国道路运输条例》第五十八条")],
    ),
    dict(
        key="wl", name="{dn}文化和旅游局", abbr="文旅", cat="行政机关", cc="11", slug="whlyj",
        parent="示例市{dn}人民政府", hotline="12318", staffcat="文化市场", weights=(4, 2, 1),
        duty="负责本区文化市场、旅游市场综合行政执法，查处网吧、娱乐场所、旅行社等违法经营行为；负责娱乐经营许可、旅行社业务经营许可。",
        laws="《中华人民共和国旅游法》《互联网上网服务营业场所管理条例》《娱乐场所管理条例》《旅行社条例》",
        penalty_no="{dp}文旅罚〔{y}〕{n}号",
        penalties=[
            P("wl-minor", "互联网上网服务营业场所接纳未成年人",
              "{d}，执法人员对{t}位于{p}的网吧检查，发现该场所接纳{x}名未成年人上网。",
              "《互联网上网服务营业场所管理条例》第二十一条、第三十一条第（二）项",
              [("警告;罚款", 7), ("责令停产停业;罚款", 2), ("吊销许可证件", 1)], fine=(0.2, 1.5),
              lic="网络文化经营许可证", kinds="OI", grp="文旅"),
            P("wl-travel", "未经许可经营旅行社业务",
              "经查，{t}未取得旅行社业务经营许可，自{d}起通过网络招徕、组织旅游者{x}人次赴外地旅游，收取团费。",
              "《中华人民共和国旅游法》第二十八条、第九十五条第一款",
              [("没收违法所得;罚款", 6), ("罚款", 4)], fine=(1, 10), conf=(0.1, 3), kinds="OP", grp="文旅",
              pre="责令改正，"),
        ],
        licenses=[
            L("wl-yl", "娱乐经营许可", "娱乐经营许可决定书", "{dp}文旅娱许〔{y}〕{n}号", "普通", "娱乐经营许可证",
              "{r}{y}{n:04d}", "经营范围：歌舞娱乐场所", 2, kinds="O", grp="文旅", basis="《娱乐场所管理条例》第九条"),
            L("wl-lxs", "旅行社业务经营许可", "旅行社业务经营许可决定书", "{dp}文旅旅许〔{y}〕{n}号", "普通",
              "旅行社业务经营许可证", "L-SL-{n:05d}", "经营范围：国内旅游业务、入境旅游业务", None, kinds="O", grp="文旅",
              basis="《中华人民共和国旅游法》第二十八条"),
        ],
        others=[
            C("wl-check", "行政检查", "文化市场经营场所检查", "{dp}文旅检〔{y}〕{n}号",
              "《互联网上网服务营业场所管理条例》第四条", "INSPECT", kinds="OI", grp="文旅"),
        ],
        spot=[("网吧、娱乐场所“双随机”检查", "互联网上网服务营业场所、娱乐场所", "接纳未成年人、实名登记、消防安全", "《互联网上网服务营业场所管理条例》第四条")],
    ),
    dict(
        key="xf", name="{dn}消防救援大队", abbr="消", cat="法律法规授权组织", cc="11", slug="xfjy",
        parent="示例市消防救援支队", hotline="12119", staffcat="消防监督", weights=(6, 2, 3),
        duty="依照《中华人民共和国消防法》授权，负责本区消防监督检查、火灾事故调查和消防行政处罚；"
             "负责公众聚集场所投入使用、营业前消防安全检查。",
        laws="《中华人民共和国消防法》《消防监督检查规定》《火灾事故调查规定》",
        penalty_no="{dp}消行罚决字〔{y}〕{n:04d}号",
        penalties=[
            P("xf-equip", "消防设施、器材未保持完好有效",
              "{d}，我大队对{t}进行消防监督检查，发现其自动喷水灭火系统处于故障状态，{x}具灭火器压力不足。",
              "《中华人民共和国消防法》第十六条第一款第（二）项、第六十条第一款第（一）项",
              [("罚款", 1)], fine=(0.5, 5), kinds="OI", grp="商贸", pre="责令改正，"),
            P("xf-exit", "占用、堵塞、封闭疏散通道、安全出口",
              "{d}，我大队检查发现，{t}在{p}的经营场所{x}处安全出口被货物堵塞、疏散通道被封闭。",
              "《中华人民共和国消防法》第二十八条、第六十条第一款第（三）项",
              [("罚款", 1)], fine=(0.5, 5), kinds="OI", grp="餐饮", pre="责令改正，"),
            P("xf-person", "个人占用、堵塞疏散通道",
              "当事人{t}于{d}在{p}住宅楼公共疏散通道内停放电动自行车并充电，占用、堵塞疏散通道。",
              "《中华人民共和国消防法》第二十八条、第六十条第二款",
              [("警告", 5), ("罚款", 5)], fine=(0.01, 0.05), kinds="P", pre="责令改正，"),
            P("xf-open", "公众聚集场所未经消防安全检查擅自投入使用、营业",
              "经查，{t}位于{p}的歌舞厅于{d}起未经消防救援机构许可擅自投入使用、营业。",
              "《中华人民共和国消防法》第十五条、第五十八条第一款第（四）项",
              [("责令停产停业;罚款", 1)], fine=(3, 30), kinds="OI", grp="文旅", pre=""),
        ],
        licenses=[
            L("xf-aj", "公众聚集场所投入使用、营业前消防安全检查", "公众聚集场所投入使用、营业消防安全检查合格证",
              "{dp}消安检字〔{y}〕第{n:04d}号", "普通", "公众聚集场所投入使用、营业前消防安全检查合格证",
              "{dp}消安检字〔{y}〕第{n:04d}号", "同意位于{p}的场所（建筑面积{x}00平方米）投入使用、营业", None,
              kinds="OI", grp="餐饮", basis="《中华人民共和国消防法》第十五条"),
        ],
        others=[
            C("xf-check", "行政检查", "消防监督检查", "{dp}消检字〔{y}〕第{n:04d}号",
              "《中华人民共和国消防法》第五十三条", "INSPECT", kinds="OI", grp="餐饮"),
            C("xf-seal", "行政强制", "临时查封", "{dp}消临封字〔{y}〕第{n:04d}号",
              "《中华人民共和国消防法》第五十四条",
              "对{t}位于{p}的存在重大火灾隐患的仓库予以临时查封。", kinds="OI", grp="商贸"),
            C("xf-fire", "行政确认", "火灾事故认定", "{dp}消火认字〔{y}〕第{n:04d}号",
              "《中华人民共和国消防法》第五十一条",
              "认定{d}发生在{p}的火灾起火原因为电动自行车蓄电池故障，排除放火嫌疑。", kinds="PO", grp="商贸"),
        ],
        spot=[("消防监督“双随机”抽查", "社会单位、公众聚集场所", "消防设施完好、疏散通道畅通、消防安全管理", "《中华人民共和国消防法》第五十三条")],
    ),
    dict(
        key="ws", name="{dn}卫生健康综合监督所", abbr="卫监所", cat="受委托组织", cc="12", slug="wsjds",
        parent="示例市{dn}卫生健康委员会", hotline="12320", staffcat="卫生监督", weights=(0, 0, 3),
        duty="受示例市{dn}卫生健康委员会委托，以委托机关名义实施公共场所卫生、生活饮用水卫生、医疗卫生等监督检查。",
        laws="《中华人民共和国行政处罚法》第二十条、《公共场所卫生管理条例》《生活饮用水卫生监督管理办法》",
        penalty_no="{dp}卫监所罚〔{y}〕{n}号",
        penalties=[],
        licenses=[],
        others=[
            C("ws-check", "行政检查", "公共场所卫生监督检查", "{dp}卫监所检〔{y}〕{n}号",
              "《公共场所卫生管理条例》第十一条", "INSPECT", kinds="OI", grp="美容"),
        ],
        spot=[("公共场所卫生监督抽检", "住宿、沐浴、美容美发场所", "卫生许可、从业人员健康证明、卫生检测", "《公共场所卫生管理条例》第十一条")],
    ),
    # ---- beyond the bundled example --------------------------------------------------
    dict(
        key="zj", name="{dn}住房和城乡建设委员会", abbr="建", cat="行政机关", cc="11", slug="zjw",
        parent="示例市{dn}人民政府", hotline="12345", staffcat="住房城乡建设", weights=(5, 3, 1),
        duty="负责本区建筑市场、工程质量安全、房地产市场的监督管理和行政执法；负责建筑工程施工许可。",
        laws="《中华人民共和国建筑法》《建设工程质量管理条例》《建设工程安全生产管理条例》",
        penalty_no="{dp}建罚〔{y}〕{n}号",
        penalties=[
            P("zj-test", "施工单位未对建筑材料、建筑构配件进行检验",
              "经查，{t}在{p}项目施工中，未对进场的{x}批次钢筋进行检验即投入使用。",
              "《建设工程质量管理条例》第二十九条、第六十五条",
              [("罚款", 8), ("降低资质等级;罚款", 2)], fine=(10, 20), lic="建筑业企业资质证书", kinds="O", grp="建筑"),
        ],
        licenses=[
            L("zj-sg", "建筑工程施工许可", "建筑工程施工许可决定书", "{dp}建施许〔{y}〕{n}号", "普通",
              "建筑工程施工许可证", "{r}{y}{n:04d}0101", "工程名称：{p}综合楼；建筑面积{x}000平方米", None, kinds="O",
              grp="建筑", basis="《中华人民共和国建筑法》第七条"),
        ],
        others=[C("zj-check", "行政检查", "建设工程质量安全检查", "{dp}建检〔{y}〕{n}号",
                  "《建设工程质量管理条例》第四十七条", "INSPECT", kinds="O", grp="建筑")],
        spot=[("在建工程质量安全检查", "建设、施工、监理单位", "质量安全行为、实体质量", "《建设工程质量管理条例》第四十七条")],
    ),
    dict(
        key="ny", name="{dn}农业农村局", abbr="农", cat="行政机关", cc="11", slug="nyncj",
        parent="示例市{dn}人民政府", hotline="12316", staffcat="农业综合执法", weights=(4, 2, 1),
        duty="负责本区种子、农药、肥料、兽药、渔业等农业综合行政执法；负责农药经营许可。",
        laws="《中华人民共和国农产品质量安全法》《农药管理条例》《中华人民共和国渔业法》《中华人民共和国种子法》",
        penalty_no="{dp}农罚〔{y}〕{n}号",
        penalties=[
            P("ny-nongyao", "经营假农药",
              "{d}，执法人员在{t}抽检的{x}批次农药经检测有效成分含量不符合标准，依法认定为假农药。",
              "《农药管理条例》第四十四条、第五十五条第一款第（一）项",
              [("没收违法所得;罚款", 1)], fine=(0.5, 5), conf=(0.01, 0.3), kinds="IO", grp="商贸", pre="没收违法经营的农药，"),
            P("ny-dianyu", "使用电鱼方法进行捕捞",
              "当事人{t}于{d}在{p}附近河段使用电鱼器具捕捞，现场查获渔获物约{x}公斤。",
              "《中华人民共和国渔业法》第三十条第一款、第三十八条第一款",
              [("没收非法财物;罚款", 1)], fine=(0.1, 0.5), conf=(0.01, 0.05), kinds="P", pre="没收渔获物，"),
        ],
        licenses=[L("ny-nyjy", "农药经营许可", "农药经营许可决定书", "{dp}农药许〔{y}〕{n}号", "普通", "农药经营许可证",
                    "农药经许（示）{r}{n:04d}", "经营范围：农药（限制使用农药除外）", 5, kinds="IO",
                    basis="《农药管理条例》第二十四条")],
        others=[C("ny-check", "行政检查", "农资经营监督检查", "{dp}农检〔{y}〕{n}号",
                  "《农药管理条例》第四十一条", "INSPECT", kinds="IO")],
        spot=[("农资经营单位检查", "农药、种子、肥料经营者", "经营许可、进货台账、产品质量", "《农药管理条例》第四十一条")],
    ),
    dict(
        key="sw", name="{dn}水务局", abbr="水", cat="行政机关", cc="11", slug="swj",
        parent="示例市{dn}人民政府", hotline="12345", staffcat="水政监察", weights=(3, 2, 1),
        duty="负责本区水资源管理、河道管理、排水管理的监督检查和水行政执法；负责取水许可。",
        laws="《中华人民共和国水法》《中华人民共和国防洪法》《城镇排水与污水处理条例》",
        penalty_no="{dp}水罚〔{y}〕{n}号",
        penalties=[P("sw-qushui", "未经批准擅自取水",
                     "经查，{t}自{d}起未取得取水许可，擅自在厂区内打井取用地下水，累计取水约{x}000立方米。",
                     "《中华人民共和国水法》第四十八条第一款、第六十九条第（一）项",
                     [("罚款", 1)], fine=(2, 10), kinds="O", grp="制造", pre="责令停止违法行为，限期采取补救措施，")],
        licenses=[L("sw-qs", "取水许可", "取水许可决定书", "{dp}水许〔{y}〕{n}号", "普通", "取水许可证",
                    "取水（示{dp}）字〔{y}〕第{n:04d}号", "取水地点：{p}；年取水量{x}万立方米；水源类型：地下水", 5,
                    kinds="O", grp="制造", basis="《中华人民共和国水法》第四十八条")],
        others=[C("sw-check", "行政检查", "河湖管理范围巡查检查", "{dp}水检〔{y}〕{n}号",
                  "《中华人民共和国水法》第六十条", "INSPECT", kinds="O")],
        spot=[("取用水户监督检查", "取用水单位", "取水许可、计量设施、用水台账", "《中华人民共和国水法》第六十条")],
    ),
    dict(
        key="rs", name="{dn}人力资源和社会保障局", abbr="人社", cat="行政机关", cc="11", slug="rsj",
        parent="示例市{dn}人民政府", hotline="12333", staffcat="劳动保障监察", weights=(4, 1, 1),
        duty="负责本区劳动保障监察，查处违反劳动保障法律法规的行为；负责劳务派遣经营许可。",
        laws="《中华人民共和国劳动法》《中华人民共和国劳动合同法》《劳动保障监察条例》《保障农民工工资支付条例》",
        penalty_no="{dp}人社监罚〔{y}〕{n}号",
        penalties=[P("rs-overtime", "用人单位违反规定延长劳动者工作时间",
                     "经查，{t}自{d}起安排{x}名劳动者每月加班超过三十六小时。",
                     "《中华人民共和国劳动法》第四十一条、《劳动保障监察条例》第二十五条",
                     [("警告;罚款", 1)], fine=(0.1, 2), kinds="O", grp="制造", pre="责令改正，")],
        licenses=[L("rs-lwpq", "劳务派遣经营许可", "劳务派遣经营许可决定书", "{dp}人社许〔{y}〕{n}号", "普通",
                    "劳务派遣经营许可证", "{r}{y}{n:04d}", "经营范围：劳务派遣", 3, kinds="O",
                    basis="《中华人民共和国劳动合同法》第五十七条")],
        others=[C("rs-check", "行政检查", "用人单位劳动保障书面审查", "{dp}人社检〔{y}〕{n}号",
                  "《劳动保障监察条例》第十五条", "INSPECT", kinds="O", grp="制造")],
        spot=[("用人单位遵守劳动保障法律法规情况检查", "用人单位", "劳动合同、工资支付、工作时间", "《劳动保障监察条例》第十五条")],
    ),
    dict(
        key="ga", name="示例市公安局{dsn}分局", abbr="公", cat="行政机关", cc="11", slug="gafj",
        parent="示例市公安局", hotline="110", staffcat="治安管理", weights=(5, 1, 0),
        review="示例市{dn}人民政府",
        duty="负责本区治安管理、特种行业管理等公安行政执法；负责旅馆业特种行业许可。",
        laws="《中华人民共和国治安管理处罚法》《旅馆业治安管理办法》《中华人民共和国行政处罚法》",
        penalty_no="{dp}公（治）行罚决字〔{y}〕{n}号",
        penalties=[
            P("ga-hotel", "旅馆业工作人员不按规定登记住宿旅客信息",
              "{d}，民警检查发现，{t}对{x}名住宿旅客未按规定登记姓名、身份证件种类和号码。",
              "《中华人民共和国治安管理处罚法》第五十六条第一款",
              [("罚款", 1)], fine=(0.02, 0.05), kinds="IO", grp="住宿", pre=""),
            P("ga-fight", "殴打他人",
              "当事人{t}于{d}在{p}一饭店内因琐事与他人发生口角，后用拳头殴打对方面部，致对方轻微伤。",
              "《中华人民共和国治安管理处罚法》第四十三条第一款",
              [("行政拘留", 6), ("行政拘留;罚款", 4)], fine=(0.02, 0.05), kinds="P", pre=""),
        ],
        licenses=[L("ga-tz", "旅馆业特种行业许可", "特种行业许可决定书", "{dp}公特许〔{y}〕{n}号", "特许",
                    "特种行业许可证", "{dp}公特字〔{y}〕第{n:04d}号", "许可经营：旅馆业（客房{x}间）", None,
                    kinds="IO", grp="住宿", basis="《旅馆业治安管理办法》第四条")],
        others=[],
        spot=[("旅馆业治安检查", "旅馆、民宿", "实名登记、治安防范设施", "《旅馆业治安管理办法》第十四条")],
    ),
    dict(
        key="gh", name="示例市规划和自然资源委员会{dsn}分局", abbr="规自", cat="行政机关", cc="11", slug="ghzrzyfj",
        parent="示例市规划和自然资源委员会", hotline="12336", staffcat="自然资源执法", weights=(3, 3, 1),
        review="示例市规划和自然资源委员会",
        duty="负责本区土地、矿产等自然资源违法行为查处；负责建设工程规划许可。",
        laws="《中华人民共和国土地管理法》《中华人民共和国城乡规划法》《中华人民共和国土地管理法实施条例》",
        penalty_no="{dp}规自罚〔{y}〕{n}号",
        penalties=[P("gh-land", "非法占用土地",
                     "经查，{t}于{d}起未经批准擅自占用{p}集体土地约{x}00平方米建设厂房。",
                     "《中华人民共和国土地管理法》第四十四条、第七十七条第一款",
                     [("罚款", 6), ("没收非法财物;罚款", 4)], fine=(1, 30), conf=(1, 50), kinds="OP", grp="制造",
                     pre="责令退还非法占用的土地，")],
        licenses=[L("gh-gh", "建设工程规划许可", "建设工程规划许可决定书", "{dp}规自许〔{y}〕{n}号", "普通",
                    "建设工程规划许可证", "建字第{r}{y}GG{n:04d}号", "建设项目：{p}厂房及配套设施；建设规模{x}000平方米",
                    None, kinds="O", grp="制造", basis="《中华人民共和国城乡规划法》第四十条")],
        others=[C("gh-check", "行政检查", "土地卫片执法检查", "{dp}规自检〔{y}〕{n}号",
                  "《中华人民共和国土地管理法》第六十八条", "INSPECT", kinds="OP", grp="制造")],
        spot=[("土地利用动态巡查", "用地单位", "批后监管、闲置土地", "《中华人民共和国土地管理法》第六十八条")],
    ),
]
NT = len(AGENCY_TYPES)
TYPE_BY_KEY = {t["key"]: t for t in AGENCY_TYPES}
EXAMPLE_TYPES = 9

KIND_LABEL = {"O": "法人及非法人组织", "I": "个体工商户", "P": "自然人"}
MEMO = ["内部备注：当事人已于十五日内缴纳罚款，缴款书号{n}。", "内部备注：案件承办人{s}，已结案归档。",
        "内部备注：当事人申请分期缴纳，已批准。", "内部备注：复核意见同意，法制审核编号FZ{y}-{n}。",
        "内部备注：当事人陈述申辩未采纳，理由见集体讨论记录。", "内部备注：联系人{s}，勿对外。"]

# --------------------------------------------------------------------------------------
# Column layouts (contract headers)
# --------------------------------------------------------------------------------------

CODE_COLS = ["行政相对人代码_1（统一社会信用代码）", "行政相对人代码_2（工商注册号）", "行政相对人代码_3（组织机构代码）",
             "行政相对人代码_4（税务登记号）", "行政相对人代码_5（事业单位证书号）", "行政相对人代码_6（社会组织登记证号）"]
A_COLS = (["行政相对人名称", "行政相对人类别"] + CODE_COLS +
          ["法定代表人", "法定代表人证件类型", "法定代表人证件号码", "证件类型", "证件号码",
           "行政处罚决定书文号", "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容",
           "罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）", "暂扣或吊销证照名称及编号",
           "处罚决定日期", "处罚有效期", "公示截止期", "处罚机关", "处罚机关统一社会信用代码",
           "数据来源单位", "数据来源单位统一社会信用代码", "备注"])
A_OLD_PERSON_COLS = ["行政相对人名称", "证件类型", "证件号码"] + A_COLS[A_COLS.index("行政处罚决定书文号"):]
B_COLS = (["行政相对人名称", "行政相对人类别"] + CODE_COLS +
          ["法定代表人", "法定代表人证件类型", "法定代表人证件号码", "证件类型", "证件号码",
           "行政许可决定文书名称", "行政许可决定文书号", "许可类别", "许可证书名称", "许可编号", "许可内容",
           "许可决定日期", "有效期自", "有效期至", "许可机关", "许可机关统一社会信用代码", "当前状态",
           "数据来源单位", "数据来源单位统一社会信用代码", "备注"])
C_COLS = ["执法类别", "决定文书号", "执法机关", "执法机关统一社会信用代码", "执法对象名称", "执法对象类别",
          "统一社会信用代码", "证件号码", "执法依据", "执法结论", "决定日期", "公示截止期", "公示日期", "备注"]
DATE_COLS = {"处罚决定日期", "处罚有效期", "公示截止期", "公示日期", "许可决定日期", "有效期自", "有效期至", "决定日期"}
# The header spellings the contract allows as equivalents (used by one example file).
A_HEADER_VARIANT = {
    "行政相对人代码_1（统一社会信用代码）": "行政相对人代码_1(统一社会信用代码)",
    "罚款金额（万元）": "处罚金额（万元）",
    "没收违法所得、没收非法财物的金额（万元）": "没收违法所得、没收非法财物的金额(万元)",
    "违法事实": "违法事实 ",
    "处罚决定日期": " 处罚决定日期",
}
ENTITY_COLS = ["主体名称", "统一社会信用代码", "主体类别", "上级主管部门", "法定职责", "执法依据", "执法区域",
               "办公地址", "联系电话", "网址", "行政复议机关", "行政诉讼管辖法院", "投诉举报电话"]
STAFF_COLS = ["姓名", "执法证号", "所属主体", "执法类别", "执法区域", "证件有效期至", "证件状态",
              "身份证号", "手机号", "出生日期"]
TAKEDOWN_COLS = ["文书号", "机关统一社会信用代码", "撤下原因", "原因发生日期", "说明"]
FORMAT_COLS = {"A": A_COLS, "B": B_COLS, "C": C_COLS, "P": A_OLD_PERSON_COLS}
KEY_COL = {"A": "行政处罚决定书文号", "P": "行政处罚决定书文号", "B": "行政许可决定文书号", "C": "决定文书号"}
AGENCY_CODE_COL = {"A": "处罚机关统一社会信用代码", "P": "处罚机关统一社会信用代码",
                   "B": "许可机关统一社会信用代码", "C": "执法机关统一社会信用代码"}
DATE_COL = {"A": "处罚决定日期", "P": "处罚决定日期", "B": "许可决定日期", "C": "决定日期"}


def row_key(fmt: str, row: dict) -> tuple[str, str]:
    doc = row[KEY_COL[fmt]] or (row.get("许可编号", "") if fmt == "B" else "")
    return row[AGENCY_CODE_COL[fmt]], doc


# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------

class Agency:
    __slots__ = ("idx", "d", "local", "type", "name", "code", "dp", "region", "dn", "dsn", "weights",
                 "penalty_no")

    def __repr__(self):
        return f"Agency({self.name}, {self.code})"


def district_names(d: int) -> tuple[str, str, str, str]:
    """(full district name, short name, doc prefix, region code) of district d (0 = 清河区)."""
    if d == 0:
        return "清河区", "清河", "清", "110199"
    return f"第{d + 1}区", f"第{d + 1}", f"示{d + 1}", f"11{(9000 + d) % 10000:04d}"


class Synth:
    def __init__(self, n_agencies=8, seed=1, staff_per_agency=5, today=date(2026, 11, 22), example=False):
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today
        self.last_day = today - timedelta(days=2)
        self.example = example
        self.salt = _mix(seed * 1_000_003 + 17)
        self.agencies = [self._make_agency(i) for i in range(n_agencies)]
        self.by_type = {}
        for a in self.agencies:
            self.by_type.setdefault(a.type["key"], []).append(a)
        self.staff_per_agency = staff_per_agency
        self.counters = {}
        # Pools: how many distinct companies / shops / persons per district are drawn from.
        self.pool = {"O": 150, "I": 90, "P": 120}
        # (fmt, kind) → (cumulative weights, [(agency, [templates])])
        self._pick = {}
        for fmt, fi in (("A", 0), ("B", 1), ("C", 2)):
            for kind in "OIP":
                entries, cum, acc = [], [], 0
                for a in self.agencies:
                    w = a.weights[fi]
                    tpls = [t for t in self._templates(a, fmt) if kind in t["kinds"]]
                    if w and tpls:
                        acc += w
                        cum.append(acc)
                        entries.append((a, tpls))
                self._pick[fmt, kind] = (cum, entries)

    def set_pool(self, n_decisions: int):
        n_d = 1 + (len(self.agencies) - 1) // NT
        per = max(1, n_decisions // n_d)
        self.pool = {"O": max(150, per // 3), "I": max(90, per // 6), "P": max(120, per // 5)}

    # -- agencies ---------------------------------------------------------------------
    def _make_agency(self, i: int) -> Agency:
        a = Agency()
        a.idx, a.d, a.local = i, i // NT, i % NT
        t = a.type = AGENCY_TYPES[a.local]
        a.dn, a.dsn, a.dp, a.region = district_names(a.d)
        a.name = "示例市" + t["name"].format(dn=a.dn, dsn=a.dsn) if not t["name"].startswith("示例市") \
            else t["name"].format(dn=a.dn, dsn=a.dsn)
        body = "0" + f"{(a.local + 1) * 104729 % 10 ** 7:07d}"
        a.code = credit_code(t["cc"], a.region, body)
        a.weights = t["weights"]
        a.penalty_no = t["penalty_no"]
        return a

    def _templates(self, a: Agency, fmt: str):
        return a.type["penalties" if fmt == "A" else "licenses" if fmt == "B" else "others"]

    def source_unit(self, a: Agency) -> tuple[str, str]:
        """数据来源单位: usually the agency itself, sometimes the district 发改委 (信用办)."""
        if self.rng.random() < 0.8:
            return a.name, a.code
        return f"示例市{a.dn}发展和改革委员会", credit_code("11", a.region, "0" + f"{99 * 104729 % 10 ** 7:07d}")

    def next_no(self, a: Agency, series: str, year: int) -> int:
        k = (a.idx, series, year)
        n = self.counters.get(k, 0) + 1
        self.counters[k] = n
        return n

    # -- people and organisations (derived from an index: no stored pools) -----------
    def person(self, region: str, k: int) -> tuple[str, str, date]:
        h = _mix(self.salt ^ (int(region) << 32) ^ k)
        sur = SURNAMES[bisect.bisect_right(_SUR_CUM, h % _SUR_TOTAL)][0]
        h >>= 16
        g1 = GIVEN[h % len(GIVEN)]
        h //= len(GIVEN)
        name = sur + g1 + (GIVEN[h % len(GIVEN)] if (h >> 8) % 10 < 7 else "")
        bi = (k * 7919 + self.salt) % BIRTH_SPAN
        birth = BIRTH0 + timedelta(days=bi)
        seq = ((k // BIRTH_SPAN) * 389 + bi * 7 + self.salt) % 1000  # (birth, seq) unique for k < 16M
        return name, id_number(region, birth, seq), birth

    def org(self, d: int, grp: str, k: int):
        """(name, credit code, legal representative name, rep ID) of company k of group grp in district d."""
        dn, dsn, _, region = district_names(d)
        gi = GROUPS.index(grp)
        h = _mix(self.salt ^ (d << 48) ^ (gi << 40) ^ k)
        brand = BRANDS[h % len(BRANDS)]
        h //= len(BRANDS)
        inds = INDUSTRIES[grp]
        ind = inds[h % len(inds)]
        h //= len(inds)
        form = FORMS[bisect.bisect_right(_FORM_CUM, h % 100)][0]
        if grp == "医疗" and ind.endswith(("门诊部", "诊所")):
            name = f"示例市{dn}{brand}{ind}" + ("" if form == "BRANCH" else "有限公司")
        elif form == "BRANCH":
            name = f"示例市{brand}{ind}有限公司{dsn}分公司"
        else:
            name = f"示例市{dn}{brand}{ind}{form}"
        uid = (k * len(GROUPS) + gi) * 1_000_003 + self.salt
        code = credit_code("91", region, "MA" + _base(uid % 31 ** 6, CC_CHARS, 6))
        rep, rep_id, _ = self.person(region, 5_000_000 + k * len(GROUPS) + gi)
        return name, code, rep, rep_id

    def shop(self, d: int, grp: str, k: int):
        """(name, credit code, operator name, operator ID) of 个体工商户 k of group grp in district d."""
        dn, dsn, _, region = district_names(d)
        gi = GROUPS.index(grp)
        h = _mix(self.salt ^ (d << 48) ^ ((77 + gi) << 40) ^ k)
        types = SHOP_TYPES.get(grp, SHOP_TYPES["商贸"])
        name = f"{dn if (h >> 20) % 4 else dsn}{NICKS[h % len(NICKS)]}{types[(h >> 8) % len(types)]}"
        if (h >> 24) % 4 == 0:  # disambiguate names like real registrations do: 清河区老王小吃店（二店）
            name += f"（{'一二三四五六七八九'[(h >> 28) % 9]}店）"
        uid = (k * len(GROUPS) + gi) * 1_000_003 + self.salt + 12345
        code = credit_code("92", region, "MA" + _base(uid % 31 ** 6, CC_CHARS, 6))
        op, op_id, _ = self.person(region, 8_000_000 + k * len(GROUPS) + gi)
        return name, code, op, op_id

    def target(self, a: Agency, kind: str, grp: str, k: int | None = None):
        rng = self.rng
        if kind == "O":
            k = rng.randrange(self.pool["O"]) if k is None else k
            name, code, rep, rep_id = self.org(a.d, grp, k)
            return dict(name=name, kind=kind, code=code, rep=rep, rep_id=rep_id, id="")
        if kind == "I":
            k = rng.randrange(self.pool["I"]) if k is None else k
            name, code, rep, rep_id = self.shop(a.d, grp, k)
            return dict(name=name, kind=kind, code=code, rep=rep, rep_id=rep_id, id="")
        k = rng.randrange(self.pool["P"]) if k is None else k
        name, pid, _ = self.person(a.region, k)
        return dict(name=name, kind=kind, code="", rep="", rep_id="", id=pid)

    def place(self, a: Agency) -> str:
        rng = self.rng
        return f"示例市{a.dn}{ROADS[rng.randrange(len(ROADS))]}{rng.randint(1, 288)}号"

    def mobile(self) -> str:
        rng = self.rng
        return MOBILE_PREFIX[rng.randrange(len(MOBILE_PREFIX))] + f"{rng.randrange(10 ** 8):08d}"

    def bank_card(self) -> str:
        return luhn_complete("622202" + f"{self.rng.randrange(10 ** 12):012d}")

    # -- picking ----------------------------------------------------------------------
    KIND_P = {"A": ((0.14, "P"), (0.39, "I")), "B": ((0.05, "P"), (0.35, "I")), "C": ((0.10, "P"), (0.35, "I"))}

    def pick(self, fmt: str, kind: str | None = None, agency_key: str | None = None, tpl_id: str | None = None):
        """Choose (agency, template, kind) for a new decision of format fmt."""
        rng = self.rng
        if kind is None:
            r = rng.random()
            kind = "O"
            for p, k in self.KIND_P[fmt]:
                if r < p:
                    kind = k
                    break
        if agency_key or tpl_id:
            cands = [(a, t) for a in self.agencies for t in self._templates(a, fmt)
                     if (not agency_key or a.type["key"] == agency_key) and (not tpl_id or t["id"] == tpl_id)
                     and kind in t["kinds"]]
            if not cands:
                raise ValueError(f"no template for {fmt} {kind} {agency_key} {tpl_id}")
            a, t = cands[rng.randrange(len(cands))]
            return a, t, kind
        for k2 in (kind, "O", "I", "P"):
            cum, entries = self._pick[fmt, k2]
            if entries:
                a, tpls = entries[bisect.bisect_right(cum, rng.random() * cum[-1])]
                return a, tpls[rng.randrange(len(tpls))], k2
        raise ValueError(f"no agency issues format {fmt}")

    # -- rows --------------------------------------------------------------------------
    def default_expire(self, dt: date):
        """公示截止期: three years after the decision; blank on the oldest rows, which legacy systems
        exported before the template had the field (so only planted rows are already expired)."""
        expire = add_years(dt, 3)
        return None if expire <= self.today else expire

    def _amount(self, lo_hi) -> int:
        """A plausible round amount in units of 0.01 万元 (100 元) within (lo, hi) 万元."""
        lo, hi = lo_hi
        rng = self.rng
        v = lo * (hi / lo) ** rng.random() if hi / lo > 20 else rng.uniform(lo, hi)
        cents = int(v * 100)
        step = 100 if v >= 10 else 10 if v >= 1 else 1
        if v >= 10 and rng.random() < 0.3:
            step = 50
        return max(int(lo * 100), cents - cents % step)

    def penalty_content(self, tpl, cats, fine, conf, lic_text) -> str:
        parts = []
        for c in cats.split(";"):
            if c == "警告":
                parts.append("给予警告")
            elif c == "通报批评":
                parts.append("通报批评")
            elif c == "罚款":
                y = fine * 100
                parts.append(f"处罚款人民币{rmb_upper(y)}（￥{y:,}.00）")
            elif c == "没收违法所得":
                y = conf * 100
                parts.append(f"没收违法所得人民币{rmb_upper(y)}（￥{y:,}.00）")
            elif c == "没收非法财物":
                y = conf * 100
                parts.append(f"没收非法财物（价值人民币{y:,}元）")
            elif c == "暂扣许可证件":
                parts.append(f"暂扣{lic_text}三个月")
            elif c == "吊销许可证件":
                parts.append(f"吊销{lic_text}")
            elif c == "降低资质等级":
                parts.append(f"{lic_text}资质等级由二级降为三级")
            elif c == "限制开展生产经营活动":
                parts.append("限制开展生产经营活动三个月")
            elif c == "责令停产停业":
                parts.append("责令停产停业整顿三十日")
            elif c == "行政拘留":
                parts.append(f"行政拘留{self.rng.choice((5, 7, 10))}日")
            else:
                parts.append(c)
        return tpl["pre"] + "，".join(parts) + "。"

    def row_A(self, dt: date, kind=None, agency_key=None, tpl_id=None, ov=None) -> dict:
        """One 行政处罚 row (format A columns, dates as date objects, amounts as 0.01-万元 ints)."""
        ov = ov or {}
        rng = self.rng
        a, tpl, kind = self.pick("A", kind or ov.get("kind"), agency_key or ov.get("agency"),
                                 tpl_id or ov.get("tpl"))
        tg = self.target(a, kind, tpl["grp"], ov.get("target_k"))
        cats = ov.get("cats")
        if cats is None:
            opts = tpl["cats"]
            tot = sum(w for _, w in opts)
            r = rng.random() * tot
            for cats, w in opts:
                r -= w
                if r < 0:
                    break
        fine = ov.get("fine") or (self._amount(tpl["fine"]) if "罚款" in cats and tpl["fine"] else None)
        conf = (self._amount(tpl["conf"]) if ("没收违法所得" in cats or "没收非法财物" in cats) and tpl["conf"]
                else None)
        lic_text = ""
        if tpl["lic"] and any(c in cats for c in ("暂扣许可证件", "吊销许可证件", "降低资质等级")):
            lic_text = f"《{tpl['lic']}》（编号：{a.dp}{rng.randrange(10 ** 6):06d}）"
        facts = tpl["fact"].format(t=tg["name"], d=cn_date(dt - timedelta(days=rng.randint(7, 75))),
                                   p=self.place(a), x=rng.randint(2, 30), c=(conf or 0) * 100)
        n = self.next_no(a, "A", dt.year)
        doc = ov.get("doc") or a.penalty_no.format(dp=a.dp, y=dt.year, n=n)
        if ov.get("docsep"):
            doc = doc[:-1] + ov["docsep"] + "1号" if doc.endswith("号") else doc + ov["docsep"] + "1"
        expire = ov["expire"] if "expire" in ov else self.default_expire(dt)
        temp = any(c in cats for c in ("暂扣许可证件", "限制开展生产经营活动", "责令停产停业"))
        src_name, src_code = self.source_unit(a)
        memo = ""
        if rng.random() < 0.2:
            memo = MEMO[rng.randrange(len(MEMO))].format(n=rng.randrange(10 ** 8),
                                                         s=self.person(a.region, 9_500_000 + rng.randrange(50))[0],
                                                         y=dt.year)
        row = {
            "行政相对人名称": tg["name"], "行政相对人类别": KIND_LABEL[kind],
            CODE_COLS[0]: tg["code"], CODE_COLS[1]: "", CODE_COLS[2]: "", CODE_COLS[3]: "", CODE_COLS[4]: "",
            CODE_COLS[5]: "",
            "法定代表人": tg["rep"], "法定代表人证件类型": "身份证" if tg["rep"] else "",
            "法定代表人证件号码": tg["rep_id"],
            "证件类型": "身份证" if kind == "P" else "", "证件号码": tg["id"],
            "行政处罚决定书文号": doc, "违法行为类型": tpl["act"], "违法事实": facts, "处罚依据": tpl["basis"],
            "处罚类别": cats, "处罚内容": self.penalty_content(tpl, cats, fine, conf, lic_text),
            "罚款金额（万元）": fine, "没收违法所得、没收非法财物的金额（万元）": conf,
            "暂扣或吊销证照名称及编号": lic_text,
            "处罚决定日期": dt, "处罚有效期": add_months(dt, 3) if temp else date(2099, 12, 31),
            "公示截止期": expire, "处罚机关": a.name, "处罚机关统一社会信用代码": a.code,
            "数据来源单位": src_name, "数据来源单位统一社会信用代码": src_code, "备注": memo,
            "_tpl": tpl["id"], "_kind": kind, "_agency": a,
        }
        if kind == "O" and rng.random() < 0.1:
            row[CODE_COLS[2]] = tg["code"][8:17]  # 组织机构代码 filled by some legacy systems
        return row

    def row_B(self, dt: date, kind=None, agency_key=None, tpl_id=None, ov=None) -> dict:
        ov = ov or {}
        rng = self.rng
        a, tpl, kind = self.pick("B", kind or ov.get("kind"), agency_key or ov.get("agency"),
                                 tpl_id or ov.get("tpl"))
        tg = self.target(a, kind, tpl["grp"])
        n = self.next_no(a, "B:" + tpl["id"], dt.year)
        fmtargs = dict(dp=a.dp, y=dt.year, yy=f"{dt.year % 100:02d}", n=n, r=a.region, cc=tg["code"],
                       b=rng.choice("123"), c=rng.randrange(10), v=rng.choice("PVUQ"), p=self.place(a),
                       x=rng.randint(2, 60), dn=a.dn)
        doc = tpl["docno"].format(**fmtargs)
        licno = tpl["licno"].format(**fmtargs) if tpl["licno"] else ""
        if ov.get("blank_doc") and licno:
            doc = ""
        docname = tpl["docname"]
        if tpl["id"] == "hj-eia":
            docname = f"关于{tg['name']}年产{fmtargs['x']}万件金属制品项目环境影响报告表的批复"
        until = add_years(dt, tpl["years"]) - timedelta(days=1) if tpl["years"] else None
        src_name, src_code = self.source_unit(a)
        return {
            "行政相对人名称": tg["name"], "行政相对人类别": KIND_LABEL[kind],
            CODE_COLS[0]: tg["code"], CODE_COLS[1]: "", CODE_COLS[2]: "", CODE_COLS[3]: "", CODE_COLS[4]: "",
            CODE_COLS[5]: "",
            "法定代表人": tg["rep"], "法定代表人证件类型": "身份证" if tg["rep"] else "",
            "法定代表人证件号码": tg["rep_id"],
            "证件类型": "身份证" if kind == "P" else "", "证件号码": tg["id"],
            "行政许可决定文书名称": docname, "行政许可决定文书号": doc, "许可类别": tpl["cat"],
            "许可证书名称": tpl["cert"], "许可编号": licno, "许可内容": tpl["content"].format(**fmtargs),
            "许可决定日期": dt, "有效期自": dt, "有效期至": until if until else date(2099, 12, 31),
            "许可机关": a.name, "许可机关统一社会信用代码": a.code,
            "当前状态": "有效" if rng.random() < 0.97 else "注销",
            "数据来源单位": src_name, "数据来源单位统一社会信用代码": src_code,
            "备注": "内部备注：现场核查人员已签字确认。" if rng.random() < 0.1 else "",
            "_tpl": tpl["id"], "_kind": kind, "_agency": a,
        }

    def row_C(self, dt: date, kind=None, agency_key=None, tpl_id=None, ov=None) -> dict:
        ov = ov or {}
        rng = self.rng
        a, tpl, kind = self.pick("C", kind or ov.get("kind"), agency_key or ov.get("agency"),
                                 tpl_id or ov.get("tpl"))
        tg = self.target(a, kind, tpl["grp"])
        n = self.next_no(a, "C:" + tpl["id"], dt.year)
        doc = tpl["docno"].format(dp=a.dp, y=dt.year, n=n)
        x = rng.randint(2, 9)
        if tpl["concl"] == "INSPECT":
            concl = INSPECT_CONCL[rng.randrange(len(INSPECT_CONCL))].format(x=x)
            if rng.random() < 0.5:
                concl = f"根据{dt.year}年度“双随机、一公开”抽查计划，" + concl
        else:
            concl = tpl["concl"].format(t=tg["name"], p=self.place(a), x=x, y=dt.year,
                                        d=cn_date(dt - timedelta(days=rng.randint(3, 20))))
        return {
            "执法类别": tpl["cat"], "决定文书号": doc, "执法机关": a.name, "执法机关统一社会信用代码": a.code,
            "执法对象名称": tg["name"], "执法对象类别": KIND_LABEL[kind], "统一社会信用代码": tg["code"],
            "证件号码": tg["id"], "执法依据": tpl["basis"], "执法结论": concl, "决定日期": dt,
            "公示截止期": ov["expire"] if "expire" in ov else self.default_expire(dt), "公示日期": None,
            "备注": "内部备注：检查记录原件存档于执法监察科。" if rng.random() < 0.1 else "",
            "_tpl": tpl["id"], "_kind": kind, "_agency": a,
        }

    def row(self, fmt: str, dt: date, ov=None) -> dict:
        if fmt in ("A", "P"):
            return self.row_A(dt, kind="P" if fmt == "P" else None, ov=ov)
        return self.row_B(dt, ov=ov) if fmt == "B" else self.row_C(dt, ov=ov)

    # -- dates -------------------------------------------------------------------------
    def dates(self, start: date, end: date, m: int):
        """m non-decreasing decision dates spread over [start, end], mostly on weekdays."""
        span = (end - start).days
        rng = self.rng
        for i in range(m):
            dt = start + timedelta(days=(i * span) // (m - 1) if m > 1 else span)
            wd = dt.weekday()
            if wd >= 5 and rng.random() < 0.85:
                back = dt - timedelta(days=wd - 4)
                dt = back if back >= start else dt + timedelta(days=7 - wd)
                if dt > end:
                    dt = end
            yield dt

    # -- small tables ------------------------------------------------------------------
    def entity_rows(self):
        for a in self.agencies:
            t = a.type
            h = _mix(self.salt ^ a.idx)
            review = t.get("review", "示例市{dn}人民政府").format(dn=a.dn)
            yield {
                "主体名称": a.name, "统一社会信用代码": a.code, "主体类别": t["cat"],
                "上级主管部门": t["parent"].format(dn=a.dn),
                "法定职责": t["duty"].format(dn=a.dn), "执法依据": t["laws"],
                "执法区域": f"示例市{a.dn}行政区域",
                "办公地址": f"示例市{a.dn}{ROADS[h % len(ROADS)]}{(h >> 8) % 200 + 1}号",
                "联系电话": f"010-8{(h >> 16) % 10 ** 7:07d}",
                "网址": f"https://{'qinghe' if a.d == 0 else f'd{a.d + 1}'}.example.gov.cn/{t['slug']}/",
                "行政复议机关": review,
                "行政诉讼管辖法院": f"示例市{a.dn}人民法院",
                "投诉举报电话": t["hotline"] if t["hotline"] != "12345" else "12345（政务服务便民热线）",
            }

    def staff_rows(self, counts=None, plant=None):
        rng = self.rng
        plant = plant or {}
        gi = 0
        for a in self.agencies:
            c = self.staff_per_agency if counts is None else counts[a.idx]
            for j in range(c):
                name, pid, birth = self.person(a.region, 9_000_000 + a.local * 1000 + j)
                until = self.today - timedelta(days=150) + timedelta(days=rng.randrange(5 * 365))
                r = rng.random()
                status = "有效" if r < 0.8 else "" if r < 0.92 else "暂扣" if r < 0.96 else "注销"
                if self.example:  # the example plants its few suspended / cancelled / expired ones
                    status = "有效" if status in ("暂扣", "注销") else status
                    if until < self.today + timedelta(days=30):
                        until = add_years(until, 3)
                p = plant.get(gi, {})
                status = p.get("status", status)
                until = p.get("until", until)
                yield {
                    "姓名": name, "执法证号": f"{a.region}{a.local + 1:02d}{j + 1:03d}",
                    "所属主体": a.name if j % 2 == 0 else a.code,
                    "执法类别": a.type["staffcat"],
                    "执法区域": f"示例市{a.dn}" if rng.random() < 0.7 else f"{a.dn}全域",
                    "证件有效期至": until.isoformat(), "证件状态": status,
                    "身份证号": pid, "手机号": self.mobile(), "出生日期": birth.isoformat(),
                }
                gi += 1

    def checklists(self):
        """{title: (headers, rows)} for the three published lists."""
        items, spots, basis_rows = [], [], []
        seen_acts = set()
        for a in self.agencies:
            t = a.type
            n = 0
            for fmt, label, code in (("A", "行政处罚", "CF"), ("B", "行政许可", "XK"), ("C", None, None)):
                for tpl in self._templates(a, fmt):
                    n += 1
                    if fmt == "A":
                        name, cat, basis = f"对{tpl['act']}的行政处罚", label, tpl["basis"]
                    elif fmt == "B":
                        name, cat, basis = tpl["item"], label, tpl["basis"]
                    else:
                        name, cat, basis = tpl["item"], tpl["cat"], tpl["basis"]
                    cc = code or {"行政强制": "QZ", "行政检查": "JC", "行政征收征用": "ZS", "行政确认": "QR"}.get(cat, "QT")
                    items.append([None, f"{a.region}-{t['key'].upper()}-{cc}-{n:03d}", name, cat, basis, a.name,
                                  "综合行政执法队" if cat != "行政许可" else "行政审批科"])
            for s in t["spot"]:
                spots.append([None, "一般检查事项" if len(spots) % 3 else "重点检查事项", s[0], s[1], s[2],
                              "双随机抽查、现场检查", "5%" if len(spots) % 2 else "3%", "每年不少于1次", s[3], a.name])
            for tpl in t["penalties"]:
                if tpl["act"] in seen_acts or not tpl["fine"]:
                    continue
                seen_acts.add(tpl["act"])
                lo, hi = tpl["fine"]
                mid = (lo + hi) / 2
                for level, case, rng_ in (
                        ("轻微", "初次违法且危害后果轻微，并及时改正的", f"{lo:g}万元"),
                        ("一般", "在规定期限内改正，未造成危害后果的", f"{lo:g}万元以上{mid:g}万元以下"),
                        ("严重", "拒不改正或者造成严重后果的", f"{mid:g}万元以上{hi:g}万元以下")):
                    if level == "轻微":
                        rng_ = "依法不予处罚或者给予警告" if lo < 1 else f"处{lo:g}万元罚款"
                    else:
                        rng_ = "处" + rng_ + "罚款"
                    basis_rows.append([None, tpl["act"], tpl["basis"], level, case, rng_, a.name])
        for rows in (items, spots, basis_rows):
            for i, r in enumerate(rows, 1):
                r[0] = i
        return {
            "行政执法事项清单": (["序号", "事项编码", "事项名称", "事项类别", "实施依据", "所属主体", "承办机构"], items),
            "随机抽查事项清单": (["序号", "抽查类别", "抽查事项", "检查对象", "检查内容", "检查方式", "抽查比例",
                                  "抽查频次", "检查依据", "所属主体"], spots),
            "行政处罚自由裁量基准": (["序号", "违法行为", "处罚依据", "违法程度", "适用情形", "裁量基准", "适用部门"],
                                     basis_rows),
        }


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------

def _cell(col: str, v, date_style: str, amount_style: str) -> str:
    if v is None:
        return ""
    if isinstance(v, date):
        return fmt_date(v, date_style)
    if isinstance(v, int) and col in ("罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）"):
        return fmt_wan(v, amount_style)
    return str(v)


class FileSpec:
    def __init__(self, name, fmt, n=0, start=None, end=None, encoding="utf-8", dates="iso", amounts="plain",
                 headers=None, extras=(), plan=None):
        self.name, self.fmt, self.n, self.start, self.end = name, fmt, n, start, end
        self.encoding, self.dates, self.amounts = encoding, dates, amounts
        self.headers = headers or {}
        self.extras = list(extras)
        self.plan = plan or {}


def write_csv(path: str, spec: FileSpec, rows):
    """Stream rows (dicts) to a CSV in the spec's encoding / date style / header spelling."""
    cols = FORMAT_COLS[spec.fmt] + spec.extras
    header = [spec.headers.get(c, c) for c in cols]
    count = 0
    cache = {}

    def conv(c, v, ds):  # non-str cells only (dates, amounts, None)
        if v is None:
            return ""
        k = (c, v, ds)
        out = cache.get(k)
        if out is None:
            out = _cell(c, v, ds, spec.amounts)
            if len(cache) < 100_000:
                cache[k] = out
        return out

    with open(path, "w", encoding=spec.encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows:
            ds = row.get("_dates", spec.dates)
            w.writerow([v if v.__class__ is str else conv(c, v, ds) for c, v in zip(cols, map(row.get, cols))])
            count += 1
    return count


def write_xlsx(path: str, spec: FileSpec, rows, stamp: datetime):
    """Write decisions to the first sheet of an .xlsx: dates as Excel date cells, IDs as text cells.

    The zip entries and docProps timestamps are pinned so the file is byte-identical for a seed."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    cols = FORMAT_COLS[spec.fmt] + spec.extras
    wb = Workbook()
    ws = wb.active
    ws.title = "行政许可"
    ws.append([spec.headers.get(c, c) for c in cols])
    for c in ws[1]:
        c.font = Font(bold=True)
    text_cols = {c for c in cols if "代码" in c or "号码" in c or "编号" in c or "文书号" in c or c == "内部流水号"}
    count = 0
    for r, row in enumerate(rows, start=2):
        for ci, c in enumerate(cols, start=1):
            v = row.get(c)
            if v is None or v == "":
                continue
            cell = ws.cell(row=r, column=ci)
            if isinstance(v, date):
                cell.value = v
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = str(v)
                if c in text_cols:
                    cell.number_format = "@"
        count += 1
    for ci, c in enumerate(cols, start=1):
        ws.column_dimensions[ws.cell(row=1, column=ci).column_letter].width = 14 if len(c) < 8 else 22
    ws.freeze_panes = "A2"
    wb.properties.creator = "示例市清河区政务服务数据管理局"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    stamp_txt = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              lambda m: m.group(1) + stamp_txt + m.group(3), data)
            zi = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            zout.writestr(zi, data)
    return count


def write_table(path: str, headers, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(headers)
        n = 0
        for r in rows:
            w.writerow(["" if r.get(h) is None else r.get(h) for h in headers] if isinstance(r, dict) else r)
            n += 1
    return n


def _prepare(out_dir: str):
    for sub in ("", "checklists", "decisions"):
        os.makedirs(os.path.join(out_dir, sub), exist_ok=True)


def _stray(out_dir: str, written: set) -> list:
    stray = []
    for sub in ("checklists", "decisions"):
        for fn in sorted(os.listdir(os.path.join(out_dir, sub))):
            if f"{sub}/{fn}" not in written:
                stray.append(f"{sub}/{fn}")
    return stray


# --------------------------------------------------------------------------------------
# Benchmark mode (streaming)
# --------------------------------------------------------------------------------------

def _split(n: int, weights) -> list:
    tot = sum(weights)
    out, acc, prev = [], 0, 0
    for w in weights:
        acc += w
        cur = round(n * acc / tot)
        out.append(cur - prev)
        prev = cur
    return out


def generate_bench(out_dir, n_decisions=520, n_agencies=8, seed=1, staff_per_agency=5,
                   today=date(2026, 11, 22)) -> dict:
    s = Synth(n_agencies, seed, staff_per_agency, today)
    s.set_pool(n_decisions)
    rng = s.rng
    _prepare(out_dir)
    summary = {"mode": "benchmark", "files": {}, "notes": {}}
    written = set()

    summary["files"]["entities.csv"] = write_table(os.path.join(out_dir, "entities.csv"), ENTITY_COLS,
                                                   s.entity_rows())
    summary["files"]["staff.csv"] = write_table(os.path.join(out_dir, "staff.csv"), STAFF_COLS, s.staff_rows())
    for title, (headers, rows) in s.checklists().items():
        fn = f"checklists/{title}.csv"
        written.add(fn)
        summary["files"][fn] = write_table(os.path.join(out_dir, fn), headers, rows)

    years = list(range(2023, today.year + 1))
    spans = []
    for y in years:
        start, end = date(y, 1, 1), min(date(y, 12, 31), s.last_day)
        spans.append((y, start, end, (end - start).days + 1))
    by_fmt = dict(zip("ABC", _split(n_decisions, (60, 25, 15))))
    n_corr = max(2, n_decisions // 1000)
    n_td = max(5, n_decisions // 1000)
    # Rows chosen up front (by running index) for corrections and takedowns; disjoint.
    picked = rng.sample(range(max(1, by_fmt["A"])), min(by_fmt["A"], n_corr + n_td))
    corr_idx = set(picked[:n_corr])
    td_idx = set(picked[n_corr:])
    corrections, takedowns = [], []
    expired = persons = 0
    gidx = 0
    for fmt, label in (("A", "行政处罚"), ("B", "行政许可"), ("C", "其他执法决定")):
        per_year = _split(by_fmt[fmt], [sp[3] for sp in spans])
        for (y, start, end, _), m in zip(spans, per_year):
            if m <= 0:
                continue
            fn = f"decisions/{y}-{label}.csv"
            spec = FileSpec(fn, fmt)
            written.add(fn)

            def rows(fmt=fmt, start=start, end=end, m=m):
                nonlocal gidx, expired, persons
                for dt in s.dates(start, end, m):
                    ov = {}
                    r = rng.random()
                    if r < 0.01 and fmt != "B":
                        ov["expire"] = max(dt + timedelta(days=90), today - timedelta(days=rng.randint(1, 200)))
                        if ov["expire"] >= today:
                            ov["expire"] = today - timedelta(days=1)
                        if ov["expire"] < dt:
                            ov["expire"] = dt
                    elif r < 0.015 and fmt == "A":
                        ov["docsep"] = "-" if r < 0.0125 else "/"
                    row = s.row(fmt, dt, ov)
                    if fmt == "A" and rng.random() < 0.005:
                        row["违法事实"] += f"当事人联系电话{s.mobile()}。"
                    if fmt == "B" and row["_tpl"] == "sj-food" and rng.random() < 0.1:
                        row["行政许可决定文书号"] = ""
                    if row["_kind"] == "P":
                        persons += 1
                    exp = row.get("公示截止期")
                    if exp and exp < today:
                        expired += 1
                    if fmt == "A":
                        if gidx in corr_idx:
                            corrections.append(dict(row))
                        elif gidx in td_idx:
                            takedowns.append(row)
                        gidx += 1
                    yield row

            summary["files"][fn] = write_csv(os.path.join(out_dir, fn), spec, rows())

    # corrections: same key, corrected fine + content, in a later file
    fn = f"decisions/{years[-1]}-行政处罚-更正.csv"
    written.add(fn)

    def corr_rows():
        for row in corrections:
            yield _correct(s, row)

    summary["files"][fn] = write_csv(os.path.join(out_dir, fn), FileSpec(fn, "A"), corr_rows())
    reasons = ["决定被撤销", "决定被确认违法", "要求重新作出", "信用修复", "信息有误", "其他"]
    td = []
    for i, row in enumerate(takedowns):
        dt = row["处罚决定日期"]
        when = min(today - timedelta(days=1), dt + timedelta(days=rng.randint(20, 400)))
        reason = reasons[i % len(reasons)]
        td.append({"文书号": row["行政处罚决定书文号"],
                   "机关统一社会信用代码": row["处罚机关统一社会信用代码"] if i % 2 else "",
                   "撤下原因": reason, "原因发生日期": when.isoformat(), "说明": TAKEDOWN_NOTE[reason]})
    summary["files"]["takedowns.csv"] = write_table(os.path.join(out_dir, "takedowns.csv"), TAKEDOWN_COLS, td)
    summary["notes"] = {"decision_rows": sum(v for k, v in summary["files"].items() if k.startswith("decisions/")),
                        "natural_person_rows": persons, "expired_rows": expired,
                        "corrections": len(corrections), "takedowns": len(td), "agencies": len(s.agencies),
                        "staff": len(s.agencies) * staff_per_agency}
    stray = _stray(out_dir, written)
    if stray:
        summary["notes"]["stray_files_not_written_by_synth"] = stray
    return summary


TAKEDOWN_NOTE = {
    "决定被撤销": "该行政处罚决定已被示例市清河区人民政府行政复议决定撤销，依法撤回公示。",
    "决定被确认违法": "该行政处罚决定经示例市清河区人民法院判决确认违法，依法撤回公示。",
    "要求重新作出": "行政复议机关责令重新作出决定，原决定信息撤回，重新作出后另行公示。",
    "公示期满": "公示期满，依法撤下。",
    "信用修复": "当事人已履行行政处罚决定并完成信用修复，依申请提前停止公示。",
    "信息有误": "公示信息录入有误，已撤回，核实后重新公示。",
    "其他": "经执法机关审查，该信息不宜继续公开，依法撤回。",
}


def _correct(s: Synth, row: dict, reason: str = "罚款金额笔误") -> dict:
    """A correcting copy of a 处罚 row: same key, corrected 罚款金额 and 处罚内容."""
    new = dict(row)
    tpl = next(t for t in row["_agency"].type["penalties"] if t["id"] == row["_tpl"])
    cats = row["处罚类别"]
    if row["罚款金额（万元）"]:
        fine = row["罚款金额（万元）"]
        new["罚款金额（万元）"] = fine * 8 // 10 if fine >= 10 else fine + 5
    new["处罚内容"] = s.penalty_content(tpl, cats, new["罚款金额（万元）"], row["没收违法所得、没收非法财物的金额（万元）"],
                                        row["暂扣或吊销证照名称及编号"])
    new["备注"] = f"内部备注：更正原公示信息中的{reason}。"
    new.pop("公示日期", None)
    new.pop("_dates", None)
    return new


# --------------------------------------------------------------------------------------
# Example mode (the bundled data/ folder)
# --------------------------------------------------------------------------------------

def generate_example(out_dir, seed=1, today=date(2026, 11, 22)) -> dict:
    s = Synth(EXAMPLE_TYPES, seed, 5, today, example=True)
    rng = s.rng
    _prepare(out_dir)
    y0 = today.year - 3
    Y = lambda y, m=1, d=1: date(y, m, d)  # noqa: E731
    last = s.last_day
    specs = [
        FileSpec(f"decisions/{y0}-行政处罚.csv", "A", 80, Y(y0), Y(y0, 12, 31), "utf-8", "iso",
                 headers=A_HEADER_VARIANT,
                 plan={5: {"agency": "hj", "tpl": "hj-eia", "kind": "O", "fine": 120050},
                       30: {"docsep": "-"}, 12: {"kind": "P", "agency": "sj"}}),
        FileSpec(f"decisions/{y0 + 1}-行政处罚.csv", "A", 110, Y(y0 + 1), Y(y0 + 1, 12, 31), "utf-8-sig", "slash",
                 extras=["案件程序类别", "公示日期"],
                 plan={3: {"expire": "1y"}, 40: {"expire": "1y"}, 20: {"bank": True}, 66: {"docsep": "/"},
                       8: {"kind": "P", "agency": "xf"}}),
        FileSpec(f"decisions/{y0 + 1}-行政许可.xlsx", "B", 60, Y(y0 + 1), Y(y0 + 1, 12, 31), "xlsx", "excel",
                 extras=["公示日期", "内部流水号"]),
        FileSpec(f"decisions/{y0 + 2}-行政处罚-GB18030.csv", "A", 100, Y(y0 + 2), Y(y0 + 2, 12, 31), "gb18030", "cn",
                 amounts="2dp", extras=["经办人手机"],
                 plan={10: {"expire": "1y"}, 25: {"expire": "1y"}, 33: {"mobile": True}, 71: {"docsep": "-"}}),
        FileSpec(f"decisions/{y0 + 2}-行政许可.csv", "B", 70, Y(y0 + 2), Y(y0 + 2, 12, 31), "utf-8", "dot"),
        FileSpec(f"decisions/{y0 + 2}-自然人行政处罚.csv", "P", 25, Y(y0 + 2, 2, 1), Y(y0 + 2, 12, 20), "utf-8",
                 "compact", plan={0: {"compound": True}, 6: {"idfact": True}}),
        FileSpec(f"decisions/{today.year}-其他执法决定.csv", "C", 80, Y(today.year), last, "utf-8", "iso",
                 plan={15: {"expire": Y(today.year, 10, 31)}, 50: {"concl_mobile": True},
                       44: {"agency": "wj", "kind": "O"}, 60: {"agency": "ws", "kind": "O"}}),
        FileSpec(f"decisions/{today.year}-行政处罚-1至11月.csv", "A", 40, Y(today.year), last, "utf-8", "mixed",
                 plan={36: {"expire": today - timedelta(days=1)}, 37: {"expire": today},
                       20: {"idfact_x": True}}),
    ]
    all_rows = {}
    summary = {"mode": "example", "files": {}, "notes": {}}
    written = set()
    handler_pool = {a.idx: [s.mobile() for _ in range(3)] for a in s.agencies}

    for spec in specs:
        rows = []
        gen_fmt = "A" if spec.fmt == "P" else spec.fmt
        for i, dt in enumerate(s.dates(spec.start, spec.end, spec.n)):
            plan = dict(spec.plan.get(i, {}))
            ov = {k: plan[k] for k in ("agency", "tpl", "kind", "fine", "docsep") if k in plan}
            if spec.fmt == "P":
                ov["kind"] = "P"
            if plan.get("compound"):
                ov["target_k"] = _find_person(s, "110199", lambda nm: nm[:2] in COMPOUND_SURNAMES)
            if plan.get("idfact_x"):
                ov["kind"] = "P"
                ov["target_k"] = _find_person(s, "110199", lambda nm: True, id_x=True)
            exp = plan.get("expire")
            if exp == "1y":
                ov["expire"] = add_years(dt, 1)
            elif exp is not None:
                ov["expire"] = exp
            row = s.row_A(dt, ov=ov) if gen_fmt == "A" else s.row(gen_fmt, dt, ov)
            if plan.get("bank"):
                row["处罚内容"] += f"当事人申请退还多缴款项的银行账号为{s.bank_card()}。"
            if plan.get("mobile"):
                row["违法事实"] += f"经电话（{s.mobile()}）联系，当事人对上述事实无异议。"
            if plan.get("idfact") or plan.get("idfact_x"):
                row["违法事实"] += f"当事人身份证号码{row['证件号码']}。"
            if plan.get("concl_mobile"):
                row["执法结论"] += f"现场负责人：{s.person('110199', 9_600_000 + i)[0]}，电话{s.mobile()}。"
            if spec.dates == "mixed":
                row["_dates"] = DATE_STYLES[i % len(DATE_STYLES)]
            if "经办人手机" in spec.extras:
                row["经办人手机"] = handler_pool[row["_agency"].idx][rng.randrange(3)]
            if "内部流水号" in spec.extras:
                row["内部流水号"] = f"XK{dt.year}{i + 1:05d}"
            rows.append(row)
        all_rows[spec.name] = (spec, rows)

    # -- per-file extras ------------------------------------------------------------------
    _, r2024 = all_rows[f"decisions/{y0 + 1}-行政处罚.csv"]
    for i, row in enumerate(r2024):
        if i % 9 == 4:  # history import: first published before this tool existed
            row["公示日期"] = row["处罚决定日期"] + timedelta(days=rng.randint(1, 14))
        if i % 7 == 2:
            small = (row["_kind"] == "P" and (row["罚款金额（万元）"] or 0) <= 2) or \
                    (row["_kind"] != "P" and (row["罚款金额（万元）"] or 0) <= 30)
            row["案件程序类别"] = "简易程序" if small and row["处罚类别"] in ("警告", "罚款") else "一般程序"
    _, rx = all_rows[f"decisions/{y0 + 1}-行政许可.xlsx"]
    for i, row in enumerate(rx):
        if i % 10 == 3:
            row["公示日期"] = row["许可决定日期"] + timedelta(days=rng.randint(2, 6))
    _, rb = all_rows[f"decisions/{y0 + 2}-行政许可.csv"]
    blank_fallback = []
    for row in rb:
        if row["_tpl"] == "sj-food" and len(blank_fallback) < 3:
            row["行政许可决定文书号"] = ""
            blank_fallback.append(row["许可编号"])
    _, rc = all_rows[f"decisions/{today.year}-其他执法决定.csv"]
    for i, row in enumerate(rc):
        if i % 11 == 6:
            row["公示日期"] = row["决定日期"] + timedelta(days=rng.randint(3, 30))
            if row["公示日期"] >= today:
                row["公示日期"] = None

    # -- history import: the example agencies published on their old CMS before this
    # tool, so older rows carry 公示日期 (mostly on time, a few late); recent ones
    # are left for the tool's first build. Own RNG: the rest of the data is unchanged.
    hist = random.Random(seed * 7919 + 17)
    for spec, rows in all_rows.values():
        if "公示日期" not in FORMAT_COLS[spec.fmt] + spec.extras:
            spec.extras.append("公示日期")
        for row in rows:
            decided = row.get("处罚决定日期") or row.get("许可决定日期") or row.get("决定日期")
            if row.get("公示日期") is not None or decided is None or decided > today - timedelta(days=8):
                continue
            late = hist.random() < 0.06
            quick = spec.fmt in ("A", "P", "B")
            published = decided + timedelta(days=hist.randint(12, 40) if late else
                                            hist.randint(1, 8) if quick else hist.randint(3, 25))
            # Not yet published on the old CMS: tonight's first build publishes it.
            row["公示日期"] = published if published < today else None

    # -- planted ambiguity: the 监督所 uses its 委托机关's document number once ----------
    ambiguous = None
    wj_rows = [r for r in rc if r["_agency"].type["key"] == "wj"]
    ws_rows = [r for r in rc if r["_agency"].type["key"] == "ws"]
    if wj_rows and ws_rows:
        src, dst = wj_rows[0], ws_rows[-1]
        dst["决定文书号"] = src["决定文书号"]
        ambiguous = (src["决定文书号"], src["执法机关统一社会信用代码"], dst["执法机关统一社会信用代码"])

    # -- corrections -------------------------------------------------------------------
    def with_fine(rows, pred=lambda r: True):
        return [r for r in rows if r["罚款金额（万元）"] and pred(r)]

    _, r2023 = all_rows[f"decisions/{y0}-行政处罚.csv"]
    _, rgb = all_rows[f"decisions/{y0 + 2}-行政处罚-GB18030.csv"]
    planned_exp = set()
    for spec, rows in all_rows.values():
        for i in spec.plan:
            if "expire" in spec.plan[i] and i < len(rows):
                planned_exp.add(id(rows[i]))
    corr_src = [
        with_fine(r2023, lambda r: r["_kind"] == "O")[-1],
        with_fine(r2024, lambda r: r.get("公示日期") is not None and id(r) not in planned_exp)[0],
        with_fine(rgb, lambda r: id(r) not in planned_exp and r["_kind"] == "I")[0],
    ]
    corr_rows = [_correct(s, r) for r in corr_src]

    # -- takedowns (each matches exactly one decision) ----------------------------------
    used = {id(r) for r in corr_src} | planned_exp

    def first(rows, pred):
        for r in rows:
            if id(r) not in used and pred(r):
                used.add(id(r))
                return r
        raise RuntimeError("no row for takedown")

    _, rp = all_rows[f"decisions/{y0 + 2}-自然人行政处罚.csv"]
    _, r26 = all_rows[f"decisions/{today.year}-行政处罚-1至11月.csv"]
    td_plan = [
        ("决定被撤销", first(r2024, lambda r: r["_kind"] == "O" and r["处罚决定日期"].month >= 6), False,
         "该行政处罚决定已被示例市清河区人民政府行政复议决定撤销，依法撤回公示。"),
        ("决定被确认违法", first(rgb, lambda r: r["_kind"] == "I"), True,
         "该行政处罚决定经示例市清河区人民法院判决确认违法，依法撤回公示。"),
        ("信用修复", first(r2023, lambda r: r["_kind"] == "O"), False,
         "当事人已履行行政处罚决定并完成信用修复，依申请提前停止公示。"),
        ("信息有误", first(rb, lambda r: r["行政许可决定文书号"] != ""), False,
         "许可信息中许可内容录入有误，已撤回，核实后重新公示。"),
        ("其他", first(rp, lambda r: r is rp[12]), True, "经执法机关审查，该信息涉及未成年人保护，不宜继续公开，依法撤回。"),
    ]
    takedowns = []
    for reason, row, with_code, note in td_plan:
        fmt = "B" if "许可决定日期" in row else "A"
        agency_code, doc = row_key(fmt, row)
        dt = row[DATE_COL[fmt]]
        when = min(today - timedelta(days=1), dt + timedelta(days=rng.randint(60, 300)))
        if reason == "信用修复":  # only after the minimum publication period
            when = min(today - timedelta(days=1), dt + timedelta(days=rng.randint(380, 500)))
        elif reason == "信息有误":  # recent: the 3-working-day clock is still running
            when = today - timedelta(days=3)
        takedowns.append({"文书号": doc, "机关统一社会信用代码": agency_code if with_code else "",
                          "撤下原因": reason, "原因发生日期": when, "说明": note,
                          "_row": row, "_fmt": fmt})
    if ambiguous:
        doc, code_wj, code_ws = ambiguous
        takedowns.append({"文书号": doc, "机关统一社会信用代码": code_ws, "撤下原因": "要求重新作出",
                          "原因发生日期": today - timedelta(days=4),  # recent: the 3-working-day clock is running
                          "说明": "行政复议机关责令重新作出检查结论，原结论撤回，重新作出后另行公示。", "_row": None, "_fmt": "C"})
    takedowns.sort(key=lambda r: r["原因发生日期"])
    # one takedown written with a non-ISO date form
    td_out = []
    for i, t in enumerate(takedowns):
        d = dict(t)
        d["原因发生日期"] = fmt_date(t["原因发生日期"], "slash" if i == 1 else "iso")
        td_out.append(d)

    # -- write everything ---------------------------------------------------------------
    summary["files"]["entities.csv"] = write_table(os.path.join(out_dir, "entities.csv"), ENTITY_COLS,
                                                   s.entity_rows())
    counts = {a.idx: (5 if a.idx < 4 else 4) for a in s.agencies}  # 4×5 + 5×4 = 40
    staff_plant = {3: {"status": "暂扣"}, 17: {"status": "暂扣"}, 9: {"status": "注销"}, 28: {"status": "注销"},
                   5: {"until": date(today.year, 6, 30), "status": "有效"},
                   14: {"until": date(today.year - 1, 12, 31), "status": ""},
                   22: {"until": today - timedelta(days=1), "status": "有效"},
                   31: {"until": today, "status": "有效"},
                   36: {"until": date(today.year - 1, 3, 31), "status": "注销"}}
    staff = list(s.staff_rows(counts, staff_plant))
    summary["files"]["staff.csv"] = write_table(os.path.join(out_dir, "staff.csv"), STAFF_COLS, staff)
    for title, (headers, rows) in s.checklists().items():
        fn = f"checklists/{title}.csv"
        written.add(fn)
        summary["files"][fn] = write_table(os.path.join(out_dir, fn), headers, rows)
    stamp = datetime(today.year, today.month, today.day) - timedelta(days=2)
    for name, (spec, rows) in all_rows.items():
        written.add(name)
        path = os.path.join(out_dir, name)
        if spec.encoding == "xlsx":
            summary["files"][name] = write_xlsx(path, spec, rows, stamp)
        else:
            summary["files"][name] = write_csv(path, spec, rows)
    # Read after "<year>-行政处罚.csv" (file-name order decides which row corrects which).
    cname = f"decisions/{today.year}-行政处罚（更正）.csv"
    written.add(cname)
    summary["files"][cname] = write_csv(os.path.join(out_dir, cname), FileSpec(cname, "A"), corr_rows)
    summary["files"]["takedowns.csv"] = write_table(os.path.join(out_dir, "takedowns.csv"), TAKEDOWN_COLS, td_out)

    # -- notes for the report -----------------------------------------------------------
    notes = summary["notes"]
    notes["agencies"] = [(a.name, a.code, a.type["cat"]) for a in s.agencies]
    persons, expired, seps = [], [], []
    for name, (spec, rows) in all_rows.items():
        fmt = spec.fmt
        keys = set()
        for i, r in enumerate(rows, start=2):
            k = row_key(fmt, r)
            if k in keys:
                raise RuntimeError(f"duplicate key in {name}: {k}")
            keys.add(k)
            if r["_kind"] == "P":
                persons.append((name, i, r["行政相对人名称" if fmt != "C" else "执法对象名称"]))
            e = r.get("公示截止期")
            if e and e <= today:
                expired.append((name, i, k[1], e.isoformat(), "expired" if e < today else "last day (still published)"))
            if "/" in k[1] or "-" in k[1]:
                seps.append((name, i, k[1]))
    total_rows = sum(len(rows) for _, rows in all_rows.values())
    notes["decision_rows"] = total_rows + len(corr_rows)
    notes["distinct_decisions"] = total_rows
    notes["natural_person_rows"] = persons
    notes["expired"] = expired
    notes["docno_with_slash_or_hyphen"] = seps
    notes["b_rows_keyed_by_licence_no"] = blank_fallback
    notes["corrections"] = [(f"{r['处罚机关统一社会信用代码']}/{r['行政处罚决定书文号']}",
                             fmt_wan(src["罚款金额（万元）"]), fmt_wan(r["罚款金额（万元）"])) for r, src in
                            zip(corr_rows, corr_src)]
    notes["takedowns"] = [(t["文书号"], t["机关统一社会信用代码"] or "(blank)", t["撤下原因"],
                           t["原因发生日期"].isoformat()) for t in takedowns]
    notes["ambiguous_docno"] = ambiguous
    notes["staff_planted"] = {staff[i]["执法证号"]: (staff[i]["姓名"], staff[i]["证件有效期至"], staff[i]["证件状态"] or "(blank)")
                              for i in sorted(staff_plant)}
    stray = _stray(out_dir, written)
    if stray:
        notes["stray_files_not_written_by_synth"] = stray
    return summary


def _find_person(s: Synth, region: str, pred, id_x=False, start=0) -> int:
    for k in range(start, start + 100_000):
        name, pid, _ = s.person(region, k)
        if pred(name) and (not id_x or pid.endswith("X")):
            return k
    raise RuntimeError("no matching person")


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------

def generate(out_dir, n_decisions=520, n_agencies=8, seed=1, staff_per_agency=5, example=False,
             today=date(2026, 11, 22)) -> dict:
    """Write a synthetic data folder to out_dir; return a summary dict (files → row counts, notes)."""
    if example:
        return generate_example(out_dir, seed=seed, today=today)
    if n_agencies < 1:
        raise ValueError("need at least one agency")
    return generate_bench(out_dir, n_decisions, n_agencies, seed, staff_per_agency, today)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output data folder (created if missing)")
    ap.add_argument("--n", type=int, default=520, help="number of decisions (benchmark mode)")
    ap.add_argument("--agencies", type=int, default=8, help="number of agencies (benchmark mode)")
    ap.add_argument("--staff", type=int, default=5, help="staff per agency (benchmark mode)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--today", default="2026-11-22", help="reference build date (YYYY-MM-DD)")
    ap.add_argument("--example", action="store_true", help="write the fixed bundled example (data/)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    today = date.fromisoformat(args.today)
    t0 = time.perf_counter()
    summary = generate(args.out, args.n, args.agencies, args.seed, args.staff, args.example, today)
    dt = time.perf_counter() - t0
    if not args.quiet:
        for fn, n in summary["files"].items():
            print(f"{n:>9}  {fn}")
        for k, v in summary["notes"].items():
            if isinstance(v, list) and len(v) > 12:
                print(f"{k}: {len(v)} (first: {v[:3]})")
            else:
                print(f"{k}: {v}")
        print(f"written to {args.out} in {dt:.2f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
