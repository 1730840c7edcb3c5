"""Custom actions for the Rasa SDK action server (`python -m rasa_sdk --actions actions`)."""

from common.logs import keep_queries_out_of

# httpx logs each request with its URL at INFO, and a search's URL holds the visitor's question.
keep_queries_out_of("httpx")
