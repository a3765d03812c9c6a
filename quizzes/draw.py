"""The Prelims draw: which questions a practice set or a mock takes. Pure functions, no ORM;
quizzes.services.prelims feeds them the candidate rows."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence


def balanced_draw(
    candidates: Iterable[tuple[int, object, str]], count: int, rng: random.Random
) -> list[int]:
    """Pick `count` distinct question ids spread evenly over topics and formats.

    `candidates` are (question id, topic, kind). Topics take turns (the least-drawn first, ties
    in random order), and each turn takes the topic's format drawn least so far across the
    whole test, so a 25-question mock over 5 topics gets 5 from each and the formats as even
    as the bank allows. The result is shuffled so topics do not come in blocks.
    """
    buckets: dict[object, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pk, topic, kind in candidates:
        buckets[topic][kind].append(pk)
    for kinds in buckets.values():
        for ids in kinds.values():
            ids.sort()
            rng.shuffle(ids)
    topic_used: Counter = Counter()
    kind_used: Counter = Counter()
    topics = list(buckets)
    rng.shuffle(topics)
    chosen: list[int] = []
    while len(chosen) < count:
        live = [t for t in topics if any(buckets[t].values())]
        if not live:
            break
        live.sort(key=lambda t: topic_used[t])  # stable: ties keep the shuffled order
        for topic in live:
            if len(chosen) >= count:
                break
            kinds = [k for k, ids in buckets[topic].items() if ids]
            kinds.sort(key=lambda k: (kind_used[k], rng.random()))
            kind = kinds[0]
            chosen.append(buckets[topic][kind].pop())
            topic_used[topic] += 1
            kind_used[kind] += 1
    rng.shuffle(chosen)
    return chosen


def too_few_message(rows: Sequence[tuple], count: int) -> str:
    """Why a narrowed mock is refused: how many questions match, per topic (the fourth item
    of each candidate row is its topic's title), and what to do instead."""
    by_topic = Counter(row[3] for row in rows)
    listed = ", ".join(f"{title}: {n}" for title, n in sorted(by_topic.items()))
    return (
        f"Only {len(rows)} question{'s match' if len(rows) != 1 else ' matches'} your choice "
        f"({listed}), not {count}. Choose a custom mock of {len(rows)} or fewer, "
        "or tick more topics or formats."
    )
