"""The vocabulary of accounts: the values its rows take, which every app may name.

They live apart from the models so that another app can compare a state without importing
the models (the "own-models" import contract, docs/architecture.md).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
