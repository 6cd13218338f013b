"""Turns in Spanish, French, German, Italian and Portuguese: searches, page questions,
policies and variants as a shopper writes them in those languages, with a reference answer
in the same language (the reply must be in the shopper's language).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from shopper_catalogue import Item, money
from shopper_store import FEE, FREE_OVER, RETURN_DAYS, SHIP_DAYS
from shopper_turn import Turn, fact, spoken_list, turn


@dataclass(frozen=True)
class Phrases:
    search: tuple[str, ...]  # {name}
    page_price: tuple[str, ...]
    page_stock: tuple[str, ...]
    shipping: str
    returns: str
    colours: str  # {name}
    sizes: str  # {name}
    follow_price: str
    follow_stock: str
    costs: str  # reference: {name} {price}
    stock: dict[str, str]  # reference: {name} + stock value
    shipping_answer: str  # {free} {fee} {days}
    returns_answer: str  # {days}
    options_answer: str  # {name} {options}
    conjunction: str


LANGUAGES: dict[str, Phrases] = {
    "es": Phrases(
        search=("¿Tienen el {name}? ¿Cuánto cuesta?", "Busco el {name}, ¿lo venden?"),
        page_price=("¿Cuánto cuesta este producto?", "¿Qué precio tiene esto?"),
        page_stock=("¿Está disponible ahora mismo?", "¿Lo tienen en stock?"),
        shipping="¿Cuánto cuesta el envío y cuándo sale mi pedido?",
        returns="¿Puedo devolver un artículo si no me queda bien?",
        colours="¿En qué colores viene el {name}?",
        sizes="¿Qué tallas tiene el {name}?",
        follow_price="¿Y cuánto cuesta?",
        follow_stock="¿Lo tienen en stock?",
        costs="El {name} cuesta {price}.",
        stock={
            "in_stock": "El {name} está en stock.",
            "out_of_stock": "El {name} está agotado.",
            "on_backorder": "El {name} se puede pedir por encargo.",
        },
        shipping_answer="El envío es gratis en pedidos de más de ${free}; si no, cuesta ${fee}. "
        "Los pedidos salen en {days} días hábiles.",
        returns_answer="Sí, los artículos sin usar se pueden devolver en {days} días con "
        "reembolso completo.",
        options_answer="El {name} está disponible en {options}.",
        conjunction="y",
    ),
    "fr": Phrases(
        search=(
            "Est-ce que vous vendez le {name} ? Il coûte combien ?",
            "Je cherche le {name}, vous l'avez ?",
        ),
        page_price=("Combien coûte cet article ?", "Quel est le prix de ce produit ?"),
        page_stock=("Est-ce que cet article est en stock ?", "Il est disponible en ce moment ?"),
        shipping="Combien coûte la livraison et sous combien de temps ma commande part-elle ?",
        returns="Est-ce que je peux retourner un article s'il ne me va pas ?",
        colours="Quelles couleurs sont disponibles pour le {name} ?",
        sizes="Quelles tailles existent pour le {name} ?",
        follow_price="Et il coûte combien ?",
        follow_stock="Il est en stock ?",
        costs="Le {name} coûte {price}.",
        stock={
            "in_stock": "Le {name} est en stock.",
            "out_of_stock": "Le {name} est en rupture de stock.",
            "on_backorder": "Le {name} est disponible sur commande.",
        },
        shipping_answer="La livraison est offerte dès ${free} d'achat ; sinon elle coûte ${fee}. "
        "Les commandes partent sous {days} jours ouvrés.",
        returns_answer="Oui, les articles non portés peuvent être retournés sous {days} jours "
        "pour un remboursement complet.",
        options_answer="Le {name} est disponible en {options}.",
        conjunction="et",
    ),
    "de": Phrases(
        search=(
            "Führen Sie den Artikel {name}? Was kostet er?",
            "Ich suche den Artikel {name}. Haben Sie den?",
        ),
        page_price=("Was kostet dieser Artikel?", "Wie teuer ist das hier?"),
        page_stock=(
            "Ist dieser Artikel auf Lager?",
            "Kann ich das sofort bestellen, ist es vorrätig?",
        ),
        shipping="Wie hoch sind die Versandkosten und wann wird meine Bestellung verschickt?",
        returns="Kann ich einen Artikel zurückgeben, wenn er nicht passt?",
        colours="In welchen Farben gibt es den Artikel {name}?",
        sizes="Welche Größen gibt es für den Artikel {name}?",
        follow_price="Und was kostet er?",
        follow_stock="Ist er auf Lager?",
        costs="Der Artikel {name} kostet {price}.",
        stock={
            "in_stock": "Der Artikel {name} ist auf Lager.",
            "out_of_stock": "Der Artikel {name} ist ausverkauft.",
            "on_backorder": "Der Artikel {name} ist nachbestellbar.",
        },
        shipping_answer="Der Standardversand ist ab ${free} kostenlos, sonst kostet er ${fee}. "
        "Bestellungen werden innerhalb von {days} Werktagen verschickt.",
        returns_answer="Ja, ungetragene Artikel können innerhalb von {days} Tagen gegen volle "
        "Erstattung zurückgegeben werden.",
        options_answer="Den Artikel {name} gibt es in {options}.",
        conjunction="und",
    ),
    "it": Phrases(
        search=("Vendete l'articolo {name}? Quanto costa?", "Cerco l'articolo {name}, ce l'avete?"),
        page_price=("Quanto costa questo articolo?", "Qual è il prezzo di questo prodotto?"),
        page_stock=("È disponibile in magazzino?", "Questo articolo è disponibile adesso?"),
        shipping="Quanto costa la spedizione e quando parte il mio ordine?",
        returns="Posso restituire un articolo se non mi va bene?",
        colours="In quali colori è disponibile l'articolo {name}?",
        sizes="Quali taglie ci sono per l'articolo {name}?",
        follow_price="E quanto costa?",
        follow_stock="È disponibile?",
        costs="L'articolo {name} costa {price}.",
        stock={
            "in_stock": "L'articolo {name} è disponibile.",
            "out_of_stock": "L'articolo {name} è esaurito.",
            "on_backorder": "L'articolo {name} è ordinabile su prenotazione.",
        },
        shipping_answer="La spedizione standard è gratuita per ordini oltre ${free}; altrimenti "
        "costa ${fee}. Gli ordini partono entro {days} giorni lavorativi.",
        returns_answer="Sì, gli articoli non indossati si possono restituire entro {days} giorni "
        "con rimborso completo.",
        options_answer="L'articolo {name} è disponibile in {options}.",
        conjunction="e",
    ),
    "pt": Phrases(
        search=("Vocês vendem o {name}? Quanto custa?", "Estou procurando o {name}, vocês têm?"),
        page_price=("Quanto custa este produto?", "Qual é o preço disto?"),
        page_stock=("Este produto está em estoque?", "Está disponível agora?"),
        shipping="Quanto custa o frete e quando meu pedido é enviado?",
        returns="Posso devolver um produto se não servir?",
        colours="Em quais cores o {name} está disponível?",
        sizes="Quais tamanhos existem para o {name}?",
        follow_price="E quanto custa?",
        follow_stock="Está em estoque?",
        costs="O {name} custa {price}.",
        stock={
            "in_stock": "O {name} está em estoque.",
            "out_of_stock": "O {name} está esgotado.",
            "on_backorder": "O {name} está disponível sob encomenda.",
        },
        shipping_answer="O frete padrão é grátis em pedidos acima de ${free}; caso contrário, "
        "custa ${fee}. Os pedidos são enviados em até {days} dias úteis.",
        returns_answer="Sim, itens não usados podem ser devolvidos em até {days} dias com "
        "reembolso total.",
        options_answer="O {name} está disponível em {options}.",
        conjunction="e",
    ),
}


def _tags(*tags: str) -> list[str]:
    return [*tags, "multilingual"]


def search(rng: random.Random, lang: str, item: Item, relevance: dict[str, int]) -> Turn:
    words = LANGUAGES[lang]
    template = rng.choice(words.search)
    # Only the first phrasing asks the price; the other asks whether the store has it.
    asks_price = template == words.search[0] and item.fixed_price
    return turn(
        template.format(name=item.name),
        _tags("search"),
        language=lang,
        must=[item],
        relevance=relevance,
        evidence=[item.intro],
        facts=[fact("price", item, item.price or "")] if asks_price else [],
        refuse=False,
        references=[words.costs.format(name=item.name, price=money(item.price or "0"))]
        if asks_price
        else [],
    )


def page(rng: random.Random, lang: str, item: Item) -> Turn:
    words = LANGUAGES[lang]
    asks_price = item.fixed_price and rng.random() < 0.5
    if asks_price:
        message = rng.choice(words.page_price)
        facts = [fact("price", item, item.price or "")]
        reference = words.costs.format(name=item.name, price=money(item.price or "0"))
    else:
        message = rng.choice(words.page_stock)
        facts = [fact("stock", item, item.stock)]
        reference = words.stock[item.stock].format(name=item.name)
    return turn(
        message,
        _tags("page_question"),
        page=item,
        language=lang,
        must=[item],
        evidence=[item.intro],
        facts=facts,
        refuse=False,
        references=[reference],
    )


def policy(rng: random.Random, lang: str) -> Turn:
    words = LANGUAGES[lang]
    if rng.random() < 0.5:
        message = words.shipping
        reference = words.shipping_answer.format(free=FREE_OVER, fee=FEE, days=SHIP_DAYS)
    else:
        message = words.returns
        reference = words.returns_answer.format(days=RETURN_DAYS)
    return turn(message, _tags("policy"), language=lang, refuse=False, references=[reference])


def variant(rng: random.Random, lang: str, item: Item) -> Turn:
    words = LANGUAGES[lang]
    attribute = rng.choice(item.attributes())
    options = item.axis(attribute)
    template = words.colours if attribute == "Colour" else words.sizes
    return turn(
        template.format(name=item.name),
        _tags("variant"),
        language=lang,
        must=[item],
        facts=[fact("variant", item, option) for option in options],
        refuse=False,
        references=[
            words.options_answer.format(
                name=item.name, options=spoken_list(options, words.conjunction)
            )
        ],
    )


def follow_up(lang: str, item: Item, ask: str) -> Turn:
    """A second turn about the product the first one found ("¿Y cuánto cuesta?")."""
    words = LANGUAGES[lang]
    if ask == "price":
        return turn(
            words.follow_price,
            _tags("follow_up"),
            language=lang,
            must=[item],
            facts=[fact("price", item, item.price or "")],
            refuse=False,
            references=[words.costs.format(name=item.name, price=money(item.price or "0"))],
        )
    return turn(
        words.follow_stock,
        _tags("follow_up"),
        language=lang,
        must=[item],
        facts=[fact("stock", item, item.stock)],
        refuse=False,
        references=[words.stock[item.stock].format(name=item.name)],
    )
