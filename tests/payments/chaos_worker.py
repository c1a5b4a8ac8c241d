"""The real worker, for the chaos test: it pauses a little at every payment checkpoint, so that a kill
lands in the middle of a step (inside a transaction) as often as between steps.

Run as `python -m tests.payments.chaos_worker` with DATABASE_URL pointing at the test database.
"""

import os
import random
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bistand.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bistand.payments import checkpoints

    checkpoints.reached = lambda step: time.sleep(random.uniform(0, 0.04))
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


if __name__ == "__main__":
    main()
