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
