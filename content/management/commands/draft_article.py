"""manage.py draft_article PATH --title "..." [--publisher P] [--date YYYY-MM-DD] [--dry-run --json]

Runs the article → drafts generator from the command line. Without --dry-run it stores the
article as a Source (or reuses the source with that title) and its drafts for the admin
review screen; --dry-run writes nothing, and with --json prints every draft as JSON.
"""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.text import slugify

from content import models as m
from content.drafts import generate
from content.drafts.store import DraftError, drafts_generate


class Command(BaseCommand):
    help = "Turn an article into draft facts, cards, questions, a Mains stub and an outline."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--title", required=True)
        parser.add_argument("--publisher", default="")
        parser.add_argument("--date", default="", help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--dry-run", action="store_true", help="Write nothing.")
        parser.add_argument("--json", action="store_true", help="Print the drafts as JSON.")

    def handle(self, *args, path, title, publisher, date, dry_run, json: bool, **options):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        if not text.strip():
            raise CommandError(f"{path} is empty.")
        if not title.strip():
            raise CommandError("--title must not be empty.")
        day = None
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date {date!r} is not YYYY-MM-DD.") from error
        if dry_run:
            result = generate(text, title=title)
            if json:
                self.stdout.write(_dumps([d.as_json() for d in result.drafts]))
            else:
                self._summary(result.drafts, result)
            return
        source = m.Source.objects.filter(title=title.strip()).first()
        if source is None:
            source = m.Source.objects.create(
                slug=_unique_slug(title), title=title.strip(), publisher=publisher, date=day,
                full_text=text,
            )  # fmt: skip
        elif source.full_text != text:
            source.full_text = text
            source.save(update_fields=["full_text"])
        try:
            made, known = drafts_generate(source=source)
        except DraftError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"{source.slug}: {made} new draft(s), {known} already known. "
            f"Review them at {reverse('admin:content_source_drafts', args=[source.pk])}"
        )

    def _summary(self, drafts, result):
        counts: dict[str, int] = {}
        for d in drafts:
            name = f"{d.kind}:{d.format}" if d.kind == "question" else d.kind
            counts[name] = counts.get(name, 0) + 1
        self.stdout.write(", ".join(f"{n} {k}" for k, n in counts.items()))
        self.stdout.write(f"{result.pass_share:.0%} pass the automatic quality rules.")


def _dumps(rows) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "article"
    slug, n = base, 2
    while m.Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
