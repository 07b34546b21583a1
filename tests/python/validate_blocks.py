"""Validate Block Kit messages with python slack_sdk.

Reads JSON on stdin: {"<name>": [block, ...], ...}. Each block must parse
(Block.parse; an unknown type parses to None, which counts as invalid) and
pass validate_json(). Prints {"<name>": ["error", ...]} and exits 1 if any
message has an error.
"""
import json
import sys

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block


def check(blocks):
    errors = []
    if not isinstance(blocks, list) or not blocks:
        return ["blocks must be a non-empty list"]
    if len(blocks) > 50:
        errors.append("a message holds at most 50 blocks")
    for i, raw in enumerate(blocks):
        try:
            block = Block.parse(raw)
            if block is None:
                errors.append(f"block {i}: unknown type {raw.get('type')!r}")
                continue
            block.validate_json()
        except SlackObjectFormationError as e:
            errors.append(f"block {i}: {e}")
        except Exception as e:  # a malformed element is invalid too
            errors.append(f"block {i}: {type(e).__name__}: {e}")
    return errors


def main():
    messages = json.load(sys.stdin)
    report = {name: check(blocks) for name, blocks in messages.items()}
    print(json.dumps(report, indent=1))
    sys.exit(1 if any(report.values()) else 0)


if __name__ == "__main__":
    main()
