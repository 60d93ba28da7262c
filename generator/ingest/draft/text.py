"""The structure of a text: which numbering forms are categories (`sections`, their lines
mostly short headings), which the items and which sub-items, numbered straight through or
restarting per category; a paragraph under an item is its explanation. Lines outside the
structure (page furniture, closing remarks) are reported, never guessed into an item.
"""

from __future__ import annotations

from typing import Optional

from generator.ingest.draft.lines import LEAD_LINE, Line, classify, ends_sentence, heading_like, in_sequence, split_units, take_lead
from generator.ingest.draft.nodes import Draft, Node, SectionDraft, number_items, text_and_lead


def parse_text(lines: list) -> Draft:
    """Numbered (or unnumbered) official text → items, sub-items and sections."""
    classified = [classify(no, text) for no, text in lines]
    by_form: dict = {}
    for ln in classified:
        if ln.form:
            by_form.setdefault(ln.form, []).append(ln)
    forms = [f for f, lns in by_form.items() if in_sequence([ln.number for ln in lns])]
    forms.sort(key=lambda f: by_form[f][0].no)
    for ln in classified:  # numbering that is no sequence is ordinary text
        if ln.form and ln.form not in forms:
            ln.form, ln.label, ln.rest = None, None, ln.text
    if not forms:
        return _parse_unnumbered(classified)
    headingish = {f: sum(heading_like(ln.rest) for ln in by_form[f]) > len(by_form[f]) / 2 for f in forms}
    item_form = next((f for f in forms if not headingish[f]), forms[-1])
    section_forms = [f for f in forms[: forms.index(item_form)] if headingish[f]]
    sub_forms = forms[forms.index(item_form) + 1 :]
    return _walk(classified, item_form, section_forms, sub_forms)


def _walk(classified: list, item_form: str, section_forms: list, sub_forms: list) -> Draft:
    draft = Draft()
    first_item = next(i for i, ln in enumerate(classified) if ln.form == item_form)
    # Unnumbered category headings: only when one stands right before the first item and the
    # source numbers no categories (otherwise captions between items would become categories).
    plain_headings = not section_forms and first_item > 0 and heading_like(classified[first_item - 1].text) and not classified[first_item - 1].form
    open_sections: list = [None] * (len(section_forms) + 1)
    stack: list = []  # [item, sub-item, sub-sub-item …] currently open
    started = False
    attached = True  # may unnumbered lines still belong to the open item?
    pending_heading: Optional[Line] = None
    for index, ln in enumerate(classified):
        if ln.form is not None:
            attached = True
        if ln.form in section_forms:
            level = section_forms.index(ln.form)
            stack = []
            if heading_like(ln.rest):
                parent = open_sections[level - 1] if level else None
                sec = SectionDraft("", ln.label or "", ln.rest, level, parent.id if parent else None, ln.number, ln.no)
                sec.id = f"{parent.id}-{ln.number}" if parent else f"s{ln.number}"
                draft.sections.append(sec)
                open_sections[level] = sec
                for deeper in range(level + 1, len(open_sections)):
                    open_sections[deeper] = None
            else:
                draft.unplaced.append((ln.no, ln.text))
            started = started or index >= first_item
            continue
        if ln.form == item_form:
            started = True
            if pending_heading is not None:
                _open_plain_section(draft, pending_heading, open_sections)
                pending_heading = None
            node = _new_node(ln)
            node.section = next((s.id for s in reversed(open_sections) if s is not None), None)
            draft.items.append(node)
            stack = [node]
            continue
        if ln.form in sub_forms and stack:
            depth = sub_forms.index(ln.form) + 1
            if depth > len(stack):
                depth = len(stack)
            parent_node = stack[depth - 1]
            node = _new_node(ln)
            parent_node.children.append(node)
            stack = stack[:depth] + [node]
            continue
        if not started:
            if index == first_item - 1 and plain_headings:
                pending_heading = ln
            else:
                draft.intro.append((ln.no, ln.text))
            continue
        lead = LEAD_LINE.match(ln.text)
        bracket = take_lead(ln.text)
        if stack and lead and attached:
            stack[-1].lead.extend(split_units(lead.group(1)))
        elif stack and attached and not bracket[0] and bracket[1]:  # （牵头单位：…） on a line of its own
            stack[-1].lead.extend(bracket[1])
            stack[-1].notes.extend(f"TODO: the source also names {other}; `lead` holds only the leading units" for other in bracket[2])
        elif stack and not stack[-1].text:
            stack[-1].text, stack[-1].lead = text_and_lead(ln.text, stack[-1].lead, stack[-1].notes)
        elif plain_headings and heading_like(ln.text) and index + 1 < len(classified) and classified[index + 1].form == item_form:
            pending_heading = ln
            stack = []
        elif stack and attached and ends_sentence(ln.text):
            stack[-1].explanation.append(ln.text)
        else:
            draft.unplaced.append((ln.no, ln.text))
            attached = False  # what follows a line we could not place is not the item's either
    number_items(draft)
    _drop_empty_sections(draft)
    return draft


def _open_plain_section(draft: Draft, ln: Line, open_sections: list) -> None:
    number = sum(1 for s in draft.sections if not s.numbered) + 1
    sec = SectionDraft(f"s{number}", str(number), ln.text, 0, None, number, ln.no, numbered=False)
    draft.sections.append(sec)
    open_sections[0] = sec


def _new_node(ln: Line) -> Node:
    node = Node(ln.no, ln.label, ln.number)
    if ln.rest:
        node.text, node.lead = text_and_lead(ln.rest, [], node.notes)
    return node


def _parse_unnumbered(classified: list) -> Draft:
    """A list without numbers: every sentence line of the longest run of sentence lines and
    headings is an item, numbered 1, 2, 3 … in order; a short heading line before items is a
    category."""
    kinds = []
    for ln in classified:
        if LEAD_LINE.match(ln.text):
            kinds.append("lead")
        elif ends_sentence(ln.text) or take_lead(ln.text)[1]:
            kinds.append("item")
        elif heading_like(ln.text):
            kinds.append("heading")
        else:
            kinds.append("other")
    best, start = (0, 0, 0), None
    for i, kind in enumerate(kinds + ["other"]):
        if kind != "other" and start is None:
            start = i
        elif kind == "other" and start is not None:
            count = sum(1 for k in kinds[start:i] if k == "item")
            if count > best[0]:
                best = (count, start, i)
            start = None
    draft = Draft()
    count, first, last = best
    if count < 2:
        draft.unplaced = [(ln.no, ln.text) for ln in classified]
        return draft
    while first < last and kinds[first] != "item" and not (kinds[first] == "heading" and kinds[first + 1] == "item"):
        first += 1
    section = None
    for i, ln in enumerate(classified):
        if i < first:
            draft.intro.append((ln.no, ln.text))
        elif i >= last:
            draft.unplaced.append((ln.no, ln.text))
        elif kinds[i] == "heading" and i + 1 < last and kinds[i + 1] == "item":
            number = len(draft.sections) + 1
            section = SectionDraft(f"s{number}", str(number), ln.text, 0, None, number, ln.no, numbered=False)
            draft.sections.append(section)
        elif kinds[i] == "lead" and draft.items:
            draft.items[-1].lead.extend(split_units(LEAD_LINE.match(ln.text).group(1)))  # type: ignore[union-attr]
        elif kinds[i] == "item":
            node = Node(ln.no, None, None)
            node.text, node.lead = text_and_lead(ln.text, [], node.notes)
            node.section = section.id if section else None
            draft.items.append(node)
        else:
            draft.unplaced.append((ln.no, ln.text))
    number_items(draft, numbered=False)
    _drop_empty_sections(draft)
    return draft


def _drop_empty_sections(draft: Draft) -> None:
    """Categories with no items (一、工作目标, 三、保障措施) are not categories of the list; a
    level where only one heading holds items (二、主要任务) is the document's outline."""
    used = {n.section for n in draft.items}
    changed = True
    while changed:
        changed = False
        parents = {s.parent for s in draft.sections if s.id in used or s.id in {p for p in (x.parent for x in draft.sections) if p}}
        keep = [s for s in draft.sections if s.id in used or s.id in parents]
        if len(keep) != len(draft.sections):
            for s in draft.sections:
                if s not in keep:
                    draft.unplaced.append((s.line, f"{s.label}{s.title}"))
            draft.sections = keep
            changed = True
    levels = sorted({s.level for s in draft.sections})
    for level in levels:
        at_level = [s for s in draft.sections if s.level == level]
        if len(at_level) == 1 and any(s.level > level for s in draft.sections):
            only = at_level[0]
            draft.notes.append(f"The heading {only.label}{only.title} (line {only.line}) holds every item: it is the document's outline, not a category.")
            draft.sections = [s for s in draft.sections if s is not only]
            for s in draft.sections:
                if s.parent == only.id:
                    s.parent = None
            for n in draft.items:
                if n.section == only.id:
                    n.section = None
    draft.unplaced.sort()
    _name_sections(draft)


def _name_sections(draft: Draft) -> None:
    """Section ids from the source's numbers: s1, s2 … for the outermost categories, s1-3 for
    the third inside s1 (after dropping the outline, so that ids do not carry its number)."""
    names: dict = {}
    for s in draft.sections:
        base = names[s.parent] if s.parent else "s"
        new = f"{base}-{s.number}" if s.parent else f"s{s.number}"
        while new in names.values():
            new += "x"
        names[s.id] = new
    for s in draft.sections:
        s.id, s.parent = names[s.id], names.get(s.parent) if s.parent else None
    for n in draft.items:
        n.section = names.get(n.section) if n.section else None
