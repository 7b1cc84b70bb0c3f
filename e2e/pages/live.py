"""The page's live connection (Socket.IO over a WebSocket), routed through Playwright so a test can drop it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, WebSocketRoute


class LiveSocket:
    """Install before the page opens; `drop()` closes the connection and refuses reconnections until `restore()`."""

    def __init__(self, page: Page) -> None:
        self.offline = False
        self.servers: list[WebSocketRoute] = []
        page.route_web_socket(re.compile(r".*/socket\.io/.*"), self._route)

    def _route(self, ws: WebSocketRoute) -> None:
        # Closing the server side is what the page sees as a dropped connection.
        server = ws.connect_to_server()
        self.servers.append(server)
        if self.offline:
            server.close()

    def drop(self) -> None:
        self.offline = True
        self.servers[-1].close()

    def restore(self) -> None:
        self.offline = False
