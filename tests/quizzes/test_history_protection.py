"""Learners' history survives the admin: used content is retired, never deleted, and the
learner-history admin pages are read-only (no add, change or delete, not even for a superuser)."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from content import models as cm
from quizzes.models import CardState, MainsAnswer, NoteProgress, ReviewLog
from tests.factories import (
    CardStateFactory,
    FlashcardFactory,
    MainsAnswerFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(username="root", is_superuser=True))
    return client


@pytest.fixture
def studied_card(learner):
    state = CardStateFactory(learner=learner)
    ReviewLog.objects.create(
        learner=learner,
        card=state.card,
        rating=ReviewLog.Rating.GOOD,
        reviewed_at=timezone.now(),
        state_after={},
        reps_before=0,
    )
    return state.card


def test_deleting_a_studied_card_in_admin_is_refused_with_the_remedy(admin_client, studied_card):
    url = reverse("admin:content_flashcard_delete", args=[studied_card.pk])
    page = admin_client.get(url).content.decode()
    assert "retire it instead" in page
    assert "card state × 1, review log × 1" in page
    admin_client.post(url, {"post": "yes"})
    assert cm.Flashcard.objects.filter(pk=studied_card.pk).exists()
    assert CardState.objects.count() == 1 and ReviewLog.objects.count() == 1


def test_bulk_delete_of_a_studied_card_is_refused_too(admin_client, studied_card):
    unused = FlashcardFactory()
    response = admin_client.post(
        reverse("admin:content_flashcard_changelist"),
        {"action": "delete_selected", "_selected_action": [studied_card.pk, unused.pk]},
    )
    assert "retire it instead" in response.content.decode()
    assert cm.Flashcard.objects.count() == 2


def test_an_unused_card_can_still_be_deleted(admin_client):
    card = FlashcardFactory()
    admin_client.post(reverse("admin:content_flashcard_delete", args=[card.pk]), {"post": "yes"})
    assert not cm.Flashcard.objects.filter(pk=card.pk).exists()


def test_the_database_itself_refuses_to_cascade_into_history(studied_card, learner):
    with pytest.raises(ProtectedError):
        studied_card.delete()
    NoteProgress.objects.create(
        learner=learner, topic=studied_card.topic, studied_at=timezone.now()
    )
    with pytest.raises(ProtectedError):
        studied_card.topic.delete()


@pytest.mark.parametrize("model", ["cardstate", "reviewlog", "attempt", "noteprogress"])
def test_history_admin_offers_no_add_change_or_delete(admin_client, studied_card, model):
    changelist = admin_client.get(reverse(f"admin:quizzes_{model}_changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    assert admin_client.get(reverse(f"admin:quizzes_{model}_add")).status_code == 403


def test_history_rows_cannot_be_deleted_or_changed_by_url(admin_client, studied_card):
    state = CardState.objects.get()
    delete = reverse("admin:quizzes_cardstate_delete", args=[state.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:quizzes_cardstate_change", args=[state.pk])
    assert admin_client.post(change, {"reps": 99}).status_code == 403
    assert CardState.objects.get().reps == state.reps


def test_a_learners_mains_answer_cannot_be_deleted_in_admin(admin_client):
    answer = MainsAnswerFactory(learner=UserFactory())
    url = reverse("admin:quizzes_mainsanswer_delete", args=[answer.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert MainsAnswer.objects.filter(pk=answer.pk).exists()
