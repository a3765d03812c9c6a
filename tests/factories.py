"""factory-boy factories for every model tests need."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from content import models as cm
from quizzes import models as qm
from studyapp.models import Profile


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
