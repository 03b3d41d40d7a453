"""``goen analyze``: the facts of one message as JSON, to check extraction on its own.

    goen analyze "資料は明日お送りします" --direction out --sent-at 2026-11-18T10:00:00+09:00
    goen analyze - --direction in < message.txt

companion/cli.py wires it with ``add_analyze_command(subparsers)``.
"""

from __future__ import annotations

import argparse
import json
import sys

from companion.errors import ApiError
from companion.model import to_dict


def add_analyze_command(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "analyze", help="print the facts (promises, questions, events, interests) of one message")
    parser.add_argument("text", help='the message; "-" reads it from standard input')
    parser.add_argument("--direction", required=True, choices=("in", "out"),
                        help="in: they wrote it; out: you wrote it")
    parser.add_argument("--sent-at", dest="sent_at", metavar="ISO8601",
                        help="when it was sent, with a UTC offset (default: now, here)")
    parser.add_argument("--lang", choices=("ja", "en"),
                        help="the rules to read it with (default: from the script)")
    parser.set_defaults(func=analyze_command)
    return parser


def analyze_command(args: argparse.Namespace) -> int:
    from companion.services.followup.facts import analyze_message
    from companion.services.followup.request import parse_analyze_request

    text = sys.stdin.read() if args.text == "-" else args.text
    try:
        request = parse_analyze_request({"text": text, "direction": args.direction,
                                         "sent_at": args.sent_at, "lang": args.lang})
    except ApiError as exc:
        print(f"goen: {exc.message}", file=sys.stderr)
        return 1
    facts = analyze_message(request.text, request.direction, request.sent_at, request.lang)
    print(json.dumps({"facts": [to_dict(f) for f in facts]}, ensure_ascii=False, indent=2))
    return 0
