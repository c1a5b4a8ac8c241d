"""`bistand policy`: record a municipality's automation policy with the nämnd's delegation, and show it.

    bistand policy record 1287 policy.yaml     # version, valid_from, delegation, overrides of the default
    bistand policy show 1287 [--month 2026-12]

The file (YAML or JSON) holds ``version``, ``valid_from`` and ``delegation`` (body, date, reference, scope,
valid_from) and may override the default policy's sections (``decides_automatically``,
``housing_guidance`` …, each given whole). Bad input is refused with the field named; nothing is stored.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import Any

import yaml

TOP_LEVEL = ("version", "valid_from", "delegation")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    record = sub.add_parser(
        "record", help="record a policy version with its delegation from a YAML/JSON file"
    )
    record.add_argument("municipality", help="the municipality's code, e.g. 1287")
    record.add_argument("file", type=Path)
    show = sub.add_parser("show", help="the policy in force, in plain Swedish")
    show.add_argument("municipality")
    show.add_argument("--month", default=None, help="YYYY-MM (default: this month)")


def policy_errors(data: Any, defaults: dict[str, Any]) -> list[tuple[str, str]]:
    """Every problem with a policy file, as (field, message); empty when it can be recorded."""
    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.casework.policy import delegation_errors

    if not isinstance(data, dict):
        return [("", "filen ska innehålla ett objekt med version, valid_from och delegation")]
    errors: list[tuple[str, str]] = []
    if not isinstance(data.get("version"), str) or not data["version"].strip():
        errors.append(("version", "saknas"))
    elif len(data["version"]) > 32:
        errors.append(("version", "högst 32 tecken"))
    try:
        datetime.date.fromisoformat(str(data.get("valid_from")))
    except ValueError:
        errors.append(("valid_from", "ska vara ett datum ÅÅÅÅ-MM-DD"))
    errors += delegation_errors(data.get("delegation"))
    for key, value in data.items():
        if key in TOP_LEVEL:
            continue
        if key not in defaults or key == "version":
            errors.append((key, "okänt fält"))
            continue
        if isinstance(defaults[key], dict):
            if not isinstance(value, dict):
                errors.append((key, "ska vara ett objekt"))
                continue
            errors += [(f"{key}.{k}", "okänt fält") for k in value if k not in defaults[key]]
            errors += [
                (f"{key}.{k}", "saknas (ange avsnittet helt)") for k in defaults[key] if k not in value
            ]
            # A yes/no key read as truthy would turn "nej" into yes: only true or false is accepted.
            errors += [
                (f"{key}.{k}", "ska vara true eller false")
                for k, v in value.items()
                if isinstance(defaults[key].get(k), bool) and not isinstance(v, bool)
            ]
    return errors


def _load(path: Path) -> Any:
    try:
        return _dates_as_text(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ValueError(f"{path}: kan inte läsas ({type(error).__name__})") from None


def _dates_as_text(value: Any) -> Any:
    """YAML reads 2026-01-01 as a date; the policy stores dates as ISO text (it is JSON)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    return value


def run(args: argparse.Namespace) -> int:
    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.core.django_setup import setup_django

    setup_django()
    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.casework.models import AutomationPolicy

    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.casework.policy import default_policy, describe, policy_for

    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.identity.models import Municipality

    municipality = Municipality.objects.filter(code=args.municipality).first()
    if municipality is None:
        print(f"municipality: ingen kommun med koden {args.municipality}", file=sys.stderr)
        return 2
    if args.action == "show":
        try:
            day = datetime.date.fromisoformat(f"{args.month}-01") if args.month else datetime.date.today()
        except ValueError:
            print("--month: ska vara ÅÅÅÅ-MM", file=sys.stderr)
            return 2
        policy = policy_for(municipality, day)
        print(f"{municipality.name}, {day.isoformat()[:7]}: version {policy.version}")
        for line in describe(policy):
            print(line)
        return 0
    try:
        data = _load(args.file)
    except ValueError as error:
        print(f"file: {error}", file=sys.stderr)
        return 2
    defaults = default_policy().config
    errors = policy_errors(data, defaults)
    if (
        not errors
        and AutomationPolicy.objects.filter(municipality=municipality, version=data["version"]).exists()
    ):
        errors.append(("version", "finns redan för kommunen; en ny version behöver ett nytt namn"))
    if errors:
        for field, message in errors:
            print(f"{field}: {message}", file=sys.stderr)
        return 2
    config = {key: value for key, value in data.items() if key not in TOP_LEVEL}
    AutomationPolicy.objects.create(
        municipality=municipality,
        version=data["version"],
        valid_from=datetime.date.fromisoformat(str(data["valid_from"])),
        delegation=data["delegation"],
        config=config,
    )
    print(f"Recorded policy {data['version']} for {municipality.name}, valid from {data['valid_from']}.")
    return 0
