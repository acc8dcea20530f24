"""The sandbox's simulated people: who they are and what they say, in bokmål and English.

Each line is labelled with what it is meant as (question, complaint, praise, spam, follower):
the label is shown as sandbox data wherever the item appears, and lets a newcomer try triage,
replies and the criticism rule without a real network. Names are made up.
"""

from __future__ import annotations

from dataclasses import dataclass

from varde.sandbox.choices import PersonaKind


@dataclass(frozen=True)
class Line:
    persona: PersonaKind
    language: str  # "no" or "en", as the listening language detector names them
    text: str


@dataclass(frozen=True)
class Person:
    handle: str
    name: str


PEOPLE = (
    Person("kari.sim", "Kari Simulert"),
    Person("ola.sim", "Ola Prøvesen"),
    Person("ingrid.sim", "Ingrid Eksempel"),
    Person("sam.sim", "Sam Sample"),
    Person("jo.sim", "Jo Testdal"),
    Person("alex.sim", "Alex Pretend"),
    Person("deals4u.sim", "Best Deals 4 U"),
)

LINES = (
    Line(PersonaKind.QUESTION, "no", "Hei! Har dere åpent på lørdag, og må man bestille time?"),
    Line(PersonaKind.QUESTION, "no", "Hva koster det å leie en el-sykkel for en hel dag?"),
    Line(PersonaKind.QUESTION, "en", "Do you ship to Sweden? Couldn't find it on the website."),
    Line(PersonaKind.QUESTION, "en", "Is there a student discount?"),
    Line(
        PersonaKind.COMPLAINT,
        "no",
        "Jeg har ventet tre uker på sykkelen jeg leverte til service. Ingen svarer på telefonen.",
    ),
    Line(PersonaKind.COMPLAINT, "no", "Dårlig opplevelse i butikken i dag, ingen hjalp meg."),
    Line(
        PersonaKind.COMPLAINT,
        "en",
        "My order arrived broken and nobody answers my e-mails. Very disappointed.",
    ),
    Line(PersonaKind.PRAISE, "no", "Tusen takk for god hjelp i går, dere er best!"),
    Line(PersonaKind.PRAISE, "en", "Great service, the bike rides like new. Thanks!"),
    Line(PersonaKind.SPAM, "en", "Earn 5000$ a week from home!!! Click https://spam.example/win"),
    Line(PersonaKind.SPAM, "no", "Gratis iPhone til de 100 første! Send DM nå 👉 spam.example"),
)

FOLLOW = Line(PersonaKind.FOLLOWER, "", "")
