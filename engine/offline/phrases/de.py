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
    "shipping_free_over": "Der Versand ist ab einem Bestellwert von {threshold} kostenlos.",
    "shipping_dispatch": "Bestellungen werden innerhalb von {days} Werktagen versandt.",
    "returns_inside": "Ja: {days} Tage liegen innerhalb unserer Rückgabefrist von {window} Tagen.",
    "returns_outside": (
        "Leider nein: {days} Tage liegen außerhalb unserer Rückgabefrist von {window} Tagen."
    ),
    "returns_window": "Sie haben {window} Tage Zeit, einen Artikel zurückzugeben.",
}
