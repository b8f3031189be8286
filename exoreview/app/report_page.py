"""The report's page: its HTML shell (header, contents, sections) and its style for the screen and
for print. Printed (Chromium, A4), every section starts a page under a running line with the title
and the date; no figure, table row or card is cut across pages; links show their address; the
contents and every control are left out.
"""

from __future__ import annotations

import datetime as dt
import html

_CSS = """
body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;margin:0;color:#222;line-height:1.45}
main{max-width:1200px;margin:0 auto;padding:1em 2em 4em}
header{background:#0b3c5d;color:#fff;padding:1.2em 2em}
header h1{margin:0 0 .3em;font-size:1.6em} header p{margin:.2em 0;color:#dde}
nav ol{columns:2;font-size:.95em} h2{border-bottom:2px solid #0b3c5d;padding-bottom:.2em;margin-top:2em}
figure{margin:1.5em 0;page-break-inside:avoid} figure img,.output-image{max-width:100%;height:auto}
figcaption{font-size:.9em;color:#444} .nb-name{font-size:.8em;color:#777;margin:2em 0 0}
pre.output-text{background:#f6f6f6;padding:.5em;white-space:pre-wrap;font-size:.85em}
.output-html{overflow-x:auto;margin:.6em 0} .widget-static{border:1px dashed #bbb;padding:.6em;margin:.6em 0}
.w-row{display:flex;flex-wrap:wrap;gap:.5em;align-items:center}
.w-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:.2em 1em}
.w-control{font-size:.85em} .w-label{font-weight:bold;color:#0b3c5d}
.note{background:#fff8e1;border-left:4px solid #E69F00;padding:.5em 1em}
.running{display:none}
@media print{
 @page{size:A4 landscape;margin:12mm}
 body{font-size:11pt} main{max-width:none;padding:0}
 header{background:none;color:#000;padding:0 0 .5em} header p{color:#333}
 nav,button,input,select,textarea,.w-control,.jupyter-widgets-controls{display:none!important}
 main>section+section{break-before:page;page-break-before:always}
 .running{display:block;font-size:8pt;color:#555;border-bottom:1px solid #bbb;margin:0 0 .4em}
 h2{margin-top:0} h2,h3,h4{break-after:avoid;page-break-after:avoid}
 figure,img,tr,pre,.exoreview-claim-card,.note{break-inside:avoid;page-break-inside:avoid}
 figure img,.output-image{max-height:15cm;object-fit:contain}
 .output-html{overflow:visible}
 a{color:#000} a[href]:not([href^="#"])::after{content:" (" attr(href) ")";font-size:.85em;color:#333}
}
"""


def page(*, title: str, subtitle: str, sections: list[tuple[str, str, str]], notes: list[str]) -> str:
    """The whole report: header, contents, sections (anchor, heading, html). Printed, each section
    starts a page under a running line (the title and today's date)."""
    toc = "".join(f'<li><a href="#{a}">{html.escape(h)}</a></li>' for a, h, _ in sections)
    running = f'<p class="running">{html.escape(title)} · {dt.date.today().isoformat()}</p>'
    body = "".join(
        f'<section id="{a}">{running}<h2>{html.escape(h)}</h2>{s}</section>' for a, h, s in sections
    )
    note = "".join(f'<p class="note">{html.escape(n)}</p>' for n in notes)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></header><main>"
        f"{note}<nav><h2>Contents</h2><ol>{toc}</ol></nav>{body}</main></body></html>\n"
    )
