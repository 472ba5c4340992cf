"""Stance between any two entities of a sentence that the rules left alone, decided by a small model.

The rules (`stance.py`, `statements.py`) are precise where news uses the constructions they know; real
reports say the same things in many other ways. This last component looks at every pair of an actor
(person or organisation) and a target in one sentence, or a quote's speaker and what the quote names,
that the rules gave no stance, describes the pair with features of the construction between them (the
dependency path, the roles of both ends, stance and speech cues from the versioned lexicons, negation,
VADER valence of the clause and of what is said of the target) and lets a multinomial logistic
regression decide CRITICIZED, ENDORSED, RESPONDED_TO or nothing.

The model is a JSON file of weights (`models/stance_pairs.json`), trained by `python -m
ingest.train_pairs` on the tuned part of the real-text development set only; inference is a dot
product, deterministic, CPU-only, with no machine-learning library at run time. Without the file the
component does nothing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ingest.extract.lexicons import Lexicons, load_lexicons
from ingest.extract.mentions import ArticleGraph, get_graph
from ingest.extract.quotes import TRIM, in_quote
from ingest.extract.valence import span_valence, valence

MODEL_PATH = Path(__file__).parent / "models" / "stance_pairs.json"
ACTOR_TYPES = ("Person", "Organization")
TARGET_TYPES = ("Person", "Organization", "Office", "Bill", "Event")
STANCE = ("CRITICIZED", "ENDORSED", "RESPONDED_TO")
CLEAR = 0.4  # a valence this far from zero says which way a statement leans
MAX_PER_SENTENCE = 8  # ends of each kind considered per sentence; more is a list, not a debate
COMMON_DEPS = {
    "nsubj", "nsubjpass", "dobj", "pobj", "poss", "appos", "compound", "conj", "attr", "dative", "agent",
}  # fmt: skip


@dataclass
class Candidate:
    source: str
    target: str
    a: Token  # where the source is named (or the quote's attribution)
    t: Token  # where the target is named
    sent: int  # the evidence sentence
    quote: str | None = None  # the quote naming the target, when the source said it


class PairFeatures:
    """Candidate pairs of an article and the features that describe them (shared by training)."""

    def __init__(self, lexicons: Lexicons) -> None:
        stance = lexicons.stance
        self.verbs: dict[str, str] = stance["verbs"]
        self.nouns: dict[str, str] = stance["nouns"]
        self.phrasal: dict[str, str] = stance["phrasal_verbs"]
        self.request = set(stance.get("request_verbs", []))
        self.bill_only = set(stance.get("bill_only_verbs", []))
        self.speech = set(lexicons.people["speech_verbs"])
        self._valence: dict[tuple[int, int], float] = {}

    # candidates ---------------------------------------------------------------------------------
    def candidates(self, graph: ArticleGraph, ruled: set[tuple[str, str, int]]) -> list[Candidate]:
        """Pairs in one sentence, and quote speakers with what their quote names; never a pair the rules
        already decided (`ruled`: source, target, sentence), an office its source holds, or a self-pair."""
        doc = graph.doc
        held = {(p, o) for o, people in graph.holders.items() for p in people}
        by_sent: dict[int, list[tuple[str, Token]]] = {}
        seen_tok: set[tuple[str, int]] = set()
        for m in graph.mentions:
            if graph.skip(m.start):
                continue
            root = doc[m.start : m.end].root
            by_sent.setdefault(graph.sent_index[m.start], []).append((m.key, root))
            seen_tok.add((m.key, root.i))
        for i, keys in graph.refs.items():
            for k in keys:
                if (k, i) not in seen_tok and not graph.skip(i):
                    by_sent.setdefault(graph.sent_index[i], []).append((k, doc[i]))
        out: dict[tuple[str, str, int], Candidate] = {}

        def add(c: Candidate) -> None:
            key = (c.source, c.target, c.sent)
            if c.source == c.target or key in ruled or (c.source, c.target) in held or key in out:
                return
            if (c.target, c.source, c.sent) in ruled:
                return  # the rules read this sentence the other way round
            out[key] = c

        for sent, occ in sorted(by_sent.items()):
            actors = [(k, t) for k, t in occ if graph.type_of(k) in ACTOR_TYPES][:MAX_PER_SENTENCE]
            targets = [(k, t) for k, t in occ if graph.type_of(k) in TARGET_TYPES][:MAX_PER_SENTENCE]
            for ka, ta in actors:
                for kt, tt in targets:
                    if ta.i != tt.i:
                        add(Candidate(ka, kt, ta, tt, sent))
        for q in graph.quotes:
            span = doc.char_span(q.span.start_char, q.span.end_char, alignment_mode="expand")
            if span is None or not q.speakers:
                continue
            text = q.span.text.strip(TRIM + "'\"").strip()
            for sent in range(graph.sent_index[span.start], graph.sent_index[span.end - 1] + 1):
                for kt, tt in by_sent.get(sent, []):
                    if span.start <= tt.i < span.end and graph.type_of(kt) in TARGET_TYPES:
                        for speaker in q.speakers:
                            add(Candidate(speaker, kt, doc[span.end - 1], tt, sent, text))
        return list(out.values())

    # features -----------------------------------------------------------------------------------
    def features(self, graph: ArticleGraph, c: Candidate) -> dict[str, float]:
        a, t = c.a, c.t
        f: dict[str, float] = {
            "bias": 1.0,
            f"a_type={graph.type_of(c.source)}": 1.0,
            f"t_type={graph.type_of(c.target)}": 1.0,
            f"a_dep={self._dep(a)}": 1.0,
            f"t_dep={self._dep(t)}": 1.0,
            "a_first": 1.0 if a.i < t.i else 0.0,
            f"dist={_bucket(abs(a.i - t.i))}": 1.0,
            "t_in_quote": 1.0 if in_quote(graph, t) else 0.0,
            "a_in_quote": 1.0 if in_quote(graph, a) else 0.0,
            "quote_pair": 1.0 if c.quote is not None else 0.0,
            "a_pronoun": 1.0 if a.pos_ == "PRON" else 0.0,
            "t_pronoun": 1.0 if t.pos_ == "PRON" else 0.0,
        }
        sent = graph.sents[c.sent]
        v = self._span_valence(sent)
        f["v_sent_neg"], f["v_sent_pos"] = max(0.0, -v), max(0.0, v)
        if a.sent.start == t.sent.start and c.quote is None:
            lca, up_a, up_t = _path(a, t)
            f[f"lca_pos={lca.pos_}"] = 1.0
            for tok in (lca, *up_a, *up_t):
                for name, value in self._cues(tok).items():
                    f[name] = max(f.get(name, 0.0), value)
            f["a_subj_of_lca"] = 1.0 if a.head.i == lca.i and a.dep_ in ("nsubj", "nsubjpass") else 0.0
            f["t_obj_of_lca"] = 1.0 if t.head.i == lca.i and t.dep_ in ("dobj", "dative") else 0.0
            prep = next((x for x in up_t if x.dep_ == "prep"), None)
            if prep is not None:
                f[f"t_prep={prep.lower_}"] = 1.0
            f["neg"] = 1.0 if any(ch.dep_ == "neg" for ch in lca.children) else 0.0
            f[f"path_len={_bucket(len(up_a) + len(up_t))}"] = 1.0
            sub = lca.doc[lca.left_edge.i : lca.right_edge.i + 1]
            v = self._span_valence(sub)
            f["v_lca_neg"], f["v_lca_pos"] = max(0.0, -v), max(0.0, v)
        else:
            f["cross_sentence"] = 1.0 if a.sent.start != t.sent.start else 0.0
            if c.quote is not None:
                v = valence(c.quote)
                f["v_quote_neg"], f["v_quote_pos"] = max(0.0, -v), max(0.0, v)
        verb = a.head if a.dep_ in ("nsubj", "nsubjpass") else None
        if verb is not None and verb.lemma_.lower() in self.speech:
            f["a_speaks"] = 1.0
            clause = next((ch for ch in verb.children if ch.dep_ == "ccomp"), None)
            if clause is not None and any(x.i == t.i for x in clause.subtree):
                f["t_in_said_clause"] = 1.0
        if verb is not None and verb.pos_ in ("VERB", "AUX"):
            v = valence(verb.lemma_)
            f["v_verb_neg"], f["v_verb_pos"] = max(0.0, -v), max(0.0, v)
        if any(c.source in q.speakers for q in graph.quotes if graph.sent_index[q.sent_start] == c.sent):
            f["a_quoted_here"] = 1.0
        frame = self._frame(t)
        if frame:
            v = valence(frame)
            f["v_frame_neg"], f["v_frame_pos"] = max(0.0, -v), max(0.0, v)
        head = t.head
        f["t_subject"] = 1.0 if t.dep_ in ("nsubj", "nsubjpass") else 0.0
        f["t_poss_subject"] = 1.0 if t.dep_ == "poss" and head.dep_ in ("nsubj", "nsubjpass") else 0.0
        return f

    @staticmethod
    def _frame(t: Token) -> str:
        """What is said of t: the words up from it to its clause's top and their predicates."""
        keep = {t.i}
        node = t
        for _ in range(6):
            for ch in node.children:
                if ch.dep_ in ("neg", "advmod", "acomp", "attr", "oprd", "aux", "amod"):
                    keep.update(x.i for x in ch.subtree)
            keep.add(node.i)
            if node.dep_ in ("ROOT", "conj") or node.head.i == node.i:
                break
            node = node.head
        return " ".join(x.text for x in t.doc[min(keep) : max(keep) + 1] if x.i in keep)

    def _cues(self, tok: Token) -> dict[str, float]:
        lemma = tok.lemma_.lower()
        out: dict[str, float] = {}
        if tok.pos_ in ("VERB", "AUX"):
            if lemma in self.verbs:
                out[f"cue_verb={self.verbs[lemma]}"] = 1.0
            prt = next((c.lower_ for c in tok.children if c.dep_ in ("prt", "prep")), None)
            if prt and f"{lemma} {prt}" in self.phrasal:
                out[f"cue_verb={self.phrasal[f'{lemma} {prt}']}"] = 1.0
            if lemma in self.speech:
                out["cue_speech"] = 1.0
            if lemma in self.request:
                out["cue_request"] = 1.0
            if lemma in self.bill_only:
                out["cue_bill_only"] = 1.0
        elif tok.pos_ == "NOUN" and lemma in self.nouns:
            out[f"cue_noun={self.nouns[lemma]}"] = 1.0
        return out

    def _span_valence(self, span: Span) -> float:
        key = (span.start, span.end)
        if key not in self._valence:
            self._valence[key] = span_valence(span)
        return self._valence[key]

    @staticmethod
    def _dep(tok: Token) -> str:
        return tok.dep_ if tok.dep_ in COMMON_DEPS else "other"

    def reset(self) -> None:
        self._valence.clear()


def _bucket(n: int) -> str:
    return "0-2" if n <= 2 else "3-5" if n <= 5 else "6-10" if n <= 10 else "11+"


def _path(a: Token, t: Token) -> tuple[Token, list[Token], list[Token]]:
    """Lowest common ancestor of two tokens of one sentence, and the tokens above each end up to it."""
    ancestors_a = [a, *a.ancestors]
    ids = {x.i for x in ancestors_a}
    up_t: list[Token] = []
    cur = t
    while cur.i not in ids:
        up_t.append(cur)
        if cur.head.i == cur.i:
            break
        cur = cur.head
    lca = cur
    up_a = []
    for x in ancestors_a:
        if x.i == lca.i:
            break
        up_a.append(x)
    return lca, up_a[1:], up_t[1:]


class PairModel:
    """Multinomial logistic regression from a JSON file: {"classes", "weights": {class: {feature: w}},
    "threshold", "trained_on", "version"}."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.classes: list[str] = data["classes"]
        self.weights: dict[str, dict[str, float]] = data["weights"]
        self.threshold: float = float(data["threshold"])
        self.version: str = str(data.get("version", "?"))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> PairModel | None:
        if not path.exists():
            return None
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        scores = {
            c: sum(self.weights[c].get(name, 0.0) * value for name, value in features.items())
            for c in self.classes
        }
        top = max(scores.values())
        exp = {c: math.exp(s - top) for c, s in scores.items()}
        total = sum(exp.values())
        return {c: e / total for c, e in exp.items()}


class PairStance:
    def __init__(self, lexicons: Lexicons, model: PairModel | None) -> None:
        self.features = PairFeatures(lexicons)
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            return doc
        graph = get_graph(doc)
        ruled = ruled_pairs(graph)
        self.features.reset()
        cands = self.features.candidates(graph, ruled)
        feats = [self.features.features(graph, c) for c in cands]
        probs = [self.model.probabilities(f) for f in feats]
        for c, type_, p in choose(graph, cands, feats, probs, self.model.threshold):
            before = len(graph.relations)
            graph.add_relation(type_, c.source, c.target, c.t, confidence=round(p, 3), rule="pairs.model")
            if len(graph.relations) > before and c.quote:
                graph.relations[-1].quote = c.quote
        return doc


def choose(
    graph: ArticleGraph,
    candidates: list[Candidate],
    features: list[dict[str, float]],
    probabilities: list[dict[str, float]],
    threshold: float,
) -> list[tuple[Candidate, str, float]]:
    """The model's stances worth asserting, shared by the component and the trainer: the likeliest stance
    when it reaches the threshold, never a response to a bill or an event, never a veto-like verb aimed at
    anything but a bill, and never the opposite of what the rules found for the same pair elsewhere in
    the article ("Ruggiero praised Okafor ... 'The governor got this one right'")."""
    opposite = {"CRITICIZED": "ENDORSED", "ENDORSED": "CRITICIZED"}
    ruled = {(r.source, r.target, r.type) for r in graph.relations}
    # who acts on a target in a sentence, where the rules said so
    claimed = {
        (r.target, graph.sent_index[r.sent_start]): r.source for r in graph.relations if r.type in STANCE
    }
    out = []
    for c, f, p in zip(candidates, features, probabilities, strict=True):
        best = max(STANCE, key=lambda k: p.get(k, 0.0))
        if p.get(best, 0.0) < threshold:
            continue
        if best == "RESPONDED_TO" and graph.type_of(c.target) not in ("Person", "Organization", "Office"):
            continue
        if f.get("cue_bill_only") and graph.type_of(c.target) != "Bill":
            continue
        if best in opposite and (c.source, c.target, opposite[best]) in ruled:
            continue
        if claimed.get((c.target, c.sent), c.source) != c.source:
            continue  # "Yoder criticized the union for running ads against Park": the rules said who
        if best == "CRITICIZED" and (c.source, c.target, "SPONSORED") in ruled:
            continue  # nobody is read as attacking the bill they sponsored
        if best in opposite and _leans(f) == opposite[best]:
            continue  # '"Karen Whitlock is the right person for this job," Ellis said' is no criticism
        out.append((c, best, p[best]))
    return out


def _leans(f: dict[str, float]) -> str | None:
    """The stance the clearest valence of the pair's words points to, if it is clear (|v| >= CLEAR)."""
    for name in ("v_quote", "v_lca", "v_sent"):
        v = f.get(f"{name}_pos", 0.0) - f.get(f"{name}_neg", 0.0)
        if f"{name}_pos" in f or f"{name}_neg" in f:
            return "ENDORSED" if v >= CLEAR else "CRITICIZED" if v <= -CLEAR else None
    return None


def ruled_pairs(graph: ArticleGraph) -> set[tuple[str, str, int]]:
    return {(r.source, r.target, graph.sent_index[r.sent_start]) for r in graph.relations}


@Language.factory("kg_pairs", default_config={"lexicon_dir": None, "model_path": None})
def make_pairs(nlp: Language, name: str, lexicon_dir: str | None, model_path: str | None) -> PairStance:
    return PairStance(
        load_lexicons(lexicon_dir), PairModel.load(Path(model_path) if model_path else MODEL_PATH)
    )
