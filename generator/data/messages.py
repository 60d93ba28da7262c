"""Problems in plain words, at the line and column where the maintainer wrote the value.

`Reporter` turns a path into the data (("items", 3, "lead")) into `file:line:col`;
`schema_problems` turns pydantic's errors into messages that say what is wrong and how to
fix it, with a did-you-mean for typos.
"""

from __future__ import annotations

import difflib
import re

from pydantic import BaseModel, ValidationError

from generator.core.problems import Code, Problem, Severity, format_path


class Reporter:
    """Adds problems for one file, placed by the positions its reader recorded. `positions`
    is a `reading.Loaded`, or a callable giving one (read only when a problem needs it)."""

    def __init__(self, rel: str, positions, sink: list):
        self.rel, self._positions, self.sink = rel, positions, sink

    @property
    def loaded(self):
        if callable(self._positions):
            self._positions = self._positions()
        return self._positions

    def where(self, path: tuple, key: bool = False) -> tuple[int, int]:
        loaded = self.loaded
        if key and path in loaded.key_positions:
            return loaded.key_positions[path]
        probe = tuple(path)
        while probe:
            if probe in loaded.positions:
                return loaded.positions[probe]
            probe = probe[:-1]
        return loaded.positions.get((), (1, 1))

    def add(self, path: tuple, code: Code, message: str, severity: Severity = Severity.ERROR, key: bool = False) -> None:
        line, col = self.where(path, key)
        self.sink.append(Problem(self.rel, line, col, format_path(path), code, message, severity))


def validate(loaded, root_model: type[BaseModel], rep: Reporter):
    """The model built from a file's data, or None after reporting why it cannot be built."""
    try:
        return root_model.model_validate(loaded.data)
    except ValidationError as exc:
        schema_problems(exc, root_model, rep)
        return None


def unknown(kind: str, value: str, known) -> str:
    """`unknown topic `tuoyo`; did you mean `tuoyu`?` — or the ids that exist."""
    close = difflib.get_close_matches(value, list(known), n=1)
    msg = f"unknown {kind} `{value}`"
    if close:
        msg += f"; did you mean `{close[0]}`?"
    elif known:  # all of them: a cut list leaves the maintainer guessing (topics.yml has ~40)
        msg += f"; known: {', '.join(known)}"
    else:
        msg += f"; this file defines no {kind}s yet"
    return msg


# --- pydantic errors ----------------------------------------------------------------------


def describe(value) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping (fields)"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (empty)"
    text = str(value)
    return f"the text {text[:40]!r}" + ("…" if len(text) > 40 else "")


def _model_at(root_model: type[BaseModel], path: tuple):
    """The pydantic model class that owns the last field of `path` (for hints)."""
    current = root_model
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        inner = _unwrap(info.annotation)
        if inner is None:
            return None
        current = inner
    return current


def _unwrap(ann):
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()) or ():
        found = _unwrap(arg)
        if found is not None:
            return found
    return None


def _field_description(owner, name) -> str:
    if owner is None or not isinstance(name, str):
        return ""
    info = owner.model_fields.get(name)
    if info is None:
        return ""
    desc = info.description or ""
    if not desc:
        for meta in info.metadata:
            desc = getattr(meta, "description", None) or desc
    return desc


_NUMBER_ERRORS = ("float_type", "int_type", "float_parsing", "int_parsing", "int_from_float")
_CONTAINER_ERRORS = ("model_type", "dict_type", "model_attributes_type")


def schema_problems(exc: ValidationError, root_model, rep: Reporter) -> None:
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if isinstance(p, int) or not str(p).startswith(("function-", "str", "list[", "dict[")))
        kind, given = err["type"], err.get("input")
        owner = _model_at(root_model, loc)
        name = loc[-1] if loc else None
        hint = _field_description(owner, name)
        if kind == "missing":
            rep.add(loc, Code.FIELD_MISSING, f"required field `{name}` is missing" + (f" ({hint})" if hint else ""))
            continue
        if kind == "extra_forbidden":
            allowed = list(owner.model_fields) if owner else []
            close = difflib.get_close_matches(str(name), allowed, n=1)
            msg = f"unknown field `{name}`" + (f"; did you mean `{close[0]}`?" if close else "") + (f" Allowed here: {', '.join(allowed)}" if allowed else "")
            rep.add(loc, Code.FIELD_UNKNOWN, msg, key=True)
            continue
        code = Code.WRONG_TYPE
        if kind == "string_type":
            if isinstance(given, (int, float)) and not isinstance(given, bool):
                written = rep.loaded.number_texts.get(loc, given) if rep.loaded is not None else given  # 1.10, not 1.1
                msg = f"expected text, found {describe(given)}; put it in quotes (\"{written}\") so it is kept exactly as written"
            else:
                msg = f"expected text, found {describe(given)}"
        elif kind == "string_pattern_mismatch":
            code = Code.BAD_FORMAT
            msg = f"{describe(given)} is not in the expected form" + (f": {hint}" if hint else "")
            if isinstance(given, str) and re.match(r"^\s*[a-z]+:", given, re.I) and not given.startswith(("http:", "https:")):
                msg = f"only http:// and https:// addresses are allowed, found {given[:40]!r}"
            elif str(err.get("ctx", {}).get("pattern", "")).startswith("^https?://"):
                msg = f"{describe(given)} is not a web address: write http://… or https://…, without spaces, quotes or < >"
        elif kind in ("enum", "literal_error"):
            code = Code.NOT_ALLOWED
            msg = f"{describe(given)} is not allowed here; use one of {err.get('ctx', {}).get('expected', '')}"
        elif kind in _NUMBER_ERRORS:
            msg = f"expected a number, found {describe(given)}" + ("; write whole numbers in base units (2万 → 20000)" if isinstance(given, str) else "")
        elif kind == "bool_type":
            msg = f"expected true or false, found {describe(given)}"
        elif kind == "list_type":
            msg = f"expected a list (lines starting with `- `), found {describe(given)}"
        elif kind in _CONTAINER_ERRORS:
            msg = f"expected a mapping of fields (`name: value` lines), found {describe(given)}"
        elif kind == "value_error":
            code = Code.BAD_FORMAT
            msg = str(err.get("ctx", {}).get("error", err["msg"]))
        elif kind == "greater_than_equal" and isinstance(given, (int, float)) and given < 0:
            code = Code.INVALID_VALUE
            msg = f"{describe(given)} is negative; counts, amounts and percents never are: write the figure the text states, without a minus sign"
        elif kind in ("string_too_short", "too_short"):
            code = Code.INVALID_VALUE
            msg = "must not be empty" if kind == "string_too_short" else err["msg"]
        else:
            code = Code.INVALID_VALUE
            msg = err["msg"][:1].lower() + err["msg"][1:]
        if hint and kind not in ("string_pattern_mismatch", "value_error") and "expected" not in msg:
            msg += f" ({hint})"
        rep.add(loc, code, msg)
