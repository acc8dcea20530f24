"""Words too common to tell anything: left out of alerts' "why" and the charts' top words."""

from __future__ import annotations

# Bokmål, nynorsk and English.
STOPWORDS = frozenset(
    """og i det er som på en et til av for med har de ikke om var jeg du vi men så den fra
kan skal vil bare nå da der her meg seg oss dem deg noe noen alle hva hvor når sin sitt
også eller enn etter over under mot ut inn opp ned igjen får fått blir ble være vært ein
eit ikkje eg dei the a an and or of to in on for with is are was were be been it this
that at by from as but not no so if my our your their they we you he she his her its
just have has had do does did will would can could about what which who when than then
there here out up all any some more very really how why get got one also still dag""".split()  # noqa: SIM905 - a word list reads best as text
)
