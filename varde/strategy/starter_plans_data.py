"""Plan templates, in bokmål and English (content, so written here in both).

A template is plain data: strings are ``B(nb, en)`` where the language matters, keys ("owner",
"ig") link rows to each other, and dates are given relative to the day the template is applied.
``resolve`` picks one language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from varde.strategy.guidance import Bilingual as B  # noqa: N817 - short, the data reads better


@dataclass(frozen=True)
class Template:
    key: str
    name: B
    description: B
    data: dict[str, Any]


def resolve(data: Any, language: str) -> Any:
    if isinstance(data, B):
        return data.get(language)
    if isinstance(data, dict):
        return {key: resolve(value, language) for key, value in data.items()}
    if isinstance(data, list):
        return [resolve(value, language) for value in data]
    return data


_POLICY_SMALL = B(
    "1. Vi er personlige: den som svarer, signerer med fornavn.\n"
    "2. Vi sletter aldri kritikk. Spam og støtende innhold kan skjules.\n"
    "3. Før vi bruker en populær emneknagg, sjekker vi hva den handler om akkurat nå.\n"
    "4. Reklame merkes tydelig som «annonse» eller «reklame».\n"
    "5. Vi skriver ikke noe om andre som vi ikke ville sagt til dem ansikt til ansikt, og deler "
    "ikke bilder av kunder uten lov.",
    "1. We are personal: whoever answers signs with their first name.\n"
    "2. We never delete criticism. Spam and offensive content may be hidden.\n"
    "3. Before we use a trending hashtag, we check what it is about right now.\n"
    "4. Advertising is clearly marked as “advertisement”.\n"
    "5. We write nothing about others that we would not say to their face, and share no photos "
    "of customers without permission.",
)

_GUIDELINES_SMALL = B(
    "Du er velkommen til å dele og like det bedriften legger ut. Si at du jobber her når du "
    "snakker om produktene våre. Svar ikke på klager på egen profil – send dem videre til den "
    "som svarer for bedriften. Del aldri kundeopplysninger.",
    "You are welcome to share and like what the business posts. Say that you work here when you "
    "talk about our products. Don't answer complaints on your own profile – pass them to whoever "
    "answers for the business. Never share customer details.",
)

SMALL_BUSINESS: dict[str, Any] = {
    "plan": {
        "strengths": B(
            "Vi kjenner kundene våre personlig. Vi har fagkunnskap som kjedene mangler.",
            "We know our customers personally. We have expertise the chains lack.",
        ),
        "weaknesses": B(
            "Lite tid til sosiale medier. Ingen fast plan for hva vi poster.",
            "Little time for social media. No fixed plan for what we post.",
        ),
        "opportunities": B(
            "Folk i nærområdet vil handle lokalt. Tips og råd deles gjerne videre.",
            "People nearby want to shop locally. Tips and advice get shared.",
        ),
        "threats": B(
            "Store kjeder og nettbutikker med større budsjett.",
            "Large chains and web shops with bigger budgets.",
        ),
        "hours_per_week": Decimal(4),
        "budget_per_month": 1000,
        "mission": B(
            "Vi skal være den lokale eksperten folk spør først – og vise menneskene bak butikken.",
            "We will be the local expert people ask first – and show the people behind the shop.",
        ),
        "customer_value": B(
            "Nyttige råd, et tidlig blikk på nyheter og et ansikt å spørre.",
            "Useful advice, an early look at what is new, and a face to ask.",
        ),
        "tone_of_voice": B(
            "Vennlig, kunnskapsrik og lokal. Vi skriver som vi snakker i butikken: kort og "
            "hyggelig, uten faguttrykk.",
            "Friendly, knowledgeable and local. We write the way we talk in the shop: short and "
            "warm, without jargon.",
        ),
        "tools": B(
            "Varde for plan, kalender og innboks. Mobilkamera for bilder og korte videoer.",
            "Varde for the plan, calendar and inbox. A phone camera for photos and short videos.",
        ),
        "social_media_policy": _POLICY_SMALL,
        "employee_guidelines": _GUIDELINES_SMALL,
        "community_hours_per_week": Decimal(1),
        "playbook_hidable": B(
            "Spam, reklame for andre, trusler, rasisme, personangrep og personopplysninger om "
            "andre.",
            "Spam, advertising for others, threats, racism, personal attacks and other people's "
            "personal details.",
        ),
        "playbook_criticism": B(
            "Vi takker for tilbakemeldingen, beklager der vi har gjort feil, og tilbyr å løse det "
            "– offentlig først, så på telefon eller melding. Vi sletter aldri kritikk.",
            "We thank them for the feedback, apologise where we got it wrong, and offer to put it "
            "right – in public first, then by phone or message. We never delete criticism.",
        ),
        "response_time_hours": Decimal(8),
        "review_cadence": "monthly",
        "review_scope": B(
            "Målene mot tallene, hvilke innlegg som fungerte, og om vi holdt frekvensen.",
            "The goals against the numbers, which posts worked, and whether we kept the frequency.",
        ),
        "review_owner": "owner",
    },
    "people": [
        {
            "key": "owner",
            "name": B("Daglig leder", "Managing director"),
            "title": "",
            "publishes_to": ["fb", "ig"],
        },
        {
            "key": "marketing",
            "name": B("Markedsansvarlig", "Marketing lead"),
            "title": "",
            "publishes_to": ["fb", "ig"],
        },
    ],
    "channels": [
        {
            "key": "fb",
            "network": "facebook",
            "name": B("Facebook-siden vår", "Our Facebook page"),
            "role": "talking",
            "posts_per_week": Decimal(2),
            "days": [1, 3],
            "times": ["12:00"],
            "purpose": B(
                "Nyheter, tilbud og svar til faste kunder.",
                "News, offers and answers for regular customers.",
            ),
            "producer": "marketing",
            "approver": "owner",
        },
        {
            "key": "ig",
            "network": "instagram",
            "name": B("Instagram-kontoen vår", "Our Instagram"),
            "role": "energizing",
            "posts_per_week": Decimal(3),
            "days": [0, 2, 4],
            "times": ["11:00"],
            "purpose": B(
                "Bilder fra hverdagen og produktene, og kunder som deler.",
                "Everyday photos, products, and customers who share.",
            ),
            "producer": "marketing",
            "approver": "owner",
        },
    ],
    "business_goals": [
        {
            "key": "customers",
            "title": B("Flere nye kunder fra nærområdet", "More new customers from the area"),
        },
        {
            "key": "loyalty",
            "title": B("Flere kunder som kommer tilbake", "More customers who come back"),
        },
    ],
    "social_goals": [
        {
            "title": B(
                "Flere besøk fra sosiale medier til nettsiden",
                "More visits from social media to the website",
            ),
            "business_goal": "customers",
            "metric": "web_visits",
            "owner": "marketing",
            "deadline_days": 180,
            "measurement": B(
                "Besøk med UTM-merkede lenker, per måned.",
                "Visits through UTM-tagged links, per month.",
            ),
        },
        {
            "title": B("Svare raskt på spørsmål og klager", "Answer questions and complaints fast"),
            "business_goal": "loyalty",
            "metric": "response_time",
            "target": Decimal(8),
            "owner": "owner",
            "deadline_days": 90,
            "measurement": B(
                "Gjennomsnittlig svartid i innboksen.", "Average response time in the inbox."
            ),
        },
    ],
    "audiences": [
        {
            "key": "regulars",
            "name": B("Faste kunder", "Regular customers"),
            "priority": 1,
            "description": B(
                "Folk som allerede handler hos oss.", "People who already buy from us."
            ),
            "cares_about": B(
                "Gode råd, nyheter, å bli husket.", "Good advice, news, being remembered."
            ),
            "where_they_are": B("Facebook og e-post.", "Facebook and e-mail."),
            "channels": ["fb"],
            "creators": 10,
            "conversationalists": 30,
            "critics": 25,
            "collectors": 10,
            "joiners": 60,
            "spectators": 75,
            "inactives": 15,
        },
        {
            "key": "locals",
            "name": B("Nye kunder i nærområdet", "New customers nearby"),
            "priority": 2,
            "description": B(
                "Folk som bor eller jobber i nærheten, men ikke kjenner oss ennå.",
                "People who live or work nearby but don't know us yet.",
            ),
            "cares_about": B(
                "Kvalitet, pris og å slippe å reise langt.",
                "Quality, price and not travelling far.",
            ),
            "where_they_are": B(
                "Instagram, lokale Facebook-grupper.", "Instagram, local Facebook groups."
            ),
            "channels": ["ig"],
            "creators": 20,
            "conversationalists": 35,
            "critics": 20,
            "collectors": 15,
            "joiners": 65,
            "spectators": 80,
            "inactives": 10,
        },
    ],
    "key_messages": [
        {
            "audience": "regulars",
            "text": B(
                "Vi husker deg og hjelper deg å få mest mulig ut av det du har kjøpt.",
                "We remember you and help you get the most out of what you bought.",
            ),
        },
        {
            "audience": "locals",
            "text": B(
                "Ekspertråd rett i nærheten – uten kø og uten ventetid på nett.",
                "Expert advice right nearby – no queue, no waiting for delivery.",
            ),
        },
    ],
    "pillars": [
        {
            "name": B("Tips og råd", "Tips and advice"),
            "share": 35,
            "description": B("Det vi kan, delt raust.", "What we know, shared generously."),
        },
        {
            "name": B("Bak disken", "Behind the counter"),
            "share": 25,
            "description": B("Folkene og hverdagen hos oss.", "Our people and everyday life."),
        },
        {
            "name": B("Nyheter og tilbud", "News and offers"),
            "share": 25,
            "description": B("Nye varer og kampanjer.", "New products and campaigns."),
        },
        {
            "name": B("Kundene våre", "Our customers"),
            "share": 15,
            "description": B(
                "Kunder som deler – med lov.", "Customers who share – with permission."
            ),
        },
    ],
    "hashtags": [
        {
            "tag": B("handlelokalt", "shoplocal"),
            "use": "use",
            "note": B("Lokal profil.", "Local profile."),
        },
    ],
    "terms": [
        {
            "term": B("billigst", "cheapest"),
            "severity": "block",
            "note": B(
                "Påstander om pris må kunne dokumenteres (markedsføringsloven).",
                "Price claims must be documented (Norwegian Marketing Control Act).",
            ),
        },
        {
            "term": B("gratis", "free"),
            "severity": "warn",
            "note": B(
                "Bare når det virkelig er gratis, uten skjulte vilkår.",
                "Only when it really is free, with no hidden conditions.",
            ),
        },
        {
            "term": B("garantert", "guaranteed"),
            "severity": "warn",
            "note": B("Lov ikke mer enn vi kan holde.", "Promise no more than we can keep."),
        },
    ],
    "responsibilities": [
        {
            "activity": B("Lage og planlegge innlegg", "Make and schedule posts"),
            "responsible": "marketing",
            "accountable": "owner",
        },
        {
            "activity": B("Svare på kommentarer og meldinger", "Answer comments and messages"),
            "responsible": "marketing",
            "accountable": "owner",
        },
    ],
    "escalation": [
        {
            "order": 1,
            "situation": B("Spam eller støtende kommentar", "Spam or offensive comment"),
            "action": B("Skjul den og noter hvorfor.", "Hide it and note why."),
            "person": "marketing",
            "within_hours": Decimal(8),
        },
        {
            "order": 2,
            "situation": B("Kritikk fra en kunde", "Criticism from a customer"),
            "action": B(
                "Svar offentlig med navn, beklag og tilby å løse det. Aldri slett.",
                "Answer in public with your name, apologise and offer to fix it. Never delete.",
            ),
            "person": "marketing",
            "within_hours": Decimal(8),
        },
        {
            "order": 3,
            "situation": B(
                "Mange negative kommentarer, eller pressen spør",
                "Many negative comments, or the press asks",
            ),
            "action": B(
                "Stopp planlagte innlegg, varsle daglig leder, som svarer selv.",
                "Pause scheduled posts, tell the managing director, who answers in person.",
            ),
            "person": "owner",
            "within_hours": Decimal(2),
        },
    ],
}

TEMPLATES: dict[str, Template] = {
    "small_business": Template(
        "small_business",
        B("Liten bedrift (butikk eller tjeneste)", "Small business (shop or service)"),
        B(
            "En enkel plan for en lokal butikk eller tjenestebedrift: to kanaler, to mål, to "
            "målgrupper, en policy og en plan for kritikk. Fyll inn tallene og navnene, så har du "
            "en første plan på under en time.",
            "A simple plan for a local shop or service business: two channels, two goals, two "
            "audiences, a policy and a plan for criticism. Fill in the numbers and names and you "
            "have a first plan in under an hour.",
        ),
        SMALL_BUSINESS,
    ),
}
