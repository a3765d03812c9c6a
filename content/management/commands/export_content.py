"""manage.py export_content PACK [--out DIR]: write a pack's database content to its files."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content import models as m
from content.packfiles.export import Export, write


class Command(BaseCommand):
    help = (
        "Write the database's current content of a pack (admin edits and items made in the "
        "admin for the pack included) back to the pack's files, in the canonical format, so the "
        "edits can be reviewed and committed. Then load_content is a no-op."
    )

    def add_arguments(self, parser):
        parser.add_argument("pack", help="Pack slug, or the pack's folder.")
        parser.add_argument(
            "--out", type=Path, help="Write into this folder instead of the pack's own."
        )

    def handle(self, *args, pack, out, **options):
        pack_dir = Path(pack)
        if pack_dir.is_dir() and (pack_dir / "pack.yaml").is_file():
            data = yaml.safe_load((pack_dir / "pack.yaml").read_text(encoding="utf-8"))
            slug = data.get("slug") if isinstance(data, dict) else None
        else:
            slug, pack_dir = pack, Path(settings.CONTENT_PACKS_DIR) / pack
        pack_obj = m.Pack.objects.filter(slug=slug).first()
        if pack_obj is None:
            known = ", ".join(m.Pack.objects.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"No pack {slug!r} in the database (packs: {known}).")
        export = Export(pack_obj, pack_dir if pack_dir.is_dir() else None)
        files = export.files()
        target = out or pack_dir
        changed = write(files, target)
        for problem in export.problems:
            self.stderr.write(self.style.WARNING(f"not loadable as it is: {problem}"))
        for path in changed:
            self.stdout.write(f"wrote {path}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported pack {slug!r}: {len(files)} file(s), {len(changed)} changed, "
                f"into {target}."
            )
        )
