"""Portuguese: the same keys and placeholders as en.py (templates, not machine translation)."""

from __future__ import annotations

PHRASES: dict[str, str] = {
    "nothing_found": (
        "Desculpe, não encontrei nada nesta loja que corresponda. "
        "Pode me contar um pouco mais sobre o que você está procurando?"
    ),
    # -- the store rather than its products --------------------------------------------------
    # Refusals (engine.guardrails: scope.py, injection.py).
    "refuse_out_of_scope": (
        "Estou aqui para ajudar com os produtos, pedidos e políticas da {store}, então não "
        "posso ajudar com isso. Há algo na loja que eu possa ajudar você a encontrar?"
    ),
    "refuse_injection": (
        "Não posso ajudar com isso: sou o assistente de compras da {store} e minhas "
        "instruções são privadas. Há algo na loja que eu possa ajudar você a encontrar?"
    ),
    "greeting": (
        "Olá! Posso ajudar você a encontrar produtos na {store}, consultar preços e estoque e "
        "responder perguntas sobre frete e devoluções. O que você está procurando?"
    ),
    "the_store": "a loja",
    "quote_shipping": 'Nossa política de frete: "{policy}"',
    "quote_returns": 'Nossa política de devolução: "{policy}"',
    "label_shipping": "Frete",
    "label_returns": "Devoluções",
    "topic_shipping": "a política de frete",
    "topic_returns": "a política de devolução",
    "topic_payment": "as formas de pagamento",
    "topic_warranty": "as condições de garantia",
    "topic_orders": "os detalhes do pedido",
    "topic_discounts": "os códigos de desconto",
    "topic_person": "uma pessoa com quem falar",
    "topics_and": "{first} e {second}",
    "contact_at": " pelo e-mail {email}",
    "no_policy": (
        "Não tenho aqui {subject} da {store}, então prefiro não adivinhar. "
        "Por favor, pergunte à loja{contact}; eles sabem os detalhes."
    ),
    "person_contact": (
        "Sou o assistente automático da {store}. "
        "Para falar com uma pessoa, entre em contato com a loja{contact}."
    ),
    "shipping_not_free_for": (
        "Em um pedido de {amount} o frete não é grátis: é grátis em pedidos acima de "
        "{threshold}; caso contrário, custa {fee}."
    ),
    "shipping_not_free_for_no_fee": (
        "Em um pedido de {amount} o frete não é grátis: é grátis em pedidos acima de {threshold}."
    ),
    "shipping_free_for": (
        "Sim, um pedido de {amount} tem frete grátis: o frete é grátis em pedidos acima de "
        "{threshold}."
    ),
    "shipping_costs": (
        "O frete é grátis em pedidos acima de {threshold}; caso contrário, custa {fee}."
    ),
    "shipping_free_over": "O frete é grátis em pedidos acima de {threshold}.",
    "shipping_dispatch": "Os pedidos são enviados em até {days} dias úteis.",
    "returns_inside": "Sim: {days} dias estão dentro do nosso prazo de devolução de {window} dias.",
    "returns_outside": (
        "Infelizmente não: {days} dias passam do nosso prazo de devolução de {window} dias."
    ),
    "returns_window": "Você tem {window} dias para devolver um item.",
}
