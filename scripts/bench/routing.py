"""Benchmark the router: µs per decision (default and 5,000 generated rules) and address lookup."""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hotline.core.vocabulary import FUNCTIONS  # noqa: E402
from hotline.org.divisions import load_extract  # noqa: E402
from hotline.org.templates import department_specs  # noqa: E402
from hotline.routing.address import AddressIndex  # noqa: E402
from hotline.routing.directory import Directory  # noqa: E402
from hotline.routing.engine import Router  # noqa: E402
from hotline.routing.golden import load_cases  # noqa: E402
from hotline.routing.rules import load_ruleset  # noqa: E402

RULES_DIR = Path(__file__).resolve().parents[2] / "routing_rules"
CJK = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"  # noqa: E501


def generated_rules(count: int, seed: int = 7) -> str:
    """Return a rule file with `count` random keyword rules."""
    rng = random.Random(seed)
    lines = ["rules:"]
    for number in range(count):
        words = ["".join(rng.choice(CJK) for _ in range(rng.randint(2, 4))) for _ in range(4)]
        function = rng.choice(FUNCTIONS)
        lines += [
            f"  - id: gen.{number}",
            f"    priority: {rng.randint(1, 99)}",
            f"    when: {{any: [{', '.join(words[:3])}], none: [{words[3]}]}}",
            f"    then: {{function: {function}, level: district}}",
        ]
    return "\n".join(lines) + "\n"


def timed(calls: list, repeat: int) -> tuple[float, float]:
    """Return (median, p99) in µs over calls run `repeat` times."""
    samples = []
    for _ in range(repeat):
        for call in calls:
            start = time.perf_counter_ns()
            call()
            samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99)]


def main() -> None:
    """Print a table of figures."""
    places = load_extract()
    index = AddressIndex(places)
    directory = Directory(department_specs(places))
    cases, _ = load_cases(RULES_DIR / "golden")
    default = Router(load_ruleset(RULES_DIR), index, directory)
    with tempfile.TemporaryDirectory() as tmp:
        for path in RULES_DIR.glob("*.yaml"):
            (Path(tmp) / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        (Path(tmp) / "generated.yaml").write_text(generated_rules(5000), encoding="utf-8")
        big = Router(load_ruleset(tmp), index, directory)
    rows = []
    for name, router in (("default rules", default), ("default + 5,000 generated", big)):
        calls = [lambda r=router, c=c: r.decide(c.text, **c.options) for c in cases]
        rows.append((f"decision, {name} ({len(router.compiled.rules)} rules)", *timed(calls, 20)))
    by_code = {p.code: p for p in places}
    queries = []
    for place in places:
        if place.level == "community":
            district = by_code[by_code[place.parent_code].parent_code]
            queries.append((district.name + place.name, place.code))
    calls = [lambda q=q: index.resolve(q) for q, _ in queries]
    rows.append((f"address, {len(queries)} communities with district", *timed(calls, 3)))
    found = sum(index.resolve(q).community == code for q, code in queries)
    print(f"{'measure':<52} {'median µs':>10} {'p99 µs':>10}")
    for label, median, p99 in rows:
        print(f"{label:<52} {median:>10.1f} {p99:>10.1f}")
    print(f"communities resolved exactly: {found}/{len(queries)}")
    print(f"5,000-rule median / default median: {rows[1][1] / rows[0][1]:.2f}x")


if __name__ == "__main__":
    main()
