"""An answer's stages (engine.answer_stages): each from the end of the one before it; a
stage whose predecessor never ended is not reported; a stage ends at its first mark."""

from __future__ import annotations

from engine.answer_stages import ANSWER_STAGES, AnswerStages, mark_stage


def test_stages_follow_each_other_and_skip_what_did_not_happen() -> None:
    stages = AnswerStages(started=10.0)
    stages.ended.update({"session": 10.5, "open_turn": 11.0, "model": 13.0})
    stages.ended["first_sentence"] = 13.25
    # No search and no prompt (an answer without a search): `model` has no start.
    assert stages.durations() == {"session": 0.5, "open_turn": 0.5, "first_sentence": 0.25}


def test_a_stage_ends_at_its_first_mark_and_only_where_one_is_measured() -> None:
    mark_stage("open_turn")  # nobody measures: nothing happens, nothing fails
    stages = AnswerStages(started=0.0)
    token = ANSWER_STAGES.set(stages)
    try:
        mark_stage("model")
        first = stages.ended["model"]
        mark_stage("model")  # a second delta does not move the end
    finally:
        ANSWER_STAGES.reset(token)
    assert stages.ended == {"model": first}  # the unmeasured mark left nothing
