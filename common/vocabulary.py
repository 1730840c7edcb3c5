"""The words shared across the assistant: its languages and the five areas the counsellors cover.

Standard library only: both Python environments (the Rasa server's NLU components and the
services) read it. The `Literal` types are for pydantic models and the type checker; the tuples,
read from them, for code.
"""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal["fr", "nl"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
# The language of a reply when nothing tells the visitor's.
DEFAULT_LANGUAGE: Language = "fr"
Area = Literal["education", "training", "employment", "entrepreneurship", "mobility"]
AREAS: tuple[Area, ...] = get_args(Area)
# Topic files also cover the centre itself (practical information), which is no counsellor's area.
CENTRE = "centre"
ContentArea = Literal[Area, "centre"]
CONTENT_AREAS: tuple[str, ...] = (*AREAS, CENTRE)
# The intent of a question about each area ("ask_training").
AREA_INTENTS = tuple(f"ask_{area}" for area in AREAS)
# The intent of a tap on one of two sheets offered ("/choose_topic{"topic": "…"}").
CHOOSE_TOPIC_INTENT = "choose_topic"
# The key of a bot message's metadata naming the form slot whose question it asks: the questionnaire's
# validation asks the next question itself, and the Rasa server then does not call the slot's ask action.
ASKS_FOR = "asks_for"
# The key of a bot message's metadata holding a part of the career plan as data (actions/orientation/plan.py
# `cards`), which the widget and the kiosk show as a card; other clients show the message's text.
PLAN_CARD = "plan"
