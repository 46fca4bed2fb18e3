"""`tachawor detect`: what the language detector makes of messages."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings


def add_detect_command(commands: argparse._SubParsersAction) -> None:
    detect_parser = commands.add_parser("detect", help=detect.__doc__)
    detect_parser.add_argument("text", nargs="*", help="texts (default: lines on stdin)")
    detect_parser.set_defaults(run=detect)


def detect(args: argparse.Namespace, settings: Settings) -> int:
    """Print the detected language code of each text (arguments, or lines on stdin)."""
    from handlers.languages import describe_detection

    texts = args.text or (line.rstrip("\n") for line in sys.stdin)
    for text in texts:
        print(describe_detection(text))
    return 0
