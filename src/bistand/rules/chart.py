"""The simulation as a chart for the nämnd: cost per household type, baseline beside variant (SVG by hand).

Plain SVG 1.1 with a title and a description for screen readers, two colours that differ in lightness too
(readable in grey print), amounts written on the bars, and no script: it opens in any browser and prints.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from bistand.rules.money import format_sek
from bistand.rules.simulation import HOUSEHOLD_TYPES, Comparison

WIDTH, HEIGHT = 760, 420
LEFT, RIGHT, TOP, BOTTOM = 20, 20, 80, 110
BASE_COLOUR, VARIANT_COLOUR = "#9bbbd9", "#1d4e89"  # light and dark blue

TEXT = {
    "sv": {
        "title": "Kostnad per månad för försörjningsstöd, per hushållstyp",
        "base": "Nu",
        "variant": "Med ändringen",
        "gain": "{gainers} får mer, {losers} får mindre",
        "total": "Totalt: {total} → {after} ({difference}). {gainers} hushåll får mer, {losers} mindre.",
    },
    "en": {
        "title": "Monthly cost of income support, by household type",
        "base": "Now",
        "variant": "With the change",
        "gain": "{gainers} gain, {losers} lose",
        "total": "Total: {total} → {after} ({difference}). {gainers} households gain, {losers} lose.",
    },
}


def _short(amount: Decimal, lang: str) -> str:
    """An amount short enough for a bar: millions or thousands of kronor, one decimal for millions."""
    size = abs(amount)
    if size >= 1_000_000:
        text = f"{amount / 1_000_000:.1f}"
        return f"{text.replace('.', ',')} mkr" if lang != "en" else f"SEK {text}m"
    if size >= 10_000:
        text = f"{amount / 1000:.0f}"
        return f"{text} tkr" if lang != "en" else f"SEK {text}k"
    return format_sek(amount, lang)


def _signed(amount: Decimal, lang: str) -> str:
    return ("+" if amount > 0 else "") + format_sek(amount, lang)


def svg(comparison: Comparison, lang: str = "sv", variant_label: str = "") -> str:
    """The comparison as an SVG document (text)."""
    words = TEXT["en" if lang == "en" else "sv"]
    groups = comparison.by_type
    top = max([g.total for g in groups] + [g.total_after for g in groups] + [Decimal(1)])
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / len(groups)
    bar = slot * 0.32
    overall = comparison.overall
    summary = words["total"].format(
        total=format_sek(overall.total, lang),
        after=format_sek(overall.total_after, lang),
        difference=_signed(overall.difference, lang),
        gainers=overall.gainers,
        losers=overall.losers,
    )
    title = words["title"]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="t d" '
        f'font-family="Arial, Helvetica, sans-serif" lang="{escape(lang)}">',
        f'<title id="t">{escape(title + (f" — {variant_label}" if variant_label else ""))}</title>',
        f'<desc id="d">{escape(summary)}</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="24" font-size="17" font-weight="bold">{escape(title)}</text>',
        f'<text x="{LEFT}" y="44" font-size="13" font-weight="bold">{escape(variant_label)}</text>',
        f'<text x="{LEFT}" y="62" font-size="13">{escape(summary)}</text>',
    ]
    baseline_y = TOP + plot_h
    out.append(
        f'<line x1="{LEFT}" y1="{baseline_y}" x2="{WIDTH - RIGHT}" y2="{baseline_y}" stroke="#333333"/>'
    )
    labels = {key: (sv, en) for key, sv, en in HOUSEHOLD_TYPES}
    for index, group in enumerate(groups):
        x0 = LEFT + index * slot + slot * 0.16
        for offset, amount, colour in (
            (0, group.total, BASE_COLOUR),
            (bar, group.total_after, VARIANT_COLOUR),
        ):
            h = float(amount / top) * (plot_h - 20)
            x = x0 + offset
            out.append(
                f'<rect x="{x:.1f}" y="{baseline_y - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"/>'
            )
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{baseline_y - h - 4:.1f}" font-size="10" '
                f'text-anchor="middle">{escape(_short(amount, lang))}</text>'
            )
        centre = LEFT + index * slot + slot / 2
        name = labels[group.key][lang == "en"]
        out.append(
            f'<text x="{centre:.1f}" y="{baseline_y + 18}" font-size="11" text-anchor="middle" '
            f'font-weight="bold">{escape(name)}</text>'
        )
        out.append(
            f'<text x="{centre:.1f}" y="{baseline_y + 34}" font-size="11" text-anchor="middle">'
            f"{escape(_signed(group.difference, lang))}</text>"
        )
        gain = words["gain"].format(gainers=group.gainers, losers=group.losers)
        out.append(
            f'<text x="{centre:.1f}" y="{baseline_y + 49}" font-size="11" text-anchor="middle">'
            f"{escape(gain)}</text>"
        )
    legend_y = HEIGHT - 22
    for n, (colour, text) in enumerate(((BASE_COLOUR, words["base"]), (VARIANT_COLOUR, words["variant"]))):
        x = LEFT + n * 200
        out.append(f'<rect x="{x}" y="{legend_y - 11}" width="14" height="14" fill="{colour}"/>')
        out.append(f'<text x="{x + 20}" y="{legend_y}" font-size="12">{escape(text)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
