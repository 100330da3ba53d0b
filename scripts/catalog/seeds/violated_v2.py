"""violated vs expected, v2: more rule families, checkable outputs, arithmetic records and scenarios.

- Rule families (28): a stated rule or policy with a limit (opening hours, speed limits, return windows,
  dosage, quotas, game rules…), then an outcome that keeps or breaks it, stated matter-of-factly.
- Checkable outputs (12 functions: sorting, reversing, upper-casing, summing, maximum, length, rounding,
  absolute value, counting words, deduplicating, a date's weekday after adding a day, a percentage):
  a stated operation on a concrete input, then the right result vs a wrong one, in a REPL, a test log,
  a worked example or a chat answer.
- Records: receipts, timesheets and scoreboards whose total matches vs does not match the lines above.
- Scenarios: hand-written set-ups with an ordinary vs an impossible or rule-breaking outcome.
Primary split key: the family (rule family, function, record kind, scenario).
"""
from __future__ import annotations

from common import Candidate
from seeds import formats

# (family, rule sentences with {limit}, outcomes with {value}, limits, ok side, bad side, unit)
RULES = [
    ("speed", ["The speed limit on this road is {limit} km/h.", "Trucks may not exceed {limit} km/h here."],
     ["The camera recorded the van at {value} km/h and no fine was issued.", "Our GPS showed {value} km/h the whole way."], [30, 50, 80], "below", "above"),
    ("returns", ["Returns are accepted within {limit} days of purchase.", "You can exchange items up to {limit} days after delivery."],
     ["She brought the jacket back after {value} days and got a refund.", "He returned it on day {value} and the shop took it back."], [14, 30], "below", "above"),
    ("quiet_hours", ["Quiet hours in the building start at {limit} p.m.", "No music after {limit} p.m., says the house rule."],
     ["Our neighbour's band rehearsed until {value} p.m. that night.", "The party upstairs played loud music until {value} p.m."], [9, 10], "before", "after"),
    ("carry_on", ["Hand luggage may hold liquids of at most {limit} ml per container.", "Containers over {limit} ml are not allowed in the cabin."],
     ["Her shampoo bottle held {value} ml and went through security.", "I carried a {value} ml bottle of water onto the plane."], [100], "below", "above"),
    ("library", ["You may borrow up to {limit} books at a time.", "Members can check out at most {limit} items."],
     ["The librarian checked out {value} books to me at once.", "He left the library with {value} books on his card."], [5, 8, 10], "below", "above"),
    ("screen_time", ["The kids are allowed {limit} minutes of games on school nights.", "Our rule is {limit} minutes of screen time after homework."],
     ["On Tuesday Leo played for {value} minutes and then went to bed.", "Maya's tablet showed {value} minutes of games that evening."], [30, 45, 60], "below", "above"),
    ("parking", ["Parking here is limited to {limit} hours.", "Visitors may park for at most {limit} hours."],
     ["The blue car stayed {value} hours and the warden let it be.", "We parked for {value} hours without a ticket."], [2, 3, 4], "below", "above"),
    ("word_limit", ["The essay must be at most {limit} words.", "Abstracts are limited to {limit} words."],
     ["Her submission had {value} words and was accepted.", "Mine came to {value} words and went into review."], [250, 500, 1000], "below", "above"),
    ("minimum_order", ["Free delivery applies to orders over {limit} euros.", "The shop delivers for free above {limit} euros."],
     ["My order was {value} euros and delivery was free.", "I spent {value} euros and paid no delivery fee."], [30, 50], "above", "below"),
    ("height", ["Riders must be at least {limit} cm tall.", "The slide is for children of {limit} cm and over."],
     ["A boy of {value} cm was let onto the ride.", "The attendant waved through a girl who measured {value} cm."], [120, 140], "above", "below"),
    ("fasting", ["Patients must not eat for {limit} hours before the scan.", "No food for {limit} hours before surgery."],
     ["He had his last meal {value} hours before the scan, and it went ahead.", "She ate {value} hours before and the surgery went on as planned."], [6, 8, 12], "above", "below"),
    ("interest", ["The card charges {limit} percent interest a year.", "The loan's annual rate is fixed at {limit} percent."],
     ["The statement shows interest at {value} percent for the year.", "This year's interest came to {value} percent."], [4, 12, 19], "equal", "above"),
    ("card_deal", ["In this game each player is dealt {limit} cards.", "The rules say every hand starts with {limit} cards."],
     ["Everyone at the table got {value} cards and the round began.", "I counted my hand: {value} cards, and nobody objected."], [5, 7], "equal", "above"),
    ("football_subs", ["Each team may make {limit} substitutions in the match.", "The league allows {limit} substitutes per game."],
     ["The home side made {value} substitutions and the result stood.", "By full time they had used {value} substitutes."], [3, 5], "below", "above"),
    ("visa", ["Tourists may stay up to {limit} days without a visa.", "The visa-free stay is limited to {limit} days."],
     ["He stayed {value} days and left without any trouble at the border.", "She spent {value} days there and flew home as planned."], [30, 90], "below", "above"),
    ("bed_time", ["Lights out at the camp is at {limit} p.m.", "The hostel doors lock at {limit} p.m."],
     ["The cabin's lights were still on at {value} p.m. and the counsellor said nothing.", "We got in at {value} p.m. and walked straight through the front door."], [10, 11], "before", "after"),
    ("overtime", ["Staff may work at most {limit} hours a week.", "The contract caps the week at {limit} hours."],
     ["Her timesheet shows {value} hours last week.", "He logged {value} hours that week, all approved."], [40, 48], "below", "above"),
    ("pool_depth", ["Diving is only allowed where the water is deeper than {limit} m.", "No diving in water under {limit} m deep."],
     ["The boys dived in where the depth marker said {value} m.", "She dived where the water was {value} m deep."], [2], "above", "below"),
    ("bag_count", ["Each passenger may check in {limit} bags.", "The fare includes {limit} checked bags."],
     ["The family of one checked in {value} bags at no extra cost.", "I checked {value} bags and paid nothing extra."], [1, 2], "below", "above"),
    ("tickets", ["The concert allows {limit} tickets per customer.", "Each account can buy at most {limit} tickets."],
     ["One account bought {value} tickets in a single order.", "He purchased {value} tickets for the show at once."], [4, 6], "below", "above"),
    ("voting_age", ["You have to be {limit} to vote in this election.", "The voting age here is {limit}."],
     ["A {value}-year-old cast a ballot at the school polling station.", "Her {value}-year-old brother voted too."], [18], "above", "below"),
    ("baggage_weight", ["The bike rack carries at most {limit} kg.", "The balcony is rated for {limit} kg."],
     ["We loaded it with {value} kg and it held fine.", "They put {value} kg on it for the party."], [30, 60], "below", "above"),
    ("cooking_time", ["The recipe says to bake the bread for {limit} minutes.", "The packet says: cook the pasta for {limit} minutes."],
     ["I took it out after {value} minutes, as written.", "After {value} minutes it was done."], [10, 35], "equal", "above"),
    ("warranty", ["The warranty covers repairs for {limit} years.", "Parts are guaranteed for {limit} years."],
     ["The phone broke after {value} years and the repair was free under warranty.", "After {value} years the dryer failed and they fixed it for free under the guarantee."], [1, 2], "below", "above"),
    ("pin_attempts", ["The card locks after {limit} wrong PIN entries.", "After {limit} failed logins the account is locked."],
     ["I got it wrong {value} times and could still try again.", "She failed {value} times in a row and the next try was still allowed."], [3, 5], "below", "above"),
    ("class_size", ["Classes at the school have at most {limit} pupils.", "The workshop is limited to {limit} participants."],
     ["This term's class has {value} pupils.", "{value} people took part in Saturday's workshop."], [20, 25], "below", "above"),
    ("fuel", ["The tank holds {limit} litres.", "The canister's capacity is {limit} litres."],
     ["We put in {value} litres and it didn't overflow.", "The pump stopped after {value} litres, the tank was full."], [40, 50], "equal", "above"),
    ("ice_thickness", ["Skating on the lake is allowed once the ice is {limit} cm thick.", "The club only opens the rink at {limit} cm of ice."],
     ["Today the ice measured {value} cm and the lake was opened for skating.", "With {value} cm of ice they opened the rink."], [10, 15], "above", "below"),
]


def values(limit: int, side: str) -> list[int]:
    span = max(1, limit // 4)
    return {"below": [max(1, limit - span), max(1, limit - 1)] if limit > 1 else [limit],
            "before": [limit - 1], "equal": [limit],
            "above": [limit + span, limit + 2 * span + 1], "after": [limit + 1, limit + 2]}[side]


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WORDS = ["river", "lamp", "orange", "window", "tiger", "cloud", "pencil", "garden", "mirror", "rocket", "bread", "violin"]


def io_case(rng, fn: str):
    """(description, input text, right output, wrong output) for one function on a random input."""
    if fn == "sort":
        xs = rng.sample(range(1, 60), rng.randrange(4, 7))
        wrong = sorted(xs)
        i = rng.randrange(len(wrong) - 1)
        wrong[i], wrong[i + 1] = wrong[i + 1], wrong[i]
        return "sorts a list in ascending order", str(xs), str(sorted(xs)), str(wrong)
    if fn == "reverse":
        w = rng.choice(WORDS)
        return "reverses a string", f"'{w}'", f"'{w[::-1]}'", f"'{w[::-1][1:] + w[-1:]}'" if w[::-1][1:] + w[-1:] != w[::-1] else f"'{w}'"
    if fn == "upper":
        w = " ".join(rng.sample(WORDS, 2))
        return "converts text to upper case", f"'{w}'", f"'{w.upper()}'", f"'{w.upper()[:-1] + w[-1]}'"
    if fn == "sum":
        xs = [rng.randrange(1, 40) for _ in range(rng.randrange(3, 6))]
        return "adds up the numbers", str(xs), str(sum(xs)), str(sum(xs) + rng.choice([-2, -1, 1, 3, 10]))
    if fn == "max":
        xs = rng.sample(range(1, 99), rng.randrange(4, 7))
        return "returns the largest number", str(xs), str(max(xs)), str(sorted(xs)[-2])
    if fn == "length":
        w = rng.choice(WORDS) + rng.choice(WORDS)
        return "counts the characters in a string", f"'{w}'", str(len(w)), str(len(w) + rng.choice([-1, 1, 2]))
    if fn == "round":
        x = rng.randrange(100, 999) / 100
        return "rounds to one decimal place", str(x), f"{round(x, 1):.1f}", f"{round(x, 1) + 0.1:.1f}"
    if fn == "abs":
        x = -rng.randrange(2, 90)
        return "returns the absolute value", str(x), str(-x), str(x)
    if fn == "words":
        ws = rng.sample(WORDS, rng.randrange(3, 6))
        return "counts the words in a sentence", "'" + " ".join(ws) + "'", str(len(ws)), str(len(ws) - 1)
    if fn == "dedupe":
        xs = [rng.randrange(1, 6) for _ in range(6)]
        seen = list(dict.fromkeys(xs))
        return "removes duplicates, keeping the first of each", str(xs), str(seen), str(seen + [seen[0]])
    if fn == "next_day":
        d = rng.randrange(7)
        return "gives the weekday after the one given", WEEKDAYS[d], WEEKDAYS[(d + 1) % 7], WEEKDAYS[(d + 2) % 7]
    if fn == "percent":
        a, b = rng.choice([(10, 200), (25, 80), (50, 30), (20, 45), (75, 40), (5, 300)])
        right = a * b / 100
        return "takes a percentage of a number", f"{a}% of {b}", f"{right:g}", f"{right * 2:g}"
    raise ValueError(fn)


IO_FUNCTIONS = ["sort", "reverse", "upper", "sum", "max", "length", "round", "abs", "words", "dedupe", "next_day", "percent"]
IO_FRAMES = [
    ("repl", ">>> f({inp})  # f {desc}\n{out}"),
    ("test", "test: f {desc}\ninput: {inp}\noutput: {out}"),
    ("example", "Worked example. The function {desc}. Given {inp}, it returns {out}."),
    ("chat", "User: I ran the helper that {desc} on {inp}.\nUser: It gave me {out}."),
    ("doc", "Docs: `f` {desc}.\nExample: f({inp}) == {out}"),
    ("log", "[job 42] step 'f' ({desc}) input={inp} result={out}"),
]

ITEMS = [("coffee", 3.20), ("croissant", 2.40), ("orange juice", 3.90), ("sandwich", 6.50), ("salad", 8.10), ("water", 1.50),
         ("notebook", 4.25), ("pens (3)", 2.99), ("stapler", 7.80), ("bread", 2.70), ("cheese", 5.60), ("apples", 3.15)]


def record(rng, kind: str):
    if kind == "receipt":
        lines = rng.sample(ITEMS, rng.randrange(2, 5))
        total = sum(p for _, p in lines)
        body = "\n".join(f"{n:<14}{p:>6.2f}" for n, p in lines)
        wrong = total + rng.choice([1.0, 2.5, -1.2, 10.0])
        head = rng.choice(["CAFÉ LUNA", "Corner Shop", "Office Supplies Ltd", "Green Market"])
        return f"{head}\n{body}\nTOTAL", f"{total:.2f}", f"{wrong:.2f}"
    if kind == "timesheet":
        days = rng.sample(WEEKDAYS[:5], 3)
        hours = [rng.randrange(4, 10) for _ in days]
        body = "\n".join(f"{d}: {h} h" for d, h in zip(days, hours))
        return f"Timesheet, {rng.choice(formats.NAMES)}\n{body}\nTotal:", f"{sum(hours)} h", f"{sum(hours) + rng.choice([1, 2, -1, 5])} h"
    if kind == "score":
        rounds = [rng.randrange(0, 10) for _ in range(4)]
        body = ", ".join(f"round {i + 1}: {r}" for i, r in enumerate(rounds))
        return f"Quiz night, team {rng.choice(['Owls', 'Foxes', 'Pandas', 'Otters'])}: {body}. Final score:", str(sum(rounds)), str(sum(rounds) + rng.choice([2, 3, -2]))
    if kind == "stock":
        start, sold, delivered = rng.randrange(20, 60), rng.randrange(1, 20), rng.randrange(5, 30)
        return (f"Stock of {rng.choice(['blue mugs', 'size 40 boots', 'AA batteries', 'oat milk'])}: {start} at opening, "
                f"{sold} sold, {delivered} delivered. Count at closing:", str(start - sold + delivered), str(start - sold))
    raise ValueError(kind)


SCENARIOS = [
    ("The recipe calls for two eggs, and Ana cracked two eggs into the bowl.", "The batter came out smooth.", "The bowl held five eggs."),
    ("The meeting invite said 3 p.m. in room 4.", "At 3 p.m. everyone was in room 4.", "At 3 p.m. everyone was in room 4, and the invite had always said 9 a.m. in the basement."),
    ("Every key on the ring is labelled with the door it opens.", "The key labelled 'shed' opened the shed.", "The key labelled 'shed' opened the car, the shed and the neighbour's front door."),
    ("The twins were born ten minutes apart.", "Each year they celebrate their birthday on the same day.", "One of them is now seven years older than the other."),
    ("The thermostat was set to 21 degrees all day.", "The living room stayed comfortably warm.", "By evening the living room was minus five with the heating running."),
    ("The shop's sign says 'Closed on Sundays'.", "On Sunday the shutters were down.", "On Sunday the shop was open and the sign still said closed on Sundays."),
    ("He bought a one-way ticket from Madrid to Lisbon.", "The ticket got him to Lisbon.", "The ticket was valid back to Madrid too and then on to Rome."),
    ("The bridge was closed for repairs all week.", "We drove the long way round.", "Cars crossed it all week as usual."),
    ("She posted the letter first class on Monday.", "It arrived on Tuesday.", "It arrived the previous Friday."),
    ("The plant was kept in a dark cupboard for a month.", "Its leaves turned pale and yellow.", "It grew greener and taller than the ones on the windowsill."),
    ("The team trailed 0-3 at half-time and scored once after the break.", "They lost 1-3.", "They won 1-3."),
    ("The hotel room was booked for two nights from Friday.", "We checked out on Sunday morning.", "We checked out on Sunday morning, and the bill was for nine nights."),
    ("The printer was out of paper.", "Nothing came out when I pressed print.", "It printed fifty pages with no paper in the tray."),
    ("The museum allows no photography.", "We kept our cameras in our bags.", "The guard asked us to take as many flash photos as we liked."),
    ("The shop rounds all prices to the nearest cent.", "My change was 1.35.", "My change was 1.3472."),
    ("The alarm was set for 6:30.", "It rang at 6:30.", "It rang at 6:30 the previous evening."),
    ("The lease ends on 31 March.", "We moved out at the end of March.", "The landlord asked us to leave in the first week of January, as the lease said."),
    ("A week has seven days.", "Our course met every day for a week, seven sessions in all.", "Our course met every day for a week, eleven sessions in all."),
    ("The train has only second-class carriages.", "We sat in second class.", "We sat in first class on that train."),
    ("Mia is older than Ben, and Ben is older than Sara.", "So Mia is older than Sara.", "So Sara is older than Mia."),
    ("The cup is full to the brim.", "A drop more made it spill.", "I poured in another litre and it did not spill."),
    ("The lights in the flat are on a timer that turns them off at midnight.", "At one in the morning the flat was dark.", "At one in the morning the timer had turned every light on."),
    ("The jar says 'best before June 2024', and it is now December 2026.", "We threw it away.", "The jar said it was still two years from its best-before date."),
    ("The dice is an ordinary six-sided one.", "She rolled a four.", "She rolled a nine."),
    ("All the rooms on this floor are non-smoking.", "Nobody smoked in room 312.", "Room 312 came with ashtrays and a smoking permit."),
]


# Neutral story openings shared by both sides, for longer items.
STORY_OPENINGS = [
    "It had been a long week. The weather turned on Tuesday, two people called in sick, and by Friday everyone was counting the hours.",
    "This happened last month, and I still think about it. I was visiting my sister for the weekend and we had planned very little.",
    "Our town is small, everyone knows everyone, and most days nothing unusual happens. The council meets once a month in the old school.",
    "I keep a notebook for things like this. Nothing dramatic, just the small details of the day, written down in the evening.",
    "The new manager started in January. She is friendly and organised, and she put up a lot of notices in the first week.",
]


def candidates(rng, held) -> list[Candidate]:
    out = []
    for name, rules, outcomes, limits, ok_side, bad_side in RULES:
        for r, rule in enumerate(rules):
            for o, outcome in enumerate(outcomes):
                for limit in limits:
                    ok = rng.choice(values(limit, ok_side))
                    bad = rng.choice(values(limit, bad_side))
                    setup = rule.replace("{limit}", str(limit))
                    if rng.random() < 0.15:
                        setup = rng.choice(STORY_OPENINGS) + " " + setup
                    cname, wrap = formats.container(rng)
                    out.append(Candidate(
                        positive=wrap(f"{setup} {outcome.replace('{value}', str(bad))}"),
                        negative=wrap(f"{setup} {outcome.replace('{value}', str(ok))}"),
                        primary=f"rule2:{name}", secondary=(f"rule2frame:{name}{r}{o}",), family=f"rule:{name}",
                    ))
    for fn in IO_FUNCTIONS:
        for _ in range(60):
            desc, inp, right, wrong = io_case(rng, fn)
            if right == wrong:
                continue
            f = rng.randrange(len(IO_FRAMES))
            kind, frame = IO_FRAMES[f]
            text = lambda out: frame.replace("{desc}", desc).replace("{inp}", inp).replace("{out}", out)
            out.append(Candidate(positive=text(wrong), negative=text(right), primary=f"io:{fn}",
                                 secondary=(f"ioframe:{kind}",), family=f"io:{kind}"))
    for kind in ["receipt", "timesheet", "score", "stock"]:
        for _ in range(45):
            head, right, wrong = record(rng, kind)
            out.append(Candidate(positive=f"{head} {wrong}", negative=f"{head} {right}", primary=f"record:{kind}",
                                 secondary=(), family=f"record:{kind}"))
    for i, (setup, expected, violated) in enumerate(SCENARIOS):
        for _ in range(2):
            cname, wrap = formats.container(rng)
            opening = rng.choice(STORY_OPENINGS) + " " if rng.random() < 0.3 else ""
            out.append(Candidate(positive=wrap(f"{opening}{setup} {violated}"), negative=wrap(f"{opening}{setup} {expected}"),
                                 primary=f"scenario2:{i:02d}", secondary=(), family="scenario2"))
    return out
