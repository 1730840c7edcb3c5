"""The orientation questionnaire and the career plan built from its answers."""
