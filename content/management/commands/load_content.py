"""manage.py load_content [PACK_DIR ...] [--check]: validate and load content packs."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.loader import ContentInvalid, load_packs


class Command(BaseCommand):
    help = (
        "Validate content packs (default: every pack under content/packs/) and load them in one "
        "transaction. Any problem: every problem is listed, nothing is written, exit status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("packs", nargs="*", type=Path, help="Pack folders (default: all).")
        parser.add_argument(
            "--check", action="store_true", help="Validate only; write nothing (for CI)."
        )
        parser.add_argument(
            "--take-files",
            action="store_true",
            help="Overwrite items changed in the admin since their last load with the files' "
            "version (without it they are kept and reported).",
        )

    def handle(self, *args, packs, check, take_files, **options):
        started = time.perf_counter()
        try:
            summary = load_packs(packs or None, check=check, take_files=take_files)
        except ContentInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(exc.errors)} problem(s) found; nothing was written."
            ) from None
        elapsed = time.perf_counter() - started
        lines = summary.lines()
        if check:
            self.stdout.write(lines[0])
            for line in lines[2:]:  # items changed in the admin that a load would keep
                self.stdout.write(self.style.WARNING(line) if line.startswith(" ") else line)
            self.stdout.write(self.style.SUCCESS(f"Content is valid ({elapsed:.2f} s)."))
            return
        for line in lines:
            self.stdout.write(self.style.WARNING(line) if line.startswith(" ") else line)
        self.stdout.write(self.style.SUCCESS(f"Loaded in {elapsed:.2f} s."))
