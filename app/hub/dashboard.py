"""The hub's web dashboard: one server-rendered HTML page with inline CSS and SVG (works offline)."""
from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlencode

from app.hub.network import flatten

CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;margin:0;background:#faf7f2;color:#222}
header{background:#b71c1c;color:#fff;padding:14px 24px}header h1{margin:0;font-size:22px}
main{padding:16px 24px;max-width:1200px}
section{background:#fff;border:1px solid #e5dccf;border-radius:6px;padding:12px 16px;margin:14px 0}
h2{font-size:17px;margin:4px 0 10px;color:#8e1414}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:#fff;border:1px solid #e5dccf;border-radius:6px;padding:10px 16px;min-width:130px}
.card b{display:block;font-size:26px;color:#b71c1c}.muted{color:#777}.warn{color:#c62828;font-weight:bold}
form{display:inline-flex;gap:8px;align-items:center;font-size:14px}a{color:#8e1414}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
"""
SESSIONS_COLOR, CAMERA_COLOR = "#b71c1c", "#e0a030"


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.1f}"
    if isinstance(v, int):
        return f"{v:,}"
    return escape(str(v))


def bar_chart(rows: list[dict[str, Any]], label: str, width: int = 1100, height: int = 220) -> str:
    """Grouped bars: sessions beside camera visitors, one group per row (an inline SVG)."""
    if not rows:
        return '<p class="muted">No visits in this period.</p>'
    top = max(max(r["sessions"], r["camera_visitors"]) for r in rows) or 1
    n = len(rows)
    left, bottom, plot_h = 40, 36, height - 50
    group = (width - left - 10) / n
    bar = min(36.0, max(1.0, group * 0.38))
    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(label)}">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="{left - 6}" y="18" font-size="11" text-anchor="end">{top:,}</text>',
             f'<text x="{left - 6}" y="{height - bottom}" font-size="11" text-anchor="end">0</text>']
    step = max(1, n // 16)
    for i, r in enumerate(rows):
        x = left + i * group + group * 0.1
        for j, (key, color) in enumerate((("sessions", SESSIONS_COLOR), ("camera_visitors", CAMERA_COLOR))):
            h = plot_h * r[key] / top
            parts.append(f'<rect x="{x + j * bar:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}" fill="{color}"><title>{escape(str(r[label]))}: {key} {r[key]}</title></rect>')
        if i % step == 0:
            text = str(r[label])[5:] if label == "day" else f"{r[label]:02d}"
            parts.append(f'<text x="{x + bar:.1f}" y="{height - bottom + 14}" font-size="11" '
                         f'text-anchor="middle">{escape(text)}</text>')
    parts.append("</svg>")
    legend = (f'<div class="legend"><span style="background:{SESSIONS_COLOR}"></span>sessions'
              f'<span style="background:{CAMERA_COLOR}"></span>camera visitors</div>')
    return "".join(parts) + legend


def render(report: dict[str, Any]) -> str:
    """The whole dashboard page for a network_report()."""
    net, st = report["network"], report["stats"]
    q = {k: v for k, v in (("from", report["from"]), ("to", report["to"])) if v}
    title = "whole network" if not report["hall"] else f"hall {report['hall']}"
    h = [f"<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>Hongtu hub</title>"
         f"<meta name=\"viewport\" content=\"width=device-width\"><style>{CSS}</style></head><body>",
         "<header><h1>红图 Hongtu · network dashboard</h1></header><main>",
         '<form method="get">From <input type="date" name="from" value="{}"> To <input type="date" name="to" '
         'value="{}">{}<button>Show</button> <a href="/">all time</a></form>'.format(
             escape(report["from"] or ""), escape(report["to"] or ""),
             f'<input type="hidden" name="hall" value="{escape(report["hall"])}">' if report["hall"] else ""),
         '<section><h2>Province totals</h2><div class="cards">']
    for key, label in (("sessions", "visitor sessions"), ("camera_visitors", "camera visitors"),
                       ("exhibit_views", "exhibit views"), ("quiz_rounds", "quiz rounds"),
                       ("terminals", "terminals"), ("events", "events")):
        h.append(f'<div class="card"><b>{_fmt(net[key])}</b>{label}</div>')
    h.append("</div></section>")
    h.append("<section><h2>Halls (1+9+N)</h2><table><tr><th>hall</th><th>level</th><th>terminals</th>"
             "<th>sessions</th><th>camera visitors</th><th>exhibit views</th><th>quiz rounds</th></tr>")
    for n in flatten(report["tree"]):
        t = n["totals"]
        link = "?" + urlencode({**q, "hall": n["id"]})
        pad = "&nbsp;" * 4 * n["depth"]
        h.append(f'<tr><td>{pad}<a href="{escape(link)}">{escape(n["name"])}</a> '
                 f'<span class="muted">{escape(n["id"])}</span></td><td>{escape(n["level"])}</td>'
                 + "".join(f"<td>{_fmt(t[k])}</td>" for k in
                           ("terminals", "sessions", "camera_visitors", "exhibit_views", "quiz_rounds")) + "</tr>")
    h.append("</table></section>")
    h.append(f"<section><h2>Visitors per day — {escape(title)}</h2>{bar_chart(st['per_day'], 'day')}</section>")
    h.append(f"<section><h2>Visitors per hour of day — {escape(title)}</h2>{bar_chart(st['per_hour'], 'hour')}</section>")
    h.append("<section><h2>Top exhibits</h2><table><tr><th>by views</th><th>views</th><th>avg dwell s</th></tr>")
    for e in st["top_exhibits_by_views"]:
        h.append(f"<tr><td>{escape(e['exhibit_id'])}</td><td>{_fmt(e['views'])}</td><td>{_fmt(e['avg_dwell_s'])}</td></tr>")
    h.append("</table><table><tr><th>by dwell time</th><th>total dwell s</th><th>views</th></tr>")
    for e in st["top_exhibits_by_dwell"]:
        h.append(f"<tr><td>{escape(e['exhibit_id'])}</td><td>{_fmt(e['dwell_s'])}</td><td>{_fmt(e['views'])}</td></tr>")
    r, qz = st["routes"], st["quiz"]
    rate = "–" if r["completion_rate"] is None else f"{100 * r['completion_rate']:.0f}%"
    part = "–" if qz["participation_rate"] is None else f"{100 * qz['participation_rate']:.0f}%"
    h.append(f"</table></section><section><h2>Routes and quiz</h2><p>Routes: {_fmt(r['started'])} started, "
             f"{_fmt(r['completed'])} completed ({rate}). Quiz: {_fmt(qz['rounds'])} rounds, participation {part} "
             f"of sessions, average score {_fmt(qz['avg_score'])}, average time {_fmt(qz['avg_time_s'])} s; "
             f"PK {qz['pk']['win']} won / {qz['pk']['lose']} lost / {qz['pk']['draw']} drawn.</p></section>")
    h.append("<section><h2>Terminals</h2><table><tr><th>terminal</th><th>hall</th><th>last seen (hub time)</th>"
             "<th>clock skew</th><th>events received</th><th>last seq</th></tr>")
    for t in report["terminals"]:
        skew = "–" if t["clock_skew_s"] is None else f"{t['clock_skew_s']:+.1f} s"
        cls = ' class="warn"' if t["skew_warning"] else ""
        h.append(f"<tr><td>{escape(t['id'])}</td><td>{escape(t['hall_id'] or '')}</td><td>{_fmt(t['last_seen'])}</td>"
                 f"<td{cls}>{skew}</td><td>{_fmt(t['events'])}</td><td>{_fmt(t['max_seq'])}</td></tr>")
    h.append('</table><p class="muted">Clock skew = hub receive time − terminal send time (positive: the '
             "terminal's clock is behind). Figures use the terminals' own timestamps.</p></section>")
    h.append("</main></body></html>")
    return "".join(h)
