"""Benchmark of decision letters: tagged PDF letters per second on one core.

    .venv/bin/python bench/letters_bench.py            # 40 letters per kind (about a minute)
    .venv/bin/python bench/letters_bench.py --n 10     # smoke test

Letters are drawn from decisions built in memory (no database), as the `letters` queue draws them: a
single adult's grant in Swedish, a couple with two children in Swedish, and the same couple's letter in
Arabic. The first letter of each kind (parsing the stylesheet and loading fonts, done once per process)
is timed apart from the rest. One process, so the rate is per core.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import time
import uuid
from decimal import Decimal


def decisions():
    """The decisions to draw letters for: (name, decision, language)."""
    from bistand.decisions.models import Decision
    from bistand.identity.models import Municipality, Person
    from bistand.intake.models import Application
    from bistand.rules import calculate

    town = Municipality(code="1287", name="Trelleborgs kommun")
    anna = Person(personnummer="198001139297", first_name="Anna", last_name="Demosson")
    bo = Person(personnummer="198001249286", first_name="Bo", last_name="Demosson")
    out = []
    for name, couple, lang in (
        ("single, sv", False, "sv"),
        ("couple, 2 children, sv", True, "sv"),
        ("couple, 2 children, ar", True, "ar"),
    ):
        members = [{"id": "a", "role": "applicant", "birth_date": "1980-01-13"}]
        if couple:
            members += [
                {"id": "b", "role": "co_applicant", "birth_date": "1980-01-24"},
                {"id": "c1", "role": "child", "birth_date": "2015-01-01"},
                {"id": "c2", "role": "child", "birth_date": "2023-03-02", "lunch_at_home": False},
            ]
        household = {
            "month": "2026-12",
            "members": members,
            "costs": [{"type": "rent", "amount": 7800}, {"type": "electricity", "amount": 350}],
            "incomes": [{"member": "a", "type": "child_allowance", "amount": 2500}] if couple else [],
        }
        calculation = json.loads(calculate(household).to_json(indent=None))
        application = Application(
            reference=uuid.UUID(int=len(out) + 1),
            applicant=anna,
            co_applicant=bo if couple else None,
            municipality=town,
            month=datetime.date(2026, 12, 1),
        )
        amount = Decimal(str(calculation["entitlement"]))
        decision = Decision(
            application=application,
            version=1,
            month=application.month,
            outcome="grant",
            amount_applied=amount,
            amount_granted=amount,
            calculation=calculation,
            automated=True,
            delegation={
                "body": "Socialnämnden",
                "decision": "§ 4.2",
                "date": "2026-01-20",
                "reference": "SN 1",
            },
            decided_at=datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC),
            inputs={},
            rules_version="bench",
        )
        out.append((name, decision, lang))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="letters per kind (default 40)")
    args = parser.parse_args()

    from bistand.core.django_setup import setup_django

    setup_django()
    from bistand.decisions.letters import render_letter

    print(f"python {platform.python_version()}, {platform.machine()}; {args.n} letters per kind, one process")
    for name, decision, lang in decisions():
        started = time.perf_counter()
        size = len(render_letter(decision, lang))
        first = time.perf_counter() - started
        times = []
        for _ in range(args.n):
            started = time.perf_counter()
            render_letter(decision, lang)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        print(
            f"{name:24} first {first * 1000:6.0f} ms   then median {median * 1000:5.0f} ms"
            f" = {1 / median:5.1f} letters/s   ({size // 1024} KiB)"
        )
    compare(decisions()[1][1], args.n)


def compare(decision, n: int) -> None:
    """The same letter three ways, interleaved so that load from other processes hits each alike."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from bistand.decisions.letters import STYLESHEET, _style, letter_html

    html = letter_html(decision, "sv")
    css, fonts = _style()

    def fresh_untagged():
        own_fonts = FontConfiguration()
        HTML(string=html).write_pdf(
            stylesheets=[CSS(filename=str(STYLESHEET), font_config=own_fonts)], font_config=own_fonts
        )

    def reused_untagged():
        HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)

    def reused_tagged():
        HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts, pdf_variant="pdf/ua-1")

    ways = {
        "stylesheet and fonts per letter, untagged": fresh_untagged,
        "stylesheet and fonts reused, untagged": reused_untagged,
        "stylesheet and fonts reused, tagged PDF/UA-1 (as shipped)": reused_tagged,
    }
    times = {name: [] for name in ways}
    for _ in range(n):
        for name, way in ways.items():
            started = time.perf_counter()
            way()
            times[name].append(time.perf_counter() - started)
    print("couple, 2 children, sv, interleaved:")
    for name, taken in times.items():
        median = statistics.median(taken)
        print(f"  {name:58} median {median * 1000:5.0f} ms = {1 / median:5.1f} letters/s")


if __name__ == "__main__":
    main()
