"""When the answer offers a hand-off to a person from the store, and what it says.

Two triggers: the shopper asks for a person ("can I talk to a human?", "customer service",
and the same in Spanish, French, German, Italian and Portuguese), or the bot has failed the
shopper twice in a row in one conversation: this reply and the one before it found nothing
to answer from (`no_answer`) or broke (`error`). That is narrower than "unanswered" in
`engine.analytics.answered`, which also counts an `ok` reply citing no source: a quoted
shipping or returns policy, a greeting, the out-of-scope redirect. On the shopper suite,
two policy questions in a row were answered correctly and then offered a person (5 turns)
under the wider rule; the bot did not fail those shoppers.

The offer says a person from the store can reply (the widget then shows a form for the
shopper's email, `POST /widget/v1/handoff`) and how to reach the store directly. What
happens after the offer (the request, the emails, the merchant's replies) is
`core.handoff`.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Message
from core.models.conversation import MessageRole
from engine.offline.phrases import DEFAULT_LANGUAGE, say
from engine.prompts.text import fold
from engine.types import BusinessProfile, Grounding

FAILED_STATUSES = ("no_answer", "error")

_PERSON = (
    r"(a |an |the |some |real |actual |live )*(person|human( being)?|agent|representative|rep"
    r"|someone|somebody|operator|staff|employee|customer (service|support|care))"
)
# On folded text (lower case, no accents): what "I want a person" says in six languages.
_ASKS_FOR_PERSON = re.compile(
    # English
    rf"\b(talk|speak|chat|connect|transfer|put) (me )?(to|with|through to) {_PERSON}\b"
    r"|\b(real|live|actual) (person|human|agent)\b|\bhuman (agent|being|support)\b"
    r"|\bcustomer (service|support|care)\b|\bsupport team\b|\bare you (a )?(human|bot|robot)\b"
    r"|\b(i want|i need|get me|can i get) (a |an )?(human|person|agent)\b"
    # Spanish
    r"|\bhablar con (una persona|un humano|un agente|alguien|un asesor|un operador)"
    r"|\b(atencion|servicio) al cliente\b|\bpersona real\b|\bagente humano\b"
    # French
    r"|\bparler (a|avec) (une personne|un humain|un conseiller|quelqu'?un|un agent|un vendeur)"
    r"|\bservice client\w*\b|\bpersonne reelle\b|\bvrai humain\b"
    # German
    r"|\bmit (einem menschen|einer person|einem mitarbeiter|jemandem|einem berater)"
    r"|\bkundenservice\b|\bkundendienst\b|\becht\w* mensch\w*\b"
    # Italian
    r"|\bparlare con (una persona|un operatore|un umano|qualcuno|un addetto)"
    r"|\b(servizio|assistenza) clienti\b|\bpersona reale\b"
    # Portuguese
    r"|\bfalar com (uma pessoa|um humano|um atendente|alguem|um agente)"
    r"|\b(atendimento|servico) ao cliente\b|\bpessoa de verdade\b"
)


def _fold(text: str) -> str:
    return " ".join(fold(text).replace("’", "'").split())


def asks_for_person(message: str) -> bool:
    return _ASKS_FOR_PERSON.search(_fold(message)) is not None


def _store(profile: BusinessProfile) -> str:
    return profile.name or "the store"


def _contact(language: str, profile: BusinessProfile) -> str:
    if profile.support_email:
        return say(language, "handoff_contact_email", email=profile.support_email)
    return say(language, "handoff_contact")


def person_requested_reply(profile: BusinessProfile, language: str = DEFAULT_LANGUAGE) -> str:
    """The reply to "can I talk to a person?": the offer, and the store's own contact.
    In `language`, the shopper's (engine.answer_inputs.reply_without_search decides it)."""
    offer = say(language, "handoff_offer", store=_store(profile))
    return f"{offer} {_contact(language, profile)}"


def failed(status: str) -> bool:
    """A reply that found nothing to answer from, or broke (see the module docstring)."""
    return status in FAILED_STATUSES


def offer_after_failures(
    grounding: Grounding, failed_before: bool, status: str, sources: list[dict[str, Any]]
) -> str:
    """What a second failed reply in a row ends with: a blank line and the offer, in the
    answer's language ("" when this reply or the one before it did not fail). `sources`:
    a reply that cites one did not fail, whatever its status says."""
    if not failed_before or not failed(status) or sources:
        return ""
    profile = grounding.profile or BusinessProfile(name="")
    language = grounding.language
    offer = say(language, "handoff_offer_after_failures", store=_store(profile))
    return f"\n\n{offer} {_contact(language, profile)}"


async def last_reply_failed(
    session: AsyncSession, tenant_id: TenantId, conversation_id: uuid.UUID | None
) -> bool:
    """Whether the bot's latest reply in the conversation failed (a conversation with no
    reply yet, or none stored: False)."""
    if conversation_id is None:
        return False
    status = await session.scalar(
        select(Message.status)
        .where(
            Message.tenant_id == tenant_id,
            Message.conversation_id == conversation_id,
            Message.role == MessageRole.ASSISTANT,
        )
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(1)
    )
    return status is not None and failed(status)
