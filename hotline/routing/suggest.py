"""Read the operators' corrections and propose rule changes as a diff, for a person to accept.

Two kinds of change: a word that keeps recurring in tickets the operators sent to a function
(and is rare elsewhere) is added to that function's rule; a word that keeps recurring where a
rule misfired (and is rare where it was right) becomes one of that rule's ``none`` words.
Nothing is written: the caller prints the diff.
"""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import and_, or_, select

from hotline.core.extensions import db
from hotline.routing.address import normalise
from hotline.routing.models import RoutingFeedback
from hotline.routing.rules import Rule, RuleSetError, load_ruleset
from hotline.tickets.models import Ticket

# Characters that rarely begin or end a content word: n-grams at their edges are noise.
FUNCTION_CHARS = set(
    "的了是在我你他她它们这那有和与就也都还而及或被把给对向从到为以之其很太更最请吗呢吧啊呀么个"
)
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]{3,}")
SAMPLE_LIMIT = 20000
# What a letter is about is in its first lines; the rest only adds noise (and memory).
TEXT_LIMIT = 400


@dataclass
class Example:
    """One labelled ticket: its words, the rule that proposed, where it really belonged."""

    text: str
    rule: str | None
    function: str | None
    final: str | None  # "function@level"
    right: bool


@dataclass
class Change:
    """One proposed edit of one rule, with the evidence behind it."""

    rule: Rule | None
    kind: str  # "any" (add a word), "none" (add a negative word), "new" (a new rule)
    words: list[str]
    why: str
    target: str | None = None  # "function@level" of a new rule
    notes: list[str] = field(default_factory=list)


def examples(since: datetime) -> list[Example]:
    """Return the labelled tickets since ``since``: every correction, and the latest stays."""
    wrong = or_(RoutingFeedback.as_proposed.is_(False), RoutingFeedback.corrected.is_(True))
    base = select(
        Ticket.description,
        RoutingFeedback.rule,
        RoutingFeedback.function,
        RoutingFeedback.final_function,
        RoutingFeedback.final_level,
        RoutingFeedback.as_proposed,
        RoutingFeedback.corrected,
    ).join(Ticket, Ticket.id == RoutingFeedback.ticket_id)
    recent = or_(RoutingFeedback.dispatched_at >= since, RoutingFeedback.corrected_at >= since)
    rows = list(db.session.execute(base.where(wrong, recent)))
    stayed = and_(RoutingFeedback.as_proposed.is_(True), RoutingFeedback.corrected.is_(False))
    rows += db.session.execute(
        base.where(stayed, RoutingFeedback.dispatched_at >= since)
        .order_by(RoutingFeedback.dispatched_at.desc())
        .limit(SAMPLE_LIMIT)
    )
    return [
        Example(
            text=normalise(text[:TEXT_LIMIT]),
            rule=rule,
            function=function,
            final=f"{final}@{level}" if final else None,
            right=bool(as_proposed) and not corrected,
        )
        for text, rule, function, final, level, as_proposed, corrected in rows
    ]


def _segmenter():  # noqa: ANN202 - a jieba Tokenizer, or None
    """Return the router's word segmenter (with the rules' words), else jieba's, else None."""
    try:
        from hotline.routing.segment import tokenizer  # type: ignore[import-not-found]

        return tokenizer()
    except ImportError:
        pass
    try:
        import jieba

        return jieba.dt
    except ImportError:
        return None


def candidates(text: str) -> set[str]:
    """Return the candidate words of a text: the segmenter's words when there is one, else n-grams."""
    segmenter = _segmenter()
    if segmenter is not None:
        words = {w for w in segmenter.lcut(text) if len(w) >= 2 and CJK_RUN.fullmatch(w)}
        return {w for w in words if w[0] not in FUNCTION_CHARS and w[-1] not in FUNCTION_CHARS}
    grams: set[str] = set()
    for run in CJK_RUN.findall(text):
        if run.isascii():
            grams.add(run)
            continue
        for size in (2, 3, 4):
            for start in range(len(run) - size + 1):
                gram = run[start : start + size]
                if gram[0] not in FUNCTION_CHARS and gram[-1] not in FUNCTION_CHARS:
                    grams.add(gram)
    return grams


def distinctive(
    inside: Counter[str], n_inside: int, outside: Counter[str], n_outside: int, min_count: int,
    limit: int = 5,
) -> list[tuple[str, int]]:  # fmt: skip
    """Return words in >= min_count (and a quarter) of the inside texts, rare in the outside ones.

    ``inside``/``outside``: in how many texts of each side every word occurs.
    """
    floor = max(min_count, n_inside / 4)
    picked = [
        (w, n)
        for w, n in inside.items()
        if n >= floor and outside[w] <= max(1, n_outside // 50) and outside[w] < n / 3
    ]
    # Longest first on equal support, then drop what a kept longer word already covers.
    picked.sort(key=lambda p: (-p[1], -len(p[0]), p[0]))
    kept: list[tuple[str, int]] = []
    for word, n in picked:
        if any(word in k or k in word for k, m in kept if m >= n * 0.8):
            continue
        kept.append((word, n))
    return kept[:limit]


def _covered(word: str, terms: Iterable[str]) -> bool:
    return any(term and (term in word or word in term) for term in terms)


def _terms(rule: Rule | None) -> set[str]:
    if rule is None:
        return set()
    return set(rule.any) | {t for group in rule.all for t in group}


def plan(rules: list[Rule], found: list[Example], min_count: int = 3) -> list[Change]:
    """Turn the labelled tickets into proposed changes of the rules.

    Two passes over the texts, keeping counts rather than every text's words, so a busy
    centre's month of corrections fits in memory.
    """
    by_id = {rule.id: rule for rule in rules if rule.routes}
    wrong = [e for e in found if not e.right and e.final]
    # 1. Where each correction went, and which rule misfired: words per group.
    to_target: dict[str, Counter[str]] = {}
    misfired: dict[str, Counter[str]] = {}
    sizes: Counter[str] = Counter()
    for e in wrong:
        final = e.final or ""
        words = candidates(e.text)
        to_target.setdefault(final, Counter()).update(words)
        sizes[f"to:{final}"] += 1
        rule = by_id.get(e.rule or "")
        if rule is not None and final.split("@")[0] != rule.function:
            misfired.setdefault(rule.id, Counter()).update(words)
            sizes[f"rule:{rule.id}"] += 1
    floor = min_count
    wanted = {
        w for c in (*to_target.values(), *misfired.values()) for w, n in c.items() if n >= floor
    }
    # 2. The same words elsewhere: per final label, and in each rule's confirmed proposals.
    per_label: dict[str, Counter[str]] = {}
    confirmed: dict[str, Counter[str]] = {}
    labelled: Counter[str] = Counter()
    for e in found:
        hits = candidates(e.text) & wanted
        if e.final:
            labelled[e.final] += 1
            per_label.setdefault(e.final, Counter()).update(hits)
        if e.right and e.rule:
            confirmed.setdefault(e.rule, Counter()).update(hits)
            sizes[f"right:{e.rule}"] += 1
    changes: list[Change] = []
    for target, inside in sorted(to_target.items(), key=lambda t: (-sizes[f"to:{t[0]}"], t[0])):
        function, _, level = target.partition("@")
        outside: Counter[str] = Counter()
        for label, counts in per_label.items():
            if label != target:
                outside.update(counts)
        n_outside = sum(n for label, n in labelled.items() if label != target)
        owner = _owner(rules, function, level)
        n = sizes[f"to:{target}"]
        picks = [
            (w, k)
            for w, k in distinctive(inside, n, outside, n_outside, min_count)
            if w not in _terms(owner)
        ]
        if picks:
            why = ", ".join(f"{w} ({k}/{n})" for w, k in picks)
            why = f"{n} ticket(s) re-routed to {target}; recurring words: {why}"
            kind = "any" if owner is not None else "new"
            changes.append(Change(owner, kind, [w for w, _ in picks], why, target=target))
    for rule_id, inside in sorted(misfired.items(), key=lambda t: (-sizes[f"rule:{t[0]}"], t[0])):
        rule = by_id[rule_id]
        n, n_right = sizes[f"rule:{rule_id}"], sizes[f"right:{rule_id}"]
        own = _terms(rule) | set(rule.none)
        right = confirmed.get(rule_id, Counter())
        picks = [
            (w, k)
            for w, k in distinctive(inside, n, right, n_right, min_count)
            if not _covered(w, own)
        ]
        if picks:
            why = ", ".join(f"{w} ({k}/{n})" for w, k in picks)
            why = f"{rule_id} misfired {n} time(s); recurring words there: {why}"
            changes.append(Change(rule, "none", [w for w, _ in picks], why))
    return changes


def _owner(rules: list[Rule], function: str, level: str) -> Rule | None:
    """Return the rule to grow for a function: same level first, with an 'any' list."""
    routing = [r for r in rules if r.function == function and r.any and not r.emergency]
    same = [r for r in routing if r.level == level]
    return (same or routing)[0] if (same or routing) else None


class RuleFiles:
    """The rule files as text, edited line by line so comments and layout survive."""

    def __init__(self, rules_dir: Path) -> None:
        self.rules_dir = rules_dir
        self.original: dict[str, list[str]] = {}
        self.current: dict[str, list[str]] = {}

    def lines(self, name: str) -> list[str]:
        """Return the (edited) lines of one file."""
        if name not in self.current:
            path = self.rules_dir / name
            text = (
                path.read_text(encoding="utf-8").splitlines(keepends=True) if path.exists() else []
            )
            self.original[name] = list(text)
            self.current[name] = list(text)
        return self.current[name]

    def apply(self, change: Change) -> bool:
        """Apply one change to the text; return False when the rule's layout is not editable."""
        if change.kind == "new":
            return self._new_rule(change)
        assert change.rule is not None
        name = Path(change.rule.file).name
        lines = self.lines(name)
        start = _rule_start(lines, change.rule.id)
        if start is None:
            return False
        end = _block_end(lines, start)
        words = ", ".join(change.words)
        opening = re.compile(rf"\b{change.kind}:\s*\[")
        for i in range(start, end):
            match = opening.search(lines[i])
            if match:
                # A flow list of plain words, on one line or wrapped over several: add the
                # words before its closing bracket.
                for j in range(i, end):
                    at = lines[j].find("]", match.end() if j == i else 0)
                    if at >= 0:
                        before = lines[j][:at].rstrip()
                        empty = j == i and before.endswith("[")
                        lines[j] = f"{before}{'' if empty else ', '}{words}{lines[j][at:]}"
                        return True
                return False
            if re.match(rf"^\s*{change.kind}:\s*$", lines[i]):
                # A block list: one "- word" line per word after its last item.
                last = i
                while last + 1 < end and lines[last + 1].lstrip().startswith("- "):
                    last += 1
                if last > i:
                    indent = lines[last][: len(lines[last]) - len(lines[last].lstrip())]
                    lines[last + 1 : last + 1] = [f"{indent}- {w}\n" for w in change.words]
                    return True
        if change.kind != "none":
            return False
        for i in range(start, end):
            flow = re.match(r"^(\s*when:\s*\{.*)(\}\s*)$", lines[i].rstrip("\n"))
            if flow:
                lines[i] = f"{flow.group(1)}, none: [{words}]{flow.group(2).rstrip()}\n"
                return True
            if lines[i].rstrip().endswith("when:") and i + 1 < end:
                width = len(lines[i + 1]) - len(lines[i + 1].lstrip())
                lines.insert(i + 1, " " * width + f"none: [{words}]\n")
                return True
        return False

    def _new_rule(self, change: Change) -> bool:
        function, _, level = (change.target or "").partition("@")
        lines = self.lines("learned.yaml")
        if not lines:
            lines.append(
                "# Rules proposed by `hotline rules suggest` from operators' corrections.\n"
            )
            lines.append("rules:\n")
        number = sum(1 for line in lines if "- id: learned." in line) + 1
        lines.extend(
            [
                f"  - id: learned.{function}.{number}\n",
                "    priority: 50\n",
                f"    description: 话务员改派学习 → {function}@{level}\n",
                f"    when: {{any: [{', '.join(change.words)}]}}\n",
                f"    then: {{function: {function}, level: {level}}}\n",
            ]
        )
        return True

    def diff(self, prefix: str = "routing_rules") -> str:
        """Return the unified diff of every edited file."""
        chunks: list[str] = []
        for name in sorted(self.current):
            before, after = self.original[name], self.current[name]
            if before == after:
                continue
            source = f"a/{prefix}/{name}" if before else "/dev/null"
            chunks.extend(difflib.unified_diff(before, after, source, f"b/{prefix}/{name}"))
        return "".join(chunks)

    def still_valid(self) -> list[str]:
        """Load the edited rule set from a scratch copy; return its mistakes (none: valid)."""
        with tempfile.TemporaryDirectory() as scratch:
            for path in self.rules_dir.glob("*.y*ml"):
                shutil.copy(path, scratch)
            for name, lines in self.current.items():
                (Path(scratch) / name).write_text("".join(lines), encoding="utf-8")
            try:
                load_ruleset(scratch)
            except RuleSetError as exc:
                return exc.errors
        return []


def _rule_start(lines: list[str], rule_id: str) -> int | None:
    """Return the index of the line that opens the rule (found by id: edits shift lines)."""
    key = re.compile(rf"^(\s*-)?\s*id:\s*['\"]?{re.escape(rule_id)}['\"]?\s*(#.*)?$")
    for i, line in enumerate(lines):
        if key.match(line.rstrip("\n")):
            while i > 0 and not lines[i].lstrip().startswith("- "):
                i -= 1  # the id is not the first key: go up to the item's dash
            return i
    return None


def _block_end(lines: list[str], start: int) -> int:
    """Return the index after the last line of the rule starting at ``start``."""
    indent = len(lines[start]) - len(lines[start].lstrip())
    for i in range(start + 1, len(lines)):
        text = lines[i]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if len(text) - len(text.lstrip()) <= indent:
            return i
    return len(lines)
