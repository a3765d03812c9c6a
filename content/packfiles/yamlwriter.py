"""The one canonical writer of pack files: YAML lists, pack.yaml and notes' front matter.

Canonical form: block mappings in the format's field order, fields left at their default
omitted; lists of slugs and keywords in flow style (`[a, b]`); every other string on one line,
plain when YAML reads it back as the same string and double-quoted otherwise; multi-line text
as a literal block (`|`); one blank line between list items. Comment lines of the file being
replaced are kept: the ones above the first item as its header, the ones above an item with
that item (found by id), the ones after the last item at the end.
"""

from __future__ import annotations

import functools
import json
import re

import yaml

from content.loader.parse import _yaml_keys

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FLOW_KEYS = {"facts", "sources", "keywords", "synonyms", "columns"}
ITEM_LINE = re.compile(r"^(\s*)- id: (.+?)\s*$")


@functools.lru_cache(maxsize=65536)
def _plain(text: str, flow: bool) -> bool:
    """Whether `text` may be written unquoted (YAML reads it back as the same string)."""
    if not text or text != text.strip() or "\n" in text or "\t" in text:
        return False
    docs = [f"k: [{text}]"] if flow else [f"k: {text}", f"- {text}"]
    wanted = [{"k": [text]}] if flow else [{"k": text}, [text]]
    try:
        return [yaml.load(d, Loader=_Loader) for d in docs] == wanted
    except yaml.YAMLError:
        return False


def scalar(value, *, flow: bool = False) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    text = str(value)
    return text if _plain(text, flow) else json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: int) -> list[str] | None:
    """A multi-line string as a literal block's lines, or None if one cannot hold it."""
    if text != text.strip() or "\r" in text:
        return None
    pad = " " * indent
    return ["|"] + [f"{pad}{line}" if line else "" for line in text.split("\n")]


def mapping(data: dict, indent: int = 0, first: str = "") -> list[str]:
    """Lines of a block mapping at `indent`; `first` prefixes the first line (a list's '- ')."""
    lines: list[str] = []
    pad = " " * indent
    for key, value in data.items():
        lead = (first if not lines else " " * len(first)) if first else ""
        head = f"{pad}{lead}{key}:"
        inner = indent + len(first)
        if isinstance(value, dict):
            lines.append(head)
            lines += mapping(value, inner + 2)
        elif isinstance(value, list) and (key in FLOW_KEYS or not value):
            lines.append(f"{head} [{', '.join(scalar(v, flow=True) for v in value)}]")
        elif isinstance(value, list):
            lines.append(head)
            for entry in value:
                if isinstance(entry, dict):
                    lines += mapping(entry, inner + 2, "- ")
                else:
                    lines.append(f"{' ' * (inner + 2)}- {scalar(entry)}")
        elif isinstance(value, str) and "\n" in value and (block := _block(value, inner + 2)):
            lines.append(f"{head} {block[0]}")
            lines += block[1:]
        else:
            lines.append(f"{head} {scalar(value)}")
    return lines


def _check(text: str, data) -> None:
    loaded = _yaml_keys(yaml.load(text, Loader=_Loader))  # `true:` is the word, as the loader reads
    if loaded != _unblocked(data):
        raise ValueError("the canonical writer could not represent the data")  # a bug here


def _unblocked(data):
    """Data as YAML reads it back: a literal block keeps one final newline."""
    if isinstance(data, dict):
        return {k: _unblocked(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_unblocked(v) for v in data]
    if isinstance(data, str) and "\n" in data and _block(data, 0):
        return data + "\n"
    return data


def comments_of(text: str | None) -> dict:
    """The comment lines of an existing file: header, per item id, and trailer."""
    out: dict = {"header": [], "items": {}, "trailer": []}
    lines = (text or "").split("\n")
    start = 0
    while start < len(lines) and (
        lines[start].lstrip().startswith("#") or lines[start].strip() in ("", "---")
    ):
        start += 1
    header = lines[:start]
    while header and not header[-1].strip():
        header.pop()
    while header and not header[0].strip():
        header.pop(0)
    out["header"] = header
    pending: list[str] = []
    for line in lines[start:]:
        match = ITEM_LINE.match(line)
        if line.lstrip().startswith("#"):
            pending.append(line)
        elif match:
            if pending:
                out["items"][str(yaml.load(match.group(2), Loader=_Loader))] = pending
            pending = []
        elif line.strip():
            pending = []
    out["trailer"] = pending
    return out


def item_list(items: list[dict], comments: dict) -> str:
    """A pack list file (facts, cards, prelims, mains, papers)."""
    parts: list[str] = []
    if comments["header"]:
        parts.append("\n".join(comments["header"]))
    for item in items:
        lines = comments["items"].get(item["id"], []) + mapping(item, 0, "- ")
        parts.append("\n".join(lines))
    if comments["trailer"]:
        parts.append("\n".join(comments["trailer"]))
    text = "\n\n".join(parts) + "\n"
    _check(text, items)
    return text


def pack_file(meta: dict, comments: dict) -> str:
    """pack.yaml: the pack's fields and its sources."""
    lines = comments["header"] + mapping({k: v for k, v in meta.items() if k != "sources"})
    lines.append("sources:")
    for source in meta["sources"]:
        lines += comments["items"].get(source["id"], []) + mapping(source, 2, "- ")
    text = "\n".join(lines + comments["trailer"]) + "\n"
    _check(text, meta)
    return text


def note_file(front: dict, body: str) -> str:
    """A note: front matter between --- lines, then the Markdown body."""
    head = "\n".join(mapping(front))
    _check(head, front)
    return f"---\n{head}\n---\n{body.strip()}\n"
