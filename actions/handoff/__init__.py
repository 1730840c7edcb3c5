"""Handoff to a walk-in counsellor: the ticket built from the conversation, its outbox, the action."""
