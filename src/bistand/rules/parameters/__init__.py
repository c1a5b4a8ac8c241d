"""The dated, sourced parameters of the calculation, loaded from YAML.

Layout (see docs/rules.md):

- `riksnorm/YEAR.yaml` — one riksnorm table per year: children with and without lunch by age bracket,
  adults single and couple, common household costs for 1–7 persons. Every amount carries (or inherits
  from its group or file) its source, a reliability tag and `verified`; derived amounts also carry the
  `method` and a machine-readable `derivation` that the tests re-run.
- `prisbasbelopp.yaml`, `jobbstimulans.yaml`, `children_salary_exemption.yaml`, `references.yaml` —
  records keyed by the date they take effect, in the spirit of OpenFisca's parameter files.

A data directory (`$BISTAND_DATA_DIR`, default `var/` at the repository root) overlays the packaged
files: `var/parameters/riksnorm/2027.yaml` adds a year, and a file there for an existing year replaces
the packaged one. That is where `bistand norm import` saves next year's table.
"""

from bistand.rules.ages import BRACKETS, YOUNG_BRACKETS
from bistand.rules.parameters.loading import (
    PACKAGE_DIR,
    PROJECT_DIR,
    RECHECK_SECONDS,
    check_table_consistency,
    data_dir,
    default_parameters,
    load_parameters,
    overlay_dir,
    parse_norm_table,
    reset_default_parameters,
)
from bistand.rules.parameters.model import (
    ADULT_KINDS,
    COMMON_SIZES,
    RELIABILITIES,
    RELIABILITY_BY_TAG,
    SOURCE_TAGS,
    DatedRecord,
    MonthAmounts,
    MonthParameters,
    NormTable,
    ParameterError,
    ParameterSet,
    ParamValue,
    weakest,
)

__all__ = [
    "ADULT_KINDS",
    "BRACKETS",
    "COMMON_SIZES",
    "PACKAGE_DIR",
    "PROJECT_DIR",
    "RECHECK_SECONDS",
    "RELIABILITIES",
    "RELIABILITY_BY_TAG",
    "SOURCE_TAGS",
    "YOUNG_BRACKETS",
    "DatedRecord",
    "MonthAmounts",
    "MonthParameters",
    "NormTable",
    "ParamValue",
    "ParameterError",
    "ParameterSet",
    "check_table_consistency",
    "data_dir",
    "default_parameters",
    "load_parameters",
    "overlay_dir",
    "parse_norm_table",
    "reset_default_parameters",
    "weakest",
]
