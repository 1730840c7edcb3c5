"""The pipeline component that applies nlu/question_first.py after the intent classifiers."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from common.counsellor_request import COUNSELLOR_REQUEST
from knowledge.content_check import CONTENT_DIR
from knowledge.documents import read_all
from knowledge.glossary import load_elsewhere, load_glossary
from nlu.annotator import MessageAnnotator
from nlu.question_first import adjusted_intent

# Under FIRM_CONFIDENCE (0.8) of actions/orientation/turn.py.
CORRECTED_REQUEST_CONFIDENCE = 0.75


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IntentCorrector(MessageAnnotator):
    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.glossary = load_glossary()
        self.elsewhere = load_elsewhere()
        self.topic_areas = {document.topic: document.area for document in read_all(CONTENT_DIR)}

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            ranking = message.get(INTENT_RANKING_KEY) or []
            corrected = adjusted_intent(
                message.get(TEXT) or "",
                intent.get(INTENT_NAME_KEY),
                [entry.get(INTENT_NAME_KEY) for entry in ranking],
                self.glossary,
                self.elsewhere,
                self.topic_areas,
            )
            if corrected is None:
                continue
            # The classifier's first choice is kept second, where actions can see it.
            confidence = intent.get("confidence", 1.0)
            if corrected == COUNSELLOR_REQUEST:
                # Below the questionnaire's "firm" level (actions/orientation/turn.py): an answer that also
                # mentions a counsellor is read as the answer; a message that answers nothing still leaves.
                confidence = min(confidence, CORRECTED_REQUEST_CONFIDENCE)
            first = {INTENT_NAME_KEY: corrected, "confidence": confidence}
            rest = [entry for entry in ranking if entry.get(INTENT_NAME_KEY) != corrected]
            message.set(INTENT, first, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [first, *rest], add_to_output=True)
        return messages
