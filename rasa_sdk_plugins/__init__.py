"""Passerelle's hooks into the action server (rasa-sdk looks for a package of this name).

In each action-server process, it starts the outbox's delivery loop, so that
tickets kept while the desk was down are delivered without waiting for the
next handoff, also after a restart. The action server loads no language model:
the scrubber it needs is the desk's (`actions.desk_client.scrubbed`).
"""

import asyncio

import pluggy
from sanic import Sanic

hookimpl = pluggy.HookimplMarker("rasa_sdk")


class OutboxDelivery:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        async def start(app: Sanic) -> None:
            from actions.handoff.outbox import get_outbox

            app.ctx.outbox_delivery = asyncio.get_running_loop().create_task(get_outbox().deliver_forever())

        app.register_listener(start, "after_server_start")


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(OutboxDelivery())
