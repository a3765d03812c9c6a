"""manage.py seed_demo [--learners N] [--reset]: a demo learner with six weeks of history.

Creates the learner `demo` (password `demo-password-2025`, Prelims about six months ahead)
and plays six weeks of study through the real services, day by day with the clock moved
back: FSRS card reviews (quizzes.services.cards), practice sets and three timed mocks drawn
from the published questions with their snapshots (quizzes.services.prelims), two Mains
answers with self-assessment, one with a mentor's feedback (quizzes.services.mains), and the
notes studied. `--learners N` adds learner-01 ... learner-N with varied habits for the staff
pages and benchmarks. Needs the content pack (`manage.py load_content`).

Idempotent: a learner that already has history is left alone (say `--reset` to delete and
rebuild it). Each learner is built in one transaction, so a failed run leaves nothing half
made. Randomness is seeded by the username: a rebuild on the same day gives the same history.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from content.models import Flashcard, MainsQuestion, Question, Status, Topic
from profiles.models import Profile
from quizzes import scheduling
from quizzes.models import Attempt, AttemptItem, CardState, MainsAnswer, NoteProgress, ReviewLog
from quizzes.services import mains as mains_service
from quizzes.services import prelims as prelims_service
from quizzes.services.cards import ReviewRefused, card_review

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password-2025"  # noqa: S105 - a documented demo account
MENTOR_USERNAME = "demo-mentor"
TIMEZONE = "Asia/Kolkata"

# Cards kept unseen until the last study day (see Demo.review_cards).
RESERVED_NEW = 3

# How hard each format is for a typical learner (added to the chance of a right answer).
FORMAT_EASE = {"single": 0.08, "pairs": -0.04, "statements": -0.08, "assertion_reason": -0.14}


@dataclass
class Persona:
    """A learner's habits: how often they study, how well they do, what they take."""

    username: str
    days: int = 42
    study_chance: float = 0.8
    new_per_day: int = 15
    skill: float = 0.5  # chance of a right Prelims answer at the start
    growth: float = 0.2  # added by the last day
    practice_every: int = 3
    mocks_days_ago: tuple[int, ...] = (33, 17, 3)
    mains_days_ago: tuple[int, ...] = (22, 6)
    feedback_on: int = 22  # the Mains answer (days ago) a mentor marks
    streak_days: int = 9  # the last days are all study days (a visible streak)
    email: str = ""
    first_name: str = ""
    topic_ease: dict[int, float] = field(default_factory=dict)


def demo_persona() -> Persona:
    return Persona(username=DEMO_USERNAME, email="demo@example.com", first_name="Demo", days=42)


def extra_persona(n: int) -> Persona:
    rng = random.Random(f"learner-{n}")
    return Persona(
        username=f"learner-{n:02d}",
        email=f"learner-{n:02d}@example.com",
        days=rng.choice([14, 21, 28, 42]),
        study_chance=rng.uniform(0.45, 0.95),
        new_per_day=rng.choice([8, 10, 15, 20]),
        skill=rng.uniform(0.35, 0.65),
        growth=rng.uniform(0.0, 0.25),
        practice_every=rng.choice([2, 3, 4]),
        mocks_days_ago=tuple(sorted(rng.sample(range(1, 14), rng.choice([0, 1, 2])), reverse=True)),
        mains_days_ago=tuple(rng.sample(range(1, 14), rng.choice([0, 1]))),
        feedback_on=-1,
        streak_days=rng.choice([0, 2, 5]),
    )


class Demo:
    """Plays one persona's history through the services, one study day at a time."""

    def __init__(self, persona: Persona, *, now: dt.datetime, mentor):
        self.p = persona
        self.now = now
        self.mentor = mentor
        self.rng = random.Random(persona.username)
        self.tz = zoneinfo.ZoneInfo(TIMEZONE)
        self.stats = {"ratings": 0, "practice": 0, "mocks": 0, "mains": 0, "days": 0, "notes": 0}

    # ---- setup ------------------------------------------------------------------------------

    def make_user(self):
        users = get_user_model()
        user, _ = users.objects.get_or_create(
            username=self.p.username,
            defaults={"email": self.p.email, "first_name": self.p.first_name},
        )
        user.set_password(DEMO_PASSWORD)
        # The account is as old as its history: the home page greets a returning learner.
        user.date_joined = self.now - dt.timedelta(days=self.p.days + 1)
        user.save()
        today = timezone.localtime(self.now, self.tz).date()
        profile, _ = Profile.objects.get_or_create(user=user)
        profile.exam_date = today + dt.timedelta(days=182)
        profile.daily_new_cards = self.p.new_per_day
        profile.timezone = TIMEZONE
        profile.save()
        self.user, self.profile = user, profile
        return user

    def load_content(self):
        self.topics = list(Topic.objects.published().order_by("order", "title"))
        self.cards = {
            c.pk: c
            for c in Flashcard.objects.content()
            .published()
            .filter(topic__status=Status.PUBLISHED)
            .order_by("topic__order", "pk")
        }
        self.cards_by_topic: dict[int, list[int]] = {}
        for card in self.cards.values():
            self.cards_by_topic.setdefault(card.topic_id, []).append(card.pk)
        self.mains = list(
            MainsQuestion.objects.published()
            .filter(topic__status=Status.PUBLISHED)
            .prefetch_related("key_points")
            .order_by("topic__order", "marks", "pk")
        )
        for i, topic in enumerate(self.topics):
            # One topic is clearly harder for this learner: a weak spot worth showing.
            self.p.topic_ease.setdefault(
                topic.pk, -0.22 if i == 2 else self.rng.uniform(-0.05, 0.1)
            )

    # ---- the days -------------------------------------------------------------------------

    def at(self, day: dt.date, hour: int, minute: int) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(hour), tzinfo=self.tz)
        return (local + dt.timedelta(minutes=minute)).astimezone(dt.UTC)

    def run(self):
        self.make_user()
        self.load_content()
        today = timezone.localtime(self.now, self.tz).date()
        self.memory: dict[int, tuple[dt.datetime, int, int]] = {}  # card: (due, state, reps)
        self.studied: list[Topic] = []
        notes_every = max(1, (self.p.days - 6) // max(1, len(self.topics)))
        study_days = 0
        for ago in range(self.p.days, 0, -1):
            day = today - dt.timedelta(days=ago)
            planned = ago in self.p.mocks_days_ago or ago in self.p.mains_days_ago
            skip = self.rng.random() > self.p.study_chance
            if skip and ago > self.p.streak_days and not planned:
                continue
            self.progress = 1 - ago / self.p.days
            t = self.at(day, 18, self.rng.randint(0, 90))
            if len(self.studied) < len(self.topics) and (
                study_days % notes_every == 0 or not self.studied
            ):
                topic = self.topics[len(self.studied)]
                NoteProgress.objects.update_or_create(
                    learner=self.user, topic=topic, defaults={"studied_at": t}
                )
                self.studied.append(topic)
                self.stats["notes"] += 1
                t += dt.timedelta(minutes=self.rng.randint(8, 15))
            rated = self.stats["ratings"]
            t = self.review_cards(t, last_day=ago == 1)
            nothing_due = self.stats["ratings"] == rated  # a small bank runs out of cards
            if ago in self.p.mocks_days_ago:
                t = self.take(Attempt.Mode.MOCK, t, count=25)
            elif (study_days % self.p.practice_every == 0 or nothing_due) and self.studied:
                t = self.take(Attempt.Mode.PRACTICE, t, count=10)
            if ago in self.p.mains_days_ago and self.mains:
                self.write_mains(t, feedback=(ago == self.p.feedback_on))
            study_days += 1
            self.stats["days"] += 1
        return self.stats

    # ---- cards ------------------------------------------------------------------------------

    def rate(self, card_id: int, rating: int, t: dt.datetime) -> None:
        _, _, reps = self.memory.get(card_id, (None, 0, 0))
        try:
            log = card_review(
                learner=self.user,
                profile=self.profile,
                card=self.cards[card_id],
                rating=rating,
                shown_reps=reps,
                now=t,
                duration_ms=self.rng.randint(3500, 16000),
            )
        except ReviewRefused:
            return
        after = log.state_after
        self.memory[card_id] = (
            dt.datetime.fromisoformat(after["due"]),
            int(after["state"]),
            int(after["reps"]),
        )
        self.stats["ratings"] += 1

    def review_rating(self, state: int) -> int:
        """Again/Hard/Good/Easy with odds that improve as the weeks go by."""
        again = (0.16 if state != CardState.State.REVIEW else 0.12) - 0.05 * self.progress
        roll = self.rng.random()
        if roll < again:
            return 1
        if roll < again + 0.12:
            return 2
        if roll < 0.9:
            return 3
        return 4

    def review_cards(self, t: dt.datetime, *, last_day: bool) -> dt.datetime:
        step = dt.timedelta(seconds=12)
        due = sorted((d, cid) for cid, (d, s, _) in self.memory.items() if d <= t)
        for _, cid in due:
            self.rate(cid, self.review_rating(self.memory[cid][1]), t)
            t += step
        studied_ids = [c for topic in self.studied for c in self.cards_by_topic.get(topic.pk, [])]
        # The last few cards of the bank stay unseen until the last day: with a small bank every
        # card could otherwise be learned with none due on the last day, and the demo would show
        # no card reviews yesterday. On that day they are introduced if nothing else is due.
        reserved = set(list(self.cards)[-RESERVED_NEW:])
        new = [c for c in studied_ids if c not in self.memory and (last_day or c not in reserved)]
        if last_day and not due and not new:
            new = [c for c in self.cards if c not in self.memory]
        new = new[: self.p.new_per_day]
        for cid in new:
            self.rate(cid, self.review_rating(CardState.State.LEARNING), t)
            t += step
        # Learning steps (1 and 10 minutes) until the new cards graduate or the session ends.
        end = t + dt.timedelta(minutes=35)
        while t < end:
            learning = sorted(
                (d, cid)
                for cid, (d, s, _) in self.memory.items()
                if s != CardState.State.REVIEW and d <= t + scheduling.LEARN_AHEAD
            )
            if not learning:
                break
            d, cid = learning[0]
            t = max(t, d)
            self.rate(cid, self.review_rating(self.memory[cid][1]), t)
            t += step
        return t + dt.timedelta(minutes=2)

    # ---- Prelims ----------------------------------------------------------------------------

    def chance(self, topic_id: int, kind: str) -> float:
        studied = any(t.pk == topic_id for t in self.studied)
        p = self.p.skill + self.p.growth * self.progress + (0.08 if studied else -0.1)
        p += self.p.topic_ease.get(topic_id, 0.0) + FORMAT_EASE.get(kind, 0.0)
        return min(0.95, max(0.1, p))

    def take(self, mode: str, t: dt.datetime, *, count: int) -> dt.datetime:
        topics = [] if mode == Attempt.Mode.MOCK else [self.rng.choice(self.studied).slug]
        try:
            attempt = prelims_service.attempt_start(
                learner=self.user,
                mode=mode,
                count=count,
                topics=topics,
                now=t,
                rng=random.Random(f"{self.p.username}:{t.isoformat()}"),
            )
        except prelims_service.AttemptError:
            return t
        items = AttemptItem.objects.filter(attempt=attempt).values_list(
            "order", "key", "question__topic_id", "question__kind"
        )
        mock = mode == Attempt.Mode.MOCK
        for order, key, topic_id, kind in items:
            seconds = self.rng.randint(30, 70) if mock else self.rng.randint(35, 100)
            t += dt.timedelta(seconds=seconds)
            right = self.rng.random() < self.chance(topic_id, kind)
            if mock and not right and self.rng.random() < 0.3:
                continue  # unsure: left blank, as a careful aspirant does
            chosen = key if right else self.rng.choice([i for i in range(4) if i != key])
            try:
                prelims_service.attempt_answer(
                    attempt_id=attempt.pk,
                    learner=self.user,
                    order=order,
                    action=prelims_service.PrelimsAction.SAVE
                    if mock
                    else prelims_service.PrelimsAction.CHECK,
                    chosen=chosen,
                    seconds=seconds,
                    now=t,
                )
            except prelims_service.AttemptClosed:
                break  # time ran out: the test was submitted with what was saved
        t += dt.timedelta(seconds=30)
        prelims_service.attempt_submit(attempt_id=attempt.pk, learner=self.user, now=t)
        self.stats["mocks" if mock else "practice"] += 1
        return t + dt.timedelta(minutes=3)

    # ---- Mains ------------------------------------------------------------------------------

    def write_mains(self, t: dt.datetime, *, feedback: bool) -> None:
        done = set(MainsAnswer.objects.filter(learner=self.user).values_list("question", flat=True))
        studied = {topic.pk for topic in self.studied}
        choices = [q for q in self.mains if q.pk not in done and q.topic_id in studied]
        choices = choices or [q for q in self.mains if q.pk not in done] or self.mains
        question = choices[0]
        points = list(question.key_points.all())
        text = answer_text(question, points, self.rng)
        minutes = question.minutes + self.rng.randint(-1, 3)
        answer = mains_service.answer_submit(
            learner=self.user,
            question=question,
            text=text,
            answer_id=None,
            opened_at=t - dt.timedelta(minutes=minutes),
            base_seconds=0,
            now=t,
        )
        covered = [p.pk for p in points[: max(1, len(points) * 2 // 3)]]
        self_score = Decimal(question.marks) * Decimal("0.5") + Decimal(self.rng.randint(0, 2))
        mains_service.answer_assess(
            learner=self.user,
            answer_id=answer.pk,
            covered_ids=covered,
            self_score=min(self_score, Decimal(question.marks)),
        )
        if feedback and self.mentor is not None:
            mains_service.answer_feedback(
                mentor=self.mentor,
                answer_id=answer.pk,
                feedback=(
                    "Good structure: a clear introduction and a way forward. Add one or two "
                    "figures (trade, ODA commitments) to back the body, and address the other "
                    "side — the slow pace of some projects — before concluding."
                ),
                score=Decimal(question.marks) * Decimal("0.4"),
                now=t + dt.timedelta(days=1, hours=2),
            )
        self.stats["mains"] += 1


def answer_text(question: MainsQuestion, points, rng: random.Random) -> str:
    """A plausible answer built from the question's outline and most of its key points."""
    parts = [question.outline_intro or f"{question.text.split('.')[0]}."]
    body = list(question.outline_body or [])
    for point in points[: max(1, len(points) * 2 // 3)]:
        body.append(point.text)
    parts += [f"- {line.rstrip('.')}." for line in body if line]
    parts.append(
        question.outline_conclusion
        or "Way forward: sustained high-level engagement and timely delivery of projects."
    )
    return "\n\n".join(parts)


def _has_history(user) -> bool:
    return (
        ReviewLog.objects.filter(learner=user).exists()
        or Attempt.objects.filter(learner=user).exists()
        or MainsAnswer.objects.filter(learner=user).exists()
    )


def _mentor():
    """A staff account that signs the demo feedback; it has no usable password."""
    users = get_user_model()
    mentor, created = users.objects.get_or_create(
        username=MENTOR_USERNAME, defaults={"is_staff": True, "first_name": "Demo mentor"}
    )
    if created:
        mentor.set_unusable_password()
        mentor.save()
    return mentor


class Command(BaseCommand):
    help = (
        f"Create the demo learner '{DEMO_USERNAME}' (password '{DEMO_PASSWORD}') with six weeks "
        "of realistic history. Idempotent: an existing demo history is left alone unless "
        "--reset. Needs the content pack loaded (manage.py load_content)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--learners",
            type=int,
            default=0,
            help="Also create N more learners (learner-01 ...) with varied habits.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo learners' history first."
        )

    def handle(self, *args, learners: int, reset: bool, **options):
        if learners < 0 or learners > 500:
            raise CommandError("--learners must be between 0 and 500.")
        if not (
            Question.objects.published().exists()
            or Flashcard.objects.content().published().exists()
        ):
            self.stdout.write(
                "No published content: run `manage.py load_content` first, then seed_demo. "
                "Nothing was created."
            )
            return
        now = timezone.now()
        personas = [demo_persona(), *(extra_persona(n) for n in range(1, learners + 1))]
        users = get_user_model()
        for persona in personas:
            existing = users.objects.filter(username=persona.username).first()
            if existing is not None and _has_history(existing):
                if not reset:
                    self.stdout.write(
                        f"{persona.username}: already has history; left as it is "
                        "(--reset rebuilds it)."
                    )
                    continue
                existing.delete()
            with transaction.atomic():
                stats = Demo(persona, now=now, mentor=_mentor()).run()
            self.stdout.write(
                self.style.SUCCESS(
                    f"{persona.username}: {stats['days']} study days, {stats['ratings']} card "
                    f"ratings, {stats['notes']} notes, {stats['practice']} practice sets, "
                    f"{stats['mocks']} mocks, {stats['mains']} Mains answers."
                )
            )
        self.stdout.write(f"Log in as {DEMO_USERNAME} / {DEMO_PASSWORD}.")
