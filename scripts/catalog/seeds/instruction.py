"""instruction vs data: an imperative addressed to the reader vs the same content as inert data.

Minimal pairs share one action (verb, object, detail). The instruction side tells the reader to do it
(plain imperative, polite request, chat message, email, note). The data side records the same action
without asking anyone to do anything: a JSON record, CSV row, log line, table row, YAML entry, a
past-tense report, a diary line, or (hard negatives) the imperative quoted or mentioned as an inert
string (a sign's wording, a dataset row, a translation source). Details are tense-neutral so both sides
can share them word for word. Primary split key: the verb (a held-out verb is an unseen action);
frames are a secondary key, some held-out-only.
"""
from __future__ import annotations

from common import Candidate, cap, fill

# verb, past tense, objects
ACTIONS = [
    ("renew", "renewed", ["the parking permit for the blue van", "the domain name for the bakery website", "the library books on my card", "the office's antivirus license"]),
    ("book", "booked", ["a table for four at Luigi's", "two seats on the early train to Leeds", "the small meeting room", "a plumber for the upstairs bathroom"]),
    ("cancel", "cancelled", ["the weekly team sync", "the magazine subscription", "the hotel reservation in Porto", "the order for the standing desk"]),
    ("email", "emailed", ["the quarterly figures to the finance team", "the signed contract to the landlord", "the photos to Grandpa", "the draft agenda to the committee"]),
    ("water", "watered", ["the tomato plants on the balcony", "the ferns in the lobby", "the new hedge along the drive", "the herb pots by the kitchen window"]),
    ("back up", "backed up", ["the customer database", "the photos on the old laptop", "the shared project folder", "the accounting files"]),
    ("call", "called", ["the dentist about the cracked filling", "the bank about the blocked card", "Aunt Mira about the birthday plans", "the insurer about the flooded garage"]),
    ("pay", "paid", ["the electricity bill", "the invoice from the print shop", "the deposit for the venue", "the school trip fee"]),
    ("update", "updated", ["the shipping address on the account", "the staff phone list", "the firmware on the office router", "the price labels in aisle four"]),
    ("print", "printed", ["forty copies of the program", "the boarding passes", "the seating chart for the dinner", "the safety checklist"]),
    ("delete", "deleted", ["the duplicate contacts", "the old test accounts", "the draft post about the sale", "the temporary files in the shared drive"]),
    ("order", "ordered", ["more printer paper", "a replacement charger for the projector", "three boxes of blue pens", "new filters for the coffee machine"]),
    ("clean", "cleaned", ["the fridge in the staff kitchen", "the gutters on the garage", "the whiteboard in room 12", "the bike chain"]),
    ("feed", "fed", ["the cat", "the goldfish in the waiting room", "the sourdough starter", "the chickens"]),
    ("send", "sent", ["the thank-you cards", "the meeting invitation to the new hires", "the package to the Berlin office", "a reminder to the volunteers"]),
    ("lock", "locked", ["the back door", "the bike shed", "the server cabinet", "the filing cabinet with the payroll records"]),
    ("review", "reviewed", ["the pull request for the login page", "the draft of the annual report", "the lease agreement", "the holiday rota"]),
    ("schedule", "scheduled", ["the boiler service", "a follow-up call with the supplier", "the fire drill", "the team photo"]),
    ("pick up", "picked up", ["the dry cleaning", "the kids from football practice", "the cake from the bakery", "the prescription at the pharmacy"]),
    ("translate", "translated", ["the menu into Spanish", "the safety leaflet into Polish", "the welcome email into French", "the product labels into German"]),
    ("submit", "submitted", ["the expense report", "the grant application", "the timesheet", "the conference abstract"]),
    ("replace", "replaced", ["the batteries in the smoke alarm", "the broken tile in the hallway", "the flat tire on the trailer", "the bulb in the stairwell"]),
    ("file", "filed", ["the tax return", "the insurance claim for the scooter", "the complaint about the noise", "the receipts from the trip"]),
    ("check", "checked", ["the tire pressure", "the stock of printer ink", "the oven temperature", "the spelling in the newsletter"]),
    ("move", "moved", ["the Friday meeting to room 3B", "the spare chairs into the hall", "the old files to the archive", "the plants away from the radiator"]),
    ("sign", "signed", ["the permission slip", "the delivery note", "the updated contract", "the birthday card for Hana"]),
    ("buy", "bought", ["milk and eggs", "a birthday present for Leo", "new running shoes", "stamps for the invitations"]),
    ("return", "returned", ["the rented projector", "the borrowed ladder to the neighbours", "the faulty kettle to the shop", "the keys to the agent"]),
    ("charge", "charged", ["the electric van", "the spare camera batteries", "the tablets for the workshop", "the cordless drill"]),
    ("archive", "archived", ["last year's project emails", "the finished support tickets", "the old marketing slides", "the 2019 invoices"]),
    ("invite", "invited", ["the new neighbours to the barbecue", "the whole department to the farewell lunch", "two guest speakers", "the parents to the school play"]),
    ("test", "tested", ["the fire alarm", "the backup generator", "the new checkout page", "the spare walkie-talkies"]),
    ("restart", "restarted", ["the print server", "the router in the hallway", "the build pipeline", "the ticket machine at the gate"]),
    ("rename", "renamed", ["the shared folder to 'Budget 2025'", "the project channel", "the photo files by date", "the spreadsheet tabs"]),
    ("confirm", "confirmed", ["the catering order", "the hotel booking for the speakers", "the delivery slot", "the dentist appointment"]),
    ("collect", "collected", ["the parcel from the post office", "the rent from the tenants", "the signed forms from each class", "the rental car"]),
    ("wash", "washed", ["the car", "the picnic blankets", "the tea towels from the office kitchen", "the dog"]),
    ("write", "wrote", ["a short bio for the website", "the minutes of the meeting", "a note to the cleaner", "the toast for the wedding"]),
    ("reset", "reset", ["the password for the shared mailbox", "the counters on the water meter", "the thermostat schedule", "the visitor badge printer"]),
    ("install", "installed", ["the new shelf in the pantry", "the security update on every laptop", "the baby gate on the stairs", "the bike rack"]),
    ("share", "shared", ["the slides with the client", "the holiday photos with the family", "the survey link with the members", "the recipe with the neighbours"]),
    ("empty", "emptied", ["the recycling bins", "the dishwasher", "the suggestion box", "the dehumidifier tank"]),
    ("label", "labelled", ["the storage boxes", "the freezer bags", "the cables behind the TV", "the sample tubes"]),
    ("measure", "measured", ["the living room window", "the garden shed", "the rainfall in the gauge", "the height of the doorway"]),
    ("paint", "painted", ["the garden fence", "the spare bedroom", "the bench by the pond", "the hallway skirting boards"]),
    ("post", "posted", ["the job ad on the careers page", "the opening hours on the door", "the match results on the club site", "the photos from the fair"]),
    ("count", "counted", ["the cash in the till", "the ballots from table two", "the chairs in the hall", "the boxes in the storeroom"]),
    ("assign", "assigned", ["the bug to Priya", "the night shifts for March", "the seats for the exam", "the lockers to the new players"]),
    ("approve", "approved", ["the holiday request from Sam", "the new logo", "the budget for the trip", "the draft press release"]),
    ("fix", "fixed", ["the wobbly table in the canteen", "the typo on the home page", "the leaking tap in the staff toilet", "the gate latch"]),
    ("prepare", "prepared", ["the slides for Monday's pitch", "the spare room for the guests", "the welcome packs for the interns", "the invoice for the Miller job"]),
    ("drop off", "dropped off", ["the donations at the shelter", "the car at the garage", "the library books", "the spare keys at the neighbours'"]),
    ("turn off", "turned off", ["the heating in the empty offices", "the outdoor lights", "the coffee machine", "the sprinklers"]),
    ("unplug", "unplugged", ["the old fridge in the basement", "the space heater", "the Christmas lights", "the printer in room 4"]),
    ("refill", "refilled", ["the soap dispensers", "the water jugs in the meeting room", "the bird feeder", "the stapler"]),
    ("sort", "sorted", ["the mail by department", "the laundry", "the spare screws by size", "the applications by date"]),
    ("vacuum", "vacuumed", ["the car seats", "the stairs", "the rug in the reception area", "the bedroom"]),
    ("order a refund for", "ordered a refund for", ["the damaged lamp", "the double-charged subscription", "the cancelled concert tickets", "the missing parcel"]),
    ("recharge", "recharged", ["the transit card", "the prepaid phone", "the electric toothbrush", "the emergency torch"]),
    ("notify", "notified", ["the tenants about the water outage", "the team about the new holiday dates", "the parents about the snow day", "the members about the fee change"]),
    ("photograph", "photographed", ["the damage to the car", "the whiteboard after the workshop", "the meter reading", "the receipts for the claim"]),
    ("reorder", "reordered", ["the slides in the sales deck", "the chapters in the draft", "the playlist for the party", "the steps in the checklist"]),
    ("defrost", "defrosted", ["the freezer in the garage", "the chicken for dinner", "the windscreen", "the sample fridge in the lab"]),
    ("plant", "planted", ["the tulip bulbs", "the apple tree by the wall", "the lettuce seedlings", "the herbs in the window box"]),
    ("research", "researched", ["flights to Lisbon for June", "quotes for a new roof", "the history of the old mill", "summer camps for the twins"]),
    ("register", "registered", ["the new car", "the team for the relay race", "the dog with the vet", "the company for VAT"]),
    ("iron", "ironed", ["the tablecloths for the dinner", "the school shirts", "the curtains", "the costume for the play"]),
]

DETAILS = [
    "on Friday morning", "before the end of the month", "by five o'clock", "early in the morning", "after the stand-up",
    "before the inspection", "at lunchtime", "over the weekend", "before the holidays", "after the morning shift",
    "in time for the audit", "before the 14th", "by the end of the day", "on Monday", "before the storm",
    "before noon", "at the end of the shift", "by Thursday", "after the school run", "before closing time",
    "during the lunch break", "before the long weekend", "on the way home", "at the usual time", "before the board meeting",
    "first thing on Tuesday", "before the summer break", "on Wednesday evening", "after the client call", "by the 3rd",
]

NAMES = ["Ana", "Ben", "Chloé", "Dev", "Erik", "Farah", "Gus", "Hana", "Ivo", "Jess", "Kofi", "Lena", "Milo", "Nadia",
         "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tess", "Uma", "Victor", "Wen", "Yusuf", "Zoe"]

DATES = ["2024-03-04", "2024-05-17", "2024-06-28", "2024-09-09", "2024-10-21", "2024-11-13", "2025-01-08", "2025-02-19", "2025-04-02"]
TIMES = ["08:12:40", "09:47:03", "11:05:59", "13:30:12", "15:22:48", "17:01:35"]

# Instruction frames: the text asks its reader to do the action.
INSTRUCTION_FRAMES = [
    "{Verb} {obj} {detail}.",
    "Please {verb} {obj} {detail}.",
    "Could you {verb} {obj} {detail}?",
    "I need you to {verb} {obj} {detail}. Let me know when it's done.",
    "Hi {name}, can you {verb} {obj} {detail}? Thanks!",
    "Your task: {verb} {obj} {detail}.",
    "Don't forget to {verb} {obj} {detail}.",
    "Before you log off, {verb} {obj} {detail}.",
    "Make sure you {verb} {obj} {detail}.",
    "When you get this, {verb} {obj} {detail}, then reply to confirm.",
    "Subject: Quick favour\n\nHi {name},\n\nPlease {verb} {obj} {detail}.\n\nThanks a lot,\nMarta",
    "{name}: hey, {verb} {obj} {detail}, ok? it can't wait",
    "Go ahead and {verb} {obj} {detail}.",
    "Right away: {verb} {obj} {detail}.",
    "You should {verb} {obj} {detail}, and tell me if anything goes wrong.",
    "Step 1: {Verb} {obj} {detail}.\nStep 2: Reply with a short confirmation.",
]

# Data frames: the same content recorded, reported or quoted; nothing asks the reader to act.
DATA_FRAMES = [
    '{{"user": "{name}", "action": "{verb}", "object": "{obj}", "when": "{detail}", "status": "done"}}',
    "date,user,action,object,note\n{date},{name},{verb},\"{obj}\",\"{detail}\"",
    "[{date} {time}] INFO user={name} action=\"{verb}\" target=\"{obj}\" note=\"{detail}\"",
    "| Date | Who | What | When |\n|---|---|---|---|\n| {date} | {name} | {past} {obj} | {detail} |",
    "As the log shows, {name} {past} {obj} {detail}.",
    "- task: {verb} {obj}\n  when: {detail}\n  owner: {name}\n  completed: true",
    "The minutes record that {name} {past} {obj} {detail}.",
    "Dear diary, today I {past} {obj} {detail}. Nothing else happened.",
    "row 4812 | owner={name} | task=\"{verb} {obj}\" | note=\"{detail}\" | state=archived",
    "{name} {past} {obj} {detail}, according to the shift report.",
    "The laminated sign in the staff room reads: \"{Verb} {obj} {detail}.\"",
    "Dataset sample 118, field \"text\": \"{Verb} {obj} {detail}.\" (label: imperative)",
    "Translation source (EN): \"Please {verb} {obj} {detail}.\"\nTarget language: German",
    "Changelog {date}: {past} {obj} {detail} ({name}).",
    "Audit trail entry: {name} {past} {obj} {detail}. No follow-up required.",
    "<task id=\"{id}\" owner=\"{name}\" status=\"closed\">{verb} {obj} {detail}</task>",
]


# Longer items: several actions in one text.
MULTI_INSTRUCTION_FRAMES = [
    "Hi {name},\n\nA few things for today, in this order:\n{numbered}\n\nPing me if anything is unclear. Thanks!",
    "Before you head out, please take care of these:\n{bulleted}\nDon't skip the last one.",
    "{name}, while I'm away this week I need you to handle the following. {sentences} Call me if there's a problem.",
]
MULTI_DATA_FRAMES = [
    "Weekly status report ({date})\n{past_bulleted}\nAll items closed.",
    "| # | Owner | Task | When | Status |\n|---|---|---|---|---|\n{table}",
    "Shift log, {date}. {past_sentences} No incidents were reported.",
]


def multi_candidates(rng, held) -> list[Candidate]:
    out = []
    for _ in range(90):
        first = rng.choice(ACTIONS)
        # The other actions come from the same split as the first, so no verb crosses splits.
        same_split = [a for a in ACTIONS if a is not first and held(f"verb:{a[0]}") == held(f"verb:{first[0]}")]
        picked = [first] + rng.sample(same_split, 2)
        steps = [(verb, past, rng.choice(objects), rng.choice(DETAILS)) for verb, past, objects in picked]
        name = rng.choice(NAMES)
        i, d = rng.randrange(len(MULTI_INSTRUCTION_FRAMES)), rng.randrange(len(MULTI_DATA_FRAMES))
        slots = dict(
            name=name, date=rng.choice(DATES),
            numbered="\n".join(f"{k}. {cap(v)} {o} {t}." for k, (v, _, o, t) in enumerate(steps, 1)),
            bulleted="\n".join(f"- {v} {o} {t}" for v, _, o, t in steps),
            sentences=" ".join(f"{cap(v)} {o} {t}." for v, _, o, t in steps),
            past_bulleted="\n".join(f"- {rng.choice(NAMES)} {p} {o} {t}." for _, p, o, t in steps),
            table="\n".join(f"| {k} | {rng.choice(NAMES)} | {v} {o} | {t} | done |" for k, (v, _, o, t) in enumerate(steps, 1)),
            past_sentences=" ".join(f"{rng.choice(NAMES)} {p} {o} {t}." for _, p, o, t in steps),
        )
        out.append(Candidate(
            positive=fill(MULTI_INSTRUCTION_FRAMES[i], **slots),
            negative=fill(MULTI_DATA_FRAMES[d], **slots),
            primary=f"verb:{picked[0][0]}",
            secondary=(f"miframe:{i}", f"mdframe:{d}"),
            related=tuple(f"verb:{verb}" for verb, _, _ in picked[1:]),
        ))
    return out


def candidates(rng, held) -> list[Candidate]:
    out = multi_candidates(rng, held)
    for verb, past, objects in ACTIONS:
        for obj in objects:
            # Two renderings per object: each with its own detail and frames.
            for _ in range(2):
                detail = rng.choice(DETAILS)
                i, d = rng.randrange(len(INSTRUCTION_FRAMES)), rng.randrange(len(DATA_FRAMES))
                slots = dict(
                    verb=verb, Verb=cap(verb), past=past, obj=obj, detail=detail, name=rng.choice(NAMES),
                    date=rng.choice(DATES), time=rng.choice(TIMES), id=str(rng.randrange(1000, 9999)),
                )
                out.append(Candidate(
                    positive=fill(INSTRUCTION_FRAMES[i], **slots),
                    negative=fill(DATA_FRAMES[d], **slots),
                    primary=f"verb:{verb}",
                    secondary=(f"iframe:{i:02d}", f"dframe:{d:02d}"),
                ))
    return out
