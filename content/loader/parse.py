"""Reading a pack's files: YAML and front matter parsed, each item validated for shape."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from content import schema
from content.loader.types import ContentError, Located, ParsedPack

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Limits that keep a hostile or mistaken file from exhausting the loader or the site: no pack
# file is anywhere near them (the largest note is ~20 KB, the largest YAML file ~60 KB).
MAX_FILE_BYTES = 1_000_000  # any one pack file
MAX_NOTE_BYTES = 200_000  # one note's markdown: a topic page stays a page
# Tags a pack may write explicitly (YAML's own core types); anything else is refused.
_ALLOWED_TAGS = {
    None,
    "!",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


def _read_text(path: Path, rel: str, errors: list[ContentError]) -> str | None:
    """The file as UTF-8 text, or None with the problem (too large, not UTF-8) reported."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        errors.append(
            ContentError(
                rel, "", "", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes"
            )
        )
        return None
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        errors.append(
            ContentError(
                rel,
                "",
                "",
                f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at line {line} ({exc.reason}); "
                "save the file as UTF-8",
                line,
            )
        )
        return None


def _refuse_aliases_and_tags(text: str, rel: str, errors: list[ContentError], offset=0) -> bool:
    """Scan the YAML events (cheap: nothing is built) for anchors, aliases and custom tags.

    Aliases let a few hundred bytes expand to gigabytes ("billion laughs"); no pack needs them.
    Returns False, with the problem reported, if the text uses any.
    """
    try:
        for event in yaml.parse(text, Loader=_YamlLoader):
            line = event.start_mark.line + 1 + offset if event.start_mark else None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                errors.append(
                    ContentError(
                        rel,
                        "",
                        "",
                        "YAML anchors and aliases (&name, *name) are not allowed; "
                        "write the value out",
                        line,
                    )  # fmt: skip
                )
                return False
            if getattr(event, "tag", None) not in _ALLOWED_TAGS:
                errors.append(
                    ContentError(rel, "", "", f"YAML tag {event.tag!r} is not allowed", line)
                )
                return False
    except yaml.MarkedYAMLError:
        return True  # the full parse below reports it with its line
    return True


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _yaml(path: Path, rel: str, errors: list[ContentError]):
    """Parse a YAML file; returns (data, line numbers of the top-level list items)."""
    text = _read_text(path, rel, errors)
    if text is None or not _refuse_aliases_and_tags(text, rel, errors):
        return None, []
    try:
        # One parse gives both the data and the line of every item (libyaml when available).
        loader = _YamlLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        errors.append(ContentError(rel, "", "", f"malformed YAML: {problem}", line))
        return None, []
    lines = []
    if isinstance(node, yaml.SequenceNode):
        lines = [child.start_mark.line + 1 for child in node.value]
    return data, lines


def _yaml_keys(value):
    """YAML 1.1 reads an unquoted `true:` key as the boolean True; the format means the word."""
    if isinstance(value, dict):
        return {
            ("true" if k is True else "false" if k is False else k): _yaml_keys(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_yaml_keys(v) for v in value]
    return value


def _pydantic_errors(
    exc: ValidationError, rel: str, item_id: str, line: int | None
) -> list[ContentError]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"] if not str(p).startswith("function-")]
        # Discriminated unions put the kind name first in the path; it is noise to an author.
        if loc and loc[0] in {"single", "statements", "pairs", "assertion_reason"}:
            loc = loc[1:]
        loc = [f"[{p}]" if p.isdigit() else p for p in loc]
        message = err["msg"].removeprefix("Value error, ")
        field_name = ".".join(loc).replace(".[", "[")
        if not field_name and ": " in message:
            field_name, message = message.split(": ", 1)
        if err["type"] == "missing":
            message = "required field is missing"
        elif err["type"] == "extra_forbidden":
            message = "unknown field (check the spelling against content/packs/README.md)"
        elif err["type"] == "union_tag_invalid":
            field_name = "kind"
            message = "kind must be one of single, statements, pairs, assertion_reason"
        out.append(ContentError(rel, item_id, field_name, message, line))
    return out


def _read_list(
    path: Path, root: Path, adapter, errors, into: list[Located], failed: set[str]
) -> bool:
    """Read one YAML list file into `into`; False if the file as a whole could not be read."""
    rel = _rel(path, root)
    before = len(errors)
    data, lines = _yaml(path, rel, errors)
    if data is None:
        return len(errors) == before  # an empty file is fine; an unreadable one is not
    if not isinstance(data, list):
        errors.append(ContentError(rel, "", "", "the file must hold a YAML list of items"))
        return False
    for index, raw in enumerate(data):
        line = lines[index] if index < len(lines) else None
        item_id = raw.get("id", f"item #{index + 1}") if isinstance(raw, dict) else ""
        if not isinstance(raw, dict):
            errors.append(ContentError(rel, f"item #{index + 1}", "", "not a mapping", line))
            continue
        try:
            into.append(Located(adapter.validate_python(_yaml_keys(raw)), rel, line))
        except ValidationError as exc:
            errors.extend(_pydantic_errors(exc, rel, str(item_id), line))
            failed.add(str(raw.get("id", "")))
    return True


def _read_note(path: Path, root: Path, errors, pack: ParsedPack) -> None:
    rel = _rel(path, root)
    text = _read_text(path, rel, errors)
    if text is None:
        pack.unreadable.add("topic")
        return
    if not text.startswith("---"):
        errors.append(
            ContentError(rel, "", "front matter", "no front matter: start the file with ---", 1)
        )
        return
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        errors.append(ContentError(rel, "", "front matter", "front matter is not closed with ---"))
        return
    head, body = parts[0][3:], parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    if not _refuse_aliases_and_tags(head, rel, errors):
        pack.unreadable.add("topic")
        return
    try:
        data = yaml.load(head, Loader=_YamlLoader) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 2 if mark else None
        errors.append(ContentError(rel, "", "front matter", f"malformed YAML: {exc.problem}", line))
        return
    if not isinstance(data, dict):
        errors.append(ContentError(rel, "", "front matter", "front matter must be a mapping", 1))
        return
    try:
        front = schema.NoteFrontMatter.model_validate(data)
    except ValidationError as exc:
        errors.extend(_pydantic_errors(exc, rel, str(data.get("topic", "")), 1))
        pack.failed_ids.add(str(data.get("topic", "")))
        return
    if not body.strip():
        errors.append(ContentError(rel, front.topic, "body", "the note has no body"))
        return
    if len(body.encode()) > MAX_NOTE_BYTES:
        errors.append(
            ContentError(
                rel,
                front.topic,
                "body",
                f"the note is {len(body.encode()):,} bytes; the limit "
                f"is {MAX_NOTE_BYTES:,} (split it into topics)",
                1,
            )  # fmt: skip
        )
        pack.failed_ids.add(front.topic)
        return
    pack.notes.append((Located(front, rel, 1), body.strip() + "\n"))


_ADAPTERS = {
    "facts": TypeAdapter(schema.FactItem),
    "cards": TypeAdapter(schema.CardItem),
    "prelims": TypeAdapter(schema.QuestionItem),
    "mains": TypeAdapter(schema.MainsItem),
}


def read_pack(root: Path, errors: list[ContentError]) -> ParsedPack:
    pack = ParsedPack(root=root)
    meta_path = root / "pack.yaml"
    rel = _rel(meta_path, root)
    if not meta_path.exists():
        errors.append(ContentError(rel, "", "", "pack.yaml is missing"))
    else:
        data, _ = _yaml(meta_path, rel, errors)
        if data is None:
            pack.unreadable.add("source")
        else:
            try:
                pack.meta = schema.PackFile.model_validate(data)
            except ValidationError as exc:
                errors.extend(_pydantic_errors(exc, rel, "", None))
                for raw in data.get("sources") or [] if isinstance(data, dict) else []:
                    if isinstance(raw, dict):
                        pack.failed_ids.add(str(raw.get("id", "")))
    for path in sorted((root / "notes").glob("*.md")):
        _read_note(path, root, errors, pack)
    for folder, target, kind in (
        ("facts", pack.facts, "fact"),
        ("cards", pack.cards, "card"),
        ("prelims", pack.questions, "question"),
        ("mains", pack.mains, "mains"),
    ):
        for path in sorted((root / folder).glob("*.y*ml")):
            if not _read_list(path, root, _ADAPTERS[folder], errors, target, pack.failed_ids):
                pack.unreadable.add(kind)
    return pack


# ---------------------------------------------------------------------------------------------
# Cross-item validation
