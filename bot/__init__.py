"""Dialogue: domain, rules and stories per skill, and the Rasa-side plug-ins."""
