"""One account per e-mail address, whatever its case (a reset link must reach one account).

Existing duplicates are resolved first: the account used most recently (then the oldest) keeps
the address; the others' e-mail is cleared (they still log in by username and can add an
address on their profile). Then a unique index on LOWER(email) for non-empty addresses, which
both SQLite and PostgreSQL support.
"""

from django.conf import settings
from django.db import migrations
from django.db.models.functions import Lower

INDEX = "auth_user_email_ci_unique"


def clear_duplicate_emails(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    keep: dict[str, int] = {}
    clear: list[int] = []
    users = (
        User.objects.exclude(email="")
        .annotate(address=Lower("email"))
        .order_by("address", "-last_login", "date_joined", "pk")
        .values_list("pk", "address", "last_login")
    )
    # last_login NULLs sort first in a descending order on PostgreSQL, last on SQLite: order
    # in Python so both keep the same account.
    rows = sorted(users, key=lambda r: (r[1], r[2] is None, -(r[2].timestamp() if r[2] else 0)))
    for pk, address, _ in rows:
        if address in keep:
            clear.append(pk)
        else:
            keep[address] = pk
    User.objects.filter(pk__in=clear).update(email="")


class Migration(migrations.Migration):
    dependencies = [
        ("studyapp", "0002_profile_moved_to_profiles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(clear_duplicate_emails, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (LOWER(email)) WHERE email <> ''",
            f"DROP INDEX {INDEX}",
        ),
    ]
