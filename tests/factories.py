"""factory-boy factories for every model tests need."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from content import models as cm
from profiles.models import Profile
from quizzes import models as qm


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-9")

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            Profile.objects.get_or_create(user=obj, defaults=kwargs)


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"mentor{n}")
    is_staff = True
    is_superuser = True


class PackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Pack
        django_get_or_create = ("slug",)

    slug = "test-pack"
    title = "Test pack"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source article {n}")
    publisher = "Test Publisher"
    date = dt.date(2025, 6, 4)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    title = factory.Sequence(lambda n: f"Topic {n}")
    order = factory.Sequence(lambda n: n)
    summary = "What this topic covers."
    status = cm.Status.PUBLISHED


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Note

    topic = factory.SubFactory(TopicFactory)
    body = "## Context\n\nIndia and Japan established diplomatic relations in 1952.\n"


class FactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Fact

    status = cm.Status.PUBLISHED  # the model's default is Draft
    slug = factory.Sequence(lambda n: f"fact-{n}")
    topic = factory.SubFactory(TopicFactory)
    statement = factory.Sequence(lambda n: f"Fact number {n} about India and Japan.")
    value = "1952"
    kind = cm.FactKind.DATE


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Claim

    fact = factory.SubFactory(FactFactory)
    source = factory.SubFactory(SourceFactory)
    value = "1952"
    agrees = True


class FlashcardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Flashcard
        skip_postgeneration_save = True

    status = cm.Status.PUBLISHED  # the model's default is Draft
    slug = factory.Sequence(lambda n: f"card-{n}")
    topic = factory.SubFactory(TopicFactory)
    kind = cm.CardKind.BASIC
    front = factory.Sequence(lambda n: f"Question on card {n}?")
    back = factory.Sequence(lambda n: f"Answer {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    """A single-correct question with four choices; (b) is correct."""

    class Meta:
        model = cm.Question
        skip_postgeneration_save = True

    status = cm.Status.PUBLISHED  # the model's default is Draft
    slug = factory.Sequence(lambda n: f"question-{n}")
    topic = factory.SubFactory(TopicFactory)
    kind = cm.QuestionKind.SINGLE
    difficulty = cm.Difficulty.MEDIUM
    stem = factory.Sequence(lambda n: f"Question {n}: in which year did X happen?")
    explanation = "Because the sources say so."

    @factory.post_generation
    def choices(obj, create, extracted, **kwargs):
        if not create or obj.kind != cm.QuestionKind.SINGLE:
            return
        texts = extracted or ["1947", "1952", "1958", "2000"]
        for i, text in enumerate(texts):
            cm.Choice.objects.create(
                question=obj,
                order=i,
                text=text,
                is_correct=(i == 1),
                explanation=f"{text} is {'right' if i == 1 else 'wrong'}.",
            )


class StatementsQuestionFactory(QuestionFactory):
    """A statements question; pass truths=[True, False, True] (default)."""

    kind = cm.QuestionKind.STATEMENTS
    ask = cm.Ask.CORRECT
    stem = "Consider the following statements:"

    @factory.post_generation
    def truths(obj, create, extracted, **kwargs):
        if not create:
            return
        for i, truth in enumerate(extracted or [True, False, True], start=1):
            cm.Statement.objects.create(
                question=obj,
                order=i,
                text=f"Statement {i}.",
                is_true=truth,
                explanation=f"Statement {i} is {'true' if truth else 'false'}.",
            )


class MainsQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.MainsQuestion
        skip_postgeneration_save = True

    status = cm.Status.PUBLISHED  # the model's default is Draft
    slug = factory.Sequence(lambda n: f"mains-{n}")
    topic = factory.SubFactory(TopicFactory)
    directive = cm.Directive.DISCUSS
    marks = 10
    word_limit = 150
    minutes = 7
    text = "Discuss the significance of Japanese ODA for India's Northeast."
    outline_intro = "Japan is India's largest bilateral ODA partner."
    outline_body = ["Connectivity", "Act East"]
    outline_conclusion = "Way forward: timely delivery."

    @factory.post_generation
    def key_points(obj, create, extracted, **kwargs):
        if not create:
            return
        points = extracted or [
            ("Japan is the largest source of ODA", ["oda", "official development assistance"]),
            ("Northeast connectivity supports Act East", ["northeast", "act east"]),
        ]
        for i, (text, keywords) in enumerate(points):
            cm.KeyPoint.objects.create(question=obj, order=i, text=text, keywords=keywords)


class CardStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = qm.CardState

    learner = factory.SubFactory(UserFactory)
    card = factory.SubFactory(FlashcardFactory)
    state = qm.CardState.State.REVIEW
    stability = 5.0
    difficulty = 5.0
    due = factory.LazyFunction(timezone.now)
    last_review = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=5))
    reps = 3
    introduced_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))


# ---- Prelims (issue 6) ------------------------------------------------------------------


class PairsQuestionFactory(QuestionFactory):
    """A 'how many pairs are correctly matched' question; pass correct=[True, False, True]."""

    kind = cm.QuestionKind.PAIRS
    ask = cm.Ask.HOW_MANY
    stem = "Consider the following pairs:"
    column_left = "Project"
    column_right = "State"

    @factory.post_generation
    def correct(obj, create, extracted, **kwargs):
        if not create:
            return
        for i, ok in enumerate(extracted or [True, False, True], start=1):
            cm.Pair.objects.create(
                question=obj,
                order=i,
                left=f"Project {i}",
                right=f"State {i}",
                is_correct=ok,
                explanation=f"Project {i} is {'in' if ok else 'not in'} State {i}.",
            )


class AssertionReasonQuestionFactory(QuestionFactory):
    """Statement-I / Statement-II; defaults: both true and II explains I (key (a))."""

    kind = cm.QuestionKind.ASSERTION_REASON
    stem = "Consider the following statements:"
    explains = True

    @factory.post_generation
    def truths(obj, create, extracted, **kwargs):
        if not create:
            return
        for i, truth in enumerate(extracted or [True, True], start=1):
            cm.Statement.objects.create(
                question=obj,
                order=i,
                text=f"Statement {'I' * i}: a claim.",
                is_true=truth,
                explanation=f"Statement-{'I' * i} is {'true' if truth else 'false'}.",
            )


class AttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = qm.Attempt

    learner = factory.SubFactory(UserFactory)
    mode = qm.Attempt.Mode.MOCK
    title = "Mock test"
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=40))
    deadline = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=10))
    submitted_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=10))
    score_thirds = 0


class MainsAnswerFactory(factory.django.DjangoModelFactory):
    """A submitted Mains answer (pass submitted_at=None for a draft)."""

    class Meta:
        model = qm.MainsAnswer

    learner = factory.SubFactory(UserFactory)
    question = factory.SubFactory(MainsQuestionFactory)
    text = "Japan is India's largest ODA partner.\nWay forward: deliver projects on time."
    words = 13
    seconds = 400
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=8))
    saved_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyFunction(timezone.now)


# ---- bulk study histories (issue 8: progress pages, query-count tests) --------------------


def history_content(*, topics: int = 2, cards: int = 5, questions: int = 10):
    """Published topics with notes, cards, single-correct questions and a Mains question each."""
    made = {"topics": [], "cards": [], "questions": [], "mains": []}
    for _ in range(topics):
        topic = TopicFactory()
        NoteFactory(topic=topic)
        made["topics"].append(topic)
        made["cards"] += FlashcardFactory.create_batch(cards, topic=topic)
        made["questions"] += QuestionFactory.create_batch(questions, topic=topic)
        made["mains"].append(MainsQuestionFactory(topic=topic))
    return made


def bulk_history(learner, content, *, size: int, now=None) -> None:
    """About `size` history rows for `learner`, written with bulk_create: 60% card ratings,
    30% answered Prelims items (in practice sets and mocks of ten), 10% Mains answers, spread
    back in time from `now` (every rating 37 minutes before the next)."""
    now = now or timezone.now()
    cards, questions, mains = content["cards"], content["questions"], content["mains"]
    for topic in content["topics"]:
        qm.NoteProgress.objects.get_or_create(
            learner=learner, topic=topic, defaults={"studied_at": now - dt.timedelta(days=3)}
        )
    qm.CardState.objects.bulk_create(
        [
            qm.CardState(
                learner=learner,
                card=card,
                state=qm.CardState.State.REVIEW,
                stability=5.0,
                difficulty=5.0,
                due=now - dt.timedelta(hours=1) if i % 2 else now + dt.timedelta(days=3),
                last_review=now - dt.timedelta(days=2),
                reps=3,
                lapses=i % 3,
                introduced_at=now - dt.timedelta(days=30),
            )
            for i, card in enumerate(cards)
        ],
        ignore_conflicts=True,
    )
    reviews = size * 6 // 10
    qm.ReviewLog.objects.bulk_create(
        [
            qm.ReviewLog(
                learner=learner,
                card=cards[i % len(cards)],
                rating=1 if i % 7 == 0 else 3,
                reviewed_at=now - dt.timedelta(minutes=37 * i + 1),
                duration_ms=8000,
                state_before={"state": 2} if i % 2 else None,
                state_after={"state": 2},
                reps_before=i,
            )
            for i in range(reviews)
        ],
        batch_size=2000,
    )
    per = min(10, len(questions))
    attempts = qm.Attempt.objects.bulk_create(
        [
            qm.Attempt(
                learner=learner,
                mode=qm.Attempt.Mode.MOCK if a % 3 == 0 else qm.Attempt.Mode.PRACTICE,
                title=f"Set {a}",
                started_at=now - dt.timedelta(hours=5 * a + 2),
                submitted_at=now - dt.timedelta(hours=5 * a + 1),
                score_thirds=6 * 6 - 2 * 3,
                correct_count=6,
                wrong_count=3,
                blank_count=per - 9,
                question_count=per,
            )
            for a in range(max(1, size * 3 // 10 // per))
        ],
        batch_size=2000,
    )
    items = []
    for attempt in attempts:
        for order, question in enumerate(questions[:per], start=1):
            chosen = None if order > 9 else (1 if order <= 6 else 2)
            items.append(
                qm.AttemptItem(
                    attempt=attempt,
                    question=question,
                    order=order,
                    snapshot={
                        "kind": question.kind,
                        "topic": question.topic.slug,
                        "topic_title": question.topic.title,
                    },
                    key=1,
                    chosen=chosen,
                    is_correct=None if chosen is None else chosen == 1,
                    answered_at=None if chosen is None else attempt.started_at,
                    visited=True,
                )
            )
    qm.AttemptItem.objects.bulk_create(items, batch_size=2000)
    qm.MainsAnswer.objects.bulk_create(
        [
            qm.MainsAnswer(
                learner=learner,
                question=mains[i % len(mains)],
                text="Japan is India's largest ODA partner.",
                words=6,
                seconds=400,
                started_at=now - dt.timedelta(hours=7 * i + 3),
                saved_at=now - dt.timedelta(hours=7 * i + 2),
                submitted_at=now - dt.timedelta(hours=7 * i + 2),
                self_score=5,
                mentor_score=4 if i % 2 else None,
                feedback_at=now - dt.timedelta(hours=7 * i) if i % 2 else None,
            )
            for i in range(max(1, size // 10))
        ],
        batch_size=2000,
    )
    # bulk_create bypasses the services that keep the profile's activity counters.
    from quizzes.services.activity import recount

    recount()
