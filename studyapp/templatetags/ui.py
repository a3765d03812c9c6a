"""Small presentation filters shared by every app's templates."""

from django import template

register = template.Library()


@register.filter
def width_class(percent) -> str:
    """`w-37` for 37 %: a bar's width as a class (site.css), since the CSP forbids style="".

    Rounded to a whole percent and clamped to 0–100; anything unreadable is 0.
    """
    try:
        value = round(float(percent))
    except (TypeError, ValueError, OverflowError):
        value = 0
    return f"w-{min(100, max(0, value))}"
