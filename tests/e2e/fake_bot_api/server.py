"""The aiohttp server exposing fake bots at `<root>/bot<token>/<method>`."""

from __future__ import annotations

import re
import socket
from collections.abc import Sequence
from types import TracebackType

from aiohttp import web

from .bot import FakeBot
from .errors import ApiError
from .limits import RateLimits
from .params import read_request
from .records import Call
from .state import BotConfig

DEFAULT_TOKEN = "123456789:TEST-tachawor-token"
_TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]+")


class FakeBotApi(FakeBot):
    """A fake Telegram Bot API on 127.0.0.1; it is itself the first token's bot."""

    def __init__(
        self,
        token: str | Sequence[str] = DEFAULT_TOKEN,
        *,
        username: str = "tachawor_test_bot",
        enforce_rates: bool = False,
        rate_limits: RateLimits | None = None,
        webhook_retry_delay: float = 0.05,
        webhook_max_attempts: int = 5,
        webhook_timeout: float = 10.0,
        callback_query_ttl: float | None = None,
        first_update_id: int = 10_001,
    ) -> None:
        """Configure the server; the first token's bot is `self`, others via `bot(token)`."""
        tokens = [token] if isinstance(token, str) else list(token)
        config = BotConfig(
            enforce_rates=enforce_rates,
            rate_limits=rate_limits or RateLimits(),
            webhook_retry_delay=webhook_retry_delay,
            webhook_max_attempts=webhook_max_attempts,
            webhook_timeout=webhook_timeout,
            first_update_id=first_update_id,
            callback_query_ttl=callback_query_ttl,
        )
        super().__init__(tokens[0], config, username)
        self._bots: dict[str, FakeBot] = {tokens[0]: self}
        for number, other in enumerate(tokens[1:], start=2):
            self._bots[other] = FakeBot(other, config, f"{username}{number}")
        self._runner: web.AppRunner | None = None
        self._root: str | None = None

    def bot(self, token: str) -> FakeBot:
        """Return the fake bot of another token."""
        return self._bots[token]

    @property
    def root_url(self) -> str:
        """`http://127.0.0.1:<port>`, once started."""
        if self._root is None:
            raise RuntimeError("FakeBotApi is not started")
        return self._root

    @property
    def base_url(self) -> str:
        """PTB's `base_url` (`<root>/bot`)."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB's `base_file_url` (`<root>/file/bot`)."""
        return f"{self.root_url}/file/bot"

    # --- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and serve."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self._root = f"http://127.0.0.1:{sock.getsockname()[1]}"

    async def stop(self) -> None:
        """Release long polls, stop webhook senders and close the server."""
        for bot in self._bots.values():
            await bot.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        await self.stop()

    # --- HTTP ----------------------------------------------------------------------------
    @staticmethod
    def _token_error(token: str) -> web.Response:
        """Answer an unknown token as Telegram does (401 if well-formed, else 404)."""
        error = (
            ApiError(401, "Unauthorized")
            if _TOKEN_SHAPE.fullmatch(token)
            else ApiError(404, "Not Found")
        )
        return web.json_response(error.body(), status=error.error_code)

    async def _handle_method(self, request: web.Request) -> web.Response:
        """Route `/bot<token>/<method>` to the token's bot."""
        token = request.match_info["token"]
        bot = self._bots.get(token)
        if bot is None:
            return self._token_error(token)
        method = request.match_info["method"]
        try:
            params = await read_request(request)
        except ApiError as error:
            bot.calls.append(
                Call(
                    method, {}, error.error_code, error.body(), request.method, request.content_type
                )
            )
            return web.json_response(error.body(), status=error.error_code)
        status, body = await bot.dispatch(method, params, http_method=request.method)
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        """Serve the bytes of a file resolved with getFile."""
        bot = self._bots.get(request.match_info["token"])
        if bot is None:
            return self._token_error(request.match_info["token"])
        data = bot.file_by_path(request.match_info["path"])
        if data is None:
            error = ApiError(404, "Not Found")
            return web.json_response(error.body(), status=404)
        return web.Response(body=data, content_type="application/octet-stream")
