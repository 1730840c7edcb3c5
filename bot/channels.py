"""Rasa's standard Socket.IO channel, with the configured browser origins only, and two repairs.

Origins: Rasa creates its Socket.IO server with CORS handling switched off, so
that the CORS headers of the Rasa server (`--cors`, which `make run` sets from
`PASSERELLE_CORS_ORIGINS`) are not sent twice. That leaves WebSocket
connections, which browsers do not submit to CORS, open to any page. This
channel has Engine.IO refuse a connection whose `Origin` is not one of
`PASSERELLE_CORS_ORIGINS`, and still leaves the headers to the Rasa server.

Repairs, for the python-socketio 5 that Rasa 3.6.21 installs:
- Rasa joins the visitor's session room without awaiting `enter_room`, which is
  a coroutine there: the socket never joins, and no reply reaches the browser.
- Rasa emits a custom message's keys as keyword arguments of `emit`, which
  fails; it is sent as `{"custom": …}`, the shape of the REST channel.

The events, their data and the URL (`/socket.io/`) stay Rasa's, so any Rasa
client works.
"""
from __future__ import annotations

import json
import logging
import os
import uuid
from functools import partial
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

log = logging.getLogger(__name__)
NewMessage = Callable[[UserMessage], Awaitable[Any]]


def allowed_origins() -> List[str]:
    return os.environ.get("PASSERELLE_CORS_ORIGINS", "http://127.0.0.1:8000 http://localhost:8000").split()


class RoomOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class OriginCheckedSocketIO(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> Optional[OutputChannel]:
        return RoomOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: NewMessage) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        engine = self.sio.eio
        engine.cors_allowed_origins = allowed_origins()
        # Checked, but the headers stay the Rasa server's (see above).
        engine._cors_headers = lambda environ: []
        # In place of Rasa's handlers of the same events (see above).
        self.sio.on("session_request", self.join_session, namespace=self.namespace)
        self.sio.on(self.user_message_evt, partial(self.receive, on_new_message), namespace=self.namespace)
        return blueprint

    async def join_session(self, sid: str, data: Optional[Dict[str, Any]]) -> None:
        session_id = (data or {}).get("session_id") or uuid.uuid4().hex
        if self.session_persistence:
            await self.sio.enter_room(sid, session_id)
        await self.sio.emit("session_confirm", session_id, room=sid)

    async def receive(self, on_new_message: NewMessage, sid: str, data: Dict[str, Any]) -> None:
        sender = data.get("session_id") if self.session_persistence else sid
        if not sender:
            log.warning("Socket.IO message without a session_id (send session_request first): ignored")
            return
        metadata = data.get(self.metadata_key) or {}
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        await on_new_message(UserMessage(data.get("message", ""), RoomOutput(self.sio, self.bot_message_evt),
                                         sender, input_channel=self.name(), metadata=metadata))
