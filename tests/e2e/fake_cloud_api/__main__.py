"""Try the fake by hand: `python -m tests.e2e.fake_cloud_api --port 9090 --webhook URL
--app-secret S --verify-token T`, then type `<wa_id> text Salam` and read what comes back."""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys

from .records import SentMessage
from .server import DEFAULT_API_VERSION, FakeCloudApi
from .state import DEFAULT_ACCESS_TOKEN, DEFAULT_PHONE_NUMBER_ID

HELP = """commands (a wa_id is digits, e.g. 212600000001):
  <wa_id> text <words…>          the citizen writes (also: <wa_id> <words…>)
  <wa_id> button <title>         taps a reply button the business sent
  <wa_id> list <title>           picks a row of a list the business sent
  <wa_id> location <lat> <lon> [name]
  <wa_id> image [caption] | voice | document [filename] | sticker | unsupported
  <wa_id> read | block | unblock
  template <name> <language> <body parameters>   approve a template
  advance <hours>                move the clock (the 24-hour window)
  status                         webhook deliveries so far
  help | quit"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.fake_cloud_api", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9090)
    parser.add_argument("--webhook", help="URL the fake POSTs events to")
    parser.add_argument("--app-secret", default="", help="signs X-Hub-Signature-256")
    parser.add_argument("--verify-token", help="do the GET handshake first with this token")
    parser.add_argument("--access-token", default=DEFAULT_ACCESS_TOKEN)
    parser.add_argument("--phone-number-id", default=DEFAULT_PHONE_NUMBER_ID)
    parser.add_argument("--api-version", default=DEFAULT_API_VERSION)
    parser.add_argument("--enforce-rates", action="store_true")
    args = parser.parse_args(argv)
    if args.webhook and not args.app_secret:
        parser.error("--webhook needs --app-secret")
    return args


def show(event: str, sent: SentMessage) -> None:
    """Print what the business sends, and what fails."""
    if event == "accepted":
        print(f"→ {sent.to}: {sent.text or sent.type}", flush=True)
        for label in sent.button_titles:
            print(f"    [{label}]", flush=True)
        for _, title, description in sent.rows:
            print(f"    ☰ {title}" + (f" — {description}" if description else ""), flush=True)
    elif event == "failed":
        print(f"✗ {sent.to}: {sent.wamid} failed with {sent.error_code}", flush=True)


def run_command(fake: FakeCloudApi, line: str) -> bool:
    """Carry out one line; False to quit."""
    words = shlex.split(line) if line.count('"') % 2 == 0 else line.split()
    if not words:
        return True
    head, rest = words[0], words[1:]
    if head in ("quit", "exit"):
        return False
    if head == "help":
        print(HELP)
    elif head == "advance":
        fake.advance_clock(float(rest[0]) * 3600)
        print(f"clock moved {rest[0]} h forward")
    elif head == "template":
        fake.add_template(rest[0], rest[1], body_params=int(rest[2]) if len(rest) > 2 else 0)
        print(f"template {rest[0]}/{rest[1]} approved")
    elif head == "status":
        for attempt in fake.deliveries[-10:]:
            outcome = attempt.status or attempt.error
            print(f"  event {attempt.event_id} try {attempt.attempt}: {outcome}")
    elif head.isdigit():
        user_command(fake, head, rest)
    else:
        print("unknown command; type help")
    return True


def user_command(fake: FakeCloudApi, wa_id: str, words: list[str]) -> None:
    """What a citizen does."""
    verb, rest = (words[0], words[1:]) if words else ("text", [])
    text = " ".join(rest)
    if verb == "text":
        fake.user_sends_text(wa_id, text)
    elif verb == "button":
        fake.user_presses_button(wa_id, text)
    elif verb == "list":
        fake.user_picks_from_list(wa_id, text)
    elif verb == "location":
        name = " ".join(rest[2:]) or None
        fake.user_sends_location(wa_id, float(rest[0]), float(rest[1]), name=name)
    elif verb == "image":
        fake.user_sends_image(wa_id, caption=text or None)
    elif verb == "voice":
        fake.user_sends_voice(wa_id)
    elif verb == "document":
        fake.user_sends_document(wa_id, filename=text or "document.pdf")
    elif verb == "sticker":
        fake.user_sends_sticker(wa_id)
    elif verb == "unsupported":
        fake.user_sends_unsupported(wa_id)
    elif verb == "read":
        print(f"read {len(fake.user_reads(wa_id))} message(s)")
    elif verb == "block":
        fake.user_blocks(wa_id)
    elif verb == "unblock":
        fake.user_unblocks(wa_id)
    else:
        fake.user_sends_text(wa_id, " ".join(words))


async def main(argv: list[str] | None = None) -> int:
    """Serve until stdin closes or `quit`."""
    args = parse_args(argv)
    fake = FakeCloudApi(
        access_token=args.access_token,
        phone_number_id=args.phone_number_id,
        api_version=args.api_version,
        enforce_rates=args.enforce_rates,
        host=args.host,
        port=args.port,
    )
    async with fake:
        print(f"Fake WhatsApp Cloud API on {fake.root_url}", flush=True)
        print(f"  send to  {fake.messages_url}", flush=True)
        print(f"  token    {fake.access_token}", flush=True)
        fake.listeners.append(show)
        if args.webhook:
            if args.verify_token:
                ok = await fake.verify_webhook(args.webhook, args.verify_token)
                print(f"  handshake with {args.webhook}: {'ok' if ok else 'FAILED'}", flush=True)
            fake.set_webhook(args.webhook, args.app_secret)
            print(f"  webhook  {args.webhook}", flush=True)
        else:
            print("  no --webhook: citizens' messages and statuses queue up", flush=True)
        print("type help for the commands", flush=True)
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            try:
                if not run_command(fake, line.strip()):
                    break
            except (ValueError, IndexError, KeyError) as error:
                print(f"error: {error}", flush=True)
        await asyncio.sleep(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
