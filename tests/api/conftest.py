"""Keep the API tests independent of a developer's data directory.

`var/parameters/` may hold imported tables (a 2027 norm, an official 2025 table replacing the derived one);
the tests pin the packaged tables, so they read an empty data directory instead. Package-scoped, so the
setting ends with this package's tests.
"""

from __future__ import annotations

import os

import pytest

from bistand.rules.parameters import reset_default_parameters


@pytest.fixture(autouse=True, scope="package")
def packaged_parameters_only(tmp_path_factory):
    previous = os.environ.get("BISTAND_DATA_DIR")
    os.environ["BISTAND_DATA_DIR"] = str(tmp_path_factory.mktemp("rules-data"))
    reset_default_parameters()
    yield
    if previous is None:
        os.environ.pop("BISTAND_DATA_DIR", None)
    else:
        os.environ["BISTAND_DATA_DIR"] = previous
    reset_default_parameters()
