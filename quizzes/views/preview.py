"""Staff previews: a learner page shown to staff for an item learners cannot see yet.

`?preview=1` on a topic, card, question or Mains write page lets a staff member see a draft
item, or any item in a draft topic, exactly as the learner page renders it, under a banner.
For anyone else the parameter is ignored: learners get the one visibility rule
(`QuerySet.visible()`), so a draft is a 404 for them however the URL is written.
"""

from __future__ import annotations

from content.models import Status
from studyapp.types import HtmxHttpRequest

PARAM = "preview"


def is_preview(request: HtmxHttpRequest) -> bool:
    """True when an active staff member asks for `?preview=1` on a GET."""
    user = request.user
    return (
        request.method == "GET"
        and request.GET.get(PARAM) == "1"
        and user.is_authenticated
        and user.is_active
        and user.is_staff
    )


def preview_banner(item, *, kind: str) -> dict:
    """What the preview banner says: the item's and its topic's status, and whether learners
    can see the page now."""
    topic = getattr(item, "topic", None) if kind != "topic" else None
    statuses = [item.status] + ([topic.status] if topic is not None else [])
    return {
        "kind": kind,
        "status": item.get_status_display(),
        "topic_status": topic.get_status_display() if topic is not None else "",
        "visible": all(s == Status.PUBLISHED for s in statuses),
    }
