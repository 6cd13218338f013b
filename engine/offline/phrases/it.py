"""Italian: the same keys and placeholders as en.py (templates, not machine translation)."""

from __future__ import annotations

PHRASES: dict[str, str] = {
    "nothing_found": (
        "Mi dispiace, non ho trovato nulla in questo negozio che corrisponda. "
        "Puoi dirmi qualcosa in più su quello che cerchi?"
    ),
    # -- the store rather than its products --------------------------------------------------
    # Refusals (engine.guardrails: scope.py, injection.py).
    "refuse_out_of_scope": (
        "Sono qui per aiutarti con i prodotti, gli ordini e le condizioni di {store}, quindi "
        "non posso aiutarti con questo. C'è qualcosa nel negozio che posso aiutarti a trovare?"
    ),
    "refuse_injection": (
        "Non posso aiutarti con questo: sono l'assistente per gli acquisti di {store} e le mie "
        "istruzioni restano riservate. C'è qualcosa nel negozio che posso aiutarti a trovare?"
    ),
    "greeting": (
        "Ciao! Posso aiutarti a trovare prodotti su {store}, controllare prezzi e "
        "disponibilità e rispondere a domande su spedizioni e resi. Che cosa stai cercando?"
    ),
    "the_store": "il negozio",
    "quote_shipping": 'La nostra politica di spedizione: "{policy}"',
    "quote_returns": 'La nostra politica sui resi: "{policy}"',
    "label_shipping": "Spedizione",
    "label_returns": "Resi",
    "topic_shipping": "la politica di spedizione",
    "topic_returns": "la politica sui resi",
    "topic_payment": "i metodi di pagamento",
    "topic_warranty": "le condizioni di garanzia",
    "topic_orders": "i dettagli dell'ordine",
    "topic_discounts": "i codici sconto",
    "topic_person": "una persona con cui parlare",
    "topics_and": "{first} e {second}",
    "contact_at": " all'indirizzo {email}",
    "no_policy": (
        "Non ho qui {subject} di {store}, quindi preferisco non tirare a indovinare. "
        "Chiedi al negozio{contact}: conoscono i dettagli."
    ),
    "person_contact": (
        "Sono l'assistente automatico di {store}. "
        "Per parlare con una persona, contatta il negozio{contact}."
    ),
    "shipping_not_free_for": (
        "Per un ordine di {amount} la spedizione non è gratuita: è gratuita per ordini oltre "
        "{threshold}, altrimenti costa {fee}."
    ),
    "shipping_not_free_for_no_fee": (
        "Per un ordine di {amount} la spedizione non è gratuita: è gratuita per ordini oltre "
        "{threshold}."
    ),
    "shipping_free_for": (
        "Sì, un ordine di {amount} ha la spedizione gratuita: è gratuita per ordini oltre "
        "{threshold}."
    ),
    "shipping_costs": (
        "La spedizione è gratuita per ordini oltre {threshold}; altrimenti costa {fee}."
    ),
    "shipping_free_over": "La spedizione è gratuita per ordini oltre {threshold}.",
    "shipping_dispatch": "Gli ordini vengono spediti entro {days} giorni lavorativi.",
    "returns_inside": "Sì: {days} giorni rientrano nel nostro periodo di reso di {window} giorni.",
    "returns_outside": (
        "Purtroppo no: {days} giorni superano il nostro periodo di reso di {window} giorni."
    ),
    "returns_window": "Hai {window} giorni per restituire un articolo.",
}
