"""French: the same keys and placeholders as en.py (templates, not machine translation)."""

from __future__ import annotations

PHRASES: dict[str, str] = {
    "nothing_found": (
        "Désolé, je n'ai rien trouvé dans cette boutique qui corresponde. "
        "Pouvez-vous m'en dire un peu plus sur ce que vous cherchez ?"
    ),
    # -- the store rather than its products --------------------------------------------------
    # Refusals (engine.guardrails: scope.py, injection.py).
    "refuse_out_of_scope": (
        "Je suis là pour les produits, les commandes et les conditions de {store} : je ne "
        "peux pas vous aider pour cela. Puis-je vous aider à trouver quelque chose dans la "
        "boutique ?"
    ),
    "refuse_injection": (
        "Je ne peux pas vous aider pour cela : je suis l'assistant d'achat de {store} et mes "
        "instructions restent privées. Puis-je vous aider à trouver quelque chose dans la "
        "boutique ?"
    ),
    "greeting": (
        "Bonjour ! Je peux vous aider à trouver des produits chez {store}, vérifier les prix "
        "et le stock, et répondre à vos questions sur la livraison et les retours. "
        "Que cherchez-vous ?"
    ),
    "the_store": "la boutique",
    "quote_shipping": 'Notre politique de livraison : "{policy}"',
    "quote_returns": 'Notre politique de retour : "{policy}"',
    "label_shipping": "Livraison",
    "label_returns": "Retours",
    "topic_shipping": "la politique de livraison",
    "topic_returns": "la politique de retour",
    "topic_payment": "les moyens de paiement",
    "topic_warranty": "les conditions de garantie",
    "topic_orders": "les détails de la commande",
    "topic_discounts": "les codes de réduction",
    "topic_person": "une personne à qui parler",
    "topics_and": "{first} et {second}",
    "contact_at": " à l'adresse {email}",
    "no_policy": (
        "Je n'ai pas {subject} de {store} ici, et je préfère ne pas deviner. "
        "Demandez à la boutique{contact} ; elle connaît les détails."
    ),
    "person_contact": (
        "Je suis l'assistant automatique de {store}. "
        "Pour parler à une personne, veuillez contacter la boutique{contact}."
    ),
    "shipping_not_free_for": (
        "Pour une commande de {amount}, la livraison n'est pas offerte : elle est offerte "
        "dès {threshold} d'achat, sinon elle coûte {fee}."
    ),
    "shipping_not_free_for_no_fee": (
        "Pour une commande de {amount}, la livraison n'est pas offerte : elle est offerte "
        "dès {threshold} d'achat."
    ),
    "shipping_free_for": (
        "Oui, une commande de {amount} est livrée gratuitement : la livraison est offerte "
        "dès {threshold} d'achat."
    ),
    "shipping_costs": (
        "La livraison est offerte dès {threshold} d'achat ; sinon elle coûte {fee}."
    ),
    "shipping_free_over": "La livraison est offerte dès {threshold} d'achat.",
    "shipping_dispatch": "Les commandes partent sous {days} jours ouvrés.",
    "returns_inside": ("Oui : {days} jours, c'est dans notre délai de retour de {window} jours."),
    "returns_outside": (
        "Malheureusement non : {days} jours, c'est au-delà de notre délai de retour de "
        "{window} jours."
    ),
    "returns_window": "Vous avez {window} jours pour retourner un article.",
}
