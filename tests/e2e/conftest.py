"""The browser fixtures are defined once, in tests/browser.py, and registered by tests/conftest.py: two
Playwright instances in one process would collide. The assertions are re-exported here for the tests."""

from tests.browser import assert_accessible, assert_fits_width  # noqa: F401
