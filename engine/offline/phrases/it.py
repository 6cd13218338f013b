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
    "shipping_flat": "La spedizione costa {fee}.",
    "shipping_free_over": "La spedizione è gratuita per ordini oltre {threshold}.",
    "shipping_dispatch": "Gli ordini vengono spediti entro {days} giorni lavorativi.",
    "returns_inside": "Sì: {days} giorni rientrano nel nostro periodo di reso di {window} giorni.",
    "returns_outside": (
        "Purtroppo no: {days} giorni superano il nostro periodo di reso di {window} giorni."
    ),
    "returns_window": "Hai {window} giorni per restituire un articolo.",
}

# -- answers about products (engine.offline: lists, one product, variants, reviews...) -------
PHRASES.update(
    {
        "weight_no_unit": ("La scheda indica per {name} un peso di {weight} (senza unità)."),
        "dimensions_no_unit": "{name} misura {dimensions} (la scheda non indica l'unità).",
        "options_named": "{name} è disponibile in {options}. {facts}",
        "list_and": "{head} e {last}",
        "list_item": "- {name} — {price}, {stock}",
        "list_intro": "Ecco cosa ho trovato:",
        "list_intro_one": "Ho trovato questo:",
        "list_intro_ordered": "Ecco cosa ho trovato, {order}:",
        "list_intro_filtered": "Ecco cosa ho trovato {bound}:",
        "list_intro_filtered_ordered": "Ecco cosa ho trovato {bound}, {order}:",
        "list_close_matches": (
            "Non ho trovato esattamente questo, ma questi potrebbero andare bene:"
        ),
        "order_cheapest": "dal più economico",
        "order_priciest": "dal più caro",
        "bound_under": "sotto {amount}",
        "bound_over": "sopra {amount}",
        "nothing_within_bound": "Mi dispiace, non ho trovato nulla {bound}.",
        "document_quote": 'Ecco cosa dice il nostro documento {title}: "{quote}"',
        "product_facts": "Costa {price} ed è {stock}.",
        "product_price": "{name} costa {price} ed è {stock}.",
        "product_price_range": (
            "{name} costa da {low} a {high} a seconda delle opzioni, ed è {stock}."
        ),
        "product_stock": "{name} è {stock}, a {price}.",
        "product_sold": "Sì, vendiamo {name}. Costa {price} ed è {stock}.",
        "product_evidence": 'Su {name}: "{quote}" {facts}',
        "product_evidence_more": '"{quote}"',
        "product_silent": (
            "La descrizione di {name} non dice nulla al riguardo, quindi preferisco "
            "non tirare a indovinare. {facts} Il negozio può aiutarti con i dettagli "
            "che non sono indicati."
        ),
        "options_all": "{name} è disponibile in {options}.",
        "options_attribute": "{attribute}: {values}",
        "options_none": "La scheda non indica opzioni di {asked} per {name}.",
        "variant_facts": "{name} in {options} costa {price} ed è {stock}.",
        "variant_list_intro": "{name} in {options}:",
        "variant_list_item": "- {options} — {price}, {stock}",
        "variant_missing": ("{name} non è disponibile in {asked}. È disponibile in {options}."),
        "variant_missing_with": (
            "{name} non è disponibile in {asked}. In {given} è disponibile in {options}."
        ),
        "weight": "{name} pesa {weight}.",
        "weight_unknown": "La scheda non indica il peso di {name}.",
        "dimensions": "{name} misura {dimensions}.",
        "dimension_part": "{label} {value}",
        "dimension_length": "lunghezza",
        "dimension_width": "larghezza",
        "dimension_height": "altezza",
        "dimensions_unknown": "La scheda non indica le dimensioni di {name}.",
        "attribute_values": "{name} — {attribute}: {values}.",
        "material_unknown": "La scheda non dice di che materiale è fatto {name}.",
        "reviews_summary": ("{name} ha {count} recensioni, con una media di {average} su 5."),
        "reviews_summary_one": "{name} ha 1 recensione, con {average} su 5.",
        "reviews_quote": 'Un cliente ha scritto: "{quote}"',
        "reviews_none": "{name} non ha ancora recensioni.",
        "not_sold": "Mi dispiace, qui non vendiamo {thing}.",
        "not_sold_closest": "Ciò che abbiamo di più simile:",
    }
)

# -- comparisons, follow-ups on the products shown (engine.offline) --------------------------
PHRASES.update(
    {
        "tell_more": "Ecco altro su **{title}**:",
        "compare_intro": "Ecco come si confrontano questi {count}:",
        "compare_rating": "Valutato {rating} su 5 da {count} recensioni.",
        "compare_cheaper_of_two": "**{cheaper}** è il più economico dei due.",
        "compare_cheapest_of_all": "**{cheaper}** è il più economico di tutti.",
        "compare_difference": "La differenza è di {amount}.",
        "compare_same_price": "Costano uguale.",
        "pick_cheapest": ("Tra questi, **{title}** è il più economico: {price}, {stock}."),
        "pick_cheapest_of_two": "Dei due, **{title}** è il più economico: {price}, {stock}.",
        "pick_priciest": "Tra questi, **{title}** è il più caro: {price}, {stock}.",
        "pick_priciest_of_two": "Dei due, **{title}** è il più caro: {price}, {stock}.",
        "criterion_under": "sotto {limit}",
        "criterion_over": "sopra {limit}",
        "criterion_in_stock": "disponibili",
        "criterion_on_sale": "in offerta",
        "narrow_some": "Dei {count} che ti ho mostrato, questi sono {criterion}:",
        "narrow_all": "Tutti i {count} che ti ho mostrato sono {criterion}:",
        "narrow_none": ("Nessuno dei {count} che ti ho mostrato è {criterion}. Eccoli di nuovo:"),
    }
)

# -- order status (engine.orders) ------------------------------------------------------------
PHRASES.update(
    {
        "order_contact_at": " all'indirizzo {email}",
        "order_ask_both": (
            "Posso controllare lo stato del tuo ordine. Inviami il numero dell'ordine"
            " e l'indirizzo email di fatturazione usato. Puoi anche contattare il "
            "negozio{contact}."
        ),
        "order_ask_email": (
            "Per cercare l'ordine {number} mi serve anche l'indirizzo email di "
            "fatturazione usato, così solo tu puoi vedere il tuo ordine. Puoi anche "
            "contattare il negozio{contact}."
        ),
        "order_ask_number": (
            "Grazie. Qual è il numero del tuo ordine? Lo trovi nell'email di conferma dell'ordine."
        ),
        "order_no_match": (
            "Non ho trovato nessun ordine con quel numero e quell'email di "
            "fatturazione. Controlla entrambi e riprova, oppure contatta il "
            "negozio{contact}."
        ),
        "order_limited": (
            "Al momento non posso controllare altri ordini, dopo troppi tentativi non"
            " riusciti. Riprova più tardi, oppure contatta il negozio{contact}."
        ),
        "order_unavailable": (
            "Al momento non riesco a raggiungere il sistema degli ordini del negozio."
            " Riprova tra poco, oppure contatta il negozio{contact}."
        ),
        "order_found": "L'ordine {number}, effettuato il {date}, {state}",
        "order_state_pending": "è in attesa di pagamento.",
        "order_state_processing": "è stato pagato ed è in preparazione per la spedizione.",
        "order_state_on-hold": "è in sospeso finché il negozio non conferma il pagamento.",
        "order_state_completed": "è completato: è stato spedito.",
        "order_state_cancelled": "è stato annullato.",
        "order_state_refunded": "è stato rimborsato.",
        "order_state_failed": "non è andato a buon fine: il pagamento non è riuscito.",
        "order_state_other": 'ha lo stato "{status}".',
        "order_items": "Contiene {items}.",
        "order_item": "{quantity} × {name}",
        "order_tracking": "Nota del negozio: {note}",
        "order_no_tracking": "Non ci sono ancora informazioni di tracciamento.",
    }
)

# -- hand-off to a person (engine.handoff) ---------------------------------------------------
PHRASES.update(
    {
        "handoff_offer": (
            "Sono l'assistente automatico di {store}, ma una persona del negozio può "
            "risponderti: lascia la tua email qui sotto e ti risponderanno qui, o via"
            " email se sei già andato via."
        ),
        "handoff_offer_after_failures": (
            "Mi dispiace non essere riuscito a risolvere. Una persona di {store} può "
            "risponderti: lascia la tua email qui sotto e ti risponderanno qui, o via"
            " email se sei già andato via."
        ),
        "handoff_contact_email": "Puoi anche contattare il negozio all'indirizzo {email}.",
        "handoff_contact": "Puoi anche contattare direttamente il negozio.",
    }
)
