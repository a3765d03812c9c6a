"""Statuses, packs, the fields every authored item shares, and sources."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class DatePrecision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


def visible_q(model: type[models.Model], through: str = "") -> Q:
    """The one rule for what a learner may see, as a condition: the item is published and, for
    an item that belongs to a topic, so is its topic. `through` names the relation to follow
    from the filtered model (`visible_q(Flashcard, "card")` filters CardState rows)."""
    prefix = f"{through}__" if through else ""
    condition = Q(**{f"{prefix}status": Status.PUBLISHED})
    if getattr(model, "IN_TOPIC", False):
        condition &= Q(**{f"{prefix}topic__status": Status.PUBLISHED})
    if getattr(model, "PRIVATE_OWNER", False):
        # A learner's own card is theirs alone (`studyable_q` lets its owner in).
        condition &= Q(**{f"{prefix}owner__isnull": True})
    return condition


class PublishedQuerySet(models.QuerySet):
    def published(self):
        """Items whose own status is published (authoring and staff reads). Learner pages use
        `visible()`, which also requires a published topic."""
        return self.filter(status=Status.PUBLISHED)

    def visible(self):
        """What a learner may see by any path: published, in a published topic."""
        return self.filter(visible_q(self.model))


class Pack(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    loaded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title


class FromPack(models.Model):
    """Where a content item comes from, and what the loader last wrote into it.

    `pack_file` is the pack file it was last loaded from (e.g. `india-japan/facts/history.yaml`;
    the item id is its slug); empty for an item made in the admin. `loaded_fingerprint` is a
    hash of the values the loader wrote: when the item's values no longer hash to it, the item
    was changed in the admin since, and the next load keeps it and reports it instead of
    overwriting it (unless `follow_file` is set or the load runs with `--take-files`).
    """

    pack_file = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text="Pack file the item was last loaded from; empty: made in the admin.",
    )
    loaded_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    follow_file = models.BooleanField(
        "Follow the pack file again",
        default=False,
        help_text="Tick to let the next load_content replace this item with the pack file's "
        "version (your edits here are then lost).",
    )

    class Meta:
        abstract = True

    @property
    def made_in_admin(self) -> bool:
        return not self.pack_file


class Authored(FromPack):
    """Fields every authored item shares: slug, pack, status, timestamps.

    New items start as drafts: only the loader (from a pack's explicit status) or an editor
    publishes them.
    """

    # True for items with a `topic` foreign key: they are visible only in a published topic.
    IN_TOPIC = True

    slug = models.SlugField(max_length=120, unique=True)
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True


class Source(FromPack):
    slug = models.SlugField(max_length=120, unique=True)
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, null=True, blank=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    url = models.URLField(blank=True)
    file = models.CharField(max_length=200, blank=True, help_text="Seed file it came from.")
    notes = models.TextField(blank=True)
    full_text = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)


def format_partial_date(date, precision: str) -> str:
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(date.year)
    if precision == DatePrecision.MONTH:
        return date.strftime("%B %Y")
    return f"{date.day} {date.strftime('%B %Y')}"
