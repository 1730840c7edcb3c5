"""Passerelle's hooks into the action server (rasa-sdk looks for a package of this name).

In each action-server process, it starts the outbox's delivery loop, so that
tickets kept while the desk was down are delivered without waiting for the
next handoff, also after a restart; and it loads the personal-data scrubber
(a few seconds) before the first visitor needs it.
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
            from privacy.scrubber import get_scrubber

            app.ctx.outbox_delivery = asyncio.get_running_loop().create_task(get_outbox().deliver_forever())
            app.ctx.scrubber_loading = asyncio.get_running_loop().run_in_executor(None, get_scrubber)

        app.register_listener(start, "after_server_start")


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(OutboxDelivery())
