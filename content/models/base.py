"""Statuses, packs, the fields every authored item shares, and sources."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class DatePrecision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


class PublishedQuerySet(models.QuerySet):
    def published(self):
        """Only items a learner may see."""
        return self.filter(status=Status.PUBLISHED)


class Pack(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    loaded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title


class Authored(models.Model):
    """Fields every authored item shares: slug, pack, status, timestamps."""

    slug = models.SlugField(max_length=120, unique=True)
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True


class Source(models.Model):
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
