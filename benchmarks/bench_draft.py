"""`make bench-draft` (issue #25, "How to measure"): each seed document drafted from its raw
capture — the page text as archived, with its furniture — in a scratch copy, then compared with
the hand-made year file in data/.

Per document it counts the decisions the draft leaves (draft/decisions.py: what the summary
prints), the suggestions to accept, and the fields that differ from the hand-made data (items
out of place, texts, lead units, targets' value/unit/comparator, metric names, suggested titles
and topic sets). Minutes are estimated from those counts at the per-action times CONTRIBUTING.md
documents (RATES, the middle of each range), per document and scaled to 30 items, twice:
`accept` (every suggestion accepted as it is, every decision taken) and `to hand-made` (also
fixing every field where the draft differs from the hand-made file, whether or not the tool
flagged it: the pessimistic figure).

In-sample, all of it: the drafter's rules were tuned on these same five documents, so the
figures say how well it does on what it has seen, not on a new city's list.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {
    ("qingdao", 2024): "000_2fdb3a0f5dc02038.txt",
    ("qingdao", 2021): "001_bf6b56c9ad327146.txt",
    ("zibo", 2022): "002_ac670e75b15da742.txt",
    ("yichang", 2024): "003_b32ee5a4fa5c90c7.txt",
    ("qixia", 2024): "004_5b83448298b42065.txt",
}
# Seconds a person spends on one action (CONTRIBUTING.md's rates, middle of each range).
RATES = {
    "write_title": 20, "keep_suggestion": 4, "choose_topic": 22, "rename_metric": 12, "read_target": 5, "check_lead": 2,
    "decide_target": 8, "complete_item": 120, "fix_target": 12, "fix_text": 60,
}
FIXED_MINUTES = {"list_facts": 5, "save_run_look": 6}  # once a list, whatever its size


def measure(key: tuple, hand_list, workdir: Path) -> dict:
    from generator.core.model import walk_items
    from generator.data.dataset import load_dataset
    from generator.ingest import draft
    from generator.ingest.draft.nodes import walk_nodes
    from generator.ingest.measures import same_unit_key

    scratch = workdir / f"{key[0]}-{key[1]}"
    (scratch / "data").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "topics.yml", scratch / "data" / "topics.yml")
    capture = scratch / "raw" / SEEDS[key]
    capture.parent.mkdir()
    shutil.copy(ROOT / "sources" / "captures" / SEEDS[key], capture)  # outside sources/: drafted as a volunteer's saved copy
    outcome = draft.draft_year_file(scratch, key[0], key[1], capture)
    mine = load_dataset(scratch, cache=False).lists[key].data
    decisions = outcome.decisions()
    ours = {i.id: (i, p.id if p else None) for i, _, p in walk_items(mine.items)}
    titles = {n.id: n.title for n in walk_nodes(outcome.draft.items)}
    topics = {n.id: {t for t, _ in n.topics} for n in walk_nodes(outcome.draft.items)}
    c: Counter = Counter()
    for item, _, parent in walk_items(hand_list.items):
        c["items"] += 1
        got = ours.get(item.id)
        if got is None or got[1] != (parent.id if parent else None):
            c["structure_differs"] += 1
            continue
        d = got[0]
        c["text_differs"] += d.text != item.text
        c["lead"] += len(item.lead)
        c["lead_differs"] += sum((Counter(item.lead) - Counter(d.lead)).values())
        def figure(t):  # what a target states; 名 and 人 are one unit, as the validator and the importer count them
            return (t.value, t.value_max, same_unit_key(t.unit or ""), t.comparator)

        h = Counter(figure(t) for t in item.targets if t.value is not None)
        k = Counter(figure(t) for t in d.targets)
        c["targets"] += sum(h.values())
        c["targets_drafted"] += sum(k.values())
        c["targets_agree"] += sum((h & k).values())
        for t in item.targets:
            same = [x for x in d.targets if figure(x) == figure(t)]
            if same and t.value is not None:
                c["metrics"] += 1
                c["metrics_agree"] += any(x.metric == t.metric for x in same)
        c["investment_differs"] += (item.investment and (item.investment.text, item.investment.value)) != (d.investment and (d.investment.text, d.investment.value))
        c["title_differs"] += titles.get(item.id) != item.title
        c["topics_differ"] += topics.get(item.id, set()) != set(item.topics)
    c["extra_items"] = len(set(ours) - {i.id for i, _, _ in walk_items(hand_list.items)})
    n = c["items"]
    target_errors = (c["targets"] - c["targets_agree"]) + (c["targets_drafted"] - c["targets_agree"])  # missed, and drafted wrong or extra
    target_errors += c["investment_differs"]  # an investment amount missed, wrong or extra is fixed like a target
    metrics_to_rename = c["metrics"] - c["metrics_agree"]
    base = (
        len(decisions.titles) * RATES["write_title"] + len(decisions.topics) * RATES["choose_topic"] + len(decisions.metrics) * RATES["rename_metric"]
        + len(decisions.targets) * RATES["decide_target"] + len(decisions.incomplete) * RATES["complete_item"]
        + decisions.accept * RATES["keep_suggestion"] + c["targets_drafted"] * RATES["read_target"] + c["lead"] * RATES["check_lead"]
    )
    flagged_titles, flagged_topics = set(decisions.titles), set(decisions.topics)
    unflagged_titles = sum(1 for i, _, _ in walk_items(hand_list.items) if i.id in titles and i.id not in flagged_titles and titles[i.id] != i.title)
    unflagged_topics = sum(1 for i, _, _ in walk_items(hand_list.items) if i.id in topics and i.id not in flagged_topics and topics[i.id] != set(i.topics))
    extra = (
        unflagged_titles * (RATES["write_title"] - RATES["keep_suggestion"]) + unflagged_topics * (RATES["choose_topic"] - RATES["keep_suggestion"])
        + max(0, metrics_to_rename - len(decisions.metrics)) * RATES["rename_metric"] + target_errors * RATES["fix_target"]
        + (c["text_differs"] + c["structure_differs"] + c["extra_items"]) * RATES["fix_text"]
    )
    fixed = sum(FIXED_MINUTES.values())
    scale = 30 / n
    return {
        "list": f"{key[0]} {key[1]}",
        "items": n,
        "decisions": decisions.total,
        "decisions_by_kind": {k: decisions.count(k) for k in decisions.KINDS},
        "to_accept": decisions.accept,
        "structure": 1 - (c["structure_differs"] + c["extra_items"]) / n,
        "texts": 1 - c["text_differs"] / n,
        "targets": c["targets_agree"] / c["targets"] if c["targets"] else 1.0,
        "targets_n": [c["targets_agree"], c["targets"], c["targets_drafted"]],
        "metrics": c["metrics_agree"] / c["metrics"] if c["metrics"] else 1.0,
        "lead_differs": c["lead_differs"],
        "differ": {"titles": c["title_differs"], "topics": c["topics_differ"], "metrics": metrics_to_rename, "targets": target_errors, "investment": c["investment_differs"], "texts": c["text_differs"], "structure": c["structure_differs"] + c["extra_items"], "lead": c["lead_differs"]},
        "minutes": round(base / 60 + fixed, 1),
        "minutes_to_hand_made": round((base + extra) / 60 + fixed, 1),
        "minutes_per_30": round(base / 60 * scale + fixed, 1),
        "minutes_per_30_to_hand_made": round((base + extra) / 60 * scale + fixed, 1),
        "not_verbatim": [p.message for p in outcome.problems if p.code.value == "not-verbatim"],
    }


def run() -> list:
    from generator.data.dataset import load_dataset

    hand = load_dataset(ROOT, cache=False)
    with tempfile.TemporaryDirectory() as tmp:
        return [measure(key, hand.lists[key].data, Path(tmp)) for key in SEEDS]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", default=str(ROOT / ".bench" / "draft.json"), help="where to write every figure")
    args = parser.parse_args(argv)
    results = run()
    print("| list | items | decisions left | to accept | structure | texts | targets | metrics as hand-made | min (accept) | per 30 items | per 30, to hand-made |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        agree, total, _ = r["targets_n"]
        print(
            f"| {r['list']} | {r['items']} | {r['decisions']} | {r['to_accept']} | {r['structure']:.0%} | {r['texts']:.0%} | {agree}/{total} = {r['targets']:.1%} | {r['metrics']:.0%} "
            f"| {r['minutes']} | {r['minutes_per_30']} | {r['minutes_per_30_to_hand_made']} |"
        )
    for r in results:
        kinds = ", ".join(f"{n} {k}" for k, n in r["decisions_by_kind"].items() if n)
        differ = ", ".join(f"{n} {k}" for k, n in r["differ"].items() if n)
        print(f"{r['list']}: decisions {kinds}; differ from hand-made: {differ}")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"every figure: {out} (all in-sample: the rules were made on these documents)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
