"""What a question about one product asks for: its price, its stock, its options, a weight,
its size, its material, its reviews, or whether the store sells it.

Cues are words in the six languages the offline answerer speaks (English, Spanish, French,
German, Italian, Portuguese); a question that matches none is answered from the product's
text (engine.offline.evidence).
"""

from __future__ import annotations

import re

_FLAGS = re.IGNORECASE | re.UNICODE

# "How much is it?", not "how much putty do I get?" or "how much mp is the camera?".
PRICE_RE = re.compile(
    r"\b(how much(?= (is|are|does|do|would|will|for|it|this|that|they|the|would)\b|\W*$)"
    r"|price|prices|priced|cost|costs|expensive|cheap"
    r"|cu[aá]nto (cuesta|vale)|precio|combien|prix|co[uû]te|was kostet|kostet|preis"
    r"|quanto (costa|custa)|prezzo|pre[cç]o)\b",
    _FLAGS,
)
STOCK_RE = re.compile(
    r"\b(in stock|available|availability|sold out|have it|order this today|get it now"
    r"|en stock|disponibles?|existencias|agotad[oa]|vorr[aä]tig|auf lager|lieferbar"
    r"|verf[uü]gbar|disponibil[ei]|in magazzino|em estoque|dispon[ií]vel)\b",
    _FLAGS,
)
# "Which colours / sizes / options", "what colors does it come in", "does it come in red?".
OPTIONS_RE = re.compile(
    r"\b(colou?rs?|sizes?|options?|variants?|variations?|versions?|come in|comes in"
    r"|colores|tallas?|couleurs?|tailles?|farben?|gr[oö](ß|ss)en?|colori|taglie|cores"
    r"|tamanhos?)\b",
    _FLAGS,
)
COLOUR_WORD_RE = re.compile(r"\b(colou?rs?|colores|couleurs?|farben?|colori|cores)\b", _FLAGS)
SIZE_WORD_RE = re.compile(r"\b(sizes?|tallas?|tailles?|gr[oö](ß|ss)en?|taglie|tamanhos?)\b", _FLAGS)
WEIGHT_RE = re.compile(
    r"\b(weigh|weighs|weight|how heavy|too heavy|heavy is|pes[ao]|poids|lourd|gewicht|schwer)\b",
    _FLAGS,
)
DIMENSIONS_RE = re.compile(
    r"\b(dimensions?|measurements?|measure|how (big|large|tall|long|wide|high|deep)"
    r"|length|width|height|medidas|dimensiones|taille exacte|abmessungen|ma(ß|ss)e"
    r"|misure|dimensioni|dimens[oõ]es)\b",
    _FLAGS,
)
MATERIAL_RE = re.compile(
    r"\b(made of|made from|material|materials|fabric|what is it made"
    r"|material(es)?|mati[eè]re|mat[eé]riau|aus welchem|materiale|tessuto|feito de|hecho de)\b",
    _FLAGS,
)
REVIEWS_RE = re.compile(
    r"\b(reviews?|reviewed|ratings?|rated|stars?|what do (people|customers|others) (say|think)"
    r"|any good|worth it|do people like|customers say|opini[oó]n(es)?|rese[nñ]as?|avis"
    r"|bewertung(en)?|recensioni|avalia[cç][oõ]es)\b",
    _FLAGS,
)
# "do you sell / have / carry X?", "have you got X", "I'm looking for X", "can I buy X here?".
SOLD_RE = re.compile(
    r"\b(do you (have|sell|carry|stock|still have|do)(?! to\b)|have you got"
    r"|is (the )?.+ something you carry|can i buy|can i get|i'?m (looking for|after)"
    r"|looking for|do you guys (have|sell)"
    r"|tienen|venden|busco|vous l'avez|vendez|avez-vous|haben sie|f[uü]hren sie|ich suche"
    r"|ce l'avete|cerco|vendete|voc[eê]s (vendem|t[eê]m)|estou procurando)\b",
    _FLAGS,
)


def asks_price(question: str) -> bool:
    return PRICE_RE.search(question) is not None


def asks_stock(question: str) -> bool:
    return STOCK_RE.search(question) is not None


def asks_options(question: str) -> bool:
    return OPTIONS_RE.search(question) is not None


def asks_weight(question: str) -> bool:
    return WEIGHT_RE.search(question) is not None


def asks_dimensions(question: str) -> bool:
    return DIMENSIONS_RE.search(question) is not None


def asks_material(question: str) -> bool:
    return MATERIAL_RE.search(question) is not None


def asks_reviews(question: str) -> bool:
    return REVIEWS_RE.search(question) is not None


def asks_if_sold(question: str) -> bool:
    return SOLD_RE.search(question) is not None
