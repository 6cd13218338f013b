"""A question's search terms in its own language: that language's stop words are dropped
(PostgreSQL's dictionary for it), the words left are stemmed like the chunks (english)."""

from __future__ import annotations

from sqlalchemy import text

from core.db.database import Database
from core.provisioning import provision_tenant
from engine.retrieval.term_stats import TermStats, question_regconfig


def test_the_questions_language_picks_its_text_search_configuration() -> None:
    assert question_regconfig("¿Tienen el Ærø Noise-Cancelling Headphones?") == "spanish"
    assert question_regconfig("Vocês vendem o Granite Bird Feeder? Quanto custa?") == "portuguese"
    assert question_regconfig("Do you sell the Granite Bird Feeder?") is None
    assert question_regconfig("XS?") is None


async def test_a_spanish_questions_stop_words_are_not_search_terms(db: Database) -> None:
    tenant = await provision_tenant(db, name="Terms Shop", allowed_origins=[])
    stats = TermStats()
    question = "¿Tienen el Granite Bird Feeder para el jardín? ¿Cuánto cuesta?"
    async with db.tenant_session(tenant.tenant_id) as session:
        terms = await stats.weighted_terms(
            session, tenant_id=tenant.tenant_id, space="minilm", question=question
        )
        english_only = await session.scalars(
            text("SELECT lexeme FROM unnest(to_tsvector('english', :q))"), {"q": question}
        )
        before = set(english_only.all())
    lexemes = [term.lexeme for term in terms]
    # The catalogue's words, stemmed as its search_vector stems them, in the question's order.
    assert lexemes[:3] == ["granit", "bird", "feeder"]
    # English alone kept Spanish stop words ("el", "para") as rare, heavily weighted terms.
    assert {"el", "para"} <= before
    assert not {"el", "para"} & set(lexemes)
