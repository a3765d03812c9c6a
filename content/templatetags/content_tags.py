from django import template

from content import formats
from content.markdown import render, render_cloze, render_inline

register = template.Library()


@register.filter
def markdown(text: str):
    """Block Markdown → sanitised HTML."""
    return render(text).html


@register.filter
def markdown_inline(text: str):
    """Inline Markdown (emphasis, code) → sanitised HTML."""
    return render_inline(text)


@register.filter
def without_verdict(explanation: str, true) -> str:
    """The explanation after its verdict badge, without repeating the verdict (formats)."""
    return formats.without_verdict(explanation, true=bool(true))


@register.filter
def card_prompt(card):
    """A card's front as sanitised inline HTML: a cloze card's text with its blanks shown."""
    if card.kind == "cloze":
        return render_cloze(card.cloze_segments(), side="front")
    return render_inline(card.front)
