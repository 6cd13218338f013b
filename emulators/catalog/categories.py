"""The generated store's ten categories, in the order the generator walks them."""

from __future__ import annotations

from emulators.catalog.vocab import CategoryVocab
from emulators.catalog.vocab_gear import GEAR_CATEGORIES
from emulators.catalog.vocab_home import HOME_CATEGORIES

CATEGORIES: tuple[CategoryVocab, ...] = GEAR_CATEGORIES + HOME_CATEGORIES
