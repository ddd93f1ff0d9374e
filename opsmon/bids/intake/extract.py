"""The extractor: a notice's text (or file) → the tender-analysis fields it states, each with its evidence.

Rules propose candidates (label + value, standard sentences, the title, section headings); for each field the
value with the strongest evidence wins, agreeing evidence makes it surer, disagreeing evidence of the same
strength makes it less sure, and below `THRESHOLD` the field stays empty: a wrong value costs the user more
than an empty one. Award, termination notices get no deadline, opening, budget, bond or qualification.
"""

import re
import unicodedata
from pathlib import Path

from . import amounts, kinds, lots, parties, schedule, terms
from .candidates import Bag, Candidate
from .doc import Doc
from .quotes import unquoted
from .result import FIELDS, Alternative, Proposal, Proposals
from .text import MAX_BYTES, UnreadableFile, clean, file_text, normalize

THRESHOLD = 0.5
NOT_FOR_RESULTS = frozenset({"submission_deadline", "opening_at", "budget", "ceiling_price", "bid_bond",
                             "qualification", "scoring_method"})
RULES = (parties.project_no, parties.project_name, parties.parties, terms.method, terms.scoring,
         amounts.budget, amounts.ceiling, amounts.bid_bond, schedule.deadline, schedule.opening,
         terms.qualification)
SNIPPET_REACH = 80
NAME_FIELDS = ("project_no", "project_name", "tenderer", "agency")


def _key(value):
    if isinstance(value, str):
        return re.sub(r"\s", "", unicodedata.normalize("NFKC", value))
    return value


def _group(candidates: list[Candidate]) -> list[list[Candidate]]:
    groups: dict = {}
    for cand in candidates:
        groups.setdefault(_key(cand.value), []).append(cand)
    return list(groups.values())


def _score(group: list[Candidate]) -> float:
    """The best candidate's confidence, plus a little for each other rule or place that says the same."""
    best = max(c.confidence for c in group)
    others = {(c.rule, c.start) for c in group} - {(max(group, key=lambda c: c.confidence).rule,
                                                     max(group, key=lambda c: c.confidence).start)}
    return min(0.99, best + 0.05 * min(len(others), 3))


def _choose(field_name: str, candidates: list[Candidate], lot_count: int = 0
            ) -> tuple[list[Candidate] | None, float, list]:
    groups = _group(candidates)
    if field_name in ("budget", "ceiling_price", "bid_bond"):
        # The tender's total (预算总金额) first, then an amount stated for the whole project; a lot's amount is
        # the tender's only when it is the one lot the notice has.
        for scope in ("total", "project"):
            chosen = [g for g in groups if any(c.scope == scope for c in g)]
            if chosen:
                ranked = sorted(chosen, key=lambda g: (-_score(g), min(c.start for c in g)))
                others = [g for g in groups if g is not ranked[0]]
                return ranked[0], _score(ranked[0]), others
        # only per-lot amounts: which one is ours is the user's call (a bond said to be one lot's is never
        # the tender's unless the notice has that one lot)
        if len(groups) > 1 or lot_count > 1 or (field_name == "bid_bond" and lot_count != 1):
            return None, 0.0, sorted(groups, key=lambda g: min(c.start for c in g))
    ranked = sorted(groups, key=lambda g: (-_score(g), min(c.start for c in g)))
    best, score = ranked[0], _score(ranked[0])
    if len(ranked) > 1:
        runner_up = _score(ranked[1])
        if runner_up >= score - 0.05 and not _contains(best, ranked[1]):
            score -= 0.15  # two equally strong, different answers: let the user decide
        elif _contains(best, ranked[1]):
            score = min(0.99, score + 0.03)
    return best, score, ranked[1:]


def _contains(a: list[Candidate], b: list[Candidate]) -> bool:
    """A name and a longer or shorter form of it support each other ("X" and "X项目")."""
    va, vb = a[0].value, b[0].value
    return isinstance(va, str) and isinstance(vb, str) and len(va) > 3 and len(vb) > 3 and (va in vb or vb in va)


def _snippet(doc: Doc, cand: Candidate) -> tuple[str, int, int, int]:
    ctx = cand.ctx if cand.start - cand.ctx <= 160 else cand.start
    left, right = doc.sentence(ctx, cand.end, SNIPPET_REACH)
    left = min(left, ctx)
    if cand.end - cand.start > 300:  # a passage: show its beginning
        right = min(right, cand.start + 200)
    snippet = doc.raw[left:right]
    return snippet, cand.start - left, min(cand.end, right) - left, left


def _proposal(doc: Doc, best: Candidate, score: float, others: list[list[Candidate]]) -> Proposal:
    snippet, start, end, offset = _snippet(doc, best)
    alternatives = []
    for group in others[:3]:
        alt = max(group, key=lambda c: c.confidence)
        alt_snippet, alt_start, alt_end, _offset = _snippet(doc, alt)
        alternatives.append(Alternative(alt.value, doc.raw[alt.start:alt.end], alt_snippet, alt_start, alt_end,
                                        round(_score(group), 2)))
    return Proposal(value=best.value, text=doc.raw[best.start:best.end], snippet=snippet, start=start, end=end,
                    offset=offset, confidence=round(score, 2), code=best.extra.get("code", ""),
                    alternatives=alternatives)


def _own_text(doc: Doc, bag: Bag) -> None:
    """Names and numbers as the notice writes them: the rules match on the normalised text, so a value is
    taken back from the raw text at its span (full-width brackets stay full-width), trimmed of quotes only."""
    for cand in bag:
        if cand.field not in NAME_FIELDS or not isinstance(cand.value, str):
            continue
        raw = doc.raw[cand.start:cand.end]
        if normalize(raw) != cand.value:
            continue
        left, right = unquoted(raw)
        value = raw[left:right].strip()
        if value:
            cand.value, cand.start, cand.end = value, cand.start + left, cand.start + right


def _resolve_same_as_deadline(bag: Bag) -> None:
    """开标时间：同投标截止时间 → the deadline's time, once the deadline is known."""
    deadlines = sorted(bag.of("submission_deadline"), key=lambda c: -c.confidence)
    for cand in bag.of("opening_at"):
        if cand.value == "=deadline":
            if deadlines:
                cand.value = deadlines[0].value
                cand.confidence = min(cand.confidence, deadlines[0].confidence)
            else:
                cand.confidence = 0
    bag[:] = [c for c in bag if c.confidence > 0 and c.value != "=deadline"]


def extract(text: str, *, name: str = "") -> Proposals:
    """The proposals for one notice's text (pure: no database, no network)."""
    doc = Doc(clean(text or ""))
    kind = kinds.classify(doc.t)
    bag = Bag()
    found_lots = lots.find(doc)
    for rule in RULES:
        rule(doc, bag)
    lots.rescope(doc, bag, found_lots)
    _own_text(doc, bag)
    _resolve_same_as_deadline(bag)
    fields: dict[str, Proposal] = {}
    for field_name in FIELDS:
        if kind in (kinds.AWARD, kinds.TERMINATION) and field_name in NOT_FOR_RESULTS:
            continue
        candidates = bag.of(field_name)
        if not candidates:
            continue
        best, score, others = _choose(field_name, candidates, len(found_lots))
        if best is None:
            if others:  # nothing to propose, but the user may pick one of the values the text offers
                chosen = max(others[0], key=lambda c: c.confidence)
                proposal = _proposal(doc, chosen, 0.0, others[1:])
                proposal.alternatives.insert(0, Alternative(chosen.value, proposal.text, proposal.snippet,
                                                            proposal.start, proposal.end, 0.0))
                proposal.value, proposal.text, proposal.confidence, proposal.code = None, "", 0.0, ""
                fields[field_name] = proposal
            continue
        if score < THRESHOLD:
            continue
        lead = max(best, key=lambda c: (c.confidence, -c.start))
        fields[field_name] = _proposal(doc, lead, score, others)
    if kind in (kinds.AWARD, kinds.TERMINATION):
        found_lots = []
    return Proposals(kind=kind, fields=fields, chars=doc.n, name=name, lots=[lot.public() for lot in found_lots])


def extract_file(source, name: str = "", *, max_bytes: int = MAX_BYTES) -> Proposals:
    """The proposals for a file given as bytes, a path, or a binary file object; UnreadableFile otherwise."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableFile("too_large", f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
        data = path.read_bytes()
        name = name or path.name
    elif isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        data = source.read(max_bytes + 1)
    return extract(file_text(data, name, max_bytes=max_bytes), name=name)
