#!/usr/bin/env python3
"""Fuel and time of each meeting_ended skill on a 60-minute call (stdlib only).

Runs the built skills through `baton skill run --stats` in the sequence's
order, each given the earlier steps' outputs the way the runner hands them
over, on two transcripts built from examples/events/meeting_ended.json:

- baseline: the 21-minute call as it is;
- 60-minute: the call three times over (offsets shifted, ~64 minutes of
  speech), the size of a long discovery or demo call.

Prints fuel, wall time and the 60-minute/baseline ratio per skill, so the
figures are read against a baseline measured in the same run.

Usage: python3 tests/load/meeting_fuel.py   (after `cargo xtask build`)
"""

import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BATON = os.environ.get("BATON_BIN", os.path.join(TARGET, "release", "baton"))
SKILLS = [
    "extract-action-items",
    "detect-intents",
    "suggest-next-actions",
    "draft-followup-email",
    "update-crm-from-meeting",
    "create-tasks-from-actions",
    "notify-slack-summary",
]
CONTEXT = {
    "org": {
        "user": {"name": "Jordan Avery", "handle": "rep1"},
        "preferences": {"timezone": "America/New_York"},
    },
    "contact": {
        "contact": {"id": "c1", "name": "Marta Ruiz", "email": "marta.ruiz@northwind.example"},
        "company": {"name": "Northwind Logistics"},
        "deal": {"id": "d1", "name": "Northwind renewals rollout", "stage": "discovery",
                 "close_date": "2027-02-26"},
    },
}


def transcript(times):
    with open(os.path.join(ROOT, "examples/events/meeting_ended.json")) as f:
        call = json.load(f)
    last = max(u["start"] for u in call["utterances"]) + 10
    utterances = []
    for k in range(times):
        for u in call["utterances"]:
            utterances.append(dict(u, start=round(u["start"] + k * last, 1)))
    call["utterances"] = utterances
    return call, utterances[-1]["start"] / 60


def run_chain(payload, workdir):
    previous, rows = [], []
    ctx = os.path.join(workdir, "context.json")
    with open(ctx, "w") as f:
        json.dump(CONTEXT, f)
    for name in SKILLS:
        call = {
            "event": {"id": "e1", "type": "meeting_ended", "source": "bench", "org": "demo",
                      "user": "rep1", "payload": payload},
            "params": {},
            "previous": previous,
        }
        path = os.path.join(workdir, f"{name}.input.json")
        with open(path, "w") as f:
            json.dump(call, f)
        # A skill with a data folder (detect-intents' model) is given it,
        # as `baton serve` gives it.
        data = os.path.join(TARGET, "skills", f"{name}.data")
        extra = ["--grant", "files", "--data", data] if os.path.isdir(data) else []
        r = subprocess.run(
            [BATON, "skill", "run", os.path.join(TARGET, "skills", f"{name}.wasm"),
             "--input", "@" + path, "--context", "@" + ctx,
             "--grant", "context:org", "--grant", "context:contact", "--stats"] + extra,
            capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"{name} failed ({r.returncode}): {r.stderr}")
        fuel = re.search(r"fuel_used=([0-9]+)", r.stderr)
        ms = re.search(r"duration_ms=([0-9.]+)", r.stderr)
        if not fuel:
            sys.exit(f"{name}: no fuel figure in --stats output: {r.stderr!r}")
        out = json.loads(r.stdout)
        previous.append({"step": name, "skill": name, "data": out["data"]})
        rows.append((name, int(fuel.group(1)),
                     float(ms.group(1)) if ms else float("nan")))
    return rows


def main():
    if not os.path.exists(BATON):
        sys.exit(f"{BATON} is missing: run `cargo xtask build` first")
    with tempfile.TemporaryDirectory() as tmp:
        base_call, base_min = transcript(1)
        long_call, long_min = transcript(3)
        base = run_chain(base_call, tmp)
        long = run_chain(long_call, tmp)
    print(f"baseline: {len(base_call['utterances'])} utterances, {base_min:.0f} min; "
          f"long: {len(long_call['utterances'])} utterances, {long_min:.0f} min")
    print(f"{'skill':<28}{'fuel (base)':>14}{'fuel (60 min)':>16}{'ratio':>7}{'ms (60 min)':>13}")
    for (name, f1, _), (_, f3, ms3) in zip(base, long):
        print(f"{name:<28}{f1:>14,}{f3:>16,}{f3 / f1:>7.2f}{ms3:>13.1f}")
    print(f"{'total':<28}{sum(r[1] for r in base):>14,}{sum(r[1] for r in long):>16,}"
          f"{sum(r[1] for r in long) / sum(r[1] for r in base):>7.2f}")


if __name__ == "__main__":
    main()
