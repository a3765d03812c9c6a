"""manage.py evaluate_drafts [DIR]: recall of reference facts and share of drafts that pass.

DIR holds `<name>.txt` articles with `<name>.refs.yaml` reference lists (default:
tests/data/drafts). Prints one line per article and the totals; writes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.drafts.evaluation import evaluate, totals


class Command(BaseCommand):
    help = "Measure the draft generator on articles with reference fact lists."

    def add_arguments(self, parser):
        default = Path(settings.BASE_DIR) / "tests" / "data" / "drafts"
        parser.add_argument("folder", nargs="?", type=Path, default=default)
        parser.add_argument("--missed", action="store_true", help="List the facts not found.")

    def handle(self, *args, folder, missed, **options):
        scores = evaluate(folder)
        if not scores:
            raise CommandError(f"No <name>.txt with <name>.refs.yaml in {folder}.")
        self.stdout.write(f"{'article':<22} {'recall':>14} {'pass':>14}  drafts by kind")
        for s in scores:
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(s.kinds.items()))
            self.stdout.write(
                f"{s.name:<22} {s.found:>3}/{s.total:<3} {s.recall:>6.0%} "
                f"{s.passed:>4}/{s.drafts:<4} {s.pass_share:>4.0%}  {kinds}"
            )
            if missed:
                for fact in s.missed:
                    self.stdout.write(f"    missed: {fact}")
                for problem, n in s.problems.most_common():
                    self.stdout.write(f"    {n} × {problem}")
        recall, passed = totals(scores)
        self.stdout.write(f"{'all':<22} recall {recall:.0%}, pass {passed:.0%}")
