"""Article text → a draft study set (facts, cards, Prelims questions, a Mains stub, an outline).

Deterministic and offline: pysbd splits sentences, rules in `values` find dates, amounts,
spelled-out numbers, acronyms and names, `facts` builds facts and one card per tested value,
`questions` builds every Prelims format, a Mains stub and a note outline, and `quality` says
which drafts an editor could accept as they stand. Nothing here touches the database: the
admin review screen and `manage.py draft_article` store and publish what an editor accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

from content.drafts import questions
from content.drafts.article import Article, parse
from content.drafts.facts import facts_from
from content.drafts.items import Draft
from content.drafts.quality import problems


@dataclass
class DraftSet:
    article: Article
    drafts: list[Draft]

    def problems(self, draft: Draft) -> list[str]:
        return problems(draft, self.article.subject)

    @property
    def pass_share(self) -> float:
        if not self.drafts:
            return 0.0
        return sum(1 for d in self.drafts if not self.problems(d)) / len(self.drafts)


def generate(text: str, *, title: str = "") -> DraftSet:
    """Every draft for one article, in reading order, then questions, Mains and outline."""
    article = parse(text, title=title)
    facts, drafts = facts_from(article)
    pool = questions._pool(facts)
    drafts += questions.single_questions(facts, pool)
    drafts += questions.statement_questions(facts, pool)
    drafts += questions.pairs_questions(article, facts)
    drafts += questions.assertion_reason_questions(article)
    for extra in (questions.mains_stub(article, facts), questions.note_outline(article, facts)):
        if extra:
            drafts.append(extra)
    unique = list({d.key: d for d in drafts}.values())
    return DraftSet(article, unique)


__all__ = ["Draft", "DraftSet", "generate"]
