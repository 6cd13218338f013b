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
    "shipping_flat": "O frete custa {fee}.",
    "shipping_free_over": "O frete é grátis em pedidos acima de {threshold}.",
    "shipping_dispatch": "Os pedidos são enviados em até {days} dias úteis.",
    "returns_inside": "Sim: {days} dias estão dentro do nosso prazo de devolução de {window} dias.",
    "returns_outside": (
        "Infelizmente não: {days} dias passam do nosso prazo de devolução de {window} dias."
    ),
    "returns_window": "Você tem {window} dias para devolver um item.",
}

# -- answers about products (engine.offline: lists, one product, variants, reviews...) -------
PHRASES.update(
    {
        "weight_no_unit": ("O anúncio indica o peso de {name} como {weight} (sem unidade)."),
        "dimensions_no_unit": "{name} mede {dimensions} (o anúncio não indica a unidade).",
        "options_named": "{name} está disponível em {options}. {facts}",
        "list_and": "{head} e {last}",
        "list_item": "- {name} — {price}, {stock}",
        "list_intro": "Veja o que encontrei:",
        "list_intro_one": "Encontrei isto:",
        "list_intro_ordered": "Veja o que encontrei, {order}:",
        "list_intro_filtered": "Veja o que encontrei {bound}:",
        "list_intro_filtered_ordered": "Veja o que encontrei {bound}, {order}:",
        "list_close_matches": "Não encontrei exatamente isso, mas estes podem servir:",
        "order_cheapest": "do mais barato ao mais caro",
        "order_priciest": "do mais caro ao mais barato",
        "bound_under": "por menos de {amount}",
        "bound_over": "por mais de {amount}",
        "nothing_within_bound": "Desculpe, não encontrei nada {bound}.",
        "document_quote": 'Veja o que diz o nosso documento {title}: "{quote}"',
        "product_facts": "Custa {price} e está {stock}.",
        "product_price": "{name} custa {price} e está {stock}.",
        "product_price_range": (
            "{name} custa de {low} a {high}, conforme a opção, e está {stock}."
        ),
        "product_stock": "{name} está {stock}, por {price}.",
        "product_sold": "Sim, vendemos {name}. Custa {price} e está {stock}.",
        "product_evidence": 'Sobre {name}: "{quote}" {facts}',
        "product_evidence_more": '"{quote}"',
        "product_silent": (
            "A descrição de {name} não diz nada sobre isso, então prefiro não "
            "adivinhar. {facts} A loja pode ajudar com os detalhes que não estão "
            "listados."
        ),
        "options_all": "{name} está disponível em {options}.",
        "options_attribute": "{attribute}: {values}",
        "options_none": "O anúncio não indica opções de {asked} para {name}.",
        "variant_facts": "{name} em {options} custa {price} e está {stock}.",
        "variant_list_intro": "{name} em {options}:",
        "variant_list_item": "- {options} — {price}, {stock}",
        "variant_missing": "{name} não vem em {asked}. Vem em {options}.",
        "variant_missing_with": "{name} não vem em {asked}. Em {given}, vem em {options}.",
        "weight": "{name} pesa {weight}.",
        "weight_unknown": "O anúncio não indica o peso de {name}.",
        "dimensions": "{name} mede {dimensions}.",
        "dimension_part": "{label} {value}",
        "dimension_length": "comprimento",
        "dimension_width": "largura",
        "dimension_height": "altura",
        "dimensions_unknown": "O anúncio não indica as medidas de {name}.",
        "attribute_values": "{name} — {attribute}: {values}.",
        "material_unknown": "O anúncio não diz de que material {name} é feito.",
        "reviews_summary": "{name} tem {count} avaliações, com média de {average} de 5.",
        "reviews_summary_one": "{name} tem 1 avaliação, com nota {average} de 5.",
        "reviews_quote": 'Um cliente escreveu: "{quote}"',
        "reviews_none": "{name} ainda não tem avaliações.",
        "not_sold": "Desculpe, não vendemos {thing} aqui.",
        "not_sold_closest": "O mais parecido que temos:",
    }
)

# -- comparisons, follow-ups on the products shown (engine.offline) --------------------------
PHRASES.update(
    {
        "tell_more": "Veja mais sobre **{title}**:",
        "compare_intro": "Veja como estes {count} se comparam:",
        "compare_rating": "Nota {rating} de 5 em {count} avaliações.",
        "compare_cheaper_of_two": "**{cheaper}** é o mais barato dos dois.",
        "compare_cheapest_of_all": "**{cheaper}** é o mais barato de todos.",
        "compare_difference": "A diferença é de {amount}.",
        "compare_same_price": "Eles custam o mesmo.",
        "pick_cheapest": "Desses, **{title}** é o mais barato: {price}, {stock}.",
        "pick_cheapest_of_two": "Dos dois, **{title}** é o mais barato: {price}, {stock}.",
        "pick_priciest": "Desses, **{title}** é o mais caro: {price}, {stock}.",
        "pick_priciest_of_two": "Dos dois, **{title}** é o mais caro: {price}, {stock}.",
        "criterion_under": "por menos de {limit}",
        "criterion_over": "por mais de {limit}",
        "criterion_in_stock": "em estoque",
        "criterion_on_sale": "em promoção",
        "narrow_some": "Dos {count} que mostrei, estes estão {criterion}:",
        "narrow_all": "Todos os {count} que mostrei estão {criterion}:",
        "narrow_none": (
            "Nenhum dos {count} que mostrei está {criterion}. Aqui estão eles de novo:"
        ),
    }
)

# -- order status (engine.orders) ------------------------------------------------------------
PHRASES.update(
    {
        "order_contact_at": " pelo e-mail {email}",
        "order_ask_both": (
            "Posso verificar o status do seu pedido. Envie-me o número do pedido e o "
            "e-mail de cobrança usado na compra. Você também pode entrar em contato "
            "com a loja{contact}."
        ),
        "order_ask_email": (
            "Para consultar o pedido {number}, também preciso do e-mail de cobrança "
            "usado, para que só você veja o seu pedido. Você também pode entrar em "
            "contato com a loja{contact}."
        ),
        "order_ask_number": (
            "Obrigado. Qual é o número do seu pedido? Ele está no e-mail de confirmação do pedido."
        ),
        "order_no_match": (
            "Não encontrei nenhum pedido com esse número e esse e-mail de cobrança. "
            "Confira os dois e tente de novo, ou entre em contato com a "
            "loja{contact}."
        ),
        "order_limited": (
            "No momento não consigo consultar mais pedidos, depois de muitas "
            "tentativas sem sucesso. Tente mais tarde, ou entre em contato com a "
            "loja{contact}."
        ),
        "order_unavailable": (
            "No momento não consigo acessar o sistema de pedidos da loja. Tente de "
            "novo daqui a pouco, ou entre em contato com a loja{contact}."
        ),
        "order_found": "O pedido {number}, feito em {date}, {state}",
        "order_state_pending": "está aguardando pagamento.",
        "order_state_processing": "foi pago e está sendo preparado para envio.",
        "order_state_on-hold": "está em espera até a loja confirmar o pagamento.",
        "order_state_completed": "está concluído: já foi enviado.",
        "order_state_cancelled": "foi cancelado.",
        "order_state_refunded": "foi reembolsado.",
        "order_state_failed": "não foi concluído: o pagamento falhou.",
        "order_state_other": 'tem o status "{status}".',
        "order_items": "Ele contém {items}.",
        "order_item": "{quantity} × {name}",
        "order_tracking": "Observação da loja: {note}",
        "order_no_tracking": "Ainda não há informações de rastreamento.",
    }
)

# -- hand-off to a person (engine.handoff) ---------------------------------------------------
PHRASES.update(
    {
        "handoff_offer": (
            "Sou o assistente automático da {store}, mas uma pessoa da loja pode "
            "responder: deixe seu e-mail abaixo e a resposta chegará aqui, ou por "
            "e-mail se você já tiver saído."
        ),
        "handoff_offer_after_failures": (
            "Desculpe não ter conseguido resolver. Uma pessoa da {store} pode "
            "responder: deixe seu e-mail abaixo e a resposta chegará aqui, ou por "
            "e-mail se você já tiver saído."
        ),
        "handoff_contact_email": (
            "Você também pode entrar em contato com a loja pelo e-mail {email}."
        ),
        "handoff_contact": "Você também pode entrar em contato diretamente com a loja.",
    }
)
