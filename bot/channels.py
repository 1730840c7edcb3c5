"""Rasa's standard Socket.IO channel, open to the configured browser origins only.

Rasa creates its Socket.IO server with CORS handling switched off, so that the
CORS headers of the Rasa server (`--cors`, which `make run` sets from
`PASSERELLE_CORS_ORIGINS`) are not sent twice. That leaves WebSocket
connections, which browsers do not submit to CORS, open to any page. This
channel has Engine.IO refuse a connection whose `Origin` is not one of
`PASSERELLE_CORS_ORIGINS`, and still leaves the headers to the Rasa server.
The protocol and the URL (`/socket.io/`) are Rasa's, so any Rasa client works.
"""
from __future__ import annotations

import os
from typing import Any, Awaitable, Callable, List

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint


def allowed_origins() -> List[str]:
    return os.environ.get("PASSERELLE_CORS_ORIGINS", "http://127.0.0.1:8000 http://localhost:8000").split()


class OriginCheckedSocketIO(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        engine = self.sio.eio
        engine.cors_allowed_origins = allowed_origins()
        # Checked, but the headers stay the Rasa server's (see above).
        engine._cors_headers = lambda environ: []
        return blueprint
