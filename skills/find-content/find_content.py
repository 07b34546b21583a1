"""`find-content`: which items of the org's content library (tier-3
`content_library`) answer a request ("I'll send you our security pack and
the data processing agreement").

The request's words are cut to stems and read for what kind of thing they
ask for (security, legal, pricing, case study, ..., with the usual
synonyms: "security pack" ~ "security questionnaire" ~ "SOC 2", "case
study" ~ "customer story"); each item is scored on its kind, tags and title
against them, with its industry tags and audience as tie-breakers (a case
study "from a logistics customer"). For each thing asked the best item is
kept. An item that only shares an industry or an audience with the request
never counts: when nothing fits, `matched` is empty and `reason` says why,
rather than sending the nearest thing.

Pure logic: the host is handed in (`app.py` binds the real imports,
`tests/fake_host.py` a fake one), so pytest runs it without wasm.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from baton import HostError, SkillError
from stems import stems

# What a request can ask for, each with the phrases that ask for it.
CONCEPTS: list[tuple[str, list[str]]] = [
    (
        "security",
        [
            "security",
            "infosec",
            "soc 2",
            "soc2",
            "soc ii",
            "iso 27001",
            "27001",
            "pen test",
            "pentest",
            "penetration test",
            "security questionnaire",
            "vendor assessment",
            "trust center",
        ],
    ),
    (
        "legal",
        [
            "dpa",
            "data processing",
            "processing agreement",
            "gdpr",
            "privacy policy",
            "msa",
            "master services agreement",
            "contract",
            "legal",
            "terms and conditions",
        ],
    ),
    ("pricing", ["pricing", "price", "price list", "rate card", "cost breakdown", "quote"]),
    (
        "case_study",
        [
            "case study",
            "customer story",
            "success story",
            "reference customer",
            "testimonial",
            "customer example",
        ],
    ),
    (
        "product",
        [
            "overview",
            "brochure",
            "one pager",
            "datasheet",
            "data sheet",
            "product sheet",
            "slide deck",
        ],
    ),
    ("roi", ["roi", "business case", "return on investment"]),
    (
        "integration",
        [
            "integration",
            "api documentation",
            "api docs",
            "architecture",
            "technical documentation",
            "roadmap",
        ],
    ),
]

# Industry words that mean the same market, for tie-breaking.
INDUSTRIES: list[list[str]] = [
    ["logistics", "freight", "shipping", "transport", "3pl", "carrier"],
    ["warehousing", "warehouse", "fulfilment", "fulfillment", "distribution"],
    ["manufacturing", "factory", "plant"],
    ["retail", "ecommerce", "e-commerce"],
]

# Who an item is for, and the request words that name them.
AUDIENCES: list[tuple[str, list[str]]] = [
    ("it_security", ["ciso", "it security", "security team", "security lead"]),
    ("finance", ["cfo", "finance", "procurement", "budget"]),
    ("legal", ["legal", "counsel", "lawyer"]),
    ("executive", ["ceo", "coo", "board", "executive"]),
    ("operations", ["operations", "ops"]),
]

# Words that say nothing about which item is meant.
FILLER = [
    "the", "a", "an", "our", "your", "and", "of", "for", "to", "on", "in", "with", "pack",
    "report", "summary", "document", "sheet", "guide",
]  # fmt: skip
FILLER_STEMS = {s[0] for s in map(stems, FILLER) if s}

# The tier-3 provider serving the library (`{"items": [item, ...]}`).
CONTENT_LIBRARY = "content_library"

NAME = "find-content"
VERSION = "0.1.0"
SUMMARY = "Matches a request's words to items of the org's content library, or says nothing fits."
CAPABILITIES = ["context:external:content_library"]
# A call on the demo library (six items) burns about 32 M fuel in the
# interpreter (the Rust skill took 10 M): three times that, for larger
# libraries.
DEFAULT_FUEL = 100_000_000

# The step params' JSON Schema (as schemars derived it for the Rust skill).
INPUT_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "additionalProperties": False,
    "properties": {
        "max_items": {
            "default": 4,
            "description": "Items sent at most.",
            "format": "uint",
            "minimum": 1,
            "type": "integer"
        }
    },
    "title": "Params",
    "type": "object"
}

# The output's JSON Schema: `Found` of the content_retrieval chain, which
# `draft-content-email` reads back (baton_sdk::content::Found).
OUTPUT_SCHEMA: dict = {
    "$defs": {
        "Match": {
            "description": "One library item that fits the request.",
            "properties": {
                "file": {
                    "default": None,
                    "description": "A file of the content folder: sent as an attachment.",
                    "type": [
                        "string",
                        "null"
                    ]
                },
                "id": {
                    "type": "string"
                },
                "kind": {
                    "type": "string"
                },
                "score": {
                    "format": "uint32",
                    "minimum": 0,
                    "type": "integer"
                },
                "summary": {
                    "default": None,
                    "type": [
                        "string",
                        "null"
                    ]
                },
                "title": {
                    "type": "string"
                },
                "url": {
                    "default": None,
                    "description": "Where it is published: sent as a link.",
                    "type": [
                        "string",
                        "null"
                    ]
                },
                "why": {
                    "default": [],
                    "description": "What in the request it answers (`title \"security pack\"`, `tag \"soc 2\"`, …).",
                    "items": {
                        "type": "string"
                    },
                    "type": "array"
                }
            },
            "required": [
                "id",
                "title",
                "kind",
                "summary",
                "url",
                "file",
                "score",
                "why"
            ],
            "type": "object"
        }
    },
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "description": "What the request asked for and the library items that fit it.",
    "properties": {
        "asked_for": {
            "default": [],
            "description": "What the finder understood was asked for (`security`, `legal`,\n`case_study`, …, and words naming an item).",
            "items": {
                "type": "string"
            },
            "type": "array"
        },
        "matched": {
            "default": [],
            "description": "The items to send, best first; empty when nothing fits.",
            "items": {
                "$ref": "#/$defs/Match"
            },
            "type": "array"
        },
        "reason": {
            "description": "Why nothing was matched, when nothing was.",
            "type": [
                "string",
                "null"
            ]
        },
        "request": {
            "default": None,
            "description": "The words that asked, as said or written.",
            "type": [
                "string",
                "null"
            ]
        }
    },
    "required": [
        "request",
        "asked_for",
        "matched"
    ],
    "title": "Found",
    "type": "object",
    # Declared data flow (baton_types::flow): what this output carries, so a
    # sequence laid out by flow runs the readers (draft-email-reply) after it.
    "x-baton-produces": ["content.matches"]
}


@dataclass
class Item:
    """One item of the content library (the host's `ContentItem`)."""

    id: str
    title: str
    kind: str
    tags: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    summary: str | None = None
    url: str | None = None
    file: str | None = None


_ITEM_FIELDS = {"id", "title", "kind", "tags", "audience", "summary", "url", "file"}

# Kinds of item kept for the rep's eyes: never offered to a prospect.
INTERNAL_KINDS = frozenset({"battlecard"})


def item(value: object) -> Item | None:
    """`value` read as a library item, or None when it is not one (a
    missing or mistyped field, or one the item does not have)."""
    if not isinstance(value, dict) or not set(value) <= _ITEM_FIELDS:
        return None
    text = ("id", "title", "kind")
    if not all(isinstance(value.get(k), str) for k in text):
        return None
    lists = {k: value.get(k, []) for k in ("tags", "audience")}
    if not all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in lists.values()):
        return None
    optional = {k: value.get(k) for k in ("summary", "url", "file")}
    if not all(v is None or isinstance(v, str) for v in optional.values()):
        return None
    return Item(value["id"], value["title"], value["kind"], **lists, **optional)


def content_library(host) -> list[Item]:
    """The org's content library, empty when the org has none."""
    try:
        text = host.read_context("external", CONTENT_LIBRARY)
    except HostError as e:
        if e.kind == "not-found":
            return []
        raise SkillError.from_host(e) from e
    library = json.loads(text)
    items = library.get("items") if isinstance(library, dict) else None
    if not isinstance(items, list):
        return []
    return [i for i in map(item, items) if i is not None]


@lru_cache(maxsize=4096)
def padded(text: str) -> str:
    """The stems of `text` as one string with a space either side, so a
    phrase is found as ` a b `. Cached: the same phrases and tags are
    looked up for every item of the library."""
    return f" {' '.join(stems(text))} "


def says(padded_text: str, phrase: str) -> bool:
    """Whether the stemmed phrase occurs in the padded stems."""
    p = padded(phrase)
    return p != "  " and p in padded_text


def concepts(padded_text: str) -> list[str]:
    """The concepts `padded_text` names."""
    return [c for c, phrases in CONCEPTS if any(says(padded_text, p) for p in phrases)]


# Stem every phrase once, at import: componentize-py snapshots the module
# after importing it, so no call pays for these again.
for _phrase in [p for _, ps in CONCEPTS for p in ps] + [w for m in INDUSTRIES for w in m] + [
    w for _, ws in AUDIENCES for w in ws
]:
    padded(_phrase)


def industry(tag: str) -> bool:
    """Whether a tag names a market."""
    own = padded(tag)
    return any(says(own, w) for market in INDUSTRIES for w in market)


def find(request: str, library: list[Item], max_items: int) -> dict:
    """What `request` asks for and the items of `library` that answer it
    (the `Found` record as JSON)."""
    text = padded(request)
    asked = concepts(text)
    scored: list[tuple[str, dict]] = []
    for it in library:
        # Internal material (a battlecard on a rival) is the rep's, never
        # sent to a prospect.
        if it.kind in INTERNAL_KINDS:
            continue
        own = padded(f"{it.kind.replace('_', ' ')} {' '.join(it.tags)} {it.title}")
        score = 0
        why: list[str] = []
        group = None
        for c in concepts(own):
            if c in asked:
                score += 3
                why.append(f"asks for {c.replace('_', ' ')}")
                group = group or c
        # Industry tags are tie-breakers below, never a match on their own.
        for tag in it.tags:
            if not industry(tag) and says(text, tag):
                score += 2
                why.append(f'tag "{tag}"')
        title = [w for w in stems(it.title) if w not in FILLER_STEMS]
        if title and all(f" {w} " in text for w in title):
            score += 3
            why.append(f'title "{it.title}"')
        if score == 0:
            continue
        # Tie-breakers: the same market, the same reader.
        for market in INDUSTRIES:
            mine = any(says(padded(t), w) for w in market for t in it.tags)
            said = next((w for w in market if says(text, w)), None)
            if mine and said is not None:
                score += 1
                why.append(f'industry "{said}"')
        for audience, words in AUDIENCES:
            if audience in it.audience and any(says(text, w) for w in words):
                score += 1
                why.append(f"for {audience}")
        match = {
            "id": it.id,
            "title": it.title,
            "kind": it.kind,
            "summary": it.summary,
            "url": it.url,
            "file": it.file,
            "score": score,
            "why": why,
        }
        scored.append((group or f"item:{it.id}", match))
    # For each thing asked, the best item (two when they tie).
    best: dict[str, int] = {}
    for g, m in scored:
        best[g] = max(best.get(g, 0), m["score"])
    kept: dict[str, int] = {}
    matched = []
    for g, m in scored:
        if best[g] == m["score"] and kept.get(g, 0) < 2:
            kept[g] = kept.get(g, 0) + 1
            matched.append(m)
    matched.sort(key=lambda m: (-m["score"], m["title"]))
    matched = matched[:max_items]
    found = {
        "request": request.strip() or None,
        "asked_for": asked,
        "matched": matched,
    }
    if matched:
        pass
    elif not library:
        found["reason"] = "the org has no content library (content_library in its import)"
    elif not asked:
        titles = ", ".join(i.title for i in library)
        found["reason"] = f"the request names nothing the content library holds (it has: {titles})"
    else:
        about = " or ".join(c.replace("_", " ") for c in asked)
        found["reason"] = f"nothing in the content library is about {about}"
    return found


def max_items(params: dict) -> int:
    """The `max_items` param (4 when absent)."""
    unknown = sorted(set(params) - {"max_items"})
    if unknown:
        raise SkillError("invalid-input", f"params: unknown field `{unknown[0]}`, expected `max_items`")
    n = params.get("max_items", 4)
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise SkillError("invalid-input", "params: `max_items` must be a whole number")
    return n


# The content_retrieval payload's fields and the JSON types they may hold.
_PAYLOAD_TEXT = [
    "request", "trigger_phrase", "label", "meeting_id", "title", "contact_id", "contact_email",
    "deal_id", "deal_name", "subject", "message_id", "thread_id",
]  # fmt: skip


# What asks for something to be sent, in an email's own words: a sentence
# without one of these (a remark about the DPA, a question about pricing)
# asks for nothing to be sent, so it matches nothing.
ASKING = [
    "send", "share", "forward", "attach", "provide", "pass along", "do you have",
    "could i get", "can i get", "can we get", "could we get", "could i have",
    "can i have", "can we have", "point me to", "where can i find", "can i see",
    "could i see", "can we see", "could we see", "would love to see", "looking for",
]  # fmt: skip

for _phrase in ASKING:
    padded(_phrase)


# Where an email's quoted history starts (a reply's "On … wrote:", a
# forwarded or Outlook original), when the payload has no `newest`.
_QUOTED = re.compile(r"^(>|On .+ wrote:\s*$|-+ ?(Original|Forwarded) [Mm]essage ?-+|From: .+)")


def unquoted(body: str) -> str:
    """An email body up to its quoted history."""
    kept = []
    for line in body.splitlines():
        if _QUOTED.match(line.strip()):
            break
        kept.append(line)
    return "\n".join(kept)


def asking(text: str) -> str:
    """The sentences of `text` that ask for something to be sent, one per
    line (an email's newest text, quoted history already cut)."""
    sentences = re.split(r"(?<=[.!?])\s+|\n+", text)
    kept = [s.strip() for s in sentences if any(says(padded(s), a) for a in ASKING)]
    return "".join(s + "\n" for s in kept if s)


def request_text(payload: object) -> str:
    """The words that asked: the request and the phrase the detector
    matched in it, each once, one per line; for an inbound email (an
    `email_received` payload, no `request`), the sentences of its newest
    text that ask for something to be sent."""
    if not isinstance(payload, dict):
        raise SkillError("invalid-input", "event payload: expected a JSON object")
    for key in _PAYLOAD_TEXT:
        if payload.get(key) is not None and not isinstance(payload[key], str):
            raise SkillError("invalid-input", f"event payload: `{key}` must be a string")
    n = payload.get("utterance")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
        raise SkillError("invalid-input", "event payload: `utterance` must be a whole number")
    if payload.get("request") is None and payload.get("trigger_phrase") is None:
        for key in ("newest", "body"):
            if payload.get(key) is not None and not isinstance(payload[key], str):
                raise SkillError("invalid-input", f"event payload: `{key}` must be a string")
        newest = payload.get("newest")
        if newest is None:
            newest = unquoted(payload.get("body") or "")
        return asking(newest)
    text = ""
    for part in (payload.get("request"), payload.get("trigger_phrase")):
        part = (part or "").strip()
        if part and part not in text:
            text += part + "\n"
    return text


def manifest() -> dict:
    """Who the skill is and what it needs."""
    return {
        "name": NAME,
        "version": VERSION,
        "summary": SUMMARY,
        "capabilities": CAPABILITIES,
        "default_fuel": DEFAULT_FUEL,
        "input_schema": INPUT_SCHEMA,
        "output_schema": OUTPUT_SCHEMA,
    }


def run(input: dict, host) -> dict:
    """One call: `input` is the call's input as JSON (`event`, `params`,
    `previous`); the output's `data` is what was found."""
    params = input.get("params")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise SkillError("invalid-input", "params: expected a JSON object")
    limit = max_items(params)
    request = request_text(input["event"]["payload"])
    return {"data": find(request, content_library(host), limit)}
