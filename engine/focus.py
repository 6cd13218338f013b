"""The products a question is about when no search should choose them.

Two kinds of question name their products instead of describing them:
- a follow-up on the products the last answer showed ("the second one", "any under 50?",
  "compare them"; engine.follow_ups reads it);
- a comparison of products named by their titles ("the Ember Kite vs the Meridian Kite").
For those the answer service reads the products' live facts by id
(engine.retrieval.known_products) instead of searching, so a comparison answers on both
products and a follow-up on the set the shopper saw. Everything else is searched as before.

`might_focus` decides from the text alone whether it is worth a look (a transaction);
`focus_products` does the look-up and returns None when the question is not such a one
after all (a follow-up that names something new, a comparison naming fewer than two
products the store sells).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.db.database import Database
from core.ids import TenantId
from engine.answer_events import Question
from engine.follow_ups import (
    SetReference,
    apply_reference,
    asked_stems,
    names_something_new,
    read_reference,
)
from engine.offline.store_questions import is_greeting, policy_topics
from engine.retrieval import known_products
from engine.retrieval.named_products import named_products
from engine.types import Focus, PageContext, ProductHit, Turn

# "compare", "vs", "difference between", "which is cheaper, the A or the B?", "decide
# between": a question about two or more products side by side.
_COMPARISON_RE = re.compile(
    r"\b(compare|comparison|comparing|versus|vs\.?|difference|differences|differ|"
    r"(?:decide|choose|choosing|deciding) between|side by side|"
    r"which (?:one )?(?:is|would be) (?:cheaper|better|more expensive|pricier|lighter|"
    r"heavier|bigger|smaller|warmer))\b|\bor\s+the\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Focused:
    """A question's products chosen without a search, in the order they are talked about;
    or (`focus` None, no hits) word that the follow-up names something new, which is then
    searched as the shopper wrote it: "any socks under 20?" after camping gear is about
    socks, not about "camping gear socks"."""

    focus: Focus | None
    hits: list[ProductHit]


def is_comparison(question: str) -> bool:
    return bool(_COMPARISON_RE.search(question))


def _reference(
    question: str, history: Sequence[Turn], page: PageContext | None
) -> SetReference | None:
    if is_greeting(question) or policy_topics(question):
        return None  # "thanks!", "and returns?": not about the products
    return read_reference(question, history, on_product_page=bool(page and page.product_id))


def might_focus(question: str, history: Sequence[Turn], page: PageContext | None) -> bool:
    """Whether `focus_products` could find anything: without SQL, so the common question
    costs nothing."""
    return is_comparison(question) or _reference(question, history, page) is not None


async def focus_products(
    db: Database,
    question: Question,
    message: str,
    history: Sequence[Turn],
    *,
    store_id: uuid.UUID | None,
    space: str,
    evidence: int,
) -> Focused | None:
    """The products `message` is about, with live facts and up to `evidence` excerpts each,
    or None: search as usual. Reads in a transaction of its own, only for a message that
    `might_focus`; on the read replica when there is one (the products' facts only)."""
    if not might_focus(message, history, question.page):
        return None
    async with db.read_session(question.tenant_id) as session:
        return await _focus_in(
            session,
            tenant_id=question.tenant_id,
            store_id=store_id,
            space=space,
            evidence=evidence,
            question=message,
            history=history,
            page=question.page,
        )


async def _focus_in(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    store_id: uuid.UUID | None,
    space: str,
    evidence: int,
    question: str,
    history: Sequence[Turn],
    page: PageContext | None,
) -> Focused | None:
    if is_comparison(question):
        # Two or more products named by their titles are what it compares, whatever the
        # last answer showed ("compare the X and the Y" after another comparison).
        named = await _named_comparison(
            session,
            tenant_id=tenant_id,
            store_id=store_id,
            space=space,
            evidence=evidence,
            question=question,
        )
        if named is not None:
            return named
    reference = _reference(question, history, page)
    if reference is not None:
        shown = await known_products.products_by_store_id(
            session,
            tenant_id=tenant_id,
            store_id=store_id,
            external_ids=reference.products,
            space=space,
            evidence=evidence,
        )
        named_in_catalogue = await known_products.catalogue_stems(
            session, tenant_id=tenant_id, store_id=store_id, stems=asked_stems(question)
        )
        if reference.operation == "subject":
            subject = await _named_before(
                session,
                tenant_id=tenant_id,
                store_id=store_id,
                space=space,
                evidence=evidence,
                reference=reference,
            )
            if subject is not None and not names_something_new(
                question, [*shown, subject], named_in_catalogue
            ):
                picked = Focus(
                    operation="pick", products=(subject.external_id,), shown=reference.products
                )
                return Focused(picked, [subject])
        focus = apply_reference(reference, shown, question, named_in_catalogue)
        if focus is not None:
            by_id = {h.external_id: h for h in shown}
            # None qualified ("any under 50?" and all cost more): the set itself, so the
            # answer can say so and show what there is.
            return Focused(focus, [by_id[e] for e in focus.products] or shown)
        if shown and names_something_new(question, shown, named_in_catalogue):
            return Focused(None, [])
    return None


async def _named_before(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    store_id: uuid.UUID | None,
    space: str,
    evidence: int,
    reference: SetReference,
) -> ProductHit | None:
    """The one product the shopper's earlier message named by its title ("do you have the
    Kyōto Hiking Boot?"): what "it" means next, whether or not the answer showed it first
    (or at all: a search can miss a product its title names)."""
    named = await named_products(
        session, tenant_id=tenant_id, store_id=store_id, question=reference.earlier_question
    )
    if len(named) != 1:
        return None
    hits = await known_products.products_by_id(
        session, tenant_id=tenant_id, product_ids=named, space=space, evidence=evidence
    )
    return hits[0] if hits else None


async def _named_comparison(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    store_id: uuid.UUID | None,
    space: str,
    evidence: int,
    question: str,
) -> Focused | None:
    named = await named_products(session, tenant_id=tenant_id, store_id=store_id, question=question)
    if len(named) < 2:
        return None  # one product or none by its title: the search decides
    hits = await known_products.products_by_id(
        session, tenant_id=tenant_id, product_ids=named, space=space, evidence=evidence
    )
    if len(hits) < 2:
        return None
    ids = tuple(h.external_id for h in hits)
    return Focused(Focus(operation="compare", products=ids, shown=ids), hits)
