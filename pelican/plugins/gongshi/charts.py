"""Static SVG bar charts for the statistics pages, written as SVG text.

No plotting library: a bar chart is a few rectangles and labels, and writing
them directly takes about a millisecond where matplotlib took ~0.1 s a chart
(plus ~0.4 s to import) on every night the current year's figures change.

- Text stays text: the reader's browser draws the Chinese labels with its own
  CJK font (``FONT_STACK``), so no CJK font is needed at build time; widths are
  estimated (``text_width``: CJK one em, others about 0.6 em).
- Made for phones: the chart is ``WIDTH`` px wide, shown at that size on wide
  screens (the theme's CSS caps the image there) and scaled down on narrow
  ones; each label sits on its own line above its bars, so a long agency name
  has the whole width and the text stays above 10 px on a 390 px phone.
- The same data gives the same bytes (no ids from counters, no dates).

Each chart carries its title and a text summary as SVG ``<title>``/``<desc>``;
the page shows the same summary and the full data table beside it.
"""
from __future__ import annotations

import unicodedata
from xml.sax.saxutils import escape

FONT_STACK = ("'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', "
              "'WenQuanYi Micro Hei', sans-serif")
COLORS = ("#0a4b8c", "#b8461b")  # blue; orange-red (hatched, so print and colour-blind readers tell them apart)
WIDTH = 480  # px; the theme shows charts at most this wide (.chart img max-width)
FONT = 15  # labels
TITLE_FONT = 17
VALUE_FONT = 14
BAR = 16  # thickness of one series' bar
PAD = 12
COLUMN_HEIGHT = 180  # plot height of a column chart
MAX_LABEL = 18  # characters; longer labels are shortened with … (the table has them whole)


def text_width(text: str, size: float = FONT) -> float:
    """Width of a label in px as a browser draws it: CJK characters are one em
    wide, others about 0.6 em."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` (a title on a narrow chart)."""
    lines, line = [], ""
    for c in text:
        if line and text_width(line + c, size) > width:
            lines.append(line)
            line = ""
        line += c
    return lines + [line] if line else lines


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, cls: str = "", anchor: str = "") -> str:
    attrs = (f' class="{cls}"' if cls else "") + (f' text-anchor="{anchor}"' if anchor else "")
    return f'<text x="{_n(x)}" y="{_n(y)}"{attrs}>{escape(text)}</text>'


def _bar(i: int, x: float, y: float, w: float, h: float, cls: str = "bar") -> str:
    fill = "url(#hatch)" if i % 2 else COLORS[0]
    return f'<rect class="{cls} s{i}" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{fill}"/>'


def _rows(labels, series, texts, largest, y) -> tuple[list[str], float]:
    """Horizontal bars: each label on its line, its bars below it."""
    value_room = max((text_width(t, VALUE_FONT) for ts in texts for t in ts), default=0) + 6
    plot = WIDTH - 2 * PAD - value_room
    out, top = [], y
    for n, label in enumerate(labels):
        y += FONT
        out.append(_text(PAD, y, label))
        y += 5
        for i, (_, values) in enumerate(series):
            w = plot * values[n] / largest
            out.append(_bar(i, PAD, y, w, BAR))
            out.append(_text(PAD + w + 4, y + BAR - 3.5, texts[i][n], "v"))
            y += BAR + 2
        y += 8
    out.append(f'<line x1="{PAD}" y1="{_n(top + FONT + 3)}" x2="{PAD}" y2="{_n(y - 8)}" class="axis"/>')
    return out, y


def _slot(labels) -> float:
    return (WIDTH - 2 * PAD) / max(len(labels), 1)


def _columns_fit(labels, texts) -> bool:
    """Whether every label and value fits its column at full size."""
    slot = _slot(labels)
    return (all(text_width(t, VALUE_FONT) <= slot / len(texts) - 2 for ts in texts for t in ts)
            and all(text_width(label) <= slot - 2 for label in labels))


def _columns(labels, series, texts, largest, y) -> tuple[list[str], float]:
    """Columns (months): values above the bars, labels below the axis."""
    slot = _slot(labels)
    k = len(series)
    width = min(slot * 0.8 / k, 28)
    base = y + VALUE_FONT + 4 + COLUMN_HEIGHT
    out = []
    for n, label in enumerate(labels):
        centre = PAD + slot * (n + 0.5)
        for i, (_, values) in enumerate(series):
            h = COLUMN_HEIGHT * values[n] / largest
            x = centre + (i - k / 2) * width
            out.append(_bar(i, x, base - h, width, h))
            out.append(_text(x + width / 2, base - h - 4, texts[i][n], "v", "middle"))
        out.append(_text(centre, base + FONT + 4, label, anchor="middle"))
    out.append(f'<line x1="{PAD}" y1="{_n(base)}" x2="{WIDTH - PAD}" y2="{_n(base)}" class="axis"/>')
    return out, base + FONT + 8


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[float]]], summary: str = "",
              horizontal: bool = True, value_format: str = "{:g}") -> bytes:
    """A bar chart as SVG bytes. ``series`` is [(name, values)]; with two
    series the bars are grouped and a legend names them. Horizontal charts list
    ``labels`` top to bottom in the given order; otherwise they are columns
    left to right, unless a label or value would not fit its column at full
    size (then rows after all: small text is worse than rows)."""
    labels = [_short(str(label)) for label in labels]
    texts = [[value_format.format(v) for v in values] for _, values in series]
    largest = max((max(values, default=0) for _, values in series), default=0) or 1
    body, y = [], PAD
    for line in _wrap(title, TITLE_FONT, WIDTH - 2 * PAD):
        y += TITLE_FONT + 3
        body.append(_text(PAD, y, line, "t"))
    if len(series) > 1:
        y += 10
        x = PAD
        for i, (name, _) in enumerate(series):
            body.append(_bar(i, x, y, 14, 14, "key"))
            body.append(_text(x + 19, y + 12, name, "v"))
            x += 19 + text_width(name, VALUE_FONT) + 18
        y += 14
    y += 6
    columns = not horizontal and _columns_fit(labels, texts)
    drawn, y = (_columns if columns else _rows)(labels, series, texts, largest, y)
    height = _n(y + PAD)
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title chart-desc" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(summary)}</desc>',
        f"<style>text{{font-family:{FONT_STACK};font-size:{FONT}px;fill:#1f1f1f}}"
        f".t{{font-size:{TITLE_FONT}px;font-weight:700}}.v{{font-size:{VALUE_FONT}px;fill:#333}}"
        ".axis{stroke:#555;stroke-width:1}</style>",
        f'<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{COLORS[1]}"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>',
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
        *body, *drawn, "</svg>", ""]).encode("utf-8")
