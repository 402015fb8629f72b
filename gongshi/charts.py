"""Static SVG bar charts for the statistics pages, drawn with matplotlib.

Reproducible and independent of the build machine's fonts:
- text stays text (``svg.fonttype = 'none'``): the reader's browser draws the
  Chinese labels with its own CJK font, so no CJK font is needed at build time;
- layout is measured with matplotlib's bundled DejaVu Sans whatever fonts are
  installed, and the SVG then names a CJK font stack instead;
- ids come from a fixed ``svg.hashsalt`` and the SVG carries no date, so the
  same data gives the same bytes.

Each chart carries its title and a text summary as SVG ``<title>``/``<desc>``;
the page shows the same summary and the full data table beside it.
"""
from __future__ import annotations

import io
import unicodedata
import warnings
from xml.sax.saxutils import escape

_LAYOUT_FONT = "DejaVu Sans"
FONT_STACK = ("'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', "
              "'WenQuanYi Micro Hei', sans-serif")  # single quotes: it goes inside style="…"
COLORS = ("#0a4b8c", "#b8461b")  # blue; orange-red (hatched, so print and colour-blind readers tell them apart)
HATCHES = ("", "///")
WIDTH_IN = 7.2
FONT_PT = 10
MAX_LABEL = 18  # characters; longer labels are shortened with … (the table has them whole)

_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "gongshi-stats",
    "font.family": [_LAYOUT_FONT],
    "font.size": FONT_PT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "text.color": "#1f1f1f",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "hatch.color": "#ffffff",
    "path.simplify": False,
    "text.parse_math": False,  # agency names are data: a "$" is a dollar sign, not mathtext
}


def text_width(text: str, size: float = FONT_PT) -> float:
    """Width of a label in points as a browser draws it: CJK characters are one
    em wide, others about 0.6 em (DejaVu cannot measure CJK)."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[float]]], summary: str = "",
              horizontal: bool = True, value_format: str = "{:g}") -> bytes:
    """A bar chart as SVG bytes. ``series`` is [(name, values)]; with two
    series the bars are grouped and a legend names them. Horizontal charts list
    ``labels`` top to bottom in the given order."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    labels = [_short(str(label)) for label in labels]
    n, k = len(labels), len(series)
    group = 0.8
    bar = group / k
    with matplotlib.rc_context(_RC), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Glyph … missing from font(s) DejaVu Sans": drawn by the browser
        title_h = 0.5 + (0.3 if k > 1 else 0)
        if horizontal:
            height = title_h + 0.7 + max(n, 1) * (0.28 + 0.22 * k)
        else:
            height = title_h + 2.9
        fig = Figure(figsize=(WIDTH_IN, height))
        width_pt = WIDTH_IN * 72
        ax = fig.add_subplot()
        top = 1 - title_h / height
        if horizontal:
            left = min(0.5, (max((text_width(lb) for lb in labels), default=0) + 14) / width_pt)
            fig.subplots_adjust(left=left, right=0.95, top=top, bottom=0.45 / height)
        else:
            fig.subplots_adjust(left=0.09, right=0.98, top=top, bottom=0.5 / height)
        positions = list(range(n))
        largest = max((max(values, default=0) for _, values in series), default=0) or 1
        for i, (name, values) in enumerate(series):
            offset = (i - (k - 1) / 2) * bar
            where = [p + offset for p in positions]
            style = {"color": COLORS[i % 2], "hatch": HATCHES[i % 2], "label": name, "linewidth": 0}
            bars = ax.barh(where, values, height=bar, **style) if horizontal else ax.bar(where, values, width=bar, **style)
            ax.bar_label(bars, labels=[value_format.format(v) for v in values], padding=3, fontsize=FONT_PT - 1)
        if horizontal:
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
            ax.set_xlim(0, largest * 1.15)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.tick_params(axis="y", length=0)
        else:
            ax.set_xticks(positions, labels)
            ax.set_ylim(0, largest * 1.15)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.tick_params(axis="x", length=0)
        fig.text(0.01, 1 - 0.12 / height, title, ha="left", va="top", fontsize=FONT_PT + 2, fontweight="bold")
        if k > 1:
            fig.legend(loc="upper left", bbox_to_anchor=(0.01, 1 - 0.42 / height), ncols=k, frameon=False,
                       fontsize=FONT_PT - 1, handlelength=1.5)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue().decode("utf-8")
    svg = svg.replace(f"font-family: '{_LAYOUT_FONT}'", f"font-family: {FONT_STACK}")
    head, rest = svg.split("<svg ", 1)
    tag, body = rest.split(">", 1)
    described = f'<svg role="img" aria-labelledby="chart-title chart-desc" {tag}>\n <title id="chart-title">' \
                f'{escape(title)}</title>\n <desc id="chart-desc">{escape(summary)}</desc>{body}'
    return (head + described).encode("utf-8")
