"""Cheap heuristics for off-topic requests, in the six languages the assistant speaks.

The refusals themselves are templates (engine.offline.phrases: "refuse_out_of_scope",
"refuse_injection"), in the shopper's language; prompt injection is in injection.py.
"""

from __future__ import annotations

import re

from engine.offline.phrases import say
from engine.offline.store_topics import TOPICS

_OFF_TOPIC_RE = re.compile(
    r"\b(write|generate|debug|fix|explain)\b.{0,60}\b(code|script|function|program|python|"
    r"javascript|sql|regex|essay|poem|song|story|cover letter|resume)\b"
    r"|\bhomework\b|\bassignment\b|\bsolve (this|the|my|for)\b|\bderivative\b|\bintegral of\b"
    r"|\b(politic\w*|election\w*|vote for|democrats?|republicans?|president|prime minister|"
    r"parliament|abortion|religion)\b"
    r"|\bwho (won|is winning)\b|\bcapital of\b|\bweather (today|tomorrow|forecast)\b"
    r"|\b(stock market|crypto\w*|bitcoin|lottery)\b"
    r"|\btranslate (this|the following)\b|\bmedical advice\b|\blegal advice\b"
    # Spanish, French, German, Italian, Portuguese: the same kinds of request.
    r"|\b(escr[ií]beme|escribe|[ée]cris|[ée]crivez|schreib\w*|scrivi\w*|escreva)\b.{0,60}"
    r"\b(c[oó]digo|code|script|poema|po[èe]me|gedicht|poesia|canci[oó]n|chanson|lied|canzone"
    r"|can[çc][ãa]o|ensayo|dissertation|aufsatz|saggio|reda[çc][ãa]o|carta de presentaci[oó]n"
    r"|lettre de motivation|anschreiben|lettera di presentazione)\b"
    r"|\b(deberes|tarea escolar|devoirs|hausaufgaben?|compiti|li[çc][ãa]o de casa)\b"
    # Not "política" (a returns policy), "elección" or "Wahl" (a good choice).
    r"|\b(elecciones|[ée]lections?|wahlen|elezioni|elei[çc][õo]es"
    r"|presidente|pr[ée]sident|premier ministre|bundeskanzler|primo ministro"
    r"|primeiro[- ]ministro)\b"
    r"|\b(capital de|capitale de|hauptstadt von|capitale d|capital do|capital da)\b"
    r"|\b(el tiempo (de )?ma[ñn]ana|la m[ée]t[ée]o|wetter (morgen|heute)|il meteo"
    r"|previs[ãa]o do tempo)\b"
    r"|\b(loter[ií]a|loto|lotto|lotteria|loteria|bitcoin|criptomonedas?|cryptomonnaies?"
    r"|kryptow[äa]hrung\w*|criptovalut\w*|criptomoedas?)\b"
    r"|\b(consejo m[ée]dico|conseil m[ée]dical|medizinischen rat|consiglio medico"
    r"|conselho m[ée]dico)\b",
    re.IGNORECASE,
)
# Shopping words make an otherwise odd question a store question ("python books in stock?").
_SHOPPING_RE = re.compile(
    r"\b(buy|order|orders|price|prices|cost|ship\w*|deliver\w*|return\w*|refund\w*|stock|size|"
    r"sizes|product\w*|cart|checkout|discount|sale|gift|sell|store|shop"
    r"|comprar|precio|env[ií]o|talla|tienda|venden|acheter|prix|livraison|taille|boutique"
    r"|vendez|kaufen|preis|versand|gr[öo][ßs]e|shop|verkaufen|comprare|prezzo|spedizione"
    r"|taglia|negozio|vendete|pre[çc]o|frete|tamanho|loja|vendem"
    r"|do you (have|carry|stock)|have you got|tienen|avez-vous|haben sie|avete|voc[êe]s t[êe]m)\b",
    re.IGNORECASE,
)


def is_out_of_scope(question: str) -> bool:
    """True for requests clearly unrelated to shopping; cheap and conservative (a false
    "in scope" costs one LLM call, a false "out of scope" turns away a customer). A question
    about the store (shipping, returns, payment...) is in scope in any of the six languages."""
    if not _OFF_TOPIC_RE.search(question) or _SHOPPING_RE.search(question):
        return False
    return not any(pattern.search(question) for _, pattern in TOPICS)


def out_of_scope_reply(store_name: str, language: str = "en") -> str:
    return say(language, "refuse_out_of_scope", store=store_name)
