"""Consistency checks beyond the validator: cases the guidelines decide that a script can spot.

Prints suspicious records (id, problem, sentence) for a person to review; it changes nothing.
    python training/check_annotations.py data/annotations > review.txt
"""

from __future__ import annotations

import re
import sys
from collections import Counter

from eventnlp.data import load_records

CASUALTY_WORD = re.compile(r"\b(kill|killed|killing|dead|died|death|deaths|wounded|wounding|injured|injuring|hurt)\b",
                           re.I)
KEYWORDS = {
    "AIRSTRIKE": r"\b(air ?strikes?|air raids?|warplanes?|drone strikes?|jets? (struck|bombed|hit))\b",
    "SHELLING": r"\b(shell(ing|ed|s)?|mortars?|artillery|rockets?|missiles?)\b",
    "BOMBING": r"\b(suicide bomb\w*|car bomb|IEDs?|roadside bomb|landmines?|grenades?|explosive device)\b",
    "CHEMICAL_ATTACK": r"\b(chlorine|sarin|mustard gas|nerve agent|chemical (attack|weapons?))\b",
    "ABDUCTION": r"\b(kidnap\w*|abduct\w*|hostages?)\b",
    "ARREST": r"\b(arrest\w*|detain\w*|detention)\b",
    "PROTEST": r"\b(protest\w*|demonstrat\w*|rall(y|ies)|riot\w*|march(ed|es)?)\b",
    "TALKS": r"\b(talks|met with|meeting|negotiat\w*|visit\w*)\b",
    "AGREEMENT": r"\b(ceasefire|truce|agreed|agreement|deal|surrender\w*|prisoner (swap|exchange))\b",
    "DEFECTION": r"\b(defect\w*|pledged allegiance|split from|joined forces)\b",
}
ARTICLE = re.compile(r"^(the|a|an|The|A|An) ")


def main(path: str) -> int:
    records = load_records(path)
    problems: Counter = Counter()
    for r in records:
        text, labels = r["text"], {s["label"] for s in r["spans"]}
        spans = [(s["label"], text[s["start"]:s["end"]]) for s in r["spans"]]
        notes = []
        if not r["events"] and labels & {"AGENT", "TARGET"}:
            notes.append("AGENT/TARGET in a sentence without event")
        if "LOCATION" in labels and not r["events"] and not labels & {"KILLED", "INJURED"}:
            notes.append("LOCATION without event or casualty")
        if CASUALTY_WORD.search(text) and re.search(r"\d|\b(dozens?|hundreds|one|two|three|four|five|six|seven|eight|"
                                                    r"nine|ten|several|many)\b", text, re.I) \
                and not labels & {"KILLED", "INJURED"}:
            notes.append("casualty word and a number but no KILLED/INJURED span")
        for lab, t in spans:
            if ARTICLE.match(t) and lab in ("AGENT", "TARGET", "LOCATION"):
                notes.append(f"{lab} span starts with an article: {t!r}")
            if lab in ("KILLED", "INJURED") and re.search(r"\b(killed|wounded|injured|died)\b", t):
                notes.append(f"{lab} span contains the verb: {t!r}")
        for event, pattern in KEYWORDS.items():
            if re.search(pattern, text, re.I) and event not in r["events"]:
                notes.append(f"keyword for {event} but not labelled (fine if hypothetical/negated/background)")
        for note in notes:
            problems[note.split(":")[0]] += 1
            print(f"{r['id']}\t{note}\t{text}\t{r['events']}\t{spans}")
    print("\n# counts", file=sys.stderr)
    for k, v in problems.most_common():
        print(f"{v:5d}  {k}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "data/annotations"))
