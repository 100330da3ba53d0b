"""instruction vs data, v2: more actions, and both sides in more settings.

Same semantics as v1 (an imperative addressed to the reader vs the same action as inert data: a record,
a report, a quotation). Adds 36 actions from other walks of life (lab, hospital ward, farm, newsroom,
IT operations, school, warehouse) and 32 further frames that put both sides into the same kinds of
setting: chat turns, messenger lines, JSON messages, markdown checklists, code comments, call
transcripts, emails, tickets, voice-note transcripts; so an instruction is not marked by its format,
nor is data by being a table. Actions from v1 are rendered in these frames too.
Primary split key: the verb (shared with v1, so a verb is held out in both modules alike);
frames are a secondary key.
"""
from __future__ import annotations

from common import Candidate, cap
from seeds.instruction import ACTIONS as V1_ACTIONS, DATES, DETAILS, NAMES, TIMES

ACTIONS = [
    ("calibrate", "calibrated", ["the pH meter in lab 2", "the scale at the loading dock", "the thermometer in the cold room", "the pipettes on bench four"]),
    ("sterilize", "sterilized", ["the instruments for the morning clinic", "the baby bottles", "the jars for the jam", "the tweezers in the first-aid kit"]),
    ("vaccinate", "vaccinated", ["the new lambs", "the puppies from the spring litter", "the calves in the north barn", "the shelter cats"]),
    ("harvest", "harvested", ["the potatoes in the lower field", "the honey from the east hives", "the courgettes in bed three", "the plums by the gate"]),
    ("proofread", "proofread", ["the front-page story", "the grant report", "the wedding programme", "the product catalogue"]),
    ("fact-check", "fact-checked", ["the quotes in the interview", "the figures in the budget story", "the dates in the obituary", "the claims in the press release"]),
    ("deploy", "deployed", ["the hotfix to production", "the new search service", "the config change to the cache", "the release candidate to staging"]),
    ("roll back", "rolled back", ["the database migration", "yesterday's frontend release", "the firewall rule change", "the pricing update"]),
    ("rotate", "rotated", ["the API keys for the payment service", "the TLS certificate on the mail server", "the tyres on the delivery van", "the crops in the west field"]),
    ("patch", "patched", ["the web servers", "the hole in the fence", "the VPN appliance", "the tear in the tent"]),
    ("grade", "graded", ["the history essays", "the maths quizzes for 7B", "the lab reports", "the spelling tests"]),
    ("tutor", "tutored", ["the two new pupils in reading", "Sami in algebra", "the exchange students in Spanish", "the night-school group"]),
    ("restock", "restocked", ["the shelves in aisle nine", "the first-aid cabinet", "the vending machine", "the napkin holders"]),
    ("weigh", "weighed", ["the outgoing parcels", "the newborn in room 3", "the flour for the bakery order", "the luggage for the charter"]),
    ("inspect", "inspected", ["the scaffolding on the east side", "the fire extinguishers on floor 2", "the brakes on bus 14", "the roof after the storm"]),
    ("prescribe", "prescribed", ["antibiotics for the patient in bed 6", "physiotherapy for Mr Tan", "the new inhaler", "a lower dose of the painkiller"]),
    ("discharge", "discharged", ["the patient in bed 12", "the two patients on ward C", "Mrs Ortiz after her scan", "the boy with the broken wrist"]),
    ("ship", "shipped", ["the order for the Lyon store", "the spare parts to the client", "the samples to the lab", "the pallets of paper"]),
    ("unload", "unloaded", ["the truck at gate 3", "the dishwasher", "the delivery of timber", "the boxes from the van"]),
    ("count", "counted", ["the cash in the till", "the ballots from the hall", "the chairs for the assembly", "the sheep in the top field"]),
    ("paint", "painted", ["the fence along the road", "the bedroom ceiling", "the lines in the car park", "the classroom door"]),
    ("repair", "repaired", ["the leaking tap in the staff toilet", "the broken gate latch", "the projector in room 5", "the puncture on the bike"]),
    ("defrost", "defrosted", ["the freezer in the break room", "the chicken for dinner", "the samples from the minus-eighty", "the windscreen"]),
    ("sweep", "swept", ["the warehouse floor", "the chimney", "the front steps", "the leaves off the patio"]),
    ("mop", "mopped", ["the corridor by the canteen", "the kitchen floor", "the changing rooms", "the entrance hall"]),
    ("brief", "briefed", ["the night shift on the new patient", "the volunteers on safety", "the press on the schedule", "the new hires on security"]),
    ("interview", "interviewed", ["the two candidates for the tech role", "the farmer about the drought", "the witnesses to the accident", "the mayor about the budget"]),
    ("photograph", "photographed", ["the damage to the wall", "the new stock for the website", "the team for the newsletter", "the meter reading"]),
    ("survey", "surveyed", ["the customers at the entrance", "the plot by the river", "the parents about the trip", "the bird nests on the cliff"]),
    ("pack", "packed", ["the orders for the afternoon pickup", "the camping gear", "the books for the move", "the lunch boxes"]),
    ("tag", "tagged", ["the calves born this week", "the photos from the event", "the support tickets from Monday", "the trees to be felled"]),
    ("upload", "uploaded", ["the lecture recordings", "the signed forms to the portal", "the photos to the shared album", "the invoices to the accounting system"]),
    ("encrypt", "encrypted", ["the backup drive", "the laptop of the new hire", "the patient export", "the USB sticks for the audit"]),
    ("refill", "refilled", ["the printer toner", "the soap dispensers", "the water tank on the roof", "the bird feeders"]),
    ("disinfect", "disinfected", ["the door handles", "the keyboards in the lab", "the changing mats", "the gym equipment"]),
    ("approve", "approved", ["the holiday requests for August", "the invoice from the caterer", "the new logo", "the timesheets for last week"]),
]

# (instruction frame, data frame, family). Both sides share the setting.
FRAME_PAIRS = [
    ("User: {verb} {obj} {detail}.", "User: I {past} {obj} {detail}.", "chat"),
    ("<|user|>\nplease {verb} {obj} {detail}", "<|user|>\nfyi I {past} {obj} {detail}", "chat"),
    ("[{hm}] {name}: can you {verb} {obj} {detail}?", "[{hm}] {name}: {past} {obj} {detail} ✅", "messenger"),
    ("[{hm}] {name}: {verb} {obj} {detail} pls", "[{hm}] {name}: {obj} - {past} {detail}", "messenger"),
    ("{{\"role\": \"user\", \"content\": \"{Verb} {obj} {detail}.\"}}", "{{\"event\": \"{verb}\", \"object\": \"{obj}\", \"when\": \"{detail}\", \"by\": \"{name}\"}}", "json"),
    ("{{\"task\": \"{verb} {obj}\", \"assignee\": \"you\", \"due\": \"{detail}\"}}", "{{\"task\": \"{verb} {obj}\", \"assignee\": \"{name}\", \"done\": \"{detail}\"}}", "json"),
    ("- [ ] {Verb} {obj} {detail}", "- [x] {Past} {obj} {detail} ({name})", "markdown"),
    ("## To do\n\n1. {Verb} {obj} {detail}.", "## Done\n\n1. {Past} {obj} {detail}.", "markdown"),
    ("# TODO: {verb} {obj} {detail}", "# {Past} {obj} {detail} - {name}, {date}", "code_comment"),
    ("// FIXME(you): {verb} {obj} {detail}", "// history: {name} {past} {obj} {detail}", "code_comment"),
    ("Agent: Could you {verb} {obj} {detail}?\nCaller: Sure.", "Agent: Did you {verb} {obj}?\nCaller: Yes, I {past} it {detail}.", "transcript"),
    ("Supervisor: {Verb} {obj} {detail}, please.", "Supervisor: Who {past} {obj}?\nWorker: {name} did, {detail}.", "transcript"),
    ("Subject: {obj}\n\nHi,\nplease {verb} {obj} {detail}.\n\nThanks,\n{name}", "Subject: {obj}\n\nHi,\njust so you know, I {past} {obj} {detail}.\n\nThanks,\n{name}", "email"),
    ("Subject: Action needed\n\n{Verb} {obj} {detail} and reply when done.", "Subject: Done\n\n{Past} {obj} {detail}. No reply needed.", "email"),
    ("Ticket #{id}: {verb} {obj} {detail}. Assigned to you.", "Ticket #{id}: {past} {obj} {detail}. Closed by {name}.", "ticket"),
    ("(voice note) hey it's {name}, {verb} {obj} {detail} ok bye", "(voice note) hey it's {name}, I {past} {obj} {detail}, all good, bye", "voice"),
    ("Reminder for you: {verb} {obj} {detail}.", "Reminder sent to {name}: {verb} {obj} {detail}. Delivered {date}.", "notice"),
    ("Note on the fridge: {Verb} {obj} {detail}!", "Found an old note on the fridge that said \"{verb} {obj} {detail}\". It's from last year.", "notice"),
    ("Your job today is to {verb} {obj} {detail}.", "Her job yesterday was to {verb} {obj} {detail}, and she did.", "prose"),
    ("{Verb} {obj} {detail}. This is not optional.", "{name} {past} {obj} {detail}. This was not optional.", "prose"),
    ("Would you mind {verb_ing} {obj} {detail}?", "{name} didn't mind {verb_ing} {obj} {detail}.", "prose"),
    ("Instructions: {verb} {obj} {detail}. Report back afterwards.", "Report: {name} {past} {obj} {detail}. Nothing to add.", "report"),
    ("{verb} {obj} {detail}", "{past} {obj} {detail}", "terse"),
    ("ASAP -> {verb} {obj} ({detail})", "{date} -> {past} {obj} ({detail})", "terse"),
    ("Reply to this text with OK once you {verb} {obj} {detail}.", "Text from {name}: \"OK, I {past} {obj} {detail}.\"", "sms"),
    ("Please {verb} {obj} {detail}, {name}. Then check in with me.", "Quote of the week, from the staff newsletter: \"Please {verb} {obj} {detail}.\"", "quoted"),
    ("Hey, {verb} {obj} {detail} for me?", "The example sentence in the grammar book is \"Hey, {verb} {obj} {detail} for me?\"", "quoted"),
    ("Step 3 of 5: {verb} {obj} {detail}.", "Step 3 of 5 ({verb} {obj} {detail}) completed at {time}.", "procedure"),
    ("Hi! When you have a moment, {verb} {obj} {detail}.", "Hi! Quick recap: I {past} {obj} {detail}.", "chat"),
    ("Can somebody {verb} {obj} {detail}? I can't today.", "Somebody {past} {obj} {detail}; I couldn't that day.", "forum"),
    ("Task for the assistant: {verb} {obj} {detail}.", "Task history: the assistant {past} {obj} {detail}.", "assistant"),
    ("Assistant, {verb} {obj} {detail}, please.", "Assistant log: {past} {obj} {detail} at the user's request.", "assistant"),
]


def ing(verb: str) -> str:
    head, _, rest = verb.partition(" ")
    irregular = {"stop": "stopping", "plan": "planning", "get": "getting", "put": "putting", "cut": "cutting", "set": "setting",
                 "run": "running", "shop": "shopping", "mop": "mopping", "tag": "tagging", "ship": "shipping", "pin": "pinning"}
    if head in irregular:
        v = irregular[head]
    elif head.endswith("e") and not head.endswith("ee") and head != "be":
        v = head[:-1] + "ing"
    else:
        v = head + "ing"
    return (v + " " + rest).strip()


# Longer items: a shared opening, then four or five actions asked for vs recorded.
LONG_PAIRS = [
    ("Hi {name},\n\nThanks for covering while I'm away. The week should be quiet, but a few things can't wait, and I'd rather "
     "you hear them from me than find out from the client. Here is what I need you to do:\n{imperatives}\nCall me if anything "
     "looks odd. I'll check messages in the evenings.",
     "Hi {name},\n\nThanks for covering while I was away. The week was quiet, but a few things couldn't wait, and I'd rather "
     "you hear them from me than find out from the client. Here is what I did before leaving:\n{records}\nNothing else is "
     "pending. I'll check messages in the evenings.", "handover"),
    ("Volunteers' briefing for Saturday. We expect around two hundred visitors and the forecast is dry. Please read this before "
     "you arrive.\n{imperatives}\nThank you all; the fair only happens because of you.",
     "Volunteers' report for Saturday. We had around two hundred visitors and the weather stayed dry. For the record, here is "
     "what got done.\n{records}\nThank you all; the fair only happened because of you.", "briefing"),
    ("## Onboarding checklist\n\nWelcome to the team! Your first days will be busy. Work through these in order and tick "
     "them off as you go:\n{imperatives}\nYour buddy will check in on Friday.",
     "## Onboarding log\n\nWelcome to the team! The first days were busy. These were worked through in order and ticked "
     "off along the way:\n{records}\nThe buddy checked in on Friday.", "checklist"),
]


def long_candidates(rng, held) -> list[Candidate]:
    out = []
    pool = ACTIONS + V1_ACTIONS
    for _ in range(120):
        first = rng.choice(pool)
        same = [a for a in pool if a is not first and held(f"verb:{a[0]}") == held(f"verb:{first[0]}")]
        picked = [first] + rng.sample(same, rng.choice([3, 4]))
        steps = [(verb, past, rng.choice(objects), rng.choice(DETAILS)) for verb, past, objects in picked]
        k = rng.randrange(len(LONG_PAIRS))
        inst, data, family = LONG_PAIRS[k]
        name = rng.choice(NAMES)
        imperatives = "\n".join(f"- {cap(v)} {o} {d}." for v, _, o, d in steps)
        records = "\n".join(f"- {rng.choice(NAMES)} {p} {o} {d}." for _, p, o, d in steps)
        out.append(Candidate(
            positive=inst.replace("{name}", name).replace("{imperatives}", imperatives),
            negative=data.replace("{name}", name).replace("{records}", records),
            primary=f"verb:{first[0]}", secondary=(f"long2:{family}",), family=f"long:{family}",
            related=tuple(f"verb:{a[0]}" for a in picked[1:]),
        ))
    return out


def candidates(rng, held) -> list[Candidate]:
    out = long_candidates(rng, held)
    for verb, past, objects in ACTIONS + V1_ACTIONS:
        renderings = 3 if (verb, past, objects) in ACTIONS else 2
        for obj in objects:
            for f in rng.sample(range(len(FRAME_PAIRS)), renderings):
                inst, data, family = FRAME_PAIRS[f]
                slots = dict(verb=verb, Verb=cap(verb), past=past, Past=cap(past), obj=obj, detail=rng.choice(DETAILS),
                             name=rng.choice(NAMES), date=rng.choice(DATES), time=rng.choice(TIMES), hm=rng.choice(TIMES)[:5],
                             id=str(rng.randrange(1000, 9999)), verb_ing=ing(verb))

                def fill(template: str) -> str:
                    for k, val in slots.items():
                        template = template.replace("{" + k + "}", val)
                    return template.replace("{{", "{").replace("}}", "}")

                out.append(Candidate(positive=fill(inst), negative=fill(data), primary=f"verb:{verb}",
                                     secondary=(f"frame2:{f:02d}",), family=f"setting:{family}"))
    return out
