"""The rules engine: the public calculation of försörjningsstöd.

Pure Python, no Django: `calculate(household)` takes the contract's input (a dict or a validated
`Household`) and returns a `Result` whose lines name the rule, parameter and law behind every amount.
See docs/rules.md and docs/calculation.md.

    from bistand.rules import calculate, explain
    result = calculate({"month": "2021-03", "members": [...]})
    print(result.to_json())
    print(explain(result))           # plain Swedish; explain(result, "en") for English
"""

from bistand.rules.engine import calculate
from bistand.rules.explain import explain
from bistand.rules.model import Household, Result
from bistand.rules.parameters import ParameterSet, default_parameters, load_parameters
from bistand.rules.validation import InvalidInput, validate

__all__ = [
    "Household",
    "InvalidInput",
    "ParameterSet",
    "Result",
    "calculate",
    "default_parameters",
    "explain",
    "load_parameters",
    "validate",
]
