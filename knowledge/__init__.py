"""The centre's content: practical information and the topic texts for retrieval."""
