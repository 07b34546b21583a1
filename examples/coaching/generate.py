"""Writes meetings.json: the demo rep's analysed meetings across two weeks.

Each meeting is a `meeting_ended` payload (utterances with start and end
seconds, the deal by name, the contact by address) and the instant it
ended. Run from the repository root: python3 examples/coaching/generate.py
The output is committed; this script is how it was made.
"""
import json
from datetime import datetime, timedelta, timezone

FEATURES = ("So let me walk you through how Renewals Hub works. Every call is transcribed, the commitments "
            "are pulled out, the follow-up is drafted for you, the CRM is updated, and the renewal date "
            "gets a health score that blends usage, support tickets and sentiment from the calls. ")


def long_talk(seconds, opening):
    words = int(seconds * 2.5)
    text = opening + " "
    while len(text.split()) < words:
        text += FEATURES
    return " ".join(text.split()[:words])


def discovery(name):
    return [
        ("rep", 6, f"Thanks for making the time, {name}."),
        ("prospect", 5, "Happy to."),
        ("rep", 9, "Before I show anything: how do you handle renewals today, step by step?"),
        ("prospect", 40, "Account managers keep a spreadsheet of renewal dates, and a month before each one they "
                         "call the customer. Notes live in their heads. About a third of promised follow-ups never go out."),
        ("rep", 8, "What happens when a follow-up is missed?"),
        ("prospect", 30, "We find out when the customer chases us, or worse, when the renewal goes quiet and we lose it."),
        ("rep", 7, "Who else is involved when you pick a tool like this?"),
        ("prospect", 20, "Our COO decides, and IT has to approve anything that touches the CRM."),
        ("rep", 8, "What would success look like for you by the end of next quarter?"),
        ("prospect", 25, "Every follow-up sent within a day, and no renewal surprises."),
        ("rep", 6, "When do you need this in place?"),
        ("prospect", 15, "Before the January renewals batch."),
        ("rep", 6, "And what budget have you set aside for it?"),
        ("prospect", 12, "Around forty thousand a year."),
    ]


def features_first(name, minutes):
    return [
        ("rep", 6, f"Thanks for joining, {name}. I'll jump straight into the demo."),
        ("rep", minutes * 60, long_talk(minutes * 60, "Here is the dashboard.")),
    ]


PRICE_Q = ("prospect", 10, "Honestly, that's more than we budgeted for this year.")
PRICE_EVIDENCE = ("rep", 25, "Fair. Kestrel Freight had the same worry; they cut renewal churn by 18% in six months, "
                             "which paid for the licence three times over.")
PRICE_NONE = ("rep", 8, "I hear you. Let me move on and show you the reports.")
COMPETITOR_Q = ("prospect", 10, "We're also looking at Gainsight for this.")
COMPETITOR_NONE = ("rep", 8, "Sure, lots of people do. Anyway, back to the reports.")
TIMING_Q = ("prospect", 10, "We can't take this on before the second quarter.")
TIMING_EVIDENCE = ("rep", 20, "Understood. Lumen went live in three weeks, with a 40-minute setup per team, "
                              "so a start in March still lands before your renewals.")
SAP_Q = ("prospect", 8, "Does it work with our SAP export?")
CLOSE = [
    ("rep", 10, "What would you need to see from us to take this to your COO?"),
    ("prospect", 15, "A short proposal with the numbers, and a reference customer."),
    ("rep", 6, "I'll send both by Friday."),
]


def ridgeway():
    u = features_first("Dale", 7)
    u += [SAP_Q, ("rep", 200, long_talk(200, "And there is more on the forecasting side.")), PRICE_Q, PRICE_NONE,
          ("rep", 20, "Sorry, on SAP: yes, we read the export every night."),
          ("rep", 6, "Any questions?"), ("prospect", 5, "Not right now.")]
    return u


def saltmarsh():
    u = features_first("Nina", 9)
    u += [("rep", 8, "How do you handle renewals today?"),
          ("prospect", 20, "A spreadsheet and a lot of goodwill."),
          COMPETITOR_Q, COMPETITOR_NONE, ("rep", 60, long_talk(60, "The reports show health by account.")),
          ("prospect", 5, "OK.")]
    return u


def tidewater():
    u = features_first("Owen", 8)
    u += [SAP_Q, ("rep", 120, long_talk(120, "Let me show the forecasting view too.")), TIMING_Q,
          ("rep", 8, "Let's see how it goes."), COMPETITOR_Q, COMPETITOR_NONE,
          ("rep", 6, "Did you have any other questions?"), ("prospect", 5, "I think we're fine.")]
    return u


def good(name, objection=None, answer=None, extra_talk=0):
    u = discovery(name)
    if extra_talk:
        u += [("rep", extra_talk, long_talk(extra_talk, "Let me show you how that would look for you."))]
    if objection:
        u += [objection, answer]
    return u + CLOSE


NY = timezone(timedelta(hours=-5))
MEETINGS = [
    # Last week (16-20 November 2026).
    ("kestrel-discovery", "Kestrel Freight discovery", "Kestrel Freight renewals", "ava.lind@kestrel-freight.example",
     datetime(2026, 11, 16, 10, 0, tzinfo=NY), good("Ava", PRICE_Q, PRICE_EVIDENCE, 90)),
    ("ridgeway-demo", "Ridgeway Haulage demo", "Ridgeway Haulage renewals", "dale.moss@ridgeway-haulage.example",
     datetime(2026, 11, 17, 14, 0, tzinfo=NY), ridgeway()),
    ("lumen-discovery", "Lumen Cold Storage discovery", "Lumen Cold Storage pilot", "iris.chen@lumen-cold.example",
     datetime(2026, 11, 18, 11, 0, tzinfo=NY), good("Iris", TIMING_Q, TIMING_EVIDENCE, 120)),
    ("saltmarsh-intro", "Saltmarsh Logistics intro", "Saltmarsh Logistics pilot", "nina.park@saltmarsh-log.example",
     datetime(2026, 11, 19, 15, 0, tzinfo=NY), saltmarsh()),
    # This week (23-27 November 2026).
    ("pioneer-discovery", "Pioneer Parcel discovery", "Pioneer Parcel forecast add-on", "leo.hart@pioneer-parcel.example",
     datetime(2026, 11, 23, 10, 0, tzinfo=NY), good("Leo", PRICE_Q, PRICE_EVIDENCE, 300)),
    ("tidewater-demo", "Tidewater Depots demo", "Tidewater Depots expansion", "owen.reyes@tidewater-depots.example",
     datetime(2026, 11, 24, 13, 0, tzinfo=NY), tidewater()),
    ("northwind-pricing", "Northwind pricing follow-up", "Northwind renewals rollout", "marta.ruiz@northwind.example",
     datetime(2026, 11, 25, 11, 0, tzinfo=NY), good("Marta", PRICE_Q, PRICE_NONE, 420)),
    ("cobalt-walkthrough", "Cobalt order form walkthrough", "Cobalt multi-site expansion", "tomasz.nowak@cobalt-wh.example",
     datetime(2026, 11, 26, 15, 30, tzinfo=NY), features_first("Tomasz", 6) + [COMPETITOR_Q, COMPETITOR_NONE] + CLOSE),
]


def payload(mid, title, deal, contact, start, lines):
    t = 0.0
    utterances = []
    for speaker, seconds, text in lines:
        utterances.append({"speaker": speaker, "text": text, "start": t, "end": t + seconds})
        t += seconds + 1.5
    ended = start + timedelta(seconds=t)
    z = lambda d: d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"meeting_id": f"demo-{mid}", "title": title, "deal_name": deal, "contact_email": contact,
            "started_at": z(start), "ended_at": z(ended), "utterances": utterances}


out = [payload(*m) for m in MEETINGS]
with open("examples/coaching/meetings.json", "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(len(out), "meetings")
