"""Small fakes of the framework's job context, for the paths of a call that need no session."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from payment_agent.webhooks import Delivery


class RecordingWebhooks:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def send(self, url: str, event: dict[str, Any]) -> Delivery:
        self.sent.append((url, event))
        return Delivery(True, 1, 200)


class FakeJobContext:
    def __init__(self, metadata: str, sip: Any = None) -> None:
        self.job = SimpleNamespace(metadata=metadata)
        self.room = SimpleNamespace(name="reminder-room")
        self.api = SimpleNamespace(sip=sip)
        self.connected = False
        self.deleted_room = False
        self.shutdown_reason: str | None = None
        self.shutdown_callbacks: list[Any] = []
        self.log_context_fields: dict[str, Any] = {}
        self.participants: dict[str, Any] = {}

    async def connect(self) -> None:
        self.connected = True

    def add_shutdown_callback(self, callback: Any) -> None:
        self.shutdown_callbacks.append(callback)

    def delete_room(self) -> asyncio.Future[None]:
        self.deleted_room = True
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        future.set_result(None)
        return future

    def shutdown(self, reason: str = "") -> None:
        self.shutdown_reason = reason

    async def wait_for_participant(self, *, identity: str) -> Any:
        while identity not in self.participants:
            await asyncio.sleep(0.01)
        return self.participants[identity]
