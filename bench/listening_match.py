"""Listening matcher benchmark: prints one JSON line of figures.

    python bench/listening_match.py --queries 1000 --documents 10000 --seed 1

Generates realistic queries (brand phrases, OR groups, NEAR, wildcards, hashtags, handles,
NOT, a few `lang:` fields) over invented brand names, and a mixed Norwegian/English stream of
posts of 6–40 words, about one in six mentioning a brand. Then, in this one process (one core):
compile time, posts/s through `Matcher.match`, posts/s of the pre-filter alone (fold + one
automaton scan), the share of posts that needed evaluation, matches, the Python heap traced
while compiling, and the peak RSS. See docs/benchmarks.md for how to read the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from varde.listening.query import Document, compile_queries
from varde.listening.query.normalise import fold, nfc

NORWEGIAN = (
    "og i er det som en på til av å for med har jeg ikke de den vi du om men et kan så vil "
    "var fra eller skal hva noe nå bare også hos oss dere ble blir enn mot etter uten kommer "
    "gjør får nye ny god bra dårlig kunde kundeservice pris billig dyr levering butikk kjøpte "
    "anbefaler skuffet fornøyd tilbud helg fjellet kaffe sjokolade strøm bil sykkel telefon "
    "appen nettsiden bestilling pakke ventet lenge svar raskt takk hjelp problem feil ødelagt "
    "blå grønn rød kafé smørbrød vær sol regn tur hytta familien jobben møtet lønn bank lån"
)
ENGLISH = (
    "the and of to in is it that for you with on are this be at was have not but from or "
    "they we our your by an will can what all my has just more about their so if when "
    "which there out up who how new get good bad great terrible customer service price cheap "
    "expensive delivery store bought recommend disappointed happy deal weekend coffee app "
    "website order package waited long reply fast thanks help problem broken support refund"
)
TOPICS = [
    "kundeservice",
    "levering",
    "pris",
    "support",
    "refund",
    "delivery",
    "tilbud",
    "appen",
    "service",
    "bestilling",
]
SYLLABLES = [
    "fjord",
    "kraft",
    "tind",
    "nor",
    "vik",
    "sol",
    "berg",
    "dal",
    "lys",
    "mark",
    "skog",
    "elv",
    "ris",
    "lund",
    "sand",
    "strand",
    "hav",
    "fjell",
    "vind",
    "ny",
    "gull",
    "sølv",
    "stein",
    "vann",
    "bro",
    "tun",
    "øy",
    "ask",
    "eik",
    "bjørk",
    "lin",
]


def brand_names(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.sample(SYLLABLES, rng.choice((2, 3)))))
    return sorted(names)


def make_query(brand: str, rng: random.Random) -> str:
    """One of the shapes brand, competitor and campaign queries take in practice."""
    topic, other = rng.sample(TOPICS, 2)
    shapes = [
        f'"{brand} as" OR {brand} OR #{brand}',
        f"{brand} AND ({topic} OR {other}) -jobb",
        f"{brand} NEAR/3 ({topic} OR {other})",
        f"{brand[:4]}* AND (billig OR dyr OR cheap)",
        f"#{brand} OR @{brand}",
        f"{brand} lang:no",
        f'"{brand} {topic}" OR ({brand} NEAR/2f {other})',
        f"{brand} NOT (lønn OR stilling)",
    ]
    return rng.choices(shapes, weights=(25, 15, 15, 10, 10, 10, 10, 5))[0]


def make_post(brands: list[str], rng: random.Random) -> Document:
    norwegian = rng.random() < 0.6
    vocabulary = (NORWEGIAN if norwegian else ENGLISH).split()
    words = [rng.choice(vocabulary) for _ in range(rng.randint(6, 40))]
    if rng.random() < 0.17:
        brand = rng.choice(brands)
        mention = rng.choice((brand.capitalize(), f"#{brand}", f"@{brand}", brand.upper()))
        words.insert(rng.randrange(len(words) + 1), mention)
    if rng.random() < 0.1:
        words.insert(rng.randrange(len(words) + 1), rng.choice(TOPICS))
    text = " ".join(words).capitalize() + rng.choice((".", "!", "?", " :)"))
    return Document(text=text, lang="no" if norwegian else "en", source="bench")


def main() -> None:
    parser = argparse.ArgumentParser(description="Varde listening matcher benchmark")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    brands = brand_names(max(args.queries // 2, 1), rng)
    queries = [(number, make_query(rng.choice(brands), rng)) for number in range(args.queries)]
    posts = [make_post(brands, rng) for _ in range(args.documents)]

    tracemalloc.start()
    started = time.perf_counter()
    matcher = compile_queries(queries)
    compile_s = time.perf_counter() - started
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    started = time.perf_counter()
    matches = sum(len(matcher.match(post)) for post in posts)
    match_s = time.perf_counter() - started

    started = time.perf_counter()
    needing_evaluation = sum(1 for post in posts if matcher.candidates(fold(nfc(post.text))))
    prefilter_s = time.perf_counter() - started

    figures = {
        "bench": "listening_match",
        "queries": args.queries,
        "compiled": len(matcher.queries),
        "rejected": len(matcher.rejected),
        "literals": len(matcher.literals),
        "documents": args.documents,
        "compile_s": round(compile_s, 3),
        "docs_per_s": round(args.documents / match_s),
        "prefilter_docs_per_s": round(args.documents / prefilter_s),
        "evaluated_share": round(needing_evaluation / args.documents, 3),
        "matches": matches,
        "compile_traced_mb": round(traced_peak / 2**20, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "python": sys.version.split()[0],
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
