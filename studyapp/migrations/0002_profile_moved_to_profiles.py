# Profile now belongs to the profiles app (profiles 0001 took it over with its table):
# remove it from studyapp's state only; the table and its rows stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("studyapp", "0001_initial"),
        ("profiles", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Profile")],
            database_operations=[],
        ),
    ]
