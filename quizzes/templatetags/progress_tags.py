"""Template helpers for the progress pages."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.filter
def heat_cells(cells):
    """The heatmap's day squares as SVG in one pass (a year is ~370 cells: rendered by the
    template language, one node at a time, they were most of the dashboard's time)."""
    return format_html_join(
        "",
        '<rect class="heat-{}" x="{}" y="{}" width="11" height="11" rx="2">'
        "<title>{}</title></rect>",
        ((cell.level, cell.x, cell.y, cell.title) for cell in cells),
    )
