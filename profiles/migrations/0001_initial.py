# The Profile model moves here from studyapp with its table (studyapp_profile) and rows: this
# migration only adds it to the state, studyapp 0002 removes it there. No table is created,
# renamed or dropped, on SQLite or PostgreSQL.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import profiles.models


def move_content_type(apps, schema_editor, *, source="studyapp", target="profiles"):
    """Keep permissions and admin log entries: the content type changes app, not identity."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="profile").exists():
        ContentType.objects.filter(app_label=source, model="profile").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="profiles", target="studyapp")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("studyapp", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Profile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("exam_date", models.DateField(blank=True, help_text="Your UPSC Prelims date, for the countdown.", null=True)),
                        ("daily_new_cards", models.PositiveSmallIntegerField(default=20, help_text="New flashcards introduced per day (0–200).", validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(200)])),
                        ("timezone", models.CharField(default="Asia/Kolkata", help_text="Your day starts at midnight here (daily limits, streaks).", max_length=64, validators=[profiles.models.validate_timezone])),
                        ("desired_retention", models.FloatField(default=0.9, help_text="Share of cards you want to remember when they come due (FSRS).", validators=[django.core.validators.MinValueValidator(0.7), django.core.validators.MaxValueValidator(0.97)])),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="profile", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "studyapp_profile"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
