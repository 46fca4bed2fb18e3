"""A file a citizen sent on Telegram, fetched back by its file id through the Bot API
(`getFile`, then the file route) — for the back-office to show a complaint's photo or
play its voice note. Plain HTTP: no framework is needed to read a file, and the token is
never written to a log or an error."""

from __future__ import annotations

import aiohttp

MAX_BYTES = 20 * 1024 * 1024  # the largest file the Bot API hands out


class FileUnavailable(Exception):
    """The file cannot be fetched now (unknown id, too large, Telegram unreachable)."""


async def download_telegram_file(
    session: aiohttp.ClientSession, api_base_url: str, token: str, file_id: str
) -> bytes:
    root = api_base_url.rstrip("/")
    try:
        async with session.get(f"{root}/bot{token}/getFile", params={"file_id": file_id}) as answer:
            found = await answer.json(content_type=None)
        path = found.get("result", {}).get("file_path") if found.get("ok") else None
        if not path:
            raise FileUnavailable(f"getFile refused the file ({answer.status})")
        async with session.get(f"{root}/file/bot{token}/{path}") as response:
            if response.status != 200:
                raise FileUnavailable(f"the file route answered {response.status}")
            if (response.content_length or 0) > MAX_BYTES:
                raise FileUnavailable("the file is larger than 20 MB")
            data = await response.content.read(MAX_BYTES + 1)
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        raise FileUnavailable(type(error).__name__) from None
    if len(data) > MAX_BYTES:
        raise FileUnavailable("the file is larger than 20 MB")
    return data
