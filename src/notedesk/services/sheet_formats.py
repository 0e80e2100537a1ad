"""The departments' sheets (services/sheets.py) written as Markdown, HTML or plain text; several orders make
one document, one order per page.

Stored text is data in every format: Markdown escapes what it could read as structure (the rules of
services/order_sheet.py); HTML escapes every value (html.escape, quotes included) and carries no script,
no event handler, no link and nothing fetched from elsewhere: one self-contained file with its style,
A4 pages (`@page`), one order per page, fonts that have Chinese on Windows, macOS and Linux; plain text
is cleaned and ends each page with a form feed, which printers take as "next page".
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from typing import TextIO

from notedesk.i18n import _, language
from notedesk.services import order_sheet
from notedesk.services.sheets import Block, Sheet, Table
from notedesk.text import clean, one_line

FORMATS = ("md", "html", "txt")

# --- Markdown -------------------------------------------------------------------------------------------


def _md_block(block: Block) -> list[str]:
    out: list[str] = []
    if block.heading:
        out += [("## ⚠ " if block.important else "## ") + order_sheet.inline(block.heading), ""]
    if block.fields:
        out += [f"- **{order_sheet.inline(label)}:** {order_sheet.inline(value)}" for label, value in block.fields]
        out.append("")
    if block.table is not None:
        t = block.table
        if t.rows:
            out.append("| " + " | ".join(order_sheet.inline(h) for h in t.headers) + " |")
            out.append("|" + "|".join("--:" if i in t.right else "---" for i in range(len(t.headers))) + "|")
            out += ["| " + " | ".join(order_sheet.inline(c) for c in row) + " |" for row in t.rows]
        else:
            out.append("*" + _("(none)") + "*")
        out.append("")
    if block.text is not None:
        out += [*order_sheet.block(block.text, quote=block.important), ""]
    if block.items:
        out += [f"- {order_sheet.inline(item)}" for item in block.items] + [""]
    return out


def write_md(sheets: Sequence[Sheet], out: TextIO) -> None:
    for n, sheet in enumerate(sheets):
        lines = ([] if n == 0 else ["", "---", ""]) + [
            f"# {order_sheet.inline(sheet.title)}: {order_sheet.inline(sheet.heading)}", ""]
        for block in sheet.blocks:
            lines += _md_block(block)
        out.write("\n".join(lines).rstrip("\n") + "\n")
    if not sheets:
        out.write("*" + _("No orders.") + "*\n")


# --- plain text -----------------------------------------------------------------------------------------


def _width(text: str) -> int:
    """Columns a monospaced printer or terminal gives `text`: two for wide (Chinese) characters."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    pad = " " * max(0, width - _width(text))
    return pad + text if right else text + pad


def _txt_table(t: Table) -> list[str]:
    if not t.rows:
        return [_("(none)")]
    cells = [[one_line(c) for c in t.headers]] + [[one_line(c) for c in row] for row in t.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(t.headers))]
    lines = ["  ".join(_pad(c, widths[i], i in t.right) for i, c in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _txt_block(block: Block) -> list[str]:
    out: list[str] = []
    if block.heading:
        heading = ("! " if block.important else "") + one_line(block.heading)
        out += [heading, "-" * _width(heading)]
    if block.fields:
        wide = max(_width(one_line(label)) for label, _value in block.fields)
        out += [f"{_pad(one_line(label), wide, False)}  {one_line(value)}" for label, value in block.fields]
    if block.table is not None:
        out += _txt_table(block.table)
    if block.text is not None:
        text = clean(block.text).strip("\n")
        out += text.split("\n") if text.strip() else [_("(none)")]
    out += [f"- {one_line(item)}" for item in block.items]
    return out + [""]


def write_txt(sheets: Sequence[Sheet], out: TextIO) -> None:
    for n, sheet in enumerate(sheets):
        title = f"{one_line(sheet.title)}: {one_line(sheet.heading)}"
        lines = ([] if n == 0 else ["\f"]) + [title, "=" * _width(title), ""]
        for block in sheet.blocks:
            lines += _txt_block(block)
        out.write("\n".join(lines).rstrip("\n") + "\n")
    if not sheets:
        out.write(_("No orders.") + "\n")


# --- HTML -----------------------------------------------------------------------------------------------

# Chinese fonts by the name each system has (Windows, macOS, Noto on Linux), then the generic family.
_STYLE = """
@page { size: A4; margin: 15mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
       "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
       font-size: 11pt; line-height: 1.45; color: #000; background: #fff; margin: 0; }
.sheet { max-width: 182mm; margin: 0 auto; padding: 8mm 0; }
.sheet + .sheet { break-before: page; page-break-before: always; }
h1 { font-size: 16pt; margin: 0 0 2mm; border-bottom: 0.6mm solid #000; padding-bottom: 1.5mm; }
h1 .kind { font-weight: normal; }
h2 { font-size: 12pt; margin: 5mm 0 1.5mm; }
section { break-inside: avoid; page-break-inside: avoid; }
section.important { border: 0.5mm solid #000; padding: 1mm 3mm 2mm; margin-top: 4mm; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.8mm 4mm; margin: 2mm 0; }
dt { font-weight: bold; }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0; }
th, td { border: 0.2mm solid #555; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; white-space: nowrap; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 1mm 0; }
.none { color: #555; font-style: italic; }
@media screen { body { background: #ddd; } .sheet { background: #fff; padding: 12mm 14mm; margin: 6mm auto;
                box-shadow: 0 0 2mm #888; max-width: 210mm; } }
"""


def _e(value: str) -> str:
    return html.escape(one_line(value), quote=True)


def _none(words: str) -> str:
    return f'<p class="none">{_e(words)}</p>'


def _html_block(block: Block) -> list[str]:
    out = ['<section class="important">' if block.important else "<section>"]
    if block.heading:
        out.append(f"<h2>{_e(block.heading)}</h2>")
    if block.fields:
        out.append("<dl>" + "".join(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in block.fields)
                   + "</dl>")
    if block.table is not None:
        t = block.table
        if t.rows:
            def cell(tag: str, i: int, value: str) -> str:
                return f'<{tag} class="num">{_e(value)}</{tag}>' if i in t.right else f"<{tag}>{_e(value)}</{tag}>"

            out.append("<table><thead><tr>" + "".join(cell("th", i, h) for i, h in enumerate(t.headers))
                       + "</tr></thead><tbody>")
            out += ["<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in t.rows]
            out.append("</tbody></table>")
        else:
            out.append(_none(_("(none)")))
    if block.text is not None:
        text = clean(block.text).strip("\n")
        out.append(f'<div class="text">{html.escape(text, quote=True)}</div>' if text.strip()
                   else _none(_("(none)")))
    if block.items:
        out.append("<ul>" + "".join(f"<li>{_e(item)}</li>" for item in block.items) + "</ul>")
    out.append("</section>")
    return out


def write_html(sheets: Sequence[Sheet], out: TextIO) -> None:
    lang = "zh-CN" if language() == "zh" else "en"
    title = sheets[0].title if len(sheets) == 1 else _("Sheets")
    if len(sheets) == 1:
        title = f"{sheets[0].title}: {sheets[0].heading}"
    out.write(f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
              # nothing runs and nothing is fetched, whatever a value holds
              '<meta http-equiv="Content-Security-Policy" '
              'content="default-src \'none\'; style-src \'unsafe-inline\'">\n'
              f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n")
    for sheet in sheets:
        lines = ['<article class="sheet">',
                 f'<h1><span class="kind">{_e(sheet.title)}:</span> {_e(sheet.heading)}</h1>']
        for block in sheet.blocks:
            lines += _html_block(block)
        lines.append("</article>")
        out.write("\n".join(lines) + "\n")
    if not sheets:
        out.write(_none(_("No orders.")) + "\n")
    out.write("</body>\n</html>\n")


def write(sheets: Sequence[Sheet], out: TextIO, fmt: str = "md") -> None:
    """Raises ValueError for an unknown format."""
    writers = {"md": write_md, "html": write_html, "txt": write_txt}
    if fmt not in writers:
        raise ValueError(f"unknown sheet format {fmt!r} (use {', '.join(FORMATS)})")
    writers[fmt](sheets, out)
