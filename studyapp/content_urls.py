"""Where learners read each kind of study material: the project wires `content` to `quizzes`.

`content` never names a `quizzes` URL; settings.ABSOLUTE_URL_OVERRIDES gives its models a
`get_absolute_url()` from these functions, so admin's "view on site", search hits and the
pages all link to the one learner view of an item.
"""

from django.urls import reverse


def topic(topic) -> str:
    return reverse("quizzes:topic-detail", args=[topic.slug])


def fact(fact) -> str:
    """A fact is read in its topic's note, in the key-facts list."""
    return f"{topic(fact.topic)}#fact-{fact.slug}"


def card(card) -> str:
    return reverse("quizzes:card-detail", args=[card.pk])


def question(question) -> str:
    return reverse("quizzes:question-detail", args=[question.pk])


def mains(question) -> str:
    return reverse("quizzes:mains-write", args=[question.pk])


OVERRIDES = {
    "content.topic": topic,
    "content.fact": fact,
    "content.flashcard": card,
    "content.question": question,
    "content.mainsquestion": mains,
}
