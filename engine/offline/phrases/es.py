"""Spanish: the same keys and placeholders as en.py (templates, not machine translation)."""

from __future__ import annotations

PHRASES: dict[str, str] = {
    "nothing_found": (
        "Lo siento, no he encontrado nada en esta tienda que coincida. "
        "¿Puedes contarme un poco más sobre lo que buscas?"
    ),
    # -- the store rather than its products --------------------------------------------------
    # Refusals (engine.guardrails: scope.py, injection.py).
    "refuse_out_of_scope": (
        "Estoy aquí para ayudarte con los productos, pedidos y políticas de {store}, así que "
        "no puedo ayudarte con eso. ¿Hay algo de la tienda que pueda ayudarte a encontrar?"
    ),
    "refuse_injection": (
        "No puedo ayudarte con eso: soy el asistente de compras de {store} y mis "
        "instrucciones son privadas. ¿Hay algo de la tienda que pueda ayudarte a encontrar?"
    ),
    "greeting": (
        "¡Hola! Puedo ayudarte a encontrar productos en {store}, consultar precios y stock, y "
        "responder preguntas sobre envíos y devoluciones. ¿Qué estás buscando?"
    ),
    "the_store": "la tienda",
    "quote_shipping": 'Nuestra política de envíos dice: "{policy}"',
    "quote_returns": 'Nuestra política de devoluciones dice: "{policy}"',
    "label_shipping": "Envíos",
    "label_returns": "Devoluciones",
    "topic_shipping": "la política de envíos",
    "topic_returns": "la política de devoluciones",
    "topic_payment": "las formas de pago",
    "topic_warranty": "las condiciones de garantía",
    "topic_orders": "los detalles del pedido",
    "topic_discounts": "los códigos de descuento",
    "topic_person": "una persona con quien hablar",
    "topics_and": "{first} y {second}",
    "contact_at": " en {email}",
    "no_policy": (
        "No tengo aquí {subject} de {store}, así que prefiero no adivinar. "
        "Por favor, consulta con la tienda{contact}; ellos conocen los detalles."
    ),
    "person_contact": (
        "Soy el asistente automático de {store}. "
        "Para hablar con una persona, contacta con la tienda{contact}."
    ),
    "shipping_not_free_for": (
        "En un pedido de {amount} el envío no es gratis: es gratis en pedidos de más de "
        "{threshold}; si no, cuesta {fee}."
    ),
    "shipping_not_free_for_no_fee": (
        "En un pedido de {amount} el envío no es gratis: es gratis en pedidos de más de "
        "{threshold}."
    ),
    "shipping_free_for": (
        "Sí, un pedido de {amount} tiene envío gratis: el envío es gratis en pedidos de más "
        "de {threshold}."
    ),
    "shipping_costs": ("El envío es gratis en pedidos de más de {threshold}; si no, cuesta {fee}."),
    "shipping_flat": "El envío cuesta {fee}.",
    "shipping_free_over": "El envío es gratis en pedidos de más de {threshold}.",
    "shipping_dispatch": "Los pedidos salen en un plazo de {days} días hábiles.",
    "returns_inside": (
        "Sí: {days} días está dentro de nuestro plazo de devolución de {window} días."
    ),
    "returns_outside": (
        "Lo siento, no: {days} días supera nuestro plazo de devolución de {window} días."
    ),
    "returns_window": "Tienes {window} días para devolver un artículo.",
}

# -- answers about products (engine.offline: lists, one product, variants, reviews...) -------
PHRASES.update(
    {
        "weight_no_unit": "La ficha indica que {name} pesa {weight} (sin unidad).",
        "dimensions_no_unit": "{name} mide {dimensions} (la ficha no indica la unidad).",
        "options_named": "{name} está disponible en {options}. {facts}",
        "list_and": "{head} y {last}",
        "list_item": "- {name} — {price}, {stock}",
        "list_intro": "Esto es lo que he encontrado:",
        "list_intro_one": "He encontrado esto:",
        "list_intro_ordered": "Esto es lo que he encontrado, {order}:",
        "list_intro_filtered": "Esto es lo que he encontrado {bound}:",
        "list_intro_filtered_ordered": "Esto es lo que he encontrado {bound}, {order}:",
        "list_close_matches": (
            "No he encontrado una coincidencia exacta, pero estos podrían acercarse:"
        ),
        "order_cheapest": "del más barato al más caro",
        "order_priciest": "del más caro al más barato",
        "bound_under": "por menos de {amount}",
        "bound_over": "por más de {amount}",
        "nothing_within_bound": "Lo siento, no he encontrado nada que coincida {bound}.",
        "document_quote": 'Esto dice nuestro documento {title}: "{quote}"',
        "product_facts": "Cuesta {price} y está {stock}.",
        "product_price": "{name} cuesta {price} y está {stock}.",
        "product_price_range": ("{name} cuesta de {low} a {high} según la opción, y está {stock}."),
        "product_stock": "{name} está {stock}, a {price}.",
        "product_sold": "Sí, vendemos {name}. Cuesta {price} y está {stock}.",
        "product_evidence": 'Sobre {name}: "{quote}" {facts}',
        "product_evidence_more": '"{quote}"',
        "product_silent": (
            "La descripción de {name} no dice nada sobre eso, así que prefiero no "
            "adivinar. {facts} La tienda puede ayudarte con los detalles que no "
            "figuran."
        ),
        "options_all": "{name} está disponible en {options}.",
        "options_attribute": "{attribute}: {values}",
        "options_none": "La ficha no indica opciones de {asked} para {name}.",
        "variant_facts": "{name} en {options} cuesta {price} y está {stock}.",
        "variant_list_intro": "{name} en {options}:",
        "variant_list_item": "- {options} — {price}, {stock}",
        "variant_missing": "{name} no viene en {asked}. Viene en {options}.",
        "variant_missing_with": "{name} no viene en {asked}. En {given} viene en {options}.",
        "weight": "{name} pesa {weight}.",
        "weight_unknown": "La ficha no indica el peso de {name}.",
        "dimensions": "{name} mide {dimensions}.",
        "dimension_part": "{label} {value}",
        "dimension_length": "largo",
        "dimension_width": "ancho",
        "dimension_height": "alto",
        "dimensions_unknown": "La ficha no indica las medidas de {name}.",
        "attribute_values": "{name} — {attribute}: {values}.",
        "material_unknown": "La ficha no dice de qué está hecho {name}.",
        "reviews_summary": ("{name} tiene {count} reseñas, con una media de {average} sobre 5."),
        "reviews_summary_one": "{name} tiene 1 reseña, con {average} sobre 5.",
        "reviews_quote": 'Un cliente escribió: "{quote}"',
        "reviews_none": "{name} aún no tiene reseñas.",
        "not_sold": "Lo siento, aquí no vendemos {thing}.",
        "not_sold_closest": "Lo más parecido que tenemos:",
    }
)

# -- comparisons, follow-ups on the products shown (engine.offline) --------------------------
PHRASES.update(
    {
        "tell_more": "Más sobre **{title}**:",
        "compare_intro": "Así se comparan estos {count}:",
        "compare_rating": "Valoración de {rating} sobre 5 en {count} reseñas.",
        "compare_cheaper_of_two": "**{cheaper}** es el más barato de los dos.",
        "compare_cheapest_of_all": "**{cheaper}** es el más barato de todos.",
        "compare_difference": "La diferencia es de {amount}.",
        "compare_same_price": "Cuestan lo mismo.",
        "pick_cheapest": "De esos, **{title}** es el más barato: {price}, {stock}.",
        "pick_cheapest_of_two": "De los dos, **{title}** es el más barato: {price}, {stock}.",
        "pick_priciest": "De esos, **{title}** es el más caro: {price}, {stock}.",
        "pick_priciest_of_two": "De los dos, **{title}** es el más caro: {price}, {stock}.",
        "criterion_under": "por menos de {limit}",
        "criterion_over": "por más de {limit}",
        "criterion_in_stock": "en stock",
        "criterion_on_sale": "en oferta",
        "narrow_some": "De los {count} que te mostré, estos están {criterion}:",
        "narrow_all": "Los {count} que te mostré están {criterion}:",
        "narrow_none": (
            "Ninguno de los {count} que te mostré está {criterion}. Aquí están otra vez:"
        ),
    }
)

# -- order status (engine.orders) ------------------------------------------------------------
PHRASES.update(
    {
        "order_contact_at": " en {email}",
        "order_ask_both": (
            "Puedo consultar el estado de tu pedido. Envíame el número de pedido y el"
            " correo electrónico de facturación que usaste. También puedes contactar "
            "con la tienda{contact}."
        ),
        "order_ask_email": (
            "Para consultar el pedido {number} también necesito el correo electrónico"
            " de facturación que usaste, para que solo tú puedas ver tu pedido. "
            "También puedes contactar con la tienda{contact}."
        ),
        "order_ask_number": (
            "Gracias. ¿Cuál es tu número de pedido? Lo encontrarás en el correo de "
            "confirmación del pedido."
        ),
        "order_no_match": (
            "No he encontrado ningún pedido con ese número y ese correo de "
            "facturación. Revisa ambos e inténtalo de nuevo, o contacta con la "
            "tienda{contact}."
        ),
        "order_limited": (
            "Ahora mismo no puedo consultar más pedidos, tras demasiados intentos "
            "fallidos. Inténtalo más tarde, o contacta con la tienda{contact}."
        ),
        "order_unavailable": (
            "Ahora mismo no puedo acceder al sistema de pedidos de la tienda. "
            "Inténtalo de nuevo dentro de un rato, o contacta con la tienda{contact}."
        ),
        "order_found": "El pedido {number}, realizado el {date}, {state}",
        "order_state_pending": "está pendiente de pago.",
        "order_state_processing": "está pagado y se está preparando para el envío.",
        "order_state_on-hold": "está en espera hasta que la tienda confirme el pago.",
        "order_state_completed": "está completado: ya se ha enviado.",
        "order_state_cancelled": "se canceló.",
        "order_state_refunded": "se reembolsó.",
        "order_state_failed": "no se completó: el pago falló.",
        "order_state_other": 'tiene el estado "{status}".',
        "order_items": "Contiene {items}.",
        "order_item": "{quantity} × {name}",
        "order_tracking": "Nota de la tienda: {note}",
        "order_no_tracking": "Todavía no tiene información de seguimiento.",
    }
)

# -- hand-off to a person (engine.handoff) ---------------------------------------------------
PHRASES.update(
    {
        "handoff_offer": (
            "Soy el asistente automático de {store}, pero una persona de la tienda "
            "puede responderte: deja tu correo electrónico abajo y te contestarán "
            "aquí, o por correo si ya te has ido."
        ),
        "handoff_offer_after_failures": (
            "Siento no haber podido resolverlo. Una persona de {store} puede "
            "responderte: deja tu correo electrónico abajo y te contestarán aquí, o "
            "por correo si ya te has ido."
        ),
        "handoff_contact_email": "También puedes contactar con la tienda en {email}.",
        "handoff_contact": "También puedes contactar directamente con la tienda.",
    }
)
