"""The words shared across the assistant: its languages and the five areas the counsellors cover.

Standard library only: both Python environments (the Rasa server's NLU components and the
services) read it. Modules still holding their own copy move here as they are touched.
"""
from __future__ import annotations

LANGUAGES = ("fr", "nl")
AREAS = ("education", "training", "employment", "entrepreneurship", "mobility")
# The intent of a question about each area ("ask_training").
AREA_INTENTS = tuple(f"ask_{area}" for area in AREAS)
# The intent of a tap on one of two sheets offered ("/choose_topic{"topic": "…"}").
CHOOSE_TOPIC_INTENT = "choose_topic"
