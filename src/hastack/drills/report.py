"""The HA report: JSON, a markdown summary, and an HTML page with one SVG timeline per drill.

Pure: results in, text out. The SVG is drawn here (no plotting library): one row per probe,
a green tick per success, a red one per failure, an amber one per slow success, with the
injection, the restore, the end of the fault and "all green" marked.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from .result import DrillResult

FORMAT_VERSION = 1


def _fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f} s"


def _healed(result: DrillResult) -> str:
    healed = result.healed_in_s
    if healed is None:
        return f"not within {result.heal_deadline_s:g} s"
    return f"{healed:.1f} s (target {result.heal_target_s:g} s)"


def summary_row(result: DrillResult) -> dict[str, str]:
    """One drill as the table the CLI prints and the markdown shows."""
    predicted = result.predicted.seconds if result.predicted else None
    sql, amqp = result.sql, result.amqp
    return {
        "drill": result.drill,
        "result": "pass" if result.passed else "FAIL",
        "predicted outage": _fmt(predicted),
        "measured outage": f"{_fmt(result.measured_outage_s)} ({result.measured_kind})",
        "failed requests": f"{result.failed_requests}/{result.requests}",
        "lost writes": "-" if sql is None else f"{sql.lost}/{sql.acknowledged}",
        "lost/dup messages": "-" if amqp is None else f"{amqp.lost}/{amqp.duplicated}",
        "max VIP holders": str(result.max_holders),
        "healed in": _healed(result),
    }


def to_json(
    results: Sequence[DrillResult], skipped: Sequence[tuple[str, str]], meta: dict[str, Any]
) -> str:
    data = {
        "format": FORMAT_VERSION,
        **meta,
        "drills": [r.to_dict() for r in results],
        "skipped": [{"drill": name, "reason": why} for name, why in skipped],
    }
    return json.dumps(data, indent=1, default=str) + "\n"


def to_markdown(
    results: Sequence[DrillResult], skipped: Sequence[tuple[str, str]], meta: dict[str, Any]
) -> str:
    lines = [f"# hastack drill report: {meta.get('deployment', '')}", ""]
    lines += [f"- {k}: {v}" for k, v in meta.items() if k != "deployment"]
    lines += [
        "",
        "Outage = first failed probe attempt (an error, or the client's own timeout) to the "
        "next success. Successes slower than 1 s are counted as slow: data, not outage.",
        "Predicted = the planner's budget for the timer profile (`hastack plan`).",
        "Healed in = from the end of the fault (restore done: power on, links back, BMC "
        "answering; or the kill itself) to every check of `hastack status` ok, with no deploy "
        "and no recovery command in between.",
        "",
    ]
    if results:
        header = list(summary_row(results[0]))
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(summary_row(r).values()) + " |" for r in results]
    for name, why in skipped:
        lines.append(f"\n*{name}* skipped: {why}")
    for result in results:
        lines += ["", f"## {result.drill}", "", result.description, ""]
        lines += _detail_lines(result)
    return "\n".join(lines) + "\n"


def _detail_lines(result: DrillResult) -> list[str]:
    took = "" if result.injected_in is None else f" (complete at +{result.injected_in:.2f} s)"
    lines = [f"- chosen: {result.chosen}", f"- injected: {result.injected}{took}"]
    lines += [f"- {'ok' if s.ok else 'FAILED'}: {s.sentence}" for s in result.steps]
    lines += [f"- restore: {line}" for line in result.restored]
    if result.fault_end_at is not None:
        lines.append(f"- fault over at +{result.fault_end_at:.2f} s")
    lines.append(f"- healing: {result.heal_sentence}")
    if result.healed:
        lines.append(f"- last to heal (after the fault): {result.last_to_heal}")
    if result.predicted:
        items = "; ".join(f"{label} {sec:g} s" for label, sec in result.predicted.items)
        lines.append(
            f"- predicted ({result.predicted.subject}): {result.predicted.seconds:g} s = {items}"
        )
    for probe in result.probes:
        m = probe.measure
        windows = ", ".join(
            f"{w.start:+.2f}..{'never' if w.end is None else f'{w.end:+.2f}'}"
            for w in probe.measure.windows
        )
        lines.append(
            f"- probe {probe.name}: {m.attempts} attempts, {m.failed} failed "
            f"({100 * m.failed_ratio:.1f} %), {m.slow} slow, outage {m.outage_s:.2f} s"
            + (f" (windows {windows})" if windows else "")
            + "".join(f"; {count} x {error}" for error, count in probe.errors)
        )
    if result.sql:
        lines.append(f"- database ledger: {result.sql.sentence}")
    if result.amqp:
        lines.append(f"- message ledger: {result.amqp.sentence}")
    lines.append(f"- VIP holders: at most {result.max_holders} at once")
    lines += [f"- **FAILED**: {f}" for f in result.failures()]
    return lines


# -- HTML + SVG ------------------------------------------------------------------------------
ROW_H, LEFT, WIDTH, TOP = 22, 300, 1000, 42
COLORS = {"ok": "#2a2", "slow": "#e90", "failed": "#d22"}


def timeline_svg(result: DrillResult) -> str:
    rows = list(result.probes)
    times = [t for p in rows for seg in p.timeline for t in (seg.start, seg.end)] or [0.0]
    start = min([*times, -1.0])
    end = max([*times, result.green_at or 0.0, result.fault_end_at or 0.0, result.heal_at]) + 1
    scale = (WIDTH - LEFT - 20) / max(end - start, 1e-6)

    def x(t: float) -> float:
        return LEFT + (t - start) * scale

    height = TOP + ROW_H * len(rows) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        'font-family="sans-serif" font-size="11">'
    ]
    for i, probe in enumerate(rows):
        y = TOP + i * ROW_H
        parts.append(f'<text x="4" y="{y + 14}">{html.escape(probe.name[:48])}</text>')
        for seg in probe.timeline:
            width = max(1.5, (seg.end - seg.start) * scale)
            parts.append(
                f'<rect x="{x(seg.start):.1f}" y="{y + 3}" width="{width:.1f}" height="14" '
                f'fill="{COLORS[seg.state]}"><title>{seg.count} {seg.state} '
                f"{seg.start:+.2f}..{seg.end:+.2f} s</title></rect>"
            )
    marks = (
        ("inject", 0.0, "#000"),
        ("restore", result.heal_at, "#36c"),
        ("fault over", result.fault_end_at, "#939"),
        ("all green", result.green_at, "#2a2"),
    )
    for i, (label, t, color) in enumerate(marks):
        if t is None:
            continue
        label_y = TOP - 26 + 12 * (i % 2)  # alternate rows: restore and fault over are close
        parts.append(
            f'<line x1="{x(t):.1f}" y1="{label_y + 2}" x2="{x(t):.1f}" y2="{height - 24}" '
            f'stroke="{color}" stroke-dasharray="4,3"/>'
        )
        parts.append(
            f'<text x="{x(t) + 3:.1f}" y="{label_y}" fill="{color}">{label} {t:+.1f} s</text>'
        )
    step = max(1, int((end - start) / 10))
    parts += [
        f'<text x="{x(tick):.1f}" y="{height - 8}" fill="#666">{tick:+d}s</text>'
        for tick in range(int(start), int(end) + 1, step)
    ]
    parts.append("</svg>")
    return "\n".join(parts)


def to_html(
    results: Sequence[DrillResult], skipped: Sequence[tuple[str, str]], meta: dict[str, Any]
) -> str:
    title = f"hastack drill report: {html.escape(str(meta.get('deployment', '')))}"
    body = [f"<h1>{title}</h1>", "<ul>"]
    body += [f"<li>{html.escape(k)}: {html.escape(str(v))}</li>" for k, v in meta.items()]
    body.append("</ul>")
    if results:
        header = list(summary_row(results[0]))
        body.append(
            "<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>"
        )
        for r in results:
            cells = "".join(f"<td>{html.escape(v)}</td>" for v in summary_row(r).values())
            body.append(f"<tr>{cells}</tr>")
        body.append("</table>")
    body += [f"<p><b>{html.escape(n)}</b> skipped: {html.escape(w)}</p>" for n, w in skipped]
    for r in results:
        body += [
            f"<h2>{html.escape(r.drill)}</h2>",
            f"<p>{html.escape(r.description)}</p>",
            timeline_svg(r),
            "<ul>",
        ]
        body += [f"<li>{html.escape(line.removeprefix('- '))}</li>" for line in _detail_lines(r)]
        body.append("</ul>")
    style = (
        "body{font-family:sans-serif;max-width:1040px;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px}"
    )
    return (
        f'<!doctype html>\n<html><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
