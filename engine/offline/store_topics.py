"""How a question asks about the store rather than its products, in the six languages the
offline answerer speaks (English, Spanish, French, German, Italian, Portuguese).

Each topic is one pattern over the question in lower case; accents are kept (the patterns
spell them), so "envío" and "envio" are both listed where shoppers drop them.
"""

from __future__ import annotations

import re

# Topics with a profile field (shipping, returns) come first: they can be answered.
_TOPIC_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "shipping",
        # Not "carrier": a carrier bag, a baby carrier and a bike carrier are products.
        r"\b(ship|ships|shipping|shipped|deliver(y|ies|s|ed)?|postage|dispatch(ed)?|couriers?"
        r"|env[ií]os?|enviar|env[ií]an|gastos de env[ií]o|entregas?|sale mi pedido"
        r"|livraisons?|livr(er|ez|é|ée)|exp[ée]di(tion|ez|er|ée?)|frais de port"
        r"|versand\w*|versenden|verschick\w*|liefer(ung|zeit|kosten|n|t)\w*"
        r"|spedizion[ei]|spedi(te|re|to|ta)|consegn[ae]\w*"
        r"|frete|enviad[oa]s?|entregam|enviam)\b",
    ),
    (
        "returns",
        r"\b(return(s|ed|ing|able)?|refund(s|ed|able)?|exchange[sd]?|money back"
        r"|send (it|them|this|that|an? \w+|the \w+|items?|things?) back"
        r"|devoluci[oó]n|devoluciones|devolv\w*|reembols\w*"
        r"|cambiar(lo|la)? (de|por) (otr[oa] )?(talla|color)"
        r"|retours?|retourn\w*|rembours\w*|[ée]changer? (contre|pour)"
        r"|r[üu]ckgabe\w*|zur[üu]ckgeben|zur[üu]ck(schicken|senden)|umtausch\w*|erstattung"
        r"|r[üu]cksendung"
        r"|reso|resi|restituir\w*|restituzione|rimbors\w*"
        r"|devolu[çc][ãa]o|devolu[çc][õo]es|trocas|trocar (de|por) (outr[oa] )?(tamanho|cor))\b",
    ),
    (
        "payment",
        # Not a bare "pay": "how much would I pay for the tent?" asks for a price.
        r"\b(pay (with|by|via|using|in)|payments?|paypal|credit cards?|debit cards?"
        r"|apple pay|google pay|klarna|afterpay|installments?"
        r"|pagar con|formas? de pago|m[ée]todos? de pago|tarjetas? de cr[ée]dito"
        r"|payer (par|avec|en)|paiements?|cartes? (bancaires?|de cr[ée]dit)"
        r"|bezahlen (mit|per)|zahlung\w*|kreditkarten?"
        r"|pagare con|pagament[oi]|carta di credito"
        r"|pagar com|pagamentos?|cart[ãa]o de cr[ée]dito|boleto|pix)\b",
    ),
    (
        "warranty",
        r"\b(warrant(y|ies)|guarantee[ds]?|garant[ií]a|garantie|gew[äa]hrleistung|garanzia"
        r"|garantia)\b",
    ),
    (
        "orders",
        r"\b(track(ing)? (my |an |the )?(order|package|parcel)"
        r"|where is my (order|package|parcel)|order status|order (number |no\.? )?#?\s?\d+"
        r"|cancel (my |an |the )?order"
        r"|d[oó]nde est[aá] mi pedido|estado de mi pedido|seguimiento de(l| mi)? pedido"
        r"|cancelar (mi |el )?pedido"
        r"|o[uù] est ma commande|suivi de (ma )?commande|suivre ma commande"
        r"|annuler ma commande"
        r"|wo ist meine bestellung|sendungsverfolgung|bestellstatus|bestellung stornieren"
        r"|dov'[eè] il mio ordine|stato del(l'| mio )ordine|annullare l'ordine"
        r"|onde est[aá] (o )?meu pedido|rastre(ar|amento)|status do (meu )?pedido"
        r"|cancelar (o |meu )?pedido)\b",
    ),
    # "discounted jackets" is a search (the on-sale filter); a code is a store question.
    (
        "discounts",
        r"\b((discount|promo|promotion) codes?|coupons?|vouchers?"
        r"|c[oó]digos? de descuento|cupones|cup[oó]n|codes? promo|codes? de r[ée]duction"
        r"|bons? de r[ée]duction|gutschein\w*|rabattcodes?|codice sconto|buono sconto"
        r"|cupom|c[oó]digos? de desconto)\b",
    ),
    (
        "person",
        r"\b(human|real person|talk to (someone|somebody|a person|an agent|support)"
        r"|customer (service|support)|support team"
        r"|hablar con (una persona|alguien|un humano|un agente)|persona real"
        r"|atenci[oó]n al cliente|servicio al cliente"
        r"|parler (à|a|avec) (quelqu'un|une personne|un conseiller|un humain)|service client"
        r"|mit einem menschen|mit jemandem sprechen|kundenservice|kundendienst"
        r"|echten person"
        r"|parlare con (qualcuno|una persona|un operatore)|assistenza clienti"
        r"|servizio clienti"
        r"|falar com (algu[ée]m|uma pessoa|um atendente|um humano)"
        r"|atendimento ao cliente)\b",
    ),
)
TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (topic, re.compile(pattern, re.IGNORECASE)) for topic, pattern in _TOPIC_PATTERNS
)
GREETING_RE = re.compile(
    r"^\W*(hi|hello|hey|hiya|good (morning|afternoon|evening)"
    r"|hola|buenos d[ií]as|buenas( tardes| noches)?"
    r"|bonjour|bonsoir|salut|coucou"
    r"|hallo|guten (tag|morgen|abend)|servus|moin"
    r"|ciao|buongiorno|buonasera|salve"
    r"|ol[aá]|oi|bom dia|boa (tarde|noite))\W*$",
    re.IGNORECASE,
)
