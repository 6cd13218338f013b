"""One stored answer per question (alembic 0017, engine.conversation.add_answer). The race
itself, two retries answered at once through the widget API, is in
tests/api/test_chat_retry.py; here the database's side of it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.db.database import Database
from core.models import Conversation, Message
from engine.conversation import add_answer
from tests.api.harness import add_exchange, provision_shop


async def test_a_second_answer_to_a_question_is_not_stored_nor_counted(db: Database) -> None:
    shop = await provision_shop(db)
    exchange = await add_exchange(db, shop)
    async with db.tenant_session(shop.tenant_id) as session:
        again = await add_answer(
            session,
            tenant_id=shop.tenant_id,
            conversation_id=exchange["conversation_id"],
            question_id=exchange["question_id"],
            content="Yes, twice.",
        )
        assert again is None
        answers = await session.scalars(
            select(Message.id).where(Message.question_id == exchange["question_id"])
        )
        assert list(answers) == [exchange["answer_id"]]
        conversation = await session.get(Conversation, exchange["conversation_id"])
        assert conversation is not None and conversation.message_count == 2


async def test_only_an_answer_names_a_question(db: Database) -> None:
    shop = await provision_shop(db)
    exchange = await add_exchange(db, shop)
    with pytest.raises(IntegrityError, match="ck_messages_question_of_answer"):
        async with db.tenant_session(shop.tenant_id) as session:
            session.add(
                Message(
                    tenant_id=shop.tenant_id,
                    conversation_id=exchange["conversation_id"],
                    role="user",
                    question_id=exchange["question_id"],
                    content="A question naming a question.",
                )
            )
