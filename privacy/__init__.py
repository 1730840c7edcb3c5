"""Personal-data scrubbing: nothing a visitor types is stored or shown with a name, e-mail, phone number,
national register number, IBAN or street address in it.

`privacy.identifiers` finds the structured identifiers with the standard library only (the Rasa server's
environment has no spaCy); `privacy.scrubber` adds names and replaces everything with placeholders.
"""
