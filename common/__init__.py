"""Shared words and limits of Passerelle, standard library only: both Python environments import it."""
