"""The demo's plan: Bryggen Sykkel, a bicycle shop, workshop and rental at Bryggen in Bergen.

Plain data in the form of a plan template (``varde/strategy/starter_plans_data.py``): strings are
``B(nb, en)``, keys ("ingrid", "ig") link rows to each other and to the demo team
(``varde/demo/team.py``), and dates are relative to the day the demo is created.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from varde.strategy.guidance import Bilingual as B  # noqa: N817 - short, the data reads better

DEMO_PLAN: dict[str, Any] = {
    "plan": {
        "strengths": B(
            "Eget verksted med kort ventetid. Beste beliggenhet i byen for turister. Jonas er "
            "kjent i terrengmiljøet i Vestland.",
            "Our own workshop with short waiting times. The best spot in town for tourists. "
            "Jonas is well known among mountain bikers in Western Norway.",
        ),
        "weaknesses": B(
            "Nettbutikken er liten. Ingen har sosiale medier som hovedoppgave. Lite innhold om "
            "vinteren.",
            "The web shop is small. Nobody has social media as their main job. Little content "
            "in winter.",
        ),
        "opportunities": B(
            "Bergen kommune bygger sykkelveier, og flere vil sykle til jobben hele året. "
            "El-sykler selger godt. Cruiseturister spør etter sykkeltur.",
            "The city is building cycle lanes and more people want to cycle to work all year. "
            "E-bikes sell well. Cruise tourists ask for bike tours.",
        ),
        "threats": B(
            "Sportskjedene på kjøpesentrene priser lavt. Regn gjør sesongen uforutsigbar. Dårlige "
            "omtaler av verkstedet sprer seg fort i lokale grupper.",
            "The sports chains in the malls price low. Rain makes the season unpredictable. Bad "
            "reviews of the workshop spread fast in local groups.",
        ),
        "hours_per_week": Decimal(8),
        "budget_per_month": 3000,
        "mission": B(
            "Vi får flere bergensere til å sykle hele året – med ærlige råd fra folk som selv "
            "sykler i regnet.",
            "We get more people in Bergen cycling all year round – with honest advice from people "
            "who ride in the rain themselves.",
        ),
        "customer_value": B(
            "Verkstedtips som sparer penger, trygge ruter i Bergen, og rask hjelp når sykkelen "
            "streiker.",
            "Workshop tips that save money, safe routes in Bergen, and quick help when the bike "
            "breaks down.",
        ),
        "mix_promotional": 30,
        "mix_curated": 25,
        "mix_engagement": 45,
        "tone_of_voice": B(
            "Som en god kollega på verkstedet: rett fram, litt humor, aldri nedlatende. Vi skriver "
            "«du», bruker bergensk der det passer, og signerer med fornavn.",
            "Like a good colleague in the workshop: straightforward, a little humour, never "
            "condescending. We write “you”, use local flavour where it fits, and sign with our "
            "first name.",
        ),
        "tools": B(
            "Varde (plan, kalender, innboks, lytting), Canva for grafikk, mobilkamera og et enkelt "
            "stativ på verkstedet, nettbutikken i Shopify.",
            "Varde (plan, calendar, inbox, listening), Canva for graphics, a phone camera and a "
            "simple stand in the workshop, the Shopify web shop.",
        ),
        "social_media_policy": B(
            "1. Vi er personlige: den som svarer, signerer med fornavn.\n"
            "2. Kritikk slettes aldri – den besvares innen fire timer i åpningstiden.\n"
            "3. Spam, trusler og støtende innhold skjules, og vi noterer hvorfor.\n"
            "4. Før vi bruker en emneknagg som trender, sjekker vi hva den handler om i dag.\n"
            "5. Samarbeid og rabattkoder merkes «annonse» eller «reklame».\n"
            "6. Kunder på bilder gir muntlig eller skriftlig samtykke først; barn vises ikke uten "
            "foresattes ja.\n"
            "7. Vi omtaler konkurrenter med respekt og sammenligner ikke priser uten "
            "dokumentasjon.",
            "1. We are personal: whoever answers signs with their first name.\n"
            "2. Criticism is never deleted – it is answered within four hours in opening hours.\n"
            "3. Spam, threats and offensive content are hidden, and we note why.\n"
            "4. Before we use a trending hashtag, we check what it is about today.\n"
            "5. Partnerships and discount codes are marked “advertisement”.\n"
            "6. Customers in photos give consent first; children are not shown without a "
            "guardian's yes.\n"
            "7. We speak of competitors with respect and compare no prices without proof.",
        ),
        "employee_guidelines": B(
            "Del gjerne det vi legger ut, og si at du jobber i Bryggen Sykkel når du gir "
            "sykkelråd på nett. Svar ikke på klager fra egen profil – send dem til Silje eller "
            "Jonas. Ikke lov rabatter, reparasjonstider eller priser i kommentarfelt; henvis til "
            "butikken.",
            "Feel free to share what we post, and say you work at Bryggen Sykkel when you give "
            "bike advice online. Don't answer complaints from your own profile – pass them to "
            "Silje or Jonas. Don't promise discounts, repair times or prices in comments; refer "
            "to the shop.",
        ),
        "community_hours_per_week": Decimal(3),
        "playbook_hidable": B(
            "Spam og reklame for andre, svindellenker, trusler, hets, rasisme, seksuelt innhold og "
            "personopplysninger om andre. Skjules, aldri slettes, og begrunnes i innboksen.",
            "Spam and advertising for others, scam links, threats, harassment, racism, sexual "
            "content and other people's personal details. Hidden, never deleted, with the reason "
            "noted in the inbox.",
        ),
        "playbook_criticism": B(
            "Kritikk av verksted, pris eller service besvares offentlig av en person med navn: "
            "takk, beklag det som gikk galt, tilby en løsning, og ta detaljene på telefon. Vi "
            "skriver et oppfølgingssvar når saken er løst.",
            "Criticism of the workshop, prices or service is answered in public by a named "
            "person: thank them, apologise for what went wrong, offer a fix, and take the "
            "details by phone. We post a follow-up when it is solved.",
        ),
        "response_time_hours": Decimal(4),
        "review_cadence": "monthly",
        "review_scope": B(
            "Verkstedbookinger og prøveturer fra sosiale medier, svartid, følgere i Bergen, "
            "innholdsmiks og frekvens mot planen, og hva folk sier om oss og konkurrentene.",
            "Workshop bookings and test rides from social media, response time, followers in "
            "Bergen, content mix and frequency against the plan, and what people say about us "
            "and our competitors.",
        ),
        "review_owner": "ingrid",
    },
    "people": [
        {
            "key": "ingrid",
            "name": "Ingrid Hauge",
            "title": B("Daglig leder og eier", "Managing director and owner"),
            "publishes_to": ["ig", "fb", "blog", "news"],
        },
        {
            "key": "silje",
            "name": "Silje Nygård",
            "title": B("Markedsføring og nettbutikk (60 %)", "Marketing and web shop (60%)"),
            "publishes_to": ["ig", "fb", "blog", "news"],
        },
        {
            "key": "jonas",
            "name": "Jonas Berg",
            "title": B("Verkstedleder", "Workshop manager"),
            "publishes_to": ["ig", "fb"],
        },
        {
            "key": "martin",
            "name": "Martin Aase",
            "title": B("Butikk og utleie (sesong)", "Shop and rentals (seasonal)"),
            "publishes_to": [],
        },
    ],
    "channels": [
        {
            "key": "ig",
            "network": "instagram",
            "name": "@bryggensykkel",
            "exists": True,
            "followers": 2340,
            "posts_per_week_now": Decimal(2),
            "engagement_rate_now": Decimal("3.1"),
            "last_post_days_ago": 3,
            "run_by_now": "Silje",
            "role": "energizing",
            "posts_per_week": Decimal(3),
            "days": [0, 2, 4],
            "times": ["11:30"],
            "minutes_per_post": 40,
            "purpose": B(
                "Verkstedtips, ruter i Bergen og kunder som deler turene sine.",
                "Workshop tips, routes in Bergen and customers sharing their rides.",
            ),
            "producer": "silje",
            "approver": "ingrid",
        },
        {
            "key": "fb",
            "network": "facebook",
            "name": "Bryggen Sykkel",
            "exists": True,
            "followers": 4100,
            "posts_per_week_now": Decimal(1),
            "engagement_rate_now": Decimal("0.9"),
            "last_post_days_ago": 6,
            "run_by_now": "Ingrid",
            "role": "supporting",
            "posts_per_week": Decimal(2),
            "days": [1, 3],
            "times": ["19:00"],
            "minutes_per_post": 30,
            "purpose": B(
                "Svar på spørsmål, arrangementer og tilbud til faste kunder.",
                "Answers to questions, events and offers for regular customers.",
            ),
            "producer": "silje",
            "approver": "ingrid",
        },
        {
            "key": "blog",
            "network": "blog",
            "name": B("Verkstedbloggen", "The workshop blog"),
            "exists": True,
            "posts_per_week_now": Decimal("0.2"),
            "last_post_days_ago": 40,
            "run_by_now": "Jonas",
            "role": "talking",
            "posts_per_week": Decimal("0.5"),
            "days": [3],
            "times": ["08:00"],
            "minutes_per_post": 120,
            "purpose": B(
                "Lengre guider: vintersykling, el-sykkel, vedlikehold.",
                "Longer guides: winter cycling, e-bikes, maintenance.",
            ),
            "producer": "jonas",
            "approver": "silje",
        },
        {
            "key": "news",
            "network": "newsletter",
            "name": B("Nyhetsbrevet", "The newsletter"),
            "exists": True,
            "followers": 1850,
            "posts_per_week_now": Decimal("0.2"),
            "last_post_days_ago": 25,
            "run_by_now": "Silje",
            "role": "talking",
            "posts_per_week": Decimal("0.2"),
            "days": [3],
            "times": ["07:30"],
            "minutes_per_post": 90,
            "purpose": B(
                "Månedens tips, sesongens tilbud og nye blogginnlegg.",
                "The month's tip, seasonal offers and new blog posts.",
            ),
            "producer": "silje",
            "approver": "ingrid",
        },
        {
            "key": "tiktok",
            "network": "tiktok",
            "name": "@bryggensykkel",
            "exists": False,
            "role": "listening",
            "purpose": B(
                "Vi lytter foreløpig: hva viser unge syklister i Bergen fram?",
                "We only listen for now: what do young riders in Bergen show?",
            ),
        },
    ],
    "competitors": [
        {
            "name": "Sykkelkjelleren Bergen",
            "website": "https://sykkelkjelleren.example",
            "handles": [
                {"network": "instagram", "handle": "@sykkelkjelleren"},
                {"network": "facebook", "handle": "Sykkelkjelleren"},
            ],
            "notes": B(
                "Billigere verksted, lang ventetid om våren. Aktive på Instagram.",
                "Cheaper workshop, long waits in spring. Active on Instagram.",
            ),
        },
        {
            "name": "Vestland Sport Storsenter",
            "website": "https://vestlandsport.example",
            "handles": [{"network": "facebook", "handle": "Vestland Sport"}],
            "notes": B(
                "Kjede med lave priser og store kampanjer; lite fagkunnskap i butikken.",
                "A chain with low prices and big campaigns; little expertise in store.",
            ),
        },
        {
            "name": "Fjordsykkel Utleie",
            "website": "https://fjordsykkel.example",
            "handles": [{"network": "instagram", "handle": "@fjordsykkel"}],
            "notes": B(
                "Konkurrerer om turistene på utleie om sommeren.",
                "Competes for tourists on rentals in summer.",
            ),
        },
    ],
    "business_goals": [
        {
            "key": "workshop",
            "title": B(
                "Øke omsetningen på verkstedet med 20 % i år",
                "Grow workshop revenue by 20% this year",
            ),
        },
        {"key": "ebike", "title": B("Selge 150 el-sykler i år", "Sell 150 e-bikes this year")},
        {
            "key": "rental",
            "title": B(
                "Fylle utleiesyklene i turistsesongen",
                "Fill the rental bikes in the tourist season",
            ),
        },
    ],
    "social_goals": [
        {
            "title": B(
                "Flere verkstedbookinger fra sosiale medier",
                "More workshop bookings from social media",
            ),
            "business_goal": "workshop",
            "metric": "web_visits",
            "baseline": Decimal(420),
            "target": Decimal(900),
            "deadline_days": 150,
            "owner": "silje",
            "measurement": B(
                "Besøk på bookingsiden via UTM-lenker fra våre kanaler, per måned.",
                "Visits to the booking page through UTM links from our channels, per month.",
            ),
        },
        {
            "title": B("Flere prøveturer på el-sykkel", "More e-bike test rides"),
            "business_goal": "ebike",
            "metric": "leads",
            "baseline": Decimal(6),
            "target": Decimal(20),
            "deadline_days": 120,
            "owner": "ingrid",
            "measurement": B(
                "Bookinger av prøvetur merket «sosiale medier», per måned.",
                "Test-ride bookings tagged “social media”, per month.",
            ),
        },
        {
            "title": B(
                "Svare på kommentarer og meldinger innen fire timer",
                "Answer comments and messages within four hours",
            ),
            "business_goal": "workshop",
            "metric": "response_time",
            "baseline": Decimal(18),
            "target": Decimal(4),
            "deadline_days": 60,
            "owner": "jonas",
            "measurement": B(
                "Median svartid i innboksen i åpningstiden.",
                "Median response time in the inbox during opening hours.",
            ),
        },
        {
            "title": B(
                "Flere relevante følgere på Instagram", "More relevant followers on Instagram"
            ),
            "business_goal": "ebike",
            "metric": "followers",
            "channel": "ig",
            "baseline": Decimal(2340),
            "target": Decimal(3500),
            "deadline_days": 240,
            "owner": "silje",
            "measurement": B(
                "Følgere med Bergen-området som sted; kvalitet før antall.",
                "Followers located around Bergen; quality before numbers.",
            ),
        },
        {
            "title": B(
                "Større andel av samtalen om sykkel i Bergen",
                "A bigger share of the talk about cycling in Bergen",
            ),
            "business_goal": "rental",
            "metric": "share_of_voice",
            "baseline": Decimal(18),
            "target": Decimal(25),
            "deadline_days": 200,
            "owner": "ingrid",
            "measurement": B(
                "Omtaler av oss mot de tre konkurrentene i lyttingen.",
                "Mentions of us against the three competitors in listening.",
            ),
        },
    ],
    "audiences": [
        {
            "key": "commuters",
            "name": B("Pendlere i Bergen", "Commuters in Bergen"),
            "priority": 1,
            "description": B(
                "25–45 år, sykler til jobb eller vurderer det, mange med barn.",
                "Aged 25–45, cycle to work or are thinking about it, many with kids.",
            ),
            "cares_about": B(
                "En sykkel som virker i regn og mørke, rask service, trygge ruter.",
                "A bike that works in rain and darkness, quick service, safe routes.",
            ),
            "where_they_are": B(
                "Facebook, Instagram, lokale grupper som «Sykkelbyen Bergen».",
                "Facebook, Instagram, local groups such as “Sykkelbyen Bergen”.",
            ),
            "channels": ["fb", "ig", "news"],
            "creators": 12,
            "conversationalists": 35,
            "critics": 30,
            "collectors": 20,
            "joiners": 70,
            "spectators": 80,
            "inactives": 8,
        },
        {
            "key": "tourists",
            "name": B("Turister på Bryggen", "Tourists at Bryggen"),
            "priority": 2,
            "description": B(
                "Cruise- og storbyturister mai–september, ofte par og familier.",
                "Cruise and city-break tourists May–September, often couples and families.",
            ),
            "cares_about": B(
                "En enkel, trygg tur med fin utsikt, og å rekke skipet.",
                "An easy, safe ride with a view, and getting back to the ship on time.",
            ),
            "where_they_are": B(
                "Instagram, TripAdvisor, Google.", "Instagram, TripAdvisor, Google."
            ),
            "channels": ["ig"],
            "creators": 30,
            "conversationalists": 40,
            "critics": 45,
            "collectors": 15,
            "joiners": 75,
            "spectators": 85,
            "inactives": 5,
        },
        {
            "key": "mtb",
            "name": B("Terrengsyklister i Vestland", "Mountain bikers in Western Norway"),
            "priority": 3,
            "description": B(
                "Ivrige syklister som skrur selv og kjenner utstyret.",
                "Keen riders who fix their own bikes and know the gear.",
            ),
            "cares_about": B(
                "Fagkunnskap, deler på lager, turer og stier.",
                "Expertise, parts in stock, rides and trails.",
            ),
            "where_they_are": B(
                "Instagram, Strava, YouTube, egne Facebook-grupper.",
                "Instagram, Strava, YouTube, their own Facebook groups.",
            ),
            "channels": ["ig", "blog"],
            "creators": 45,
            "conversationalists": 50,
            "critics": 55,
            "collectors": 35,
            "joiners": 80,
            "spectators": 90,
            "inactives": 2,
        },
    ],
    "key_messages": [
        {
            "audience": "commuters",
            "text": B(
                "Sykkelen din virker hele vinteren – vi sørger for det.",
                "Your bike works all winter – we make sure of it.",
            ),
            "proof": B(
                "Vinterservice på under to dager; piggdekk på lager fra oktober.",
                "Winter service in under two days; studded tyres in stock from October.",
            ),
        },
        {
            "audience": "commuters",
            "text": B(
                "Prøv el-sykkel til jobben i en uke før du bestemmer deg.",
                "Try an e-bike for your commute for a week before you decide.",
            ),
            "proof": B(
                "Ukesleie trekkes fra prisen hvis du kjøper.",
                "The week's rental comes off the price if you buy.",
            ),
        },
        {
            "audience": "tourists",
            "text": B(
                "Se Bergen fra sykkelsetet – tilbake ved Bryggen i god tid.",
                "See Bergen from the saddle – back at Bryggen in good time.",
            ),
            "proof": B(
                "Ruter på 1–3 timer med kart, hjelm og regntøy inkludert.",
                "Routes of 1–3 hours with map, helmet and rain gear included.",
            ),
        },
        {
            "audience": "mtb",
            "text": B(
                "Verkstedet der mekanikerne selv sykler stiene dine.",
                "The workshop whose mechanics ride your trails themselves.",
            ),
            "proof": B(
                "Jonas har ti års erfaring med dempere og hydrauliske bremser.",
                "Jonas has ten years' experience with suspension and hydraulic brakes.",
            ),
        },
        {
            "audience": None,
            "text": B(
                "Ærlige råd – også når svaret er at du ikke trenger å kjøpe noe.",
                "Honest advice – even when the answer is that you needn't buy anything.",
            ),
        },
    ],
    "pillars": [
        {
            "name": B("Verkstedtips", "Workshop tips"),
            "share": 35,
            "description": B(
                "Små ting du kan fikse selv, og når du bør komme inn.",
                "Small fixes you can do yourself, and when to come in.",
            ),
            "examples": B(
                "«Slik smører du kjedet på 2 minutter», «Tre tegn på slitte bremser».",
                "“Lube your chain in 2 minutes”, “Three signs of worn brakes”.",
            ),
        },
        {
            "name": B("Bergen på sykkel", "Bergen by bike"),
            "share": 25,
            "description": B(
                "Ruter, sykkelveier, vær og byliv – også fra andre.",
                "Routes, cycle lanes, weather and city life – also from others.",
            ),
            "examples": B(
                "Ukens rute, nye sykkelveier fra kommunen, kundenes bilder.",
                "Route of the week, new lanes from the city, customers' photos.",
            ),
        },
        {
            "name": B("Nytt i butikken", "New in the shop"),
            "share": 25,
            "description": B(
                "Nye sykler, sesongtilbud, utleie.", "New bikes, seasonal offers, rental."
            ),
            "examples": B(
                "Vårens el-sykler, piggdekk-uke, sommerutleie.",
                "Spring e-bikes, studded-tyre week, summer rentals.",
            ),
        },
        {
            "name": B("Folkene bak disken", "The people behind the counter"),
            "share": 15,
            "description": B(
                "Oss som jobber her, og hvorfor vi elsker å sykle.",
                "The people who work here, and why we love cycling.",
            ),
            "examples": B(
                "«En dag på verkstedet med Jonas».", "“A day in the workshop with Jonas”."
            ),
        },
    ],
    "hashtags": [
        {"tag": "bryggensykkel", "use": "use", "note": B("Vår egen.", "Our own.")},
        {"tag": "sykkelbergen", "use": "use", "note": B("Lokalt sykkelmiljø.", "Local cycling.")},
        {
            "tag": "bergen",
            "use": "use",
            "note": B("Bare på bilder fra byen.", "Only on photos from the city."),
        },
        {"tag": "elsykkel", "use": "use", "note": B("El-sykkel-innhold.", "E-bike content.")},
        {
            "tag": "sykkelsalg",
            "use": "avoid",
            "note": B("Full av bruktannonser og spam-kontoer.", "Full of used-bike ads and spam."),
        },
        {
            "tag": "fyp",
            "use": "avoid",
            "note": B(
                "Jakter rekkevidde, ikke relevante følgere.",
                "Chases reach, not relevant followers.",
            ),
        },
    ],
    "terms": [
        {
            "term": B("billigst i Bergen", "cheapest in Bergen"),
            "severity": "block",
            "note": B(
                "Kan ikke dokumenteres (markedsføringsloven § 3).",
                "Cannot be documented (Marketing Control Act § 3).",
            ),
        },
        {
            "term": B("100 % trygg", "100% safe"),
            "severity": "block",
            "note": B(
                "Ingen sykkel er 100 % trygg; skriv «trygg og kontrollert».",
                "No bike is 100% safe; write “safe and checked”.",
            ),
        },
        {
            "term": B("gratis service", "free service"),
            "severity": "warn",
            "note": B(
                "Bare med vilkårene i samme innlegg.", "Only with the terms in the same post."
            ),
        },
        {
            "term": B("syklister er", "cyclists are"),
            "severity": "warn",
            "note": B(
                "Unngå å sette grupper opp mot hverandre i trafikkdebatten.",
                "Don't set groups against each other in the traffic debate.",
            ),
        },
    ],
    "responsibilities": [
        {
            "activity": B("Lage og planlegge innlegg", "Make and schedule posts"),
            "responsible": "silje",
            "accountable": "ingrid",
            "consulted": ["jonas"],
            "informed": ["martin"],
        },
        {
            "activity": B("Svare på kommentarer og meldinger", "Answer comments and messages"),
            "responsible": "jonas",
            "accountable": "silje",
            "consulted": ["martin"],
            "informed": ["ingrid"],
        },
        {
            "activity": B("Tilbud og kampanjer", "Offers and campaigns"),
            "responsible": "silje",
            "accountable": "ingrid",
            "consulted": ["jonas", "martin"],
        },
        {
            "activity": B("Kriser og pressehenvendelser", "Crises and press enquiries"),
            "responsible": "ingrid",
            "accountable": "ingrid",
            "consulted": ["silje"],
            "informed": ["jonas", "martin"],
        },
        {
            "activity": B("Månedlig gjennomgang", "Monthly review"),
            "responsible": "silje",
            "accountable": "ingrid",
            "consulted": ["jonas"],
        },
    ],
    "escalation": [
        {
            "order": 1,
            "situation": B(
                "Spam, svindellenker eller støtende kommentar",
                "Spam, scam links or an offensive comment",
            ),
            "action": B(
                "Skjul, noter grunnen i innboksen. Ikke svar.",
                "Hide it, note the reason in the inbox. Don't reply.",
            ),
            "person": "silje",
            "within_hours": Decimal(4),
        },
        {
            "order": 2,
            "situation": B(
                "Kritikk av verksted, pris eller service",
                "Criticism of the workshop, prices or service",
            ),
            "action": B(
                "Svar offentlig med fornavn, beklag, tilby løsning; ta detaljene på "
                "telefon. Aldri slett.",
                "Answer in public with your first name, apologise, offer a fix; take the "
                "details by phone. Never delete.",
            ),
            "person": "jonas",
            "within_hours": Decimal(4),
        },
        {
            "order": 3,
            "situation": B(
                "Saken sprer seg: mange kommentarer, deling i lokale grupper "
                "eller spørsmål fra pressen",
                "It spreads: many comments, shares in local groups or questions from the press",
            ),
            "action": B(
                "Stopp planlagte salgsinnlegg. Ingrid svarer selv og tar kontakt med kunden.",
                "Pause scheduled sales posts. Ingrid answers in person and contacts the customer.",
            ),
            "person": "ingrid",
            "within_hours": Decimal(2),
        },
        {
            "order": 4,
            "situation": B(
                "Sikkerhet: ulykke, tilbakekalling av sykkel eller deler",
                "Safety: an accident, a recall of bikes or parts",
            ),
            "action": B(
                "Stopp alle planlagte innlegg. Ingrid avklarer fakta med leverandøren og "
                "publiserer en kort uttalelse i alle kanaler.",
                "Pause all scheduled posts. Ingrid checks the facts with the supplier and "
                "posts a short statement on every channel.",
            ),
            "person": "ingrid",
            "within_hours": Decimal(24),
        },
    ],
    "reviews": [
        {
            "days_ago": 54,
            "participants": "Ingrid, Silje, Jonas",
            "findings": B(
                "Instagram-innlegg med verkstedtips får tre ganger så mange lagringer som "
                "tilbud. Svartiden på Facebook er nesten ett døgn.",
                "Instagram posts with workshop tips get three times the saves of offers. "
                "Response time on Facebook is almost a day.",
            ),
            "decisions": B(
                "Mer verkstedtips i miksen. Jonas tar innboksen i åpningstiden.",
                "More workshop tips in the mix. Jonas takes the inbox in opening hours.",
            ),
        },
        {
            "days_ago": 23,
            "participants": "Ingrid, Silje",
            "findings": B(
                "Planen er skrevet ferdig; målene mangler bare måling av prøveturer.",
                "The plan is finished; only test-ride tracking is missing.",
            ),
            "decisions": B(
                "Planen vedtas. Prøveturer merkes «sosiale medier» i bookingen.",
                "The plan is adopted. Test rides are tagged “social media” in booking.",
            ),
        },
    ],
}
