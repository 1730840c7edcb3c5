"""A FastAPI app with nothing in it: the memory baseline for the search service."""

from fastapi import FastAPI

app = FastAPI()
