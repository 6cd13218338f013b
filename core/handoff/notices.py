"""The two hand-off emails: the merchant's notice of a request, and a merchant's reply sent
to a shopper whose widget did not fetch it. Neither carries a card number: the texts they
quote are the stored, masked ones, and the masking (core.privacy.masking) is applied
again here (card numbers always; the shopper's contact details in the merchant's notice
too, where the dashboard shows them to signed-in members only), since an email leaves the
platform."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.email import OutgoingEmail
from core.ids import TenantId
from core.models import Membership, Tenant, User
from core.models.user import MembershipRole
from core.privacy.masking import mask_personal_data

QUOTE_CHARS = 1000


@dataclass(frozen=True, slots=True)
class StoreContact:
    store_name: str
    email: str | None  # the business's support email, else its owner's; None: nobody to write


async def store_contact(session: AsyncSession, tenant_id: TenantId) -> StoreContact:
    tenant = await session.scalar(select(Tenant).where(Tenant.id == tenant_id))
    name = tenant.name if tenant is not None else "your store"
    if tenant is not None and tenant.support_email:
        return StoreContact(name, tenant.support_email)
    owner = await session.scalar(
        select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id == tenant_id, Membership.role == MembershipRole.OWNER)
        .order_by(Membership.created_at)
        .limit(1)
    )
    return StoreContact(name, owner)


def _quoted(text: str | None, *, keep_contacts: bool) -> str:
    if not text:
        return ""
    masked = mask_personal_data(text, keep_contacts=keep_contacts)[:QUOTE_CHARS]
    return "\n".join(f"> {line}" for line in masked.splitlines())


def merchant_notice(
    contact: StoreContact, *, conversation_id: uuid.UUID, dashboard_url: str, note: str | None
) -> OutgoingEmail | None:
    """The merchant's notice of a hand-off request (None: no address to send it to). The
    shopper's email is not in it: the dashboard shows it to a signed-in member."""
    if contact.email is None:
        return None
    link = f"{dashboard_url.rstrip('/')}/conversations/view/?id={conversation_id}"
    quoted = _quoted(note, keep_contacts=False)
    body = (
        f"A shopper on {contact.store_name} asked to talk to a person and left an email "
        "address for your reply.\n\n"
        + (f"Their note:\n{quoted}\n\n" if quoted else "")
        + f"Read the conversation and reply here:\n{link}\n"
    )
    return OutgoingEmail(to=contact.email, subject="A shopper asked to talk to a person", body=body)


def shopper_reply_email(*, to: str, store_name: str, reply: str) -> OutgoingEmail:
    body = (
        f"{store_name} replied to your conversation with their shopping assistant:\n\n"
        f"{_quoted(reply, keep_contacts=True)}\n\n"
        "You asked for this reply when you left your email in the chat.\n"
    )
    return OutgoingEmail(to=to, subject=f"{store_name} replied to you", body=body)
