"""The aiohttp server: Graph's `/{version}/{phone_number_id}/messages`, media and downloads."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from .errors import GraphError, invalid_parameter, invalid_token, missing, unknown_object
from .limits import InjectedFailure, RateTracker, ThroughputLimits
from .messaging import ConnectionDropped, Messaging
from .records import Call, Template
from .state import (
    DAY,
    DEFAULT_ACCESS_TOKEN,
    DEFAULT_DISPLAY_PHONE_NUMBER,
    DEFAULT_PHONE_NUMBER_ID,
    DEFAULT_WABA_ID,
    Clock,
    CloudConfig,
)
from .webhooks import Webhooks

log = logging.getLogger(__name__)

DEFAULT_API_VERSION = "v21.0"
_VERSION = re.compile(r"v\d+\.\d+")
_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


class WaitTimeout(AssertionError):
    """Raised when an awaited message or delivery does not arrive in time."""


class FakeCloudApi(Messaging, Webhooks):
    """A fake WhatsApp Cloud API (one business phone number) on 127.0.0.1."""

    def __init__(
        self,
        *,
        access_token: str = DEFAULT_ACCESS_TOKEN,
        phone_number_id: str = DEFAULT_PHONE_NUMBER_ID,
        display_phone_number: str = DEFAULT_DISPLAY_PHONE_NUMBER,
        waba_id: str = DEFAULT_WABA_ID,
        api_version: str = DEFAULT_API_VERSION,
        clock: Clock | None = None,
        enforce_rates: bool = False,
        limits: ThroughputLimits | None = None,
        window_seconds: float = DAY,
        webhook_retry_delay: float = 0.05,
        webhook_max_attempts: int = 5,
        webhook_timeout: float = 10.0,
        status_delay: float = 0.02,
        auto_statuses: bool = True,
        media_url_ttl: float = 300.0,
        escape_slashes: bool = True,
        templates: Iterable[Template] = (),
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Configure the fake; `start()` (or `async with`) binds `host:port` (0: a free port)."""
        config = CloudConfig(
            access_token=access_token,
            phone_number_id=phone_number_id,
            display_phone_number=display_phone_number,
            waba_id=waba_id,
            enforce_rates=enforce_rates,
            limits=limits or ThroughputLimits(),
            window_seconds=window_seconds,
            webhook_retry_delay=webhook_retry_delay,
            webhook_max_attempts=webhook_max_attempts,
            webhook_timeout=webhook_timeout,
            status_delay=status_delay,
            auto_statuses=auto_statuses,
            media_url_ttl=media_url_ttl,
            escape_slashes=escape_slashes,
        )
        super().__init__(config, clock)
        self._init_messaging()
        self._init_webhooks()
        self.api_version = api_version
        for template in templates:
            self.templates[(template.name, template.language)] = template
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._root: str | None = None

    # --- configuration ------------------------------------------------------------------
    @property
    def access_token(self) -> str:
        """The only bearer token accepted."""
        return self.config.access_token

    @property
    def phone_number_id(self) -> str:
        """The business phone number's id (the path of sends)."""
        return self.config.phone_number_id

    @property
    def display_phone_number(self) -> str:
        """The business number, digits (`metadata.display_phone_number`, `context.from`)."""
        return self.config.display_phone_number

    @property
    def enforce_rates(self) -> bool:
        """Whether throughput violations are refused (otherwise only recorded)."""
        return self.config.enforce_rates

    @enforce_rates.setter
    def enforce_rates(self, value: bool) -> None:
        """Switch throughput enforcement on or off."""
        self.config.enforce_rates = value

    @property
    def limits(self) -> ThroughputLimits:
        """The throughput limits."""
        return self.config.limits

    @limits.setter
    def limits(self, limits: ThroughputLimits) -> None:
        """Replace the limits (and forget the sends counted so far)."""
        self.config.limits = limits
        self.rates = RateTracker(limits)

    def add_template(
        self,
        name: str,
        language: str = "fr",
        *,
        body_params: int | None = None,
        body: str | None = None,
        header_params: int = 0,
        category: str = "UTILITY",
    ) -> Template:
        """Approve a template: its body (`{{1}}`… counted) or just its parameter count."""
        counted = len(set(_PLACEHOLDER.findall(body))) if body is not None else 0
        if body is not None and body_params is not None and body_params != counted:
            raise ValueError(f"the body has {counted} placeholders, not {body_params}")
        params = counted if body is not None else (body_params or 0)
        template = Template(name, language, params, header_params, body, category)
        self.templates[(name, language)] = template
        return template

    # --- failure injection --------------------------------------------------------------
    def fail_next(
        self,
        code: int = 131000,
        *,
        times: int = 1,
        http_status: int | None = None,
        message: str | None = None,
    ) -> None:
        """Answer the next `times` sends with a Graph error (`http_status` defaults to 500 for
        131000, 1 and 2, 503 for 131016, else 400)."""
        self.failures.add(InjectedFailure("error", code, http_status, message), times)

    def drop_next(self, times: int = 1, *, after_accept: bool = False) -> None:
        """Close the connection of the next `times` sends without an answer; `after_accept`:
        the message is sent (the citizen gets it) but the answer with its wamid is lost."""
        self.failures.add(InjectedFailure("drop_after" if after_accept else "drop", 0), times)

    def fail_next_async(self, code: int = 131026, *, times: int = 1) -> None:
        """Accept the next `times` sends (200, a wamid), then report them `failed` with `code`."""
        self.failures.add(InjectedFailure("async", code), times)

    # --- URLs -----------------------------------------------------------------------------
    @property
    def root_url(self) -> str:  # type: ignore[override]
        """`http://127.0.0.1:<port>`, once started (the adapter's Graph base URL)."""
        if self._root is None:
            raise RuntimeError("FakeCloudApi is not started")
        return self._root

    @property
    def graph_url(self) -> str:
        """`<root>/<api_version>`."""
        return f"{self.root_url}/{self.api_version}"

    @property
    def messages_url(self) -> str:
        """`<root>/<api_version>/<phone_number_id>/messages`."""
        return f"{self.graph_url}/{self.phone_number_id}/messages"

    # --- lifecycle ------------------------------------------------------------------------
    async def start(self) -> None:
        """Bind the port and serve."""
        app = web.Application(client_max_size=128 * 1024 * 1024)
        app.router.add_post("/{version}/{number}/messages", self._handle_messages)
        app.router.add_post("/{version}/{number}/media", self._handle_upload)
        app.router.add_get("/media-download/{media_id}", self._handle_download)
        app.router.add_get("/{version}/{media_id}", self._handle_media_info)
        app.router.add_delete("/{version}/{media_id}", self._handle_media_delete)
        app.router.add_route("*", "/{path:.*}", self._handle_unknown)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._port))
        await web.SockSite(self._runner, sock).start()
        self._root = f"http://{self._host}:{sock.getsockname()[1]}"

    async def stop(self) -> None:
        """Stop the webhook sender, drop pending statuses and close the server."""
        self._closing = True
        self._notify()
        self._cancel_timers()
        await self._stop_sender()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeCloudApi:
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

    # --- HTTP -----------------------------------------------------------------------------
    def _record(
        self, request: web.Request, endpoint: str, payload: Any, status: int, body: Any
    ) -> None:
        """Keep the call for assertions."""
        recorded = payload if isinstance(payload, dict) else {"_raw": payload}
        self.calls.append(
            Call(request.method, request.path, endpoint, recorded, status, body, time.time())
        )

    def _authorise(self, request: web.Request) -> None:
        """The bearer token (or Graph's `access_token` query parameter), else 401 code 190."""
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else None
        token = token or request.query.get("access_token")
        if token != self.config.access_token:
            raise invalid_token()

    def _check_version(self, request: web.Request) -> None:
        """`/v21.0/…`: a Graph version is part of every path."""
        version = request.match_info.get("version", "")
        if not _VERSION.fullmatch(version):
            raise GraphError(2500, f"Unknown path components: {request.path}")

    def _check_number(self, request: web.Request) -> None:
        """The path's phone number id must be the business's."""
        number = request.match_info["number"]
        if number != self.config.phone_number_id:
            raise unknown_object(number)

    async def _answer(
        self,
        request: web.Request,
        endpoint: str,
        handler: Callable[[], Any],
        payload: Callable[[], Any],
    ) -> web.StreamResponse:
        """Run a handler, turning errors into Graph answers and recording the call with the
        payload as parsed (`payload()` is read after the handler ran)."""
        try:
            body = handler()
            status = 200
        except GraphError as error:
            status, body = error.http_status, error.body()
        except ConnectionDropped:
            self._record(request, endpoint, payload(), 0, None)
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError from None
        except Exception as error:  # a bug of the fake: answer 500 and keep it for the test
            log.exception("fake Cloud API failed on %s", request.path)
            self.internal_errors.append(error)
            status = 500
            body = GraphError(1, f"fake failed: {error!r}", http_status=500).body()
        self._record(request, endpoint, payload(), status, body)
        return web.json_response(body, status=status)

    def _prelude(self, request: web.Request, *, number: bool) -> None:
        """Version, token and (for sends and uploads) the phone number id."""
        self._check_version(request)
        self._authorise(request)
        if number:
            self._check_number(request)

    async def _handle_messages(self, request: web.Request) -> web.StreamResponse:
        """`POST /{version}/{phone_number_id}/messages`."""
        raw = await request.read()
        parsed: list[Any] = []

        def handle() -> dict[str, Any]:
            self._prelude(request, number=True)
            if request.content_type != "application/json":
                raise invalid_parameter(
                    "body", f"must be application/json, not {request.content_type}"
                )
            try:
                parsed.append(json.loads(raw))
            except ValueError:
                raise invalid_parameter("body", "is not valid JSON") from None
            return self.send(parsed[0])

        return await self._answer(
            request,
            "messages",
            handle,
            lambda: parsed[0] if parsed else raw.decode("utf-8", "replace"),
        )

    async def _handle_upload(self, request: web.Request) -> web.StreamResponse:
        """`POST /{version}/{phone_number_id}/media` (multipart: messaging_product, file)."""
        fields: dict[str, Any] = {}
        data = b""
        mime = ""
        filename: str | None = None
        try:
            self._prelude(request, number=True)
            if not request.content_type.startswith("multipart/"):
                raise invalid_parameter("body", "an upload is multipart/form-data")
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, aiohttp.BodyPartReader) or not part.name:
                    continue
                if part.name == "file":
                    data = bytes(await part.read())
                    mime = part.headers.get("Content-Type", "")
                    filename = part.filename
                    fields["file"] = {"filename": filename, "content_type": mime, "size": len(data)}
                else:
                    fields[part.name] = await part.text()
        except GraphError as error:
            self._record(request, "media", fields, error.http_status, error.body())
            return web.json_response(error.body(), status=error.http_status)

        def handle() -> dict[str, Any]:
            if fields.get("messaging_product") != "whatsapp":
                raise invalid_parameter("messaging_product", "must be 'whatsapp'")
            if "file" not in fields:
                raise missing("file")
            declared = fields.get("type") or mime
            stored = self.upload(data, declared or mime, filename)
            return {"id": stored.media_id}

        return await self._answer(request, "media", handle, lambda: fields)

    async def _handle_media_info(self, request: web.Request) -> web.StreamResponse:
        """`GET /{version}/{media_id}`: the media's URL, type, hash and size."""
        media_id = request.match_info["media_id"]

        def handle() -> dict[str, Any]:
            self._prelude(request, number=False)
            stored = self.media.get(media_id)
            if stored is None:
                raise unknown_object(media_id, "get")
            return stored.info(self.media_url(media_id))

        return await self._answer(request, "media_info", handle, lambda: {"media_id": media_id})

    async def _handle_media_delete(self, request: web.Request) -> web.StreamResponse:
        """`DELETE /{version}/{media_id}`."""
        media_id = request.match_info["media_id"]

        def handle() -> dict[str, Any]:
            self._prelude(request, number=False)
            if self.media.pop(media_id, None) is None:
                raise unknown_object(media_id, "delete")
            return {"success": True}

        return await self._answer(request, "media_delete", handle, lambda: {"media_id": media_id})

    async def _handle_download(self, request: web.Request) -> web.StreamResponse:
        """`GET /media-download/{media_id}?expires=…`: the bytes, with the bearer token."""
        media_id = request.match_info["media_id"]
        try:
            self._authorise(request)
        except GraphError as error:
            self._record(request, "media_download", {"media_id": media_id}, 401, error.body())
            return web.json_response(error.body(), status=401)
        stored = self.media.get(media_id)
        expires = request.query.get("expires", "")
        if stored is None or not expires.isdigit() or int(expires) < self.now():
            self._record(request, "media_download", {"media_id": media_id}, 404, None)
            return web.Response(status=404, text="URL signature expired or unknown media")
        self._record(request, "media_download", {"media_id": media_id}, 200, None)
        return web.Response(body=stored.data, headers={"Content-Type": stored.mime_type})

    async def _handle_unknown(self, request: web.Request) -> web.StreamResponse:
        """Anything else: Graph's `Unknown path components` (or a wrong version)."""
        error = GraphError(2500, f"Unknown path components: {request.path}")
        self._record(request, "unknown", {}, 400, error.body())
        return web.json_response(error.body(), status=400)

    # --- assertions -------------------------------------------------------------------------
    @property
    def send_calls(self) -> list[Call]:
        """Calls of `/messages` (sends and read receipts), in order."""
        return [c for c in self.calls if c.endpoint == "messages"]

    def calls_to(self, endpoint: str) -> list[Call]:
        """Calls of one endpoint: `messages`, `media`, `media_info`, `media_download`, …"""
        return [c for c in self.calls if c.endpoint == endpoint]

    def event(self, key: int | str) -> Any:
        """The first webhook event with this id, or carrying this wamid."""
        for event in self.events:
            if event.event_id == key or (isinstance(key, str) and key in event.ids):
                return event
        raise KeyError(key)

    async def wait_for(
        self, predicate: Callable[[], bool], timeout: float = 5.0, what: str = "a condition"
    ) -> None:
        """Poll `predicate` until it holds."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise WaitTimeout(f"{what} not met within {timeout}s")
            await asyncio.sleep(0.01)

    async def wait_for_messages(self, wa_id: str, count: int, timeout: float = 5.0) -> list[Any]:
        """Wait until `count` messages were accepted for a citizen; return them all."""
        try:
            await self.wait_for(lambda: len(self.messages_to(wa_id)) >= count, timeout)
        except WaitTimeout:
            raise WaitTimeout(self._describe_wait(wa_id, count, timeout)) from None
        return self.messages_to(wa_id)

    def _describe_wait(self, wa_id: str, count: int, timeout: float) -> str:
        """Explain what arrived when a wait timed out."""
        refused = [
            f"  {c.status} {c.error_code}: {(c.response or {}).get('error', {}).get('message')}"
            for c in self.send_calls
            if not c.ok and c.payload.get("to") == wa_id
        ]
        lines = [
            f"expected {count} message(s) to {wa_id} within {timeout}s, "
            f"got {len(self.messages_to(wa_id))}.",
            "transcript:",
            *(f"  {line}" for line in self.transcript(wa_id) or ["(empty)"]),
            "refused sends:",
            *(refused or ["  (none)"]),
        ]
        if self.internal_errors:
            lines.append(f"fake errors: {self.internal_errors!r}")
        return "\n".join(lines)

    async def wait_for_deliveries(self, count: int, timeout: float = 5.0) -> None:
        """Wait until `count` webhook delivery attempts were made."""
        try:
            await self.wait_for(lambda: len(self.deliveries) >= count, timeout)
        except WaitTimeout:
            raise WaitTimeout(
                f"expected {count} webhook deliveries within {timeout}s, got "
                f"{len(self.deliveries)}: {self.deliveries!r}"
            ) from None

    async def wait_for_status(self, wamid: str, status: str, timeout: float = 5.0) -> None:
        """Wait until a business message's status webhook `status` was queued."""
        await self.wait_for(
            lambda: status in self.message(wamid).statuses,
            timeout,
            f"status {status!r} of {wamid}",
        )

    async def wait_until_delivered(self, timeout: float = 5.0) -> None:
        """Wait until no status is still to be queued and every event was delivered."""
        await self.wait_for(
            lambda: not self._pending and self._outstanding == 0,
            timeout,
            "all webhook events delivered",
        )
