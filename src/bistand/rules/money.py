"""Money: exact decimals, the rounding rules, Swedish formatting and JSON output.

Rounding rules (see docs/rules.md):
- every line amount is kept exact to the öre: a share that does not come out even (common costs shared in
  a larger household, a child living part of the month, the jobbstimulans quarter) is rounded half up to
  whole öre when the line is made;
- totals are exact sums of their lines, and the deficit is exact;
- the entitlement is max(0, deficit) rounded half up to whole kronor (calculation contract).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

ORE = Decimal("0.01")
KRONA = Decimal(1)
ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def to_ore(amount: Decimal) -> int:
    """Kronor with at most two decimals (as input checking and the parameter loader ensure) as whole öre."""
    return int(amount * _HUNDRED)  # a Decimal times a Decimal: no conversion of 100 on every call


def from_ore(ore: int) -> Decimal:
    """Whole öre as kronor."""
    return Decimal(int(ore)) / 100


def round_ore(amount: Decimal) -> Decimal:
    """Round half up to whole öre."""
    return amount.quantize(ORE, ROUND_HALF_UP)


def round_krona(amount: Decimal) -> Decimal:
    """Round half up to whole kronor."""
    return amount.quantize(KRONA, ROUND_HALF_UP)


def json_number(amount: Decimal) -> str:
    """A whole-krona amount as an integer (`12540`), an öre amount with two decimals (`372.50`)."""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount.quantize(ORE, ROUND_HALF_UP), "f")


def format_sek(amount: Decimal | int | str, lang: str | None = "sv") -> str:
    """An amount as people write it in `lang`; the one money format of every page, letter and message.

    Swedish `12 540 kr`, `372,50 kr`; English `SEK 12,540`, `SEK 372.50`; Arabic `12540 كرون`, `372,50 كرون`
    (the separators of Django's formats for each language, so a typed amount reads back the same way).
    Whole kronor without decimals, öre with two. No-break spaces between thousands and before the unit, so
    that a line never breaks inside an amount. `lang` may be a language tag (`sv-SE`); unknown is Swedish.
    """
    amount = Decimal(str(amount))
    lang = (lang or "sv").split("-")[0].lower()
    negative = amount < 0
    amount = abs(amount)
    whole = amount == amount.to_integral_value()
    text = f"{int(amount):,}" if whole else f"{amount.quantize(ORE, ROUND_HALF_UP):,.2f}"
    if lang == "en":
        text = f"SEK\u00a0{text}"
    elif lang == "ar":
        text = text.replace(",", "").replace(".", ",") + "\u00a0كرون"
    else:
        text = text.replace(",", "\u00a0").replace(".", ",") + "\u00a0kr"
    return f"−{text}" if negative else text


def dumps(value: Any, indent: int | None = 2) -> str:
    """JSON text where Decimal amounts keep their exact value (never through float)."""
    out: list[str] = []
    _write(value, out, "\n" if indent else "", " " * indent if indent else "")
    return "".join(out)


_encode_str = json.encoder.encode_basestring  # C implementation; keeps å, ä, ö readable
_CONSTANTS = {True: "true", False: "false", None: "null"}


def _write(value: Any, out: list[str], newline: str, step: str) -> None:
    # `newline` is the line break plus the current indentation; empty for compact output.
    kind = type(value)
    if kind is str:
        out.append(_encode_str(value))
    elif kind is Decimal:
        out.append(json_number(value))
    elif kind is bool or value is None:
        out.append(_CONSTANTS[value])
    elif kind is int:
        out.append(str(value))
    elif isinstance(value, Mapping):
        if not value:
            out.append("{}")
            return
        inner = newline + step
        first = True
        out.append("{")
        for key, item in value.items():
            out.append(inner if first else "," + inner)
            first = False
            out.append(_encode_str(str(key)))
            out.append(": " if newline else ":")
            _write(item, out, inner, step)
        out.append(newline + "}")
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        if not value:
            out.append("[]")
            return
        inner = newline + step
        out.append("[")
        for i, item in enumerate(value):
            out.append(inner if i == 0 else "," + inner)
            _write(item, out, inner, step)
        out.append(newline + "]")
    elif isinstance(value, Decimal):
        out.append(json_number(value))
    else:
        out.append(json.dumps(value, ensure_ascii=False))
