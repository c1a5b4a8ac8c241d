"""The composition root (the top floor of `docs/architecture.md`): what puts the packages together.

The `bistand` command line (`cli.py`) and its `bistand run` (`runner.py`), Django's `manage` wrapper, the
demo data, the site-wide template context, and the worker, which runs the periodic jobs each package
registers (`core.periodic`). Nothing below imports from here.
"""
