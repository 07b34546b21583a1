"""Word stems for matching, as baton's Rust SDK cuts them
(`baton_sdk::text::stems`). Pure."""

import re

_WORD = re.compile(r"[^\W_]+")


def stems(text: str) -> list[str]:
    """The words of `text`, lower-cased and cut to a rough stem so that
    inflections meet (`pricing`, `prices` and `price` are all `pric`;
    `studies` and `study` are `study`; `SOC2` is `soc2`), in order. A light
    suffix stripper for matching, not a linguist: it only ever shortens."""
    text = text.lower().replace("\u2019", "").replace("'", "")
    return [stem(w) for w in _WORD.findall(text)]


def stem(w: str) -> str:
    """One lower-case word's stem (see `stems`)."""
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith("ss") and not w.endswith("us"):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w
