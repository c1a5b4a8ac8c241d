from django.core.management.base import BaseCommand

from bistand.ops.demo import load_demo_data


class Command(BaseCommand):
    help = "Load the demo municipality, unit, staff and citizens (once; does nothing if already loaded)"

    def handle(self, *args, **options) -> None:
        created = load_demo_data()
        self.stdout.write("Demo data loaded." if created else "Demo data already present; kept as it is.")
