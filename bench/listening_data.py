"""Realistic generated listening queries and posts, shared by the listening benchmarks.

Queries are what brand, competitor, campaign and trend monitoring looks like in Brandwatch or
Meltwater: invented brand names (Norwegian compounds with æ/ø/å, some English-style, some of
two words), quoted phrases, OR groups, NEAR/n and ordered NEAR/nf, wildcards (`*` and `?`),
hashtags, handles, NOT, and the `lang:`, `site:`, `author:` fields. The stream is short posts
in bokmål (60 %) and English: common words, slang, hashtags, handles, links, emoji, numbers,
typographic punctuation and a few accented loanwords; about 15 % name a brand or a campaign
hashtag of the query set, in the ways people write them (Capitalised, UPPER, #tag, @handle,
genitive -s, compound with a hyphen, inside a longer word).
"""

from __future__ import annotations

import random

from varde.listening.query import Document

NORWEGIAN = (
    "og i er det som en på til av å for med har jeg ikke de den vi du om men et kan så vil "
    "var fra eller skal hva noe nå bare også hos oss dere ble blir enn mot etter uten kommer "
    "gjør får nye ny god bra dårlig kunde pris billig dyr levering butikk kjøpte "
    "anbefaler skuffet fornøyd tilbud helg fjellet kaffe sjokolade strøm bil sykkel telefon "
    "appen nettsiden bestilling pakke ventet lenge svar raskt takk hjelp problem feil ødelagt "
    "blå grønn rød vær sol regn tur hytta familien jobben møtet lønn bank lån "
    "egentlig kjempe skikkelig liksom altså herregud digg teit rart lurer tenker synes "
    "morgen kveld natt uke måned år dag i dag i går i morgen fredag lørdag søndag mandag "
    "barna ungene mamma pappa kjæresten venner naboen sjefen kollega kontoret skolen "
    "middag frokost lunsj pizza taco vafler brunost kanelbolle pølse øl vin brus "
    "fotball kamp mål seier tap lag trener supporter skitur langrenn slalåm løype snø is "
    "regjeringen stortinget valget skatt avgift rente inflasjon bensin ferje bompenger "
    "toget bussen flyet forsinket innstilt kø trafikk veien tunnel bro byen sentrum "
    "nettbutikk kundeservicen ringte chat kvittering garanti retur reklamasjon "
    "endelig herlig trist sint glad lei sliten spent fornøyde skuffende elendig genialt "
    "nydelig utsikt fjorden sjøen stranden båten hytteliv påske jul sommerferie "
    "æresord ærlig øyeblikk ønsker øke ålreit åpent åpner område både først først"
)
ENGLISH = (
    "the and of to in is it that for you with on are this be at was have not but from or "
    "they we our your by an will can what all my has just more about their so if when "
    "which there out up who how new get good bad great terrible customer price cheap "
    "expensive delivery store bought recommend disappointed happy deal weekend coffee app "
    "website order package waited long reply fast thanks help problem broken support refund "
    "honestly literally really pretty super totally love hate wish need want think feel "
    "morning tonight today yesterday tomorrow week month year friday saturday monday "
    "kids family friends boss team office school work meeting commute train bus flight "
    "delayed cancelled queue traffic road city downtown dinner breakfast lunch pizza "
    "football match goal win loss game season coach fans ski hiking trail snow weather "
    "government election tax prices rates inflation fuel energy bill bills rent "
    "online shop checkout receipt warranty return returned shipping tracking courier "
    "finally awesome sad angry glad tired excited amazing awful brilliant lovely view "
    "beach boat holiday vacation summer winter christmas easter sunset mountains "
    "phone laptop screen battery update bug crash login password account subscription"
)
ACCENTED = ["kafé", "idé", "café", "naïve", "crème", "brûlée", "entré", "allé", "Škoda", "Müller"]
HASHTAGS = [
    "#fredagsfølelse",
    "#tbt",
    "#norge",
    "#oslo",
    "#bergen",
    "#hyttetur",
    "#monday",
    "#blessed",
    "#friluftsliv",
    "#fotball",
    "#valg2025",
    "#foodie",
    "#travel",
    "#påske",
    "#jul",
    "#ootd",
]
HANDLES = ["@ola_nordmann", "@kari.bsky.social", "@nrk", "@vgnett", "@sjefen", "@bestie"]
LINKS = ["https://vg.no/nyheter/i/123", "https://nrk.no/norge/", "http://t.co/aB3dE", "bit.ly/3xY"]
EMOJI = ["😂", "❤️", "🙄", "👍", "🔥", "😭", "🙏", "😡", "🎉", ":)", ":-(", "<3"]
ENDINGS = [".", "!", "?", "...", "!!", " :)", "", " 😂", "…"]
PUNCT = [",", ",", " -", " –", ":", ";", " «", "» ", " (", ") ", '"']

TOPICS_NO = [
    "kundeservice",
    "levering",
    "pris",
    "tilbud",
    "appen",
    "bestilling",
    "svar",
    "faktura",
    "strømpris",
    "avtale",
]
TOPICS_EN = ["support", "refund", "delivery", "service", "price", "app", "order", "billing"]
NEGATIVE = ["dårlig", "skuffet", "elendig", "treg", "svindel", "terrible", "awful", "scam", "worst"]
POSITIVE = ["anbefaler", "fornøyd", "digg", "genialt", "love", "great", "best", "amazing"]
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
    "blå",
    "rød",
    "grønn",
    "hvit",
    "fjær",
    "bær",
    "ål",
    "øst",
    "vest",
    "nord",
    "sør",
    "ly",
    "lyn",
    "is",
    "snø",
    "frost",
    "sky",
    "regn",
    "storm",
    "gran",
    "furu",
    "tre",
    "hus",
    "ro",
    "rå",
]
ENGLISH_BRAND_PARTS = [
    "nordic",
    "bright",
    "cloud",
    "tech",
    "labs",
    "pay",
    "air",
    "wave",
    "hub",
    "smart",
    "go",
    "fin",
    "bit",
]


def brand_names(count: int, rng: random.Random) -> list[str]:
    """Invented brands: compounds of Norwegian syllables, a few English-style ones."""
    names: set[str] = set()
    while len(names) < count:
        if rng.random() < 0.15:
            name = rng.choice(SYLLABLES) + rng.choice(ENGLISH_BRAND_PARTS)
        else:
            name = "".join(rng.sample(SYLLABLES, rng.choice((2, 2, 3))))
        if len(name) >= 5:
            names.add(name)
    return sorted(names)


def make_query(brand: str, other: str, rng: random.Random) -> str:
    """One of the shapes brand, competitor, campaign and trend queries take in practice."""
    topic, topic2 = rng.sample(TOPICS_NO, 2)
    english = rng.choice(TOPICS_EN)
    bad = " OR ".join(rng.sample(NEGATIVE, 3))
    n = rng.randint(1, 6)
    shapes = [
        (f'"{brand} as" OR {brand} OR #{brand} OR @{brand}', 20),
        (f"{brand} AND ({topic} OR {english} OR {topic2}) -jobb -stilling", 10),
        (f"{brand} NEAR/{n} ({bad})", 10),
        (f"{brand}* AND (billig OR dyr OR cheap OR expensive OR pris*)", 6),
        (f"#{brand} OR #{brand}{rng.randint(2019, 2026)} OR @{brand}", 8),
        (f"({brand} OR #{brand}) lang:no", 6),
        (f'"{brand} {topic}" OR ({brand} NEAR/{n}f {english})', 8),
        (f'{brand} NOT (lønn OR stilling OR "ledig stilling")', 6),
        (f"({brand} OR {other}) NEAR/5 (bedre OR better OR verre OR worse)", 8),
        (f"{brand}? OR {brand}*ene", 4),
        (f'"{brand} kundeservice" OR "{brand} customer service" -site:{brand}.no', 5),
        (f"{brand} -author:{brand} -@{brand}", 3),
        (f"({topic}* NEAR/3 {brand}) OR ({brand} AND {rng.choice(POSITIVE)})", 6),
    ]
    texts, weights = zip(*shapes, strict=True)
    return rng.choices(texts, weights=weights)[0]


def make_queries(count: int, rng: random.Random) -> tuple[list[tuple[int, str]], list[str]]:
    """`count` queries, and the brands they look for (for posts to mention)."""
    brands = brand_names(max(count // 2, 2), rng)
    queries, used = [], set()
    for number in range(count):
        brand, other = rng.sample(brands, 2)
        used.add(brand)
        queries.append((number, make_query(brand, other, rng)))
    return queries, sorted(used)


def _mention(name: str, rng: random.Random) -> str:
    """How people write a brand: Capitalised, UPPER, #tag, @handle, genitive, compound."""
    forms = [
        name.capitalize(),
        name,
        f"#{name}",
        f"@{name}",
        name.upper(),
        f"{name.capitalize()}s",
        f"{name.capitalize()}-appen",
        f"{name.capitalize()} AS",
    ]
    return rng.choices(forms, weights=(30, 15, 15, 8, 5, 8, 5, 5))[0]


def make_post(brands: list[str], rng: random.Random, mention_share: float = 0.15) -> Document:
    norwegian = rng.random() < 0.6
    vocabulary = (NORWEGIAN if norwegian else ENGLISH).split()
    words = [rng.choice(vocabulary) for _ in range(rng.randint(4, 30))]
    extras = [
        (0.15, HASHTAGS),
        (0.08, HANDLES),
        (0.06, LINKS),
        (0.25, EMOJI),
        (0.05, ACCENTED),
        (0.08, TOPICS_NO if norwegian else TOPICS_EN),
        (0.03, NEGATIVE),
    ]
    for chance, choices in extras:
        if rng.random() < chance:
            words.insert(rng.randrange(len(words) + 1), rng.choice(choices))
    if rng.random() < 0.3:
        words.insert(rng.randrange(1, len(words) + 1), str(rng.randint(1, 2025)))
    if rng.random() < mention_share:
        words.insert(rng.randrange(len(words) + 1), _mention(rng.choice(brands), rng))
    for _ in range(rng.randint(0, 2)):
        at = rng.randrange(len(words))
        words[at] += rng.choice(PUNCT)
    text = " ".join(words)
    text = text[0].upper() + text[1:] + rng.choice(ENDINGS)
    return Document(
        text=text,
        lang="nb" if norwegian else "en",
        author=rng.choice(("", "ola", "kari", "nordmann88")),
        site=rng.choice(("", "", "vg.no", "nrk.no", "reddit.com")),
        source=rng.choice(("bluesky", "mastodon", "rss", "reddit")),
    )


def generate(
    queries: int, documents: int, seed: int
) -> tuple[list[tuple[int, str]], list[Document]]:
    """The benchmark's queries and stream, the same for the same arguments."""
    rng = random.Random(seed)
    made, brands = make_queries(queries, rng)
    return made, [make_post(brands, rng) for _ in range(documents)]
