"""Diagrams drawn at build time as small inline SVG: no script, no image file, any language.

A cluster's graph places the cluster on top and a spine down the middle, its partners on the
left and its initiatives on the right, in the order the sections list them: the same input
always gives the same drawing. The SVG is decoration (aria-hidden); the page lists the same
links beside it as text, which screen readers and text browsers use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape as _escape

from markupsafe import Markup

WIDTH = 360
SPINE = WIDTH / 2
NODE_W = 144
HUB_W = 248
LINE = 15  # node text line height
HUB_LINE = 18
GAP = 8
# Average glyph widths of a sans-serif face, as a share of the font size: wide enough that a
# label wraps before it overflows its box in any of the system fonts the stylesheet names.
CHAR = 0.6
BOLD_CHAR = 0.64


def wrap(text: str, size: float, width: float, bold: bool = False, most: int = 3) -> list[str]:
    """Break a label into lines that fit `width` at `size`, by words; long words stay whole."""
    per_line = max(4, int(width / (size * (BOLD_CHAR if bold else CHAR))))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = lines[: most - 1] + [" ".join(lines[most - 1 :])]
    return lines


def _text(lines: Sequence[str], x: float, top: float, step: float, cls: str) -> str:
    spans = "".join(
        f'<tspan x="{x:g}" y="{top + step * (i + 1) - 4:g}">{_escape(line, quote=False)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text class="{cls}" x="{x:g}" text-anchor="middle">{spans}</text>'


def _column(labels: Sequence[str], x: float, top: float, cls: str) -> tuple[list[str], float]:
    """Stack one side's nodes from `top`; returns the SVG parts and the spine's lowest point."""
    parts: list[str] = []
    y = top
    lowest = top
    inner = x + NODE_W if x < SPINE else x
    for label in labels:
        lines = wrap(label, 12.5, NODE_W - 16)
        height = 10 + LINE * len(lines)
        middle = y + height / 2
        parts.append(f'<path class="edge" d="M{inner:g} {middle:g}H{SPINE:g}"/>')
        parts.append(
            f'<rect class="node {cls}" x="{x:g}" y="{y:g}" width="{NODE_W}" '
            f'height="{height:g}" rx="3"/>'
        )
        parts.append(_text(lines, x + NODE_W / 2, y + 5, LINE, "node-label"))
        parts.append(f'<circle class="joint" cx="{SPINE:g}" cy="{middle:g}" r="3"/>')
        lowest = middle
        y += height + GAP
    return parts, lowest if labels else top


def cluster_graph(
    cluster: str, partners: Sequence[str], initiatives: Sequence[str], headings: tuple[str, str]
) -> Markup:
    """The cluster, then its partners (left) and initiatives (right) joined to one spine."""
    hub_lines = wrap(cluster, 15, HUB_W - 24, bold=True, most=2)
    hub_h = 14 + HUB_LINE * len(hub_lines)
    heads_y = hub_h + 26
    top = heads_y + 10
    left_x, right_x = SPINE - 36 - NODE_W, SPINE + 36
    left, left_low = _column(partners, left_x, top, "partner")
    right, right_low = _column(initiatives, right_x, top, "initiative")
    bottom = max(
        top + sum(10 + LINE * len(wrap(t, 12.5, NODE_W - 16)) + GAP for t in partners),
        top + sum(10 + LINE * len(wrap(t, 12.5, NODE_W - 16)) + GAP for t in initiatives),
    )
    height = math.ceil(bottom)
    parts = [
        f'<svg class="graph-svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" aria-hidden="true" focusable="false">',
        f'<path class="spine" d="M{SPINE:g} {hub_h:g}V{max(left_low, right_low, hub_h):g}"/>',
        f'<rect class="hub" x="{SPINE - HUB_W / 2:g}" y="0" width="{HUB_W}" '
        f'height="{hub_h}" rx="4"/>',
        _text(hub_lines, SPINE, 7, HUB_LINE, "hub-label"),
    ]
    if partners:
        parts.append(_text([headings[0]], left_x + NODE_W / 2, heads_y - 14, 14, "col-head"))
    if initiatives:
        parts.append(_text([headings[1]], right_x + NODE_W / 2, heads_y - 14, 14, "col-head"))
    parts += left + right
    parts.append("</svg>")
    return Markup("".join(parts))


def quadruple_helix(labels: Sequence[str], centre: str, title: str, description: str) -> Markup:
    """Four overlapping ellipses, one per actor, around the platform that joins them.

    The labels go in the order knowledge institutions, companies, governments, the public.
    The SVG is an image with a title and a description in the page's language.
    """
    cx, cy = 180, 150
    petals, names = [], []
    spots = ((0, -1), (1, 0), (0, 1), (-1, 0))
    for i, (dx, dy) in enumerate(spots):
        petals.append(
            f'<ellipse class="petal petal-{i + 1}" cx="{cx + dx * 62:g}" cy="{cy + dy * 58:g}" '
            f'rx="{86 if dy else 60}" ry="{60 if dy else 86}"/>'
        )
        lines = wrap(labels[i], 13, 100 if not dy else 140, bold=True, most=3)
        x = cx + dx * 98
        y = cy + dy * 92 - (len(lines) * 16) / 2
        names.append(_text(lines, x, y, 16, "petal-label"))
    centre_lines = wrap(centre, 12, 84, bold=True, most=3)
    hub = f'<circle class="helix-hub" cx="{cx}" cy="{cy}" r="46"/>' + _text(
        centre_lines, cx, cy - len(centre_lines) * 15 / 2, 15, "helix-hub-label"
    )
    return Markup(
        '<svg class="helix-svg" viewBox="0 0 360 300" width="360" height="300" role="img" '
        'aria-labelledby="helix-title helix-desc">'
        f'<title id="helix-title">{_escape(title, quote=False)}</title>'
        f'<desc id="helix-desc">{_escape(description, quote=False)}</desc>'
        + "".join(petals)
        + hub
        + "".join(names)
        + "</svg>"
    )
