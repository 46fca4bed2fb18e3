"""Decoding of Bot API parameters sent as query, JSON, urlencoded or multipart form."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from .errors import ApiError, bad_request
from .records import UploadedFile

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


class Params:
    """Typed access to one request's parameters, whatever their encoding."""

    def __init__(self, raw: Mapping[str, Any], content_type: str = "") -> None:
        """Wrap the raw values (strings for forms, JSON values for JSON bodies)."""
        self.raw: dict[str, Any] = dict(raw)
        self.content_type = content_type

    def has(self, name: str) -> bool:
        """Whether the parameter was sent with a non-empty value."""
        return self.raw.get(name) not in (None, "")

    def get_str(self, name: str, default: str | None = None) -> str | None:
        """Return a string parameter, or `default` when absent."""
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, UploadedFile):
            raise bad_request(f"invalid {name} specified")
        return value if isinstance(value, str) else json.dumps(value)

    def get_int(self, name: str, default: int | None = None) -> int | None:
        """Return an integer parameter; a non-integer answers 400."""
        value = self.raw.get(name)
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def get_float(self, name: str) -> float | None:
        """Return a float parameter; a non-number answers 400."""
        value = self.raw.get(name)
        if value in (None, ""):
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def get_bool(self, name: str, default: bool = False) -> bool:
        """Return a boolean parameter (`true`/`false` in forms)."""
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise bad_request(f"invalid {name} specified")

    def get_json(self, name: str, error: str | None = None) -> Any:
        """Return an object or array parameter, JSON-decoding it when it came as a string."""
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(error or f"can't parse {name} JSON object") from None

    def get_file(self, name: str) -> str | UploadedFile | None:
        """Return a file parameter: a file_id/URL string or an upload (`attach://` resolved)."""
        value = self.raw.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            attached = self.raw.get(value.removeprefix("attach://"))
            if not isinstance(attached, UploadedFile):
                raise bad_request("wrong file identifier/HTTP URL specified")
            return attached
        if value in (None, ""):
            return None
        if isinstance(value, UploadedFile | str):
            return value
        raise bad_request("wrong file identifier/HTTP URL specified")

    def printable(self) -> dict[str, Any]:
        """Return the parameters with uploads replaced by a short description."""
        return {
            k: f"<upload {v.filename or v.field}: {len(v.data)} bytes>"
            if isinstance(v, UploadedFile)
            else v
            for k, v in self.raw.items()
        }


async def read_request(request: web.Request) -> Params:
    """Merge query-string and body parameters of a Bot API request."""
    raw: dict[str, Any] = dict(request.query)
    content_type = request.content_type
    if request.body_exists:
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON encoded request") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: can't parse JSON encoded request")
            raw.update(body)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    raw[key] = UploadedFile(
                        key, value.filename, value.content_type, value.file.read()
                    )
                elif isinstance(value, bytes | bytearray):
                    raw[key] = bytes(value).decode("utf-8", "replace")
                else:
                    raw[key] = value
    return Params(raw, content_type)


def params_from_json(data: Mapping[str, Any]) -> Params:
    """Wrap an already decoded JSON object (e.g. a method answered in a webhook response)."""
    return Params(data, "application/json")
