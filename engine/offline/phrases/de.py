"""German: the same keys and placeholders as en.py (templates, not machine translation)."""

from __future__ import annotations

PHRASES: dict[str, str] = {
    "nothing_found": (
        "Leider habe ich in diesem Shop nichts Passendes gefunden. "
        "Können Sie mir etwas mehr darüber sagen, wonach Sie suchen?"
    ),
    # -- the store rather than its products --------------------------------------------------
    # Refusals (engine.guardrails: scope.py, injection.py).
    "refuse_out_of_scope": (
        "Ich bin für die Produkte, Bestellungen und Bedingungen von {store} da: Ich kann "
        "Ihnen dabei nicht helfen. Kann ich Ihnen helfen, etwas im Shop zu finden?"
    ),
    "refuse_injection": (
        "Ich kann Ihnen dabei nicht helfen: Ich bin der Einkaufsassistent von {store}, und "
        "meine Anweisungen bleiben vertraulich. Kann ich Ihnen helfen, etwas im Shop zu "
        "finden?"
    ),
    "greeting": (
        "Hallo! Ich helfe Ihnen, Produkte bei {store} zu finden, Preise und Verfügbarkeit zu "
        "prüfen und Fragen zu Versand und Rückgabe zu beantworten. Wonach suchen Sie?"
    ),
    "the_store": "der Shop",
    "quote_shipping": 'Unsere Versandbedingungen: "{policy}"',
    "quote_returns": 'Unsere Rückgabebedingungen: "{policy}"',
    "label_shipping": "Versand",
    "label_returns": "Rückgabe",
    "topic_shipping": "die Versandbedingungen",
    "topic_returns": "die Rückgabebedingungen",
    "topic_payment": "die Zahlungsarten",
    "topic_warranty": "die Garantiebedingungen",
    "topic_orders": "die Bestelldetails",
    "topic_discounts": "die Rabattcodes",
    "topic_person": "eine Ansprechperson",
    "topics_and": "{first} und {second}",
    "contact_at": " unter {email}",
    "no_policy": (
        "Ich habe {subject} von {store} hier leider nicht und möchte nicht raten. "
        "Bitte fragen Sie den Shop{contact}; dort kennt man die Details."
    ),
    "person_contact": (
        "Ich bin der automatische Assistent von {store}. "
        "Um mit einer Person zu sprechen, kontaktieren Sie bitte den Shop{contact}."
    ),
    "shipping_not_free_for": (
        "Bei einer Bestellung von {amount} ist der Versand nicht kostenlos: kostenlos ist er "
        "ab einem Bestellwert von {threshold}, sonst kostet er {fee}."
    ),
    "shipping_not_free_for_no_fee": (
        "Bei einer Bestellung von {amount} ist der Versand nicht kostenlos: kostenlos ist er "
        "ab einem Bestellwert von {threshold}."
    ),
    "shipping_free_for": (
        "Ja, eine Bestellung von {amount} wird kostenlos versandt: der Versand ist ab einem "
        "Bestellwert von {threshold} kostenlos."
    ),
    "shipping_costs": (
        "Der Versand ist ab einem Bestellwert von {threshold} kostenlos, sonst kostet er {fee}."
    ),
    "shipping_flat": "Der Versand kostet {fee}.",
    "shipping_free_over": "Der Versand ist ab einem Bestellwert von {threshold} kostenlos.",
    "shipping_dispatch": "Bestellungen werden innerhalb von {days} Werktagen versandt.",
    "returns_inside": "Ja: {days} Tage liegen innerhalb unserer Rückgabefrist von {window} Tagen.",
    "returns_outside": (
        "Leider nein: {days} Tage liegen außerhalb unserer Rückgabefrist von {window} Tagen."
    ),
    "returns_window": "Sie haben {window} Tage Zeit, einen Artikel zurückzugeben.",
}

# -- answers about products (engine.offline: lists, one product, variants, reviews...) -------
PHRASES.update(
    {
        "weight_no_unit": (
            "Die Produktseite gibt das Gewicht von {name} mit {weight} an (ohne Einheit)."
        ),
        "dimensions_no_unit": ("{name} misst {dimensions} (die Produktseite nennt keine Einheit)."),
        "options_named": "{name} gibt es in {options}. {facts}",
        "list_and": "{head} und {last}",
        "list_item": "- {name} — {price}, {stock}",
        "list_intro": "Das habe ich gefunden:",
        "list_intro_one": "Ich habe das hier gefunden:",
        "list_intro_ordered": "Das habe ich gefunden, {order}:",
        "list_intro_filtered": "Das habe ich {bound} gefunden:",
        "list_intro_filtered_ordered": "Das habe ich {bound} gefunden, {order}:",
        "list_close_matches": (
            "Ich habe nichts genau Passendes gefunden, aber diese kommen nahe dran:"
        ),
        "order_cheapest": "die günstigsten zuerst",
        "order_priciest": "die teuersten zuerst",
        "bound_under": "unter {amount}",
        "bound_over": "über {amount}",
        "nothing_within_bound": "Leider habe ich {bound} nichts Passendes gefunden.",
        "document_quote": 'Das steht in unserem Dokument {title}: "{quote}"',
        "product_facts": "Er kostet {price} und ist {stock}.",
        "product_price": "{name} kostet {price} und ist {stock}.",
        "product_price_range": (
            "{name} kostet je nach Ausführung {low} bis {high} und ist {stock}."
        ),
        "product_stock": "{name} ist {stock}, für {price}.",
        "product_sold": ("Ja, wir führen {name}. Der Artikel kostet {price} und ist {stock}."),
        "product_evidence": 'Zu {name}: "{quote}" {facts}',
        "product_evidence_more": '"{quote}"',
        "product_silent": (
            "Die Beschreibung von {name} sagt dazu nichts, und ich möchte nicht "
            "raten. {facts} Der Shop hilft Ihnen gern mit Details, die nicht "
            "aufgeführt sind."
        ),
        "options_all": "{name} gibt es in {options}.",
        "options_attribute": "{attribute}: {values}",
        "options_none": "Die Produktseite nennt keine {asked}-Optionen für {name}.",
        "variant_facts": "{name} in {options} kostet {price} und ist {stock}.",
        "variant_list_intro": "{name} in {options}:",
        "variant_list_item": "- {options} — {price}, {stock}",
        "variant_missing": "{name} gibt es nicht in {asked}. Es gibt ihn in {options}.",
        "variant_missing_with": (
            "{name} gibt es nicht in {asked}. In {given} gibt es ihn in {options}."
        ),
        "weight": "{name} wiegt {weight}.",
        "weight_unknown": "Die Produktseite nennt das Gewicht von {name} nicht.",
        "dimensions": "{name} misst {dimensions}.",
        "dimension_part": "{label} {value}",
        "dimension_length": "Länge",
        "dimension_width": "Breite",
        "dimension_height": "Höhe",
        "dimensions_unknown": "Die Produktseite nennt die Maße von {name} nicht.",
        "attribute_values": "{name} — {attribute}: {values}.",
        "material_unknown": "Die Produktseite sagt nicht, woraus {name} ist.",
        "reviews_summary": "{name} hat {count} Bewertungen, im Schnitt {average} von 5.",
        "reviews_summary_one": "{name} hat 1 Bewertung mit {average} von 5.",
        "reviews_quote": 'Ein Kunde schrieb: "{quote}"',
        "reviews_none": "{name} hat noch keine Bewertungen.",
        "not_sold": "Leider führen wir {thing} hier nicht.",
        "not_sold_closest": "Am nächsten kommt dem:",
    }
)

# -- comparisons, follow-ups on the products shown (engine.offline) --------------------------
PHRASES.update(
    {
        "tell_more": "Mehr zu **{title}**:",
        "compare_intro": "So schneiden diese {count} im Vergleich ab:",
        "compare_rating": "Bewertet mit {rating} von 5 aus {count} Bewertungen.",
        "compare_cheaper_of_two": "**{cheaper}** ist der günstigere der beiden.",
        "compare_cheapest_of_all": "**{cheaper}** ist der günstigste von allen.",
        "compare_difference": "Der Unterschied beträgt {amount}.",
        "compare_same_price": "Sie kosten gleich viel.",
        "pick_cheapest": "Davon ist **{title}** der günstigste: {price}, {stock}.",
        "pick_cheapest_of_two": (
            "Von den beiden ist **{title}** der günstigere: {price}, {stock}."
        ),
        "pick_priciest": "Davon ist **{title}** der teuerste: {price}, {stock}.",
        "pick_priciest_of_two": ("Von den beiden ist **{title}** der teurere: {price}, {stock}."),
        "criterion_under": "unter {limit}",
        "criterion_over": "über {limit}",
        "criterion_in_stock": "auf Lager",
        "criterion_on_sale": "im Angebot",
        "narrow_some": ("Von den {count}, die ich Ihnen gezeigt habe, sind diese {criterion}:"),
        "narrow_all": "Alle {count}, die ich Ihnen gezeigt habe, sind {criterion}:",
        "narrow_none": (
            "Keiner der {count}, die ich Ihnen gezeigt habe, ist {criterion}. Hier "
            "sind sie noch einmal:"
        ),
    }
)

# -- order status (engine.orders) ------------------------------------------------------------
PHRASES.update(
    {
        "order_contact_at": " unter {email}",
        "order_ask_both": (
            "Ich kann den Status Ihrer Bestellung prüfen. Bitte senden Sie mir Ihre "
            "Bestellnummer und die Rechnungs-E-Mail-Adresse der Bestellung. Sie "
            "können auch den Shop kontaktieren{contact}."
        ),
        "order_ask_email": (
            "Um die Bestellung {number} nachzuschlagen, brauche ich auch die "
            "Rechnungs-E-Mail-Adresse, damit nur Sie Ihre Bestellung sehen. Sie "
            "können auch den Shop kontaktieren{contact}."
        ),
        "order_ask_number": (
            "Danke. Wie lautet Ihre Bestellnummer? Sie finden sie in Ihrer "
            "Bestellbestätigung per E-Mail."
        ),
        "order_no_match": (
            "Ich habe keine Bestellung mit dieser Nummer und dieser Rechnungs-E-Mail "
            "gefunden. Bitte prüfen Sie beides und versuchen Sie es erneut, oder "
            "kontaktieren Sie den Shop{contact}."
        ),
        "order_limited": (
            "Nach zu vielen erfolglosen Versuchen kann ich gerade keine weiteren "
            "Bestellungen prüfen. Bitte versuchen Sie es später noch einmal, oder "
            "kontaktieren Sie den Shop{contact}."
        ),
        "order_unavailable": (
            "Ich erreiche das Bestellsystem des Shops gerade nicht. Bitte versuchen "
            "Sie es gleich noch einmal, oder kontaktieren Sie den Shop{contact}."
        ),
        "order_found": "Die Bestellung {number} vom {date} {state}",
        "order_state_pending": "wartet auf die Zahlung.",
        "order_state_processing": "ist bezahlt und wird für den Versand vorbereitet.",
        "order_state_on-hold": "ist zurückgestellt, bis der Shop die Zahlung bestätigt.",
        "order_state_completed": "ist abgeschlossen: Sie wurde versandt.",
        "order_state_cancelled": "wurde storniert.",
        "order_state_refunded": "wurde erstattet.",
        "order_state_failed": "ist nicht zustande gekommen: Die Zahlung ist fehlgeschlagen.",
        "order_state_other": 'hat den Status "{status}".',
        "order_items": "Sie enthält {items}.",
        "order_item": "{quantity} × {name}",
        "order_tracking": "Hinweis des Shops: {note}",
        "order_no_tracking": "Es gibt noch keine Sendungsverfolgung dazu.",
    }
)

# -- hand-off to a person (engine.handoff) ---------------------------------------------------
PHRASES.update(
    {
        "handoff_offer": (
            "Ich bin der automatische Assistent von {store}, aber eine Person aus dem"
            " Shop kann Ihnen antworten: Hinterlassen Sie unten Ihre E-Mail-Adresse, "
            "dann bekommen Sie die Antwort hier oder per E-Mail, falls Sie schon weg "
            "sind."
        ),
        "handoff_offer_after_failures": (
            "Tut mir leid, dass ich das nicht klären konnte. Eine Person von {store} "
            "kann Ihnen antworten: Hinterlassen Sie unten Ihre E-Mail-Adresse, dann "
            "bekommen Sie die Antwort hier oder per E-Mail, falls Sie schon weg sind."
        ),
        "handoff_contact_email": "Sie können den Shop auch unter {email} kontaktieren.",
        "handoff_contact": "Sie können den Shop auch direkt kontaktieren.",
    }
)
