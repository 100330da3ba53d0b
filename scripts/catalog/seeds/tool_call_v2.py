"""tool_call vs natural_language, v2: more tools, more call syntaxes, calls with lead-in text, registers.

Adds 40 tools (developer, home, health, office, travel, data tools) to the v1 set, and renders every
tool (v1's and these) in eight more syntaxes: an XML-style `<invoke>` block with `<parameter>` tags,
`<function=name>{json}</function>`, a positional `name(a, b)` call, a bracketed `[name(k=v)]` list, a
Gemini-style `functionCall`, an MCP `tools/call` JSON-RPC request, a YAML-style block and a
shell-style `tool --flag value` line; sometimes after a short lead-in ("Let me check that.") that the
natural-language side shares. The natural-language side is the same request in words, in several
registers (as written, lower-case, with typos). About one candidate in six is not a
twin: its negative is prose *about* tools or APIs that calls nothing ("the search endpoint timed out
again"), so neither JSON-ish words nor function names alone mark a call.
Primary split key: the tool (as in v1; the same hash, so a tool is held out in both modules alike).
"""
from __future__ import annotations

import json

from common import Candidate, fill
from seeds import formats
from seeds.tool_call import TOOLS as V1_TOOLS, draw as v1_draw, py_value, random_id, v

TOOLS = {
    "run_sql": ([("query", [v("SELECT count(*) FROM orders WHERE status = 'open'", "how many orders are still open"),
                            v("SELECT name FROM users ORDER BY created_at DESC LIMIT 5", "the five newest users")])],
                ["Run a query on the database: {query}.", "Check the database for {query}.", "I need {query} from the db."]),
    "git_commit": ([("message", [v("Fix typo in README"), v("Bump version to 2.4.1"), v("Add retry to upload job")]),
                    ("all", [v(True, "all changed files"), v(False, "only the staged files")])],
                   ["Commit {all} with the message \"{message}\".", "Make a commit of {all}, message: {message}."]),
    "open_pull_request": ([("branch", [v("feature/dark-mode"), v("fix/login-timeout"), v("docs/api-examples")]),
                           ("title", [v("Dark mode for settings"), v("Raise login timeout"), v("More API examples")])],
                          ["Open a pull request from {branch} titled \"{title}\".", "Create a PR for {branch}, call it {title}."]),
    "restart_service": ([("service", [v("nginx"), v("payments-api"), v("redis-cache"), v("worker-queue")]),
                         ("environment", [v("staging"), v("production"), v("dev")])],
                        ["Restart {service} on {environment}.", "Can you bounce the {service} service in {environment}?"]),
    "get_logs": ([("service", [v("checkout"), v("auth"), v("search-indexer")]), ("since_minutes", [v(15), v(60), v(240)])],
                 ["Show me the {service} logs from the last {since_minutes} minutes.", "Pull the last {since_minutes} minutes of {service} logs."]),
    "scale_deployment": ([("deployment", [v("web-frontend"), v("image-resizer"), v("api-gateway")]), ("replicas", [v(2), v(4), v(8)])],
                         ["Scale {deployment} to {replicas} replicas.", "Set {deployment} to run {replicas} copies."]),
    "water_plants": ([("zone", [v("front lawn"), v("greenhouse"), v("balcony pots")]), ("minutes", [v(5), v(10), v(20)])],
                     ["Water the {zone} for {minutes} minutes.", "Turn on the sprinklers for the {zone}, {minutes} minutes."]),
    "start_oven": ([("temperature_c", [v(180, "180 degrees"), v(200, "200 degrees"), v(220, "220 degrees")]), ("mode", [v("fan"), v("grill"), v("conventional")])],
                   ["Preheat the oven to {temperature_c} on {mode}.", "Turn the oven on, {mode} mode, {temperature_c}."]),
    "open_garage": ([("door", [v("left"), v("right"), v("both")])], ["Open the {door} garage door.", "Can you open the garage, {door} door?"]),
    "arm_alarm": ([("mode", [v("away"), v("night"), v("perimeter")])], ["Arm the alarm in {mode} mode.", "Set the house alarm to {mode}."]),
    "log_medication": ([("name", [v("ibuprofen"), v("vitamin D"), v("amoxicillin")]), ("dose_mg", [v(200), v(400), v(500)])],
                       ["Log that I took {dose_mg} mg of {name}.", "Note down {name}, {dose_mg} milligrams, taken now."]),
    "book_appointment": ([("clinic", [v("Dr. Meyer's practice"), v("the eye clinic"), v("the physio on Elm Street")]),
                          ("date", [v("2025-04-03", "April 3"), v("2025-04-10", "April 10")]), ("time", [v("08:15", "8:15"), v("16:30", "4:30 p.m.")])],
                         ["Book me in at {clinic} on {date} at {time}.", "I need an appointment with {clinic}, {date}, {time}."]),
    "track_sleep": ([("hours", [v(6.5, "six and a half hours"), v(8, "eight hours"), v(5, "five hours")])],
                    ["Record {hours} of sleep for last night.", "Log last night's sleep: {hours}."]),
    "create_spreadsheet": ([("title", [v("Q2 budget"), v("Wedding guests"), v("Reading list")]), ("columns", [v(["name", "email", "rsvp"], "name, email and rsvp"), v(["item", "cost", "paid"], "item, cost and paid")])],
                           ["Make a new spreadsheet called {title} with columns {columns}.", "Create a sheet named \"{title}\"; columns: {columns}."]),
    "share_document": ([("document", [v("Board minutes March"), v("Pitch deck v3"), v("Holiday rota")]), ("email", [v("anna@example.com"), v("hr@example.org")]), ("role", [v("viewer", "view-only"), v("editor", "edit")])],
                       ["Share {document} with {email}, {role} access.", "Give {email} {role} access to the {document} document."]),
    "print_document": ([("document", [v("boarding-pass.pdf"), v("invoice-0412.pdf"), v("seating-plan.docx")]), ("copies", [v(1), v(2), v(5)])],
                       ["Print {copies} copies of {document}.", "Send {document} to the printer, {copies} copies."]),
    "translate_document": ([("file", [v("contract.docx"), v("menu.pdf"), v("manual.txt")]), ("target_language", [v("de", "German"), v("pt", "Portuguese"), v("ko", "Korean")])],
                           ["Translate {file} into {target_language}.", "I need {file} in {target_language}."]),
    "check_in_flight": ([("booking_ref", [v("QX7P2L"), v("ZK4M9A"), v("HB2T6R")]), ("seat", [v("12A", "a window seat, 12A"), v("30C", "an aisle seat, 30C")])],
                        ["Check me in for booking {booking_ref} and take {seat}.", "Do the online check-in for {booking_ref}; I'd like {seat}."]),
    "find_train": ([("from_station", [v("Bologna"), v("Utrecht"), v("Lyon")]), ("to_station", [v("Florence"), v("Amsterdam"), v("Marseille")]), ("depart_after", [v("07:00", "7 a.m."), v("18:00", "6 p.m.")])],
                   ["Find a train from {from_station} to {to_station} leaving after {depart_after}.", "Trains {from_station} to {to_station}, after {depart_after}?"]),
    "get_visa_requirements": ([("nationality", [v("Brazilian"), v("Indian"), v("Canadian")]), ("destination", [v("Japan"), v("Kenya"), v("Turkey")])],
                              ["Do {nationality} citizens need a visa for {destination}?", "Visa rules for a {nationality} passport going to {destination}?"]),
    "query_metrics": ([("metric", [v("p99_latency_ms", "p99 latency"), v("error_rate", "error rate"), v("signups", "sign-ups")]), ("window", [v("24h", "the last day"), v("7d", "the last week")])],
                      ["What's the {metric} over {window}?", "Pull {metric} for {window}."]),
    "plot_chart": ([("data_file", [v("sales.csv"), v("temps.csv"), v("visits.csv")]), ("kind", [v("line", "a line chart"), v("bar", "a bar chart")])],
                   ["Plot {data_file} as {kind}.", "Make {kind} from {data_file}."]),
    "send_slack_message": ([("channel", [v("#release"), v("#design"), v("#random")]), ("text", [v("Deploy done, all green."), v("Standup moved to 10:15."), v("Cake in the kitchen!")])],
                           ["Post in {channel}: {text}", "Tell {channel} \"{text}\""]),
    "add_task": ([("title", [v("Renew passport"), v("Call the plumber"), v("Submit timesheet")]), ("due", [v("2025-05-01", "May 1"), v("2025-03-21", "March 21")]), ("priority", [v("high"), v("low")])],
                 ["Add a {priority}-priority task \"{title}\" due {due}.", "New to-do: {title}, due {due}, {priority} priority."]),
    "get_definition": ([("term", [v("photosynthesis"), v("amortization"), v("idempotent")])], ["What does {term} mean?", "Define {term} for me."]),
    "spell_check": ([("text", [v("Recieve the pakage tommorow"), v("Their going too the libary")])], ["Fix the spelling in: {text}", "Spell-check this: {text}"]),
    "generate_password": ([("length", [v(16), v(24), v(32)]), ("symbols", [v(True, "with symbols"), v(False, "without symbols")])],
                          ["Generate a {length}-character password {symbols}.", "Make me a password, {length} characters, {symbols}."]),
    "estimate_shipping": ([("weight_kg", [v(0.5), v(2), v(12)]), ("to_country", [v("Poland"), v("Canada"), v("Chile")])],
                          ["How much to ship {weight_kg} kg to {to_country}?", "Shipping cost for a {weight_kg} kg parcel to {to_country}?"]),
    "find_pharmacy": ([("near", [v("Gare du Nord"), v("Piazza Navona"), v("Alexanderplatz")]), ("open_now", [v(True, "open right now"), v(False, "open at any time")])],
                      ["Find a pharmacy near {near}, {open_now}.", "Which pharmacies near {near} are {open_now}?"]),
    "get_word_count": ([("file", [v("thesis_ch2.docx"), v("essay_final.txt")])], ["How many words are in {file}?", "Word count of {file}?"]),
    "compress_files": ([("files", [v(["a.jpg", "b.jpg"], "a.jpg and b.jpg"), v(["report.pdf", "data.csv"], "report.pdf and data.csv")]), ("archive", [v("photos.zip"), v("handover.zip")])],
                      ["Zip {files} into {archive}.", "Put {files} in an archive called {archive}."]),
    "start_recording": ([("source", [v("screen"), v("microphone"), v("camera")]), ("seconds", [v(30), v(120)])],
                        ["Record the {source} for {seconds} seconds.", "Start a {seconds}-second {source} recording."]),
    "set_reminder_location": ([("text", [v("buy stamps"), v("return the library book")]), ("place", [v("the post office"), v("the library")])],
                              ["Remind me to {text} when I get to {place}.", "When I'm at {place}, remind me: {text}."]),
    "get_exchange_holidays": ([("country", [v("Japan"), v("Germany"), v("Brazil")]), ("year", [v(2025), v(2026)])],
                              ["List the public holidays in {country} for {year}.", "What are {country}'s bank holidays in {year}?"]),
    "refund_order": ([("order_id", [v("ORD-55120"), v("ORD-10977")]), ("reason", [v("damaged"), v("wrong size"), v("late delivery")])],
                     ["Refund order {order_id}, reason: {reason}.", "Please issue a refund for {order_id} because it was {reason}."]),
    "lookup_customer": ([("email", [v("k.tan@example.com"), v("r.moreau@example.net")])], ["Look up the customer with email {email}.", "Find the account for {email}."]),
    "block_number": ([("number", [v("+44 20 7946 0958"), v("+1 202 555 0147")])], ["Block {number}.", "Stop calls from {number}."]),
    "order_groceries": ([("items", [v(["milk", "eggs", "bread"], "milk, eggs and bread"), v(["apples", "rice"], "apples and rice")]), ("slot", [v("tomorrow 18:00-19:00", "tomorrow between six and seven")])],
                        ["Order {items} for delivery {slot}.", "Get {items} delivered {slot}."]),
    "navigate_to": ([("destination", [v("the nearest charging station"), v("Central Station"), v("home")]), ("avoid_tolls", [v(True, "avoiding tolls"), v(False, "tolls are fine")])],
                    ["Take me to {destination}, {avoid_tolls}.", "Navigate to {destination}; {avoid_tolls}."]),
    "identify_plant": ([("image", [v("IMG_2231.jpg"), v("leaf_photo.png")])], ["What plant is in {image}?", "Identify the plant in {image}."]),
}

ALL_TOOLS = {**V1_TOOLS, **TOOLS}


def draw(rng, name):
    if name in V1_TOOLS:
        return v1_draw(rng, name)
    arg_specs, _ = TOOLS[name]
    chosen = [(arg, rng.choice(values)) for arg, values in arg_specs]
    return [(arg, value) for arg, (value, _) in chosen], {arg: phrase for arg, (_, phrase) in chosen}


def yaml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(x) for x in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def flag_value(value) -> str:
    if isinstance(value, list):
        return ",".join(str(x) for x in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text.replace("'", "'\\''") + "'" if (" " in text or not text) else text


def render_v2(fmt: int, name: str, args, call_id: str) -> str:
    payload = {k: x for k, x in args}
    if fmt == 0:
        params = "".join(f"\n  <parameter name=\"{k}\">{x if not isinstance(x, (list, bool)) else json.dumps(x)}</parameter>" for k, x in args)
        return f"<invoke name=\"{name}\">{params}\n</invoke>"
    if fmt == 1:
        return f"<function={name}>{json.dumps(payload, ensure_ascii=False)}</function>"
    if fmt == 2:
        return f"{name}(" + ", ".join(py_value(x) for _, x in args) + ")"
    if fmt == 3:
        return f"[{name}(" + ", ".join(f"{k}={py_value(x)}" for k, x in args) + ")]"
    if fmt == 4:
        return json.dumps({"functionCall": {"name": name, "args": payload}}, ensure_ascii=False)
    if fmt == 5:
        return json.dumps({"jsonrpc": "2.0", "id": int(call_id[-3:], 36) % 1000, "method": "tools/call",
                           "params": {"name": name, "arguments": payload}}, ensure_ascii=False)
    if fmt == 6:
        return f"tool: {name}\nargs:\n" + "\n".join(f"  {k}: {yaml_value(x)}" for k, x in args)
    if fmt == 7:
        return f"$ {name.replace('_', '-')} " + " ".join(f"--{k.replace('_', '-')} {flag_value(x)}" for k, x in args)
    raise ValueError(fmt)


V2_FORMATS = 8
LEADS = ["", "", "", "Let me check that. ", "Sure. ", "On it:\n", "Calling the tool now.\n", "Okay, one moment.\n"]
NL_LEADS = ["", "", "", "Let me ask. ", "Sure. ", "Quick one:\n", "Question for you.\n", "Okay, one moment.\n"]

# Prose about tools or APIs that calls nothing (non-twin negatives).
ABOUT_TOOLS = [
    "The search endpoint timed out again this morning, so I'll try later.",
    "Our get_weather function returns Celsius by default; the docs say so.",
    "I read that tool calls are usually written as JSON, but I never tried it.",
    "Yesterday the payment API was down for an hour and nobody could check out.",
    "My manager wants the send_email helper renamed before the release.",
    "Function calling sounds complicated; can you explain the idea in plain words?",
    "The calendar integration stopped syncing after I changed my password.",
    "We decided not to give the assistant access to the database after all.",
    "I think the arguments were in the wrong order when I tried it in the console.",
    "The old booking system had a nicer interface than the new one.",
    "Can you recommend a good book about designing REST APIs?",
    "The thermostat app shows the wrong temperature since the update.",
    "Please don't run anything yet, I just want to talk through the plan.",
    "Last week the robot vacuum got stuck under the sofa twice.",
    "Our team spent the sprint cleaning up the logging code.",
    "I prefer writing SQL by hand, the query builder confuses me.",
]


# Shared context before the call or the request (longer texts; the same words on both sides).
CONTEXTS = [
    "Context: the user is planning a long weekend away with two friends in May and wants to keep costs low. They have "
    "already booked the flights and asked for help with the rest of the trip, one step at a time.",
    "Conversation so far: the user runs a small bakery, works early mornings and handles most of the admin in the evening. "
    "They asked for help getting through today's list before the shop opens.",
    "Earlier in this chat the user explained that they just moved into a new flat, are still unpacking, and have a lot of "
    "small things to sort out this week. The next item on their list follows.",
    "Background: the team is preparing for a product launch on Thursday. Several people are on holiday, so the remaining "
    "engineers are covering for each other, and the user is coordinating.",
    "Note from the previous turn: the user is looking after their elderly father this week and asked to keep things simple "
    "and quick, because they are often interrupted.",
    "Summary of the session: we have been going through the user's to-do list for about twenty minutes. Most items are done; "
    "a few remain, and the user wants them handled now.",
]


def candidates(rng, held) -> list[Candidate]:
    out = []
    for name in sorted(ALL_TOOLS):
        _, templates = ALL_TOOLS[name]
        for _ in range(12 if name in TOOLS else 6):
            args, phrases = draw(rng, name)
            fmt = rng.randrange(V2_FORMATS)
            k = rng.randrange(len(LEADS))
            rname, style = formats.register(rng)
            nl = style(NL_LEADS[k] + fill(rng.choice(templates), **phrases))
            call = LEADS[k] + render_v2(fmt, name, args, random_id(rng))
            twin = rng.random() >= 1 / 6
            if not twin:
                nl = style(rng.choice(ABOUT_TOOLS))
            if rng.random() < 0.15:
                context = rng.choice(CONTEXTS) + "\n\n"
                call, nl = context + call, context + nl
            # No containers here: a user turn or an email around a call would not be a call any more.
            out.append(Candidate(
                positive=call,
                negative=nl,
                primary=f"tool:{name}", secondary=(), family=f"syntax:{fmt}", twin=twin,
            ))
    return out
