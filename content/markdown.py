"""Markdown → safe HTML for everything learners read.

markdown-it-py renders with raw HTML disabled (a `<script>` in content is shown as text) and nh3
sanitises the output anyway, so no content field can put markup or event handlers on a page.
Headings get stable ids and feed a table of contents.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt

_ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "mark", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"},
                       "th": {"style"}, "td": {"style"}}  # fmt: skip
RENDER_CACHE_SIZE = 256  # rendered texts kept per process (notes are a few kB each)
_CITATION_RE = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)+)\](?!\()")
_CITED_RE = re.compile(r"\s*\[[a-z0-9]+(?:-[a-z0-9]+)+\](?!\()")


@dataclass
class TocEntry:
    level: int
    text: str
    anchor: str


@dataclass
class Rendered:
    html: SafeString
    toc: list[TocEntry] = field(default_factory=list)


def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": False, "linkify": False})
        .enable("table")
        .enable("strikethrough")
    )


_MD = _parser()


def render(text: str, *, citations: dict[str, str] | None = None) -> Rendered:
    """Render Markdown to sanitised HTML with heading anchors and a table of contents.

    `citations` maps source slugs to short labels: "[iasgyan-2025]" in the text becomes a
    small citation mark linking to the page's source list (#source-<slug>).

    Results are kept per process (an LRU keyed by the text and the labels themselves, so an
    edit is a new key: nothing to invalidate, nothing shared that could go stale, no Redis
    round trip): a topic page renders its note once per worker, not on every view.
    """
    key = (text or "", tuple(sorted(citations.items())) if citations else ())
    cached = _render_cached(*key)
    return Rendered(html=cached.html, toc=list(cached.toc))


@functools.lru_cache(maxsize=RENDER_CACHE_SIZE)
def _render_cached(text: str, citations: tuple[tuple[str, str], ...]) -> Rendered:
    return _render(text, citations=dict(citations))


def _render(text: str, *, citations: dict[str, str] | None = None) -> Rendered:
    tokens = _MD.parse(text or "")
    toc: list[TocEntry] = []
    used: set[str] = set()
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in {"h2", "h3"}:
            inline = tokens[i + 1]
            title = inline.content.strip()
            anchor = slugify(title) or "section"
            base, n = anchor, 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            token.attrSet("id", anchor)
            toc.append(TocEntry(level=int(token.tag[1]), text=title, anchor=anchor))
    html = _MD.renderer.render(tokens, _MD.options, {})
    if citations:

        def cite(match: re.Match) -> str:
            slug = match.group(1)
            if slug not in citations:
                return match.group(0)
            label = citations[slug]
            return f'<sup><a href="#source-{slug}" title="{label}">[{label}]</a></sup>'

        html = _CITATION_RE.sub(cite, html)
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS | {"sup"},
        attributes={**_ALLOWED_ATTRIBUTES, "a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Rendered(html=mark_safe(clean), toc=toc)  # noqa: S308 - sanitised by nh3 above


def render_inline(text: str) -> SafeString:
    """Render a short Markdown field (an explanation, a statement) without the wrapping <p>."""
    html = _MD.renderInline(text or "")
    return mark_safe(nh3.clean(html, tags={"em", "strong", "code", "sub", "sup", "del"}))  # noqa: S308


# Stand-ins for the deletions while the text around them is rendered (private-use characters:
# Markdown and nh3 leave them alone, and nobody types them).
_CLOZE_SLOT = "\ue000{}\ue001"
_CLOZE_HTML = {
    "review": '<span class="cloze"><span class="cloze-blank" aria-label="blank">{blank}</span>'
    '<mark class="cloze-answer">{answer}</mark></span>',
    "front": '<span class="cloze-blank">{blank}</span>',
    "back": '<mark class="cloze-answer-inline">{answer}</mark>',
}


def render_cloze(segments: list[dict], *, side: str) -> SafeString:
    """A cloze text (`Flashcard.cloze_segments()`) as inline Markdown in one piece, so emphasis
    may span a deletion, with each deletion drawn for `side`: "review" (the blank and the
    answer the reveal shows), "front" (the blank) or "back" (the answer marked)."""
    slots, text = {}, []
    for i, segment in enumerate(segments):
        if "blank" in segment:
            slot = _CLOZE_SLOT.format(i)
            answer = render_inline(segment["answer"])
            slots[slot] = _CLOZE_HTML[side].format(blank=escape(segment["blank"]), answer=answer)
            text.append(slot)
        else:
            text.append(segment["text"].replace("\ue000", "").replace("\ue001", ""))
    html = str(render_inline("".join(text)))
    for slot, deletion in slots.items():
        html = html.replace(slot, deletion)
    return mark_safe(html)  # noqa: S308 - the text is sanitised, the deletions escaped


@dataclass
class Section:
    title: str  # "" for the text before the first heading
    anchor: str  # the heading's id on the rendered page ("" for the top)
    text: str  # plain text, citation marks removed


def sections(text: str) -> list[Section]:
    """A note split at its h2/h3 headings, as plain text, with the same anchors `render` gives."""
    tokens = _MD.parse(text or "")
    found = [Section("", "", "")]
    used: set[str] = set()
    pieces: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in {"h2", "h3"}:
            found[-1].text = " ".join(pieces)
            pieces = []
            title = tokens[i + 1].content.strip()
            anchor = slugify(title) or "section"
            base, n = anchor, 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            found.append(Section(title, anchor, ""))
        elif token.type == "inline" and not (i and tokens[i - 1].type == "heading_open"):
            pieces.append(_plain(token))
    found[-1].text = " ".join(pieces)
    return [s for s in found if s.title or s.text]


def _plain(inline) -> str:
    words = "".join(
        child.content if child.type in {"text", "code_inline"} else " "
        for child in inline.children or []
        if child.type in {"text", "code_inline", "softbreak", "hardbreak"}
    )
    return " ".join(_CITED_RE.sub("", words).split())
