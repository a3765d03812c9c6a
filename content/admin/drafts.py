"""The per-source draft review screen: each draft beside its sentence, edit, accept, reject.

Plain forms (post/redirect/get), so it works without JavaScript: every draft is its own form
(edit in place, Save / Accept / Reject), and checkboxes join a bulk form through the HTML
`form` attribute. Accepting files the item under the chosen topic and publishes it together
with its cards or question parts (content.drafts.store).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from content import models as m
from content.drafts.store import (
    DraftError,
    draft_accept,
    draft_reject,
    draft_update,
    drafts_generate,
)

STATUS_FILTERS = ("pending", "accepted", "rejected", "all")
SESSION_TOPIC = "drafts_topic"


def _checked(post, name: str) -> bool:
    return post.get(name) in ("on", "true", "1")


def edits_from(post, item: m.DraftItem) -> dict:
    """The editor's in-place edits of one draft, as payload fields."""
    p = item.payload
    out: dict = {}
    if "text" in post:
        out["text"] = post["text"].strip()
    if item.kind == "fact":
        out["answer"] = post.get("answer", p.get("answer", "")).strip()
        out["date"] = post.get("date", p.get("date", "")).strip()
    elif item.kind == "question" and item.format == "single":
        options = [post.get(f"option-{i}", "").strip() for i in range(4)]
        if any(options):
            out["options"] = options
            correct = post.get("correct", "")
            if correct.isdigit() and int(correct) < 4:
                out["answer"] = options[int(correct)]
    elif item.kind == "question" and item.format in ("statements", "assertion_reason"):
        rows = []
        for i, s in enumerate(p.get("statements", [])):
            text = post.get(f"statement-{i}-text", s["text"]).strip()
            rows.append({**s, "text": text, "true": _checked(post, f"statement-{i}-true")})
        out["statements"] = rows
        if item.format == "assertion_reason":
            out["explains"] = _checked(post, "explains")
        elif post.get("ask") in ("correct", "incorrect", "how_many"):
            out["ask"] = post["ask"]
    elif item.kind == "question" and item.format == "pairs":
        out["pairs"] = [
            {**r, "left": post.get(f"pair-{i}-left", r["left"]).strip(),
             "right": post.get(f"pair-{i}-right", r["right"]).strip(),
             "correct": _checked(post, f"pair-{i}-correct")}
            for i, r in enumerate(p.get("pairs", []))
        ]  # fmt: skip
    elif item.kind == "mains":
        if "points" in post:
            out["points"] = [line.strip() for line in post["points"].splitlines() if line.strip()]
        if post.get("directive") in m.Directive.values:
            out["directive"] = post["directive"]
    return out


class DraftReviewMixin:
    """Adds /admin/content/source/<id>/drafts/ (and its POST endpoints) to the Source admin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/drafts/", view(self.drafts_view), name="content_source_drafts"),
            path(
                "<int:object_id>/drafts/generate/",
                view(self.drafts_generate_view),
                name="content_source_drafts_generate",
            ),
            path(
                "<int:object_id>/drafts/bulk/",
                view(self.drafts_bulk_view),
                name="content_source_drafts_bulk",
            ),
            path(
                "<int:object_id>/drafts/<int:item_id>/",
                view(self.draft_item_view),
                name="content_source_draft_item",
            ),
            *super().get_urls(),
        ]

    def _source(self, request, object_id) -> m.Source:
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(m.Source, pk=object_id)

    def _back(self, source, request, anchor: str = "") -> HttpResponseRedirect:
        url = reverse("admin:content_source_drafts", args=[source.pk])
        status = request.POST.get("status") or request.GET.get("status")
        if status in STATUS_FILTERS:
            url += f"?status={status}"
        return HttpResponseRedirect(url + anchor)

    def _topic(self, request) -> m.Topic | None:
        pk = request.POST.get("topic", "")
        topic = m.Topic.objects.filter(pk=pk).first() if pk.isdigit() else None
        if topic:
            request.session[SESSION_TOPIC] = topic.pk
        return topic

    def drafts_view(self, request, object_id):
        source = self._source(request, object_id)
        status = request.GET.get("status", "pending")
        if status not in STATUS_FILTERS:
            status = "pending"
        items = m.DraftItem.objects.for_review(source)
        if status != "all":
            items = items.filter(status=status)
        counts = dict(
            m.DraftItem.objects.filter(source=source, parent__isnull=True)
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        topics = list(m.Topic.objects.order_by("order", "title").only("pk", "title", "status"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Drafts from “{source.title}”",
            "source": source,
            "items": items,
            "status": status,
            "filters": STATUS_FILTERS,
            "left": counts.get("pending", 0),
            "accepted": counts.get("accepted", 0),
            "rejected": counts.get("rejected", 0),
            "topics": topics,
            "chosen_topic": request.session.get(SESSION_TOPIC),
            "directives": m.Directive.choices,
        }
        return TemplateResponse(request, "admin/content/source/drafts.html", context)

    def drafts_generate_view(self, request, object_id):
        return require_POST(self._generate)(request, object_id)

    def _generate(self, request, object_id):
        source = self._source(request, object_id)
        try:
            made, known = drafts_generate(source=source)
        except DraftError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"{made} new draft(s); {known} already known (kept as they were)."
            )
        return self._back(source, request)

    def draft_item_view(self, request, object_id, item_id):
        return require_POST(self._item)(request, object_id, item_id)

    def _item(self, request, object_id, item_id):
        source = self._source(request, object_id)
        item = m.DraftItem.objects.filter(source=source, pk=item_id).first()
        if item is None:
            raise Http404("No such draft.")
        action = request.POST.get("do")
        if item.status != m.DraftStatus.PENDING:
            messages.error(request, "This draft was already decided.")
            return self._back(source, request)
        if action not in ("save", "accept", "reject"):
            messages.error(request, "Choose Save, Accept or Reject.")
            return self._back(source, request)
        if action == "reject":
            draft_reject(item=item, user=request.user)
            messages.success(request, "Draft rejected: it will not be generated again.")
            return self._back(source, request)
        skip = self._save_edits(request, item)
        if action == "save":
            messages.success(request, "Edits saved.")
            return self._back(source, request, f"#draft-{item.pk}")
        topic = self._topic(request)
        if topic is None:
            messages.error(request, "Choose a topic to file the accepted item under.")
            return self._back(source, request, f"#draft-{item.pk}")
        try:
            draft_accept(item=item, topic=topic, user=request.user, skip_cards=skip)
        except DraftError as error:
            messages.error(request, f"Not accepted: {error.message}")
            return self._back(source, request, f"#draft-{item.pk}")
        messages.success(request, f"Accepted and published under “{topic}”.")
        return self._back(source, request)

    def _save_edits(self, request, item: m.DraftItem) -> list[int]:
        """Keep the edits; return the pks of this fact's cards the editor unticked."""
        draft_update(item, edits_from(request.POST, item))
        skip = []
        for card in item.children.filter(status=m.DraftStatus.PENDING):
            prefix = f"card-{card.pk}-"
            if prefix + "text" in request.POST:
                edits = {"text": request.POST[prefix + "text"].strip()}
                if prefix + "answer" in request.POST:
                    edits["answer"] = request.POST[prefix + "answer"].strip()
                draft_update(card, edits)
            if prefix + "shown" in request.POST and not _checked(request.POST, prefix + "keep"):
                skip.append(card.pk)
        return skip

    def drafts_bulk_view(self, request, object_id):
        return require_POST(self._bulk)(request, object_id)

    def _bulk(self, request, object_id):
        source = self._source(request, object_id)
        ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()]
        items = list(
            m.DraftItem.objects.filter(source=source, pk__in=ids, status=m.DraftStatus.PENDING)
        )
        action = request.POST.get("do")
        if not items or action not in ("accept", "reject"):
            messages.error(request, "Tick at least one draft to review and choose an action.")
            return self._back(source, request)
        if action == "reject":
            for item in items:
                draft_reject(item=item, user=request.user)
            messages.success(request, f"{len(items)} draft(s) rejected.")
            return self._back(source, request)
        topic = self._topic(request)
        if topic is None:
            messages.error(request, "Choose a topic to file the accepted items under.")
            return self._back(source, request)
        done, failed = 0, []
        for item in items:
            try:
                draft_accept(item=item, topic=topic, user=request.user)
                done += 1
            except DraftError as error:
                failed.append(f"#{item.pk}: {error.message}")
        messages.success(request, f"{done} draft(s) accepted under “{topic}”.")
        if failed:
            messages.error(request, "Not accepted — " + "; ".join(failed))
        return self._back(source, request)
