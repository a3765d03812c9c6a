"""A learner's own cards (`/cards/mine/`): list, add, edit, delete with a confirmation.

Another learner's card is a 404 on every page (`own_card` reads only the learner's rows). An
invalid form is shown again with its messages (400) and writes nothing; a valid post redirects
(post/redirect/get) with a flash message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from quizzes.forms import OwnCardForm
from quizzes.selectors.own_cards import own_card, own_card_list
from quizzes.services import WriteRefused
from quizzes.services.own_cards import own_card_create, own_card_delete, own_card_update
from studyapp.types import HtmxHttpRequest

FORM = "quizzes/cards/own_form.html"


def _form_page(request, form: OwnCardForm, card=None, *, status: int = 200) -> HttpResponse:
    return render(request, FORM, {"form": form, "card": card}, status=status)


@require_GET
@login_required
def own_card_index(request: HtmxHttpRequest) -> HttpResponse:
    """The learner's own cards, newest first, fifty a page."""
    page = own_card_list(request.user, page_number=request.GET.get("page"))
    return render(request, "quizzes/cards/own_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def own_card_add(request: HtmxHttpRequest) -> HttpResponse:
    """Add a basic or cloze card; "Save and add another" comes back to an empty form."""
    form = OwnCardForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        return _form_page(request, form, status=200 if request.method == "GET" else 400)
    try:
        card = own_card_create(learner=request.user, **form.cleaned_data)
    except WriteRefused as refused:
        form.add_error(None, refused.message)
        return _form_page(request, form, status=refused.status)
    messages.success(request, "Card added: it is new in your review queue.")
    if "another" in request.POST:
        return redirect("quizzes:own-card-add")
    return redirect("quizzes:card-detail", pk=card.pk)


@require_http_methods(["GET", "POST"])
@login_required
def own_card_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Change the card's text, type or topic; its schedule is kept."""
    card = own_card(request.user, pk)
    initial = {f: getattr(card, f) for f in ("kind", "topic", "front", "back", "text")}
    form = OwnCardForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "GET" or not form.is_valid():
        return _form_page(request, form, card, status=200 if request.method == "GET" else 400)
    own_card_update(card=card, **form.cleaned_data)
    messages.success(request, "Card saved.")
    return redirect("quizzes:card-detail", pk=card.pk)


@require_http_methods(["GET", "POST"])
@login_required
def own_card_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes the card with its schedule and ratings."""
    card = own_card(request.user, pk)
    if request.method == "GET":
        return render(request, "quizzes/cards/own_delete.html", {"card": card})
    own_card_delete(learner=request.user, card=card)
    messages.success(request, "Card deleted, with its review history.")
    return redirect("quizzes:own-cards")
