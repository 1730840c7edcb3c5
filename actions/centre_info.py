"""Answers practical questions about the centre from knowledge/centre.yml."""
from pathlib import Path
from typing import Any, Dict, List, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import conversation_language
from actions.settings import get_settings

FIELDS = ("intro", "address", "opening_hours", "services")


def load_centre_info(path: Path) -> Dict[Text, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def centre_info_text(info: Dict[Text, Any], language: Text) -> Text:
    texts = info[language]
    lines = [texts[field] for field in FIELDS]
    lines.append(texts["source"].format(date=info["last_checked"].strftime("%d/%m/%Y")))
    return "\n".join(lines)


class ActionCentreInfo(Action):
    def name(self) -> Text:
        return "action_centre_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        info = load_centre_info(get_settings().centre_info_file)
        dispatcher.utter_message(text=centre_info_text(info, conversation_language(tracker)))
        return []
