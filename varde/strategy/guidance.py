"""The phases, their guidance and the Technographics ladder: content, kept in bokmål and English.

This is text a reader learns from, not interface chrome, so it lives here in both languages rather
than in the translation catalogue (the catalogue is for labels and buttons). ``Bilingual.get``
picks the language of the request or of the export.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation


@dataclass(frozen=True)
class Bilingual:
    nb: str
    en: str

    def get(self, language: str | None = None) -> str:
        code = language or translation.get_language() or "nb"
        return self.en if code.startswith("en") else self.nb

    def __str__(self) -> str:
        return self.get()


@dataclass(frozen=True)
class Phase:
    number: int
    key: str
    title: Bilingual
    guidance: Bilingual
    example: Bilingual
    # Named parts of the phase page, used as anchors by plan health.
    sections: tuple[str, ...]


PHASES: tuple[Phase, ...] = (
    Phase(
        1,
        "situation",
        Bilingual("Situasjonsanalyse", "Situation analysis"),
        Bilingual(
            "Start med å se på hvor du står i dag: hvilke kanaler du har, hvor mange som "
            "følger dem og hvor ofte du publiserer. Skriv ned styrker, svakheter, muligheter og "
            "trusler, og hvem konkurrentene er. Bestem også hvor mye tid og penger du faktisk "
            "vil bruke – gå heller rolig ut og øk jevnt.",
            "Start with where you stand today: which channels you have, how many follow them and "
            "how often you post. Write down strengths, weaknesses, opportunities and threats, and "
            "who your competitors are. Decide how much time and money you really want to spend – "
            "better to start calmly and grow steadily.",
        ),
        Bilingual(
            "Eksempel: «Facebook-siden har 1 200 følgere og ett innlegg i uken. Vi kan bruke 5 "
            "timer i uken og 2 000 kroner i måneden.»",
            "Example: “Our Facebook page has 1,200 followers and one post a week. We can spend "
            "5 hours a week and NOK 2,000 a month.”",
        ),
        ("channels", "swot", "competitors", "resources"),
    ),
    Phase(
        2,
        "goals",
        Bilingual("Mål", "Goals"),
        Bilingual(
            "Hva vil bedriften oppnå, og hvordan skal sosiale medier hjelpe? Knytt hvert mål for "
            "sosiale medier til et forretningsmål, og gjør det konkret: hva måler du, hvor står "
            "du nå, hva er målverdien, når skal den nås og hvem har ansvaret. Skriv også misjonen "
            "– filosofien du styrer etter.",
            "What does the business want to achieve, and how will social media help? Tie every "
            "social media goal to a business goal and make it concrete: what you measure, where "
            "you are now, the target, the deadline and who is responsible. Write the mission too "
            "– the philosophy you steer by.",
        ),
        Bilingual(
            "Eksempel: «Øke besøk fra sosiale medier til nettbutikken fra 300 til 800 i måneden "
            "innen 1. juni. Ansvarlig: Kari.»",
            "Example: “Grow visits from social media to the web shop from 300 to 800 a month by "
            "1 June. Responsible: Kari.”",
        ),
        ("mission", "business-goals", "social-goals"),
    ),
    Phase(
        3,
        "audiences",
        Bilingual("Målgruppe", "Target group"),
        Bilingual(
            "Hvem vil du nå, og hvem er viktigst? Beskriv hva hver målgruppe bryr seg om og hvor "
            "de er på nett. Anslå hvor stor del av gruppen som lager innhold, kommenterer, "
            "vurderer, samler, deltar, bare leser eller er inaktive (Forresters teknografistige, "
            "«Social Technographics») – det avgjør hva du bør be dem om.",
            "Who do you want to reach, and who matters most? Describe what each audience cares "
            "about and where they are online. Estimate how much of the group creates, converses, "
            "criticises, collects, joins, only watches or is inactive (Forrester's Social "
            "Technographics) – it decides what you should ask of them.",
        ),
        Bilingual(
            "Eksempel: «Pendlere i Bergen, 25–45 år, bryr seg om pålitelig sykkel i all slags "
            "vær. Mest tilskuere: vis, ikke be dem lage innhold.»",
            "Example: “Commuters in Bergen aged 25–45 care about a bike that works in any "
            "weather. Mostly spectators: show, don't ask them to create.”",
        ),
        ("audiences",),
    ),
    Phase(
        4,
        "publishing",
        Bilingual("Strategi og publiseringsplan", "Strategy and publishing plan"),
        Bilingual(
            "Gi hver kanal en rolle, velg innholdssøylene du skal snakke om, og bestem "
            "balansen mellom salgsfremmende, kuratert innhold og samtale med følgerne – "
            "ikke bare salg. Planen sier hva, hvor ofte og hvem: innlegg per uke, dager og "
            "klokkeslett per kanal, hvem som lager og hvem som godkjenner.",
            "Give each channel a role, choose the content pillars you will talk about, and set "
            "the balance between your own promotion, content shared from others and conversation "
            "with followers – not only selling. The plan says what, how often and who: posts per "
            "week, days and times per channel, who makes them and who approves.",
        ),
        Bilingual(
            "Eksempel: «Instagram: 3 innlegg i uken, man/ons/fre kl. 11. Lages av Ola, godkjennes "
            "av Kari. Miks: 30 % salgsfremmende, 30 % kuratert, 40 % samtale.»",
            "Example: “Instagram: 3 posts a week, Mon/Wed/Fri at 11:00. Made by Ola, approved by "
            "Kari. Mix: 30% promotion, 30% shared, 40% conversation.”",
        ),
        ("roles", "mix", "pillars", "schedule"),
    ),
    Phase(
        5,
        "message",
        Bilingual("Budskap og verktøy", "Message and tools"),
        Bilingual(
            "Hva skal målgruppene vite om bedriften? Skriv noen få kjernebudskap per målgruppe, og "
            "hvordan du vil låte. Lag lister over emneknagger du bruker og unngår, og ord som "
            "ikke skal brukes. Sjekk alltid hva en populær emneknagg handler om før du bruker "
            "den.",
            "What should your audiences know about you? Write a few key messages per audience, "
            "and how you sound. List the hashtags you use and avoid, and the words you must not "
            "use. Always check what a trending hashtag is about before you use it.",
        ),
        Bilingual(
            "Eksempel: en nettbutikk brukte #Aurora fordi den trendet – uten å se at den handlet "
            "om en masseskyting. Derfor står «sjekk konteksten først» i policyen.",
            "Example: a web shop used #Aurora because it was trending – without seeing that it "
            "was about a mass shooting. That is why “check the context first” is in the policy.",
        ),
        ("messages", "tone", "hashtags", "terms", "tools"),
    ),
    Phase(
        6,
        "implementation",
        Bilingual("Implementering", "Implementation"),
        Bilingual(
            "Bestem hvem som gjør hva, og hvem som har tilgang til de offisielle kontoene. Skriv "
            "en enkel policy og tommelfingerregler for ansatte. Lag en plan for negative "
            "kommentarer: spam og støtende innhold kan skjules, men kritikk slettes aldri – den "
            "besvares, raskt og av en person med navn.",
            "Decide who does what, and who has access to the official accounts. Write a simple "
            "policy and rules of thumb for employees. Plan for negative comments: spam and "
            "offensive content may be hidden, but criticism is never deleted – it is answered, "
            "quickly and by a named person.",
        ),
        Bilingual(
            "Eksempel: «Kritikk besvares innen 4 timer i åpningstiden. Er det alvorlig, varsles "
            "daglig leder, som svarer selv.»",
            "Example: “Criticism is answered within 4 hours in opening hours. If it is serious, "
            "the managing director is told and answers in person.”",
        ),
        ("team", "raci", "policy", "playbook"),
    ),
    Phase(
        7,
        "control",
        Bilingual("Styring og kontroll", "Control"),
        Bilingual(
            "Sett av faste tidspunkter for å se på tallene sammen med målene. Skriv ned hva du "
            "fant og hva som ble bestemt, og endre planen når tallene sier det. «Likes» er ikke "
            "suksess hvis salget faller.",
            "Set fixed times to look at the numbers against the goals. Write down what you found "
            "and what you decided, and change the plan when the numbers say so. Likes are not "
            "success if sales fall.",
        ),
        Bilingual(
            "Eksempel: «Hver måned: daglig leder og markedsansvarlig ser på besøk, salg og svartid "
            "i en halvtime.»",
            "Example: “Every month: the managing director and the marketing lead spend half an "
            "hour on visits, sales and response time.”",
        ),
        ("cadence", "reviews"),
    ),
)

PHASES_BY_NUMBER = {phase.number: phase for phase in PHASES}


@dataclass(frozen=True)
class Rung:
    field: str
    name: Bilingual
    who: Bilingual
    tactic: Bilingual


# Forrester's Social Technographics ladder, from most to least active (seed 004, 000).
TECHNOGRAPHICS: tuple[Rung, ...] = (
    Rung(
        "creators",
        Bilingual("Skapere", "Creators"),
        Bilingual("Lager egne innlegg, bilder og videoer.", "Publish posts, photos and videos."),
        Bilingual(
            "Be om bilder og historier, lag konkurranser, fremhev det de lager.",
            "Ask for photos and stories, run contests, feature what they make.",
        ),
    ),
    Rung(
        "conversationalists",
        Bilingual("Samtalepartnere", "Conversationalists"),
        Bilingual("Oppdaterer status og svarer ofte.", "Update their status and reply often."),
        Bilingual(
            "Still spørsmål, svar raskt og personlig, ta samtalen videre.",
            "Ask questions, answer fast and in person, keep the conversation going.",
        ),
    ),
    Rung(
        "critics",
        Bilingual("Kritikere", "Critics"),
        Bilingual("Skriver omtaler, kommenterer og vurderer.", "Write reviews, comment and rate."),
        Bilingual(
            "Be om omtaler, svar på all kritikk, vis at du lytter.",
            "Ask for reviews, answer every criticism, show that you listen.",
        ),
    ),
    Rung(
        "collectors",
        Bilingual("Samlere", "Collectors"),
        Bilingual("Lagrer, merker og abonnerer på innhold.", "Save, tag and subscribe to content."),
        Bilingual(
            "Lag nyttige guider og lister som er verdt å lagre og dele.",
            "Make useful guides and lists worth saving and sharing.",
        ),
    ),
    Rung(
        "joiners",
        Bilingual("Deltakere", "Joiners"),
        Bilingual("Har profiler og er med i grupper.", "Keep profiles and join groups."),
        Bilingual(
            "Lag en gruppe eller et fellesskap, inviter til arrangementer.",
            "Start a group or community, invite them to events.",
        ),
    ),
    Rung(
        "spectators",
        Bilingual("Tilskuere", "Spectators"),
        Bilingual("Leser, ser og lytter.", "Read, watch and listen."),
        Bilingual(
            "Gi dem godt innhold å se på: video, bilder, korte tips. Ikke forvent svar.",
            "Give them good things to watch: video, photos, short tips. Don't expect replies.",
        ),
    ),
    Rung(
        "inactives",
        Bilingual("Inaktive", "Inactives"),
        Bilingual("Bruker ikke sosiale medier.", "Do not use social media."),
        Bilingual(
            "Nå dem andre steder: butikk, e-post, avis. Sosiale medier er ikke kanalen.",
            "Reach them elsewhere: the shop, e-mail, print. Social media is not the channel.",
        ),
    ),
)

CHANNEL_ROLE_HELP = Bilingual(
    "Lytting: finn ut hva folk sier. Samtale: spre budskapene dine. Begeistring: hjelp fansen "
    "med å spre budskapet. Støtte: hjelp kundene med å hjelpe hverandre. Involvering: la kundene "
    "være med og forme det du gjør.",
    "Listening: learn what people say. Talking: spread your message. Energizing: help your fans "
    "spread it. Supporting: help customers help each other. Embracing: let customers help shape "
    "what you do.",
)

MIX_HELP = Bilingual(
    "Salgsfremmende er dine egne tilbud og produkter. Kuratert er godt innhold fra andre som "
    "målgruppen bryr seg om. Samtale og engasjement er spørsmål, svar og engasjement med "
    "følgerne. Start gjerne med en tredjedel hver.",
    "Promotional is your own offers and products. Shared is good content from others that your "
    "audience cares about. Conversation is questions, answers and engagement with followers. A "
    "third each is a good start.",
)
