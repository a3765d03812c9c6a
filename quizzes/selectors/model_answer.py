"""The model answer shown on a submitted Mains answer's page (quizzes:mains-answer).

Never called for a draft or from the write page: a learner sees the model answer only after
handing in their own. Reads two small lookups by slug (facts and sources the model answer
cites), only when it cites any.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from content.markdown import render
from content.models import Fact, MainsQuestion, Source, Status
from content.schema import CITATION_RE, model_answer_words


@dataclass(frozen=True)
class Citation:
    slug: str
    number: int
    text: str  # the fact's statement, or the source's title and publisher


@dataclass(frozen=True)
class ModelAnswer:
    html: SafeString
    words: int
    citations: list[Citation]


def model_answer_for(question: MainsQuestion) -> ModelAnswer | None:
    """The question's model answer rendered (citations numbered, listed below), or None."""
    text = question.model_answer.strip()
    if not text:
        return None
    cited = list(dict.fromkeys(CITATION_RE.findall(text)))
    found: dict[str, str] = {}
    if cited:
        # Never a draft's statement (nor one in a draft topic): the citation stays a bare slug.
        facts = Fact.objects.exclude(status=Status.DRAFT).exclude(topic__status=Status.DRAFT)
        for slug, statement in facts.filter(slug__in=cited).values_list("slug", "statement"):
            found[slug] = statement
        for slug, title, publisher in Source.objects.filter(slug__in=cited).values_list(
            "slug", "title", "publisher"
        ):
            found.setdefault(slug, f"{title} ({publisher})" if publisher else title)
    citations = [
        Citation(slug, n, found[slug])
        for n, slug in enumerate((s for s in cited if s in found), start=1)
    ]
    labels = {c.slug: str(c.number) for c in citations}
    html = render(text, citations=labels).html
    return ModelAnswer(html=html, words=model_answer_words(text), citations=citations)
