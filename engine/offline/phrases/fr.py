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
    "shipping_flat": "La livraison coûte {fee}.",
    "shipping_free_over": "La livraison est offerte dès {threshold} d'achat.",
    "shipping_dispatch": "Les commandes partent sous {days} jours ouvrés.",
    "returns_inside": ("Oui : {days} jours, c'est dans notre délai de retour de {window} jours."),
    "returns_outside": (
        "Malheureusement non : {days} jours, c'est au-delà de notre délai de retour de "
        "{window} jours."
    ),
    "returns_window": "Vous avez {window} jours pour retourner un article.",
}

# -- answers about products (engine.offline: lists, one product, variants, reviews...) -------
PHRASES.update(
    {
        "weight_no_unit": ("La fiche indique un poids de {weight} pour {name} (sans unité)."),
        "dimensions_no_unit": "{name} mesure {dimensions} (la fiche n'indique pas l'unité).",
        "options_named": "{name} est disponible en {options}. {facts}",
        "list_and": "{head} et {last}",
        "list_item": "- {name} — {price}, {stock}",
        "list_intro": "Voici ce que j'ai trouvé :",
        "list_intro_one": "J'ai trouvé ceci :",
        "list_intro_ordered": "Voici ce que j'ai trouvé, {order} :",
        "list_intro_filtered": "Voici ce que j'ai trouvé {bound} :",
        "list_intro_filtered_ordered": "Voici ce que j'ai trouvé {bound}, {order} :",
        "list_close_matches": (
            "Je n'ai pas trouvé exactement cela, mais ceux-ci pourraient convenir :"
        ),
        "order_cheapest": "du moins cher au plus cher",
        "order_priciest": "du plus cher au moins cher",
        "bound_under": "à moins de {amount}",
        "bound_over": "à plus de {amount}",
        "nothing_within_bound": "Désolé, je n'ai rien trouvé qui corresponde {bound}.",
        "document_quote": 'Voici ce que dit notre document {title} : "{quote}"',
        "product_facts": "Il coûte {price} et il est {stock}.",
        "product_price": "{name} coûte {price} et est {stock}.",
        "product_price_range": (
            "{name} coûte de {low} à {high} selon les options, et est {stock}."
        ),
        "product_stock": "{name} est {stock}, à {price}.",
        "product_sold": ("Oui, nous vendons {name}. Il coûte {price} et il est {stock}."),
        "product_evidence": 'À propos de {name} : "{quote}" {facts}',
        "product_evidence_more": '"{quote}"',
        "product_silent": (
            "La description de {name} ne dit rien à ce sujet, et je préfère ne pas "
            "deviner. {facts} La boutique peut vous renseigner sur les détails qui ne"
            " sont pas indiqués."
        ),
        "options_all": "{name} est disponible en {options}.",
        "options_attribute": "{attribute} : {values}",
        "options_none": "La fiche n'indique aucune option de {asked} pour {name}.",
        "variant_facts": "{name} en {options} coûte {price} et est {stock}.",
        "variant_list_intro": "{name} en {options} :",
        "variant_list_item": "- {options} — {price}, {stock}",
        "variant_missing": "{name} n'existe pas en {asked}. Il existe en {options}.",
        "variant_missing_with": (
            "{name} n'existe pas en {asked}. En {given}, il existe en {options}."
        ),
        "weight": "{name} pèse {weight}.",
        "weight_unknown": "La fiche n'indique pas le poids de {name}.",
        "dimensions": "{name} mesure {dimensions}.",
        "dimension_part": "{label} {value}",
        "dimension_length": "longueur",
        "dimension_width": "largeur",
        "dimension_height": "hauteur",
        "dimensions_unknown": "La fiche n'indique pas les dimensions de {name}.",
        "attribute_values": "{name} — {attribute} : {values}.",
        "material_unknown": "La fiche ne dit pas en quoi est fait {name}.",
        "reviews_summary": "{name} a {count} avis, avec une moyenne de {average} sur 5.",
        "reviews_summary_one": "{name} a 1 avis, noté {average} sur 5.",
        "reviews_quote": 'Un client a écrit : "{quote}"',
        "reviews_none": "{name} n'a pas encore d'avis.",
        "not_sold": "Désolé, nous ne vendons pas {thing} ici.",
        "not_sold_closest": "Ce que nous avons de plus proche :",
    }
)

# -- comparisons, follow-ups on the products shown (engine.offline) --------------------------
PHRASES.update(
    {
        "tell_more": "Voici plus de détails sur **{title}** :",
        "compare_intro": "Voici comment ces {count} se comparent :",
        "compare_rating": "Noté {rating} sur 5 sur {count} avis.",
        "compare_cheaper_of_two": "**{cheaper}** est le moins cher des deux.",
        "compare_cheapest_of_all": "**{cheaper}** est le moins cher de tous.",
        "compare_difference": "La différence est de {amount}.",
        "compare_same_price": "Ils coûtent le même prix.",
        "pick_cheapest": "Parmi eux, **{title}** est le moins cher : {price}, {stock}.",
        "pick_cheapest_of_two": "Des deux, **{title}** est le moins cher : {price}, {stock}.",
        "pick_priciest": "Parmi eux, **{title}** est le plus cher : {price}, {stock}.",
        "pick_priciest_of_two": "Des deux, **{title}** est le plus cher : {price}, {stock}.",
        "criterion_under": "à moins de {limit}",
        "criterion_over": "à plus de {limit}",
        "criterion_in_stock": "en stock",
        "criterion_on_sale": "en promotion",
        "narrow_some": ("Sur les {count} que je vous ai montrés, ceux-ci sont {criterion} :"),
        "narrow_all": "Les {count} que je vous ai montrés sont tous {criterion} :",
        "narrow_none": (
            "Aucun des {count} que je vous ai montrés n'est {criterion}. Les revoici :"
        ),
    }
)

# -- order status (engine.orders) ------------------------------------------------------------
PHRASES.update(
    {
        "order_contact_at": " à l'adresse {email}",
        "order_ask_both": (
            "Je peux vérifier l'état de votre commande. Envoyez-moi votre numéro de "
            "commande et l'adresse e-mail de facturation utilisée. Vous pouvez aussi "
            "contacter la boutique{contact}."
        ),
        "order_ask_email": (
            "Pour retrouver la commande {number}, il me faut aussi l'adresse e-mail "
            "de facturation utilisée, afin que vous seul puissiez voir votre "
            "commande. Vous pouvez aussi contacter la boutique{contact}."
        ),
        "order_ask_number": (
            "Merci. Quel est votre numéro de commande ? Vous le trouverez dans "
            "l'e-mail de confirmation de commande."
        ),
        "order_no_match": (
            "Je n'ai trouvé aucune commande avec ce numéro et cette adresse de "
            "facturation. Vérifiez les deux et réessayez, ou contactez la "
            "boutique{contact}."
        ),
        "order_limited": (
            "Je ne peux plus vérifier de commandes pour le moment, après trop de "
            "tentatives infructueuses. Réessayez plus tard, ou contactez la "
            "boutique{contact}."
        ),
        "order_unavailable": (
            "Je n'arrive pas à joindre le système de commandes de la boutique pour le"
            " moment. Réessayez dans un moment, ou contactez la boutique{contact}."
        ),
        "order_found": "La commande {number}, passée le {date}, {state}",
        "order_state_pending": "est en attente de paiement.",
        "order_state_processing": "est payée et en cours de préparation pour l'expédition.",
        "order_state_on-hold": ("est en attente jusqu'à ce que la boutique confirme le paiement."),
        "order_state_completed": "est terminée : elle a été expédiée.",
        "order_state_cancelled": "a été annulée.",
        "order_state_refunded": "a été remboursée.",
        "order_state_failed": "n'a pas abouti : le paiement a échoué.",
        "order_state_other": 'a le statut "{status}".',
        "order_items": "Elle contient {items}.",
        "order_item": "{quantity} × {name}",
        "order_tracking": "Note de la boutique : {note}",
        "order_no_tracking": "Il n'y a pas encore d'informations de suivi.",
    }
)

# -- hand-off to a person (engine.handoff) ---------------------------------------------------
PHRASES.update(
    {
        "handoff_offer": (
            "Je suis l'assistant automatique de {store}, mais une personne de la "
            "boutique peut vous répondre : laissez votre e-mail ci-dessous et elle "
            "vous répondra ici, ou par e-mail si vous êtes parti."
        ),
        "handoff_offer_after_failures": (
            "Désolé de ne pas avoir pu vous renseigner. Une personne de {store} peut "
            "vous répondre : laissez votre e-mail ci-dessous et elle vous répondra "
            "ici, ou par e-mail si vous êtes parti."
        ),
        "handoff_contact_email": "Vous pouvez aussi contacter la boutique à l'adresse {email}.",
        "handoff_contact": "Vous pouvez aussi contacter directement la boutique.",
    }
)
