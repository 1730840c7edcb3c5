"""Custom Rasa NLU components (run in the Rasa server's Python 3.10 environment)."""
