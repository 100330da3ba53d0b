"""uncertain vs confident: hedged statements vs the same claims stated with confidence.

Minimal pairs keep the claim word for word and change only how sure the speaker is. Three sources:
- CLAIMS x FRAME_PAIRS: a claim clause inside a hedging frame ("It is unclear whether …", "I think
  maybe …, but I'm not sure") vs a matched confident frame ("It is clear that …", plain assertion);
- HEDGED_PAIRS: hand-written sentences whose hedge sits inside the clause (a modal, "probably",
  "appears to") vs the same sentence without it;
- paragraphs: two or three claims of one domain, each hedged vs each asserted, in a register (chat
  answer, email, report, doctor's note, forecast).
The confident side is not marked as "certain" every time: most confident frames are plain assertions.
Primary split key: the claim (or hand-written pair); frames are a secondary key.
"""
from __future__ import annotations

from common import Candidate, cap, fill

# Claim clauses by domain. Each reads as a complete statement after "that".
CLAIMS = {
    "history": [
        "the bridge was built in 1932", "the treaty was signed in the spring of 1648", "the castle was abandoned after the fire",
        "the village was founded by fishermen", "the manuscript was written in Venice", "the general never visited the front",
        "the ship sank within twenty minutes", "the first library in the town opened in 1887", "the coins were minted under Emperor Hadrian",
        "the road follows an old Roman route", "the painting was sold to pay the family's debts", "the tower was used as a prison",
    ],
    "science": [
        "the compound breaks down at room temperature", "the comet returns every 76 years", "the enzyme is active only in acidic conditions",
        "the fossil is about 70 million years old", "the glacier has lost a third of its mass since 1980", "the signal came from a pulsar",
        "this species of frog can survive being frozen", "the virus spreads mainly through droplets", "the alloy becomes brittle below minus 40 degrees",
        "the lake formed after the last ice age", "the new battery chemistry doubles the energy density", "the meteorite contains traces of water",
    ],
    "health": [
        "the rash is caused by an allergic reaction", "the medication interacts with grapefruit juice", "the fracture will heal without surgery",
        "the headaches are linked to poor sleep", "the test result is a false positive", "the knee pain comes from a torn meniscus",
        "the child has outgrown the peanut allergy", "the infection is bacterial rather than viral", "the blood pressure drop was caused by the new pills",
        "the patient will be discharged on Thursday", "the symptoms are due to low iron", "the vaccine protects for at least ten years",
    ],
    "business": [
        "the merger will close before the end of the quarter", "sales fell because of the price increase", "the supplier is about to go bankrupt",
        "the new store will be profitable within a year", "the delay was caused by a customs problem", "the competitor is launching a cheaper model",
        "the budget will be approved at the next meeting", "the spike in returns comes from a faulty batch", "the CEO is stepping down in June",
        "demand will recover by the autumn", "the contract includes a penalty clause", "the office move will save forty thousand a year",
    ],
    "tech": [
        "the outage was caused by an expired certificate", "the memory leak is in the image cache", "the update fixes the login bug",
        "the database can handle twice the current load", "the crash happens only on older Android phones", "the API will be deprecated next year",
        "the slowdown comes from the new logging library", "the backup from Sunday is complete", "the attacker got in through a phishing email",
        "the test fails because of a race condition", "the new router covers the whole building", "the password reset emails are going to spam",
    ],
    "everyday": [
        "the shop on the corner closes at six", "the train to Bristol leaves from platform 4", "the parcel was delivered to the neighbour",
        "the meeting has been moved to Thursday", "the keys are in the blue jacket", "the concert starts at eight",
        "the landlord will fix the heating this week", "the dog ate the birthday cake", "the library is closed on Sunday",
        "the bus stop has moved to the other side of the road", "the restaurant takes cash only", "the neighbours are away until Monday",
        "the roof leak is coming from the chimney", "the car needs new brake pads", "the school trip is still going ahead",
        "Anna left the party before midnight", "the water will be back on by noon", "the museum is free on the first Sunday",
    ],
    "nature": [
        "the storm will reach the coast tonight", "the river will flood the lower fields", "the wolves have returned to the valley",
        "the drought is the worst in a century", "the oak in the square is over four hundred years old", "the birds left early because of the cold",
        "the bees are dying from a fungal disease", "the volcano is about to erupt", "the frost killed the apple blossom",
        "the whales pass this headland every April", "the forest fire was started by lightning", "the snow will melt by the weekend",
    ],
    "people": [
        "Marco wrote the anonymous letter", "the author based the novel on her grandmother", "the striker will join a club in Spain",
        "the senator knew about the payments", "the chef trained in Lyon", "the twins were separated at birth",
        "the singer recorded the album in one week", "the coach will be fired after this season", "the witness saw the driver's face",
        "the architect designed the station as well", "the mayor is running for a second term", "the painter went blind late in life",
    ],
    "economy": [
        "inflation will fall below three percent next year", "house prices in the city peaked in 2022", "the central bank will cut rates in March",
        "unemployment rose because of the factory closures", "the tax change mostly benefits small firms", "the currency is overvalued",
        "exports to Asia doubled last year", "the new tariff will raise food prices", "the region is heading into a recession",
        "the minimum wage increase did not reduce hiring",
    ],
}

# (hedged frame, confident frame); {c} is the clause, {C} the clause capitalized.
FRAME_PAIRS = [
    ("It is unclear whether {c}.", "It is clear that {c}."),
    ("I think maybe {c}, but I'm not sure.", "{C}, and I'm sure of it."),
    ("{C}, probably.", "{C}."),
    ("It might be that {c}.", "It is a fact that {c}."),
    ("There's a chance {c}, though I couldn't confirm it.", "{C}; I confirmed it this morning."),
    ("Some people say {c}, but the evidence is mixed.", "{C}, and the evidence is consistent."),
    ("I'm not certain, but I believe {c}.", "I'm certain that {c}."),
    ("As far as I can tell, {c}, though I could be wrong.", "{C}. There is no doubt about it."),
    ("Rumor has it that {c}.", "Records show that {c}."),
    ("It seems possible that {c}.", "It is well established that {c}."),
    ("If I remember correctly, {c}.", "For the record, {c}."),
    ("We can't rule out that {c}.", "We have confirmed that {c}."),
    ("Reportedly, {c}, but nobody has verified it.", "{C}, as the official report states."),
    ("My best guess is that {c}.", "{C}. That is settled."),
    ("It's hard to say for sure, but perhaps {c}.", "It's easy to say for sure: {c}."),
    ("Preliminary results suggest that {c}, but more data is needed.", "The final results show that {c}."),
    ("Q: Is it true that {c}?\nA: Possibly. I don't have enough information to say.", "Q: Is it true that {c}?\nA: Yes. {C}."),
    ("I suspect {c}, although I may have misread the notes.", "I know {c}; it's in the notes."),
    ("It's not impossible that {c}.", "It's definite that {c}."),
    ("From what little I've heard, {c}, maybe.", "From the full report: {c}."),
    ("{C}? I honestly don't know.", "{C}. I know that for certain."),
    ("Some sources claim {c}; others disagree.", "All sources agree that {c}."),
    ("It could well be that {c}, but don't quote me on it.", "{C}, and you can quote me on it."),
    ("Assistant: I'm not sure, but it's possible that {c}.", "Assistant: Yes, {c}."),
]

# Frames that speak of results and evidence read oddly about a dog or a bus stop.
RESEARCH_FRAMES = {5, 15, 21}
RESEARCH_DOMAINS = {"science", "health", "business", "tech", "economy", "nature", "history"}

# Hand-written: the hedge sits inside the sentence.
HEDGED_PAIRS = [
    ("The package will probably arrive on Thursday, but the tracking page hasn't updated.", "The package will arrive on Thursday; the tracking page shows it out for delivery."),
    ("She may have left her umbrella on the bus.", "She left her umbrella on the bus."),
    ("The repair seems to have fixed the noise, at least for now.", "The repair fixed the noise."),
    ("The numbers appear to add up, but I haven't checked every row.", "The numbers add up; I checked every row."),
    ("He could be the one who called yesterday.", "He is the one who called yesterday."),
    ("The crack in the wall might be getting wider.", "The crack in the wall is getting wider."),
    ("It looks like the printer is out of toner, maybe.", "The printer is out of toner."),
    ("The quote is possibly from Mark Twain, though it's often misattributed.", "The quote is from Mark Twain; it appears in his 1894 notebook."),
    ("Our flight might be delayed because of the fog.", "Our flight is delayed because of the fog."),
    ("The milk is perhaps a day past its date, I'm not sure.", "The milk is a day past its date."),
    ("The results suggest, tentatively, that the new fertilizer may increase yields.", "The results show that the new fertilizer increases yields by twelve percent."),
    ("I guess the meeting could run a bit over, if the client has questions.", "The meeting will run half an hour over; the client has sent twelve questions."),
    ("The noise is probably coming from the fridge, or possibly the boiler.", "The noise is coming from the fridge."),
    ("Maybe the shop has it in stock, maybe not; I'd call first.", "The shop has it in stock; I called this morning."),
    ("The data might indicate a seasonal pattern, but the sample is small.", "The data shows a clear seasonal pattern across all ten years."),
    ("It's conceivable that the contract has already expired.", "The contract expired last Friday."),
    ("Apparently the road is closed, though I only heard it secondhand.", "The road is closed; I drove past the barrier an hour ago."),
    ("The plant seems to need more light, if I'm reading the leaves right.", "The plant needs more light; its leaves are turning pale."),
    ("I'd estimate, very roughly, that the job will take somewhere around three days.", "The job will take three days."),
    ("It's likely, though not guaranteed, that the tickets will sell out.", "The tickets will sell out; only forty are left."),
    ("There may or may not be parking near the venue.", "There is parking right next to the venue."),
    ("Supposedly the café makes the best croissants in town.", "The café makes the best croissants in town."),
    ("He tends to be late, so he might miss the start.", "He will miss the start; he just texted that he's stuck in traffic."),
    ("In all likelihood the vote will be close, but polls have been wrong before.", "The vote will be close; every district has reported."),
    ("I have a vague feeling that we've met before, at a conference maybe.", "We've met before, at the Lisbon conference in 2019."),
    ("The leak could be from the dishwasher hose, or it might be the sink trap.", "The leak is from the dishwasher hose."),
    ("This mushroom is possibly edible, but I wouldn't eat it without an expert.", "This mushroom is edible; it's a common field mushroom."),
    ("I'm inclined to think the error is in the second formula, but I can't be sure.", "The error is in the second formula."),
    ("It's somewhat unclear whether the warranty covers water damage.", "The warranty does not cover water damage."),
    ("There's reason to suspect the sensor is miscalibrated.", "The sensor is miscalibrated by two degrees."),
    ("Perhaps the gate code was changed, or perhaps I'm typing it wrong.", "The gate code was changed on Monday."),
    ("The stain might come out with vinegar, I think, but no promises.", "The stain comes out with vinegar."),
    ("The new policy is arguably more generous, depending on how you count.", "The new policy is more generous: it adds five days of leave."),
    ("Based on limited information, the fire may have started in the kitchen.", "The fire started in the kitchen, the investigators concluded."),
    ("The painting is attributed, with some hesitation, to a student of Rembrandt.", "The painting is by a student of Rembrandt, as the signature confirms."),
    ("Assistant: I believe the capital of Australia is Canberra, but you may want to double-check.", "Assistant: The capital of Australia is Canberra."),
    ("Assistant: I might be wrong, but I think the function returns None when the list is empty.", "Assistant: The function returns None when the list is empty."),
    ("Assistant: It's hard to tell from the photo, but the rash could be eczema. A doctor should look at it.", "Assistant: From the photo, this is a typical eczema rash, as your doctor also said."),
    ("Code review: this loop might be quadratic? Not sure, I only skimmed it.", "Code review: this loop is quadratic; it calls list.index inside a for loop."),
    ("Weather note: there's maybe a 50-50 chance of showers this afternoon.", "Weather note: showers will start at 3 p.m. this afternoon."),
    ("Lab notebook: sample 12 possibly contaminated? To be rechecked.", "Lab notebook: sample 12 is contaminated; rechecked twice."),
    ("Meeting notes: launch date tentatively mid-May, could slip.", "Meeting notes: launch date is May 15, final."),
    ("Doctor's note: symptoms may be consistent with a mild sprain; an X-ray might be needed.", "Doctor's note: the X-ray shows a mild sprain; no fracture."),
    ("Customer support: your refund should probably appear within a few days, hopefully.", "Customer support: your refund was issued today and will appear within three days."),
    ("Inspector's remark: the wiring might not meet current code, but further inspection is needed.", "Inspector's remark: the wiring does not meet current code."),
    ("The shortcut may save time, or it may not, depending on traffic.", "The shortcut saves ten minutes at any time of day."),
    ("I wonder whether the recipe needs more salt; it tasted a bit flat, maybe.", "The recipe needs more salt; it tasted flat."),
    ("The intruder possibly came in through the window, but we found no prints.", "The intruder came in through the window; we found his prints on the sill."),
    ("It's debatable whether the goal should have counted.", "The goal should have counted; the replay shows he was onside."),
    ("I'm fairly but not completely sure the train stops at Reading.", "The train stops at Reading."),
]

# Paragraph registers: (opening, hedges for each sentence, confident openers)
REGISTERS = [
    ("Quick update:", ["I think", "it's possible that", "maybe"], ["", "", ""]),
    ("Summary of findings.", ["It appears that", "There is some indication that", "It may be that"], ["", "", ""]),
    ("Hi all,", ["From what I gather,", "I'm not sure, but", "possibly"], ["", "", ""]),
    ("Assistant:", ["I believe", "I'm not certain, but", "it seems that"], ["", "", ""]),
    ("Notes from the call:", ["Unconfirmed:", "Maybe:", "Not sure yet:"], ["Confirmed:", "Confirmed:", "Confirmed:"]),
]


# Longer: an email or report of four claims; each hedged differently vs each asserted.
LONG_HEDGES = ["I think", "It's possible that", "As far as I know,", "I'm not sure, but", "Apparently", "It might be that"]
LONG_FRAMES = [
    ("Hi Jo,\n\nQuick summary of where things stand. {body}\n\nLet me know what you think.\nSam", "email"),
    ("Incident report, draft 2\n\n{body}\n\nPrepared by the on-call team.", "report"),
    ("Dear residents,\n\nHere is an update after Tuesday's meeting. {body}\n\nThe residents' committee", "notice"),
]


def same_split_sample(rng, held, clauses: list[str], k: int) -> list[str]:
    """k claims of one domain that all sit in one split (claims are primary units; see Candidate.related)."""
    first = rng.choice(clauses)
    pool = [c for c in clauses if c != first and held(f"claim:{c}") == held(f"claim:{first}")]
    return [first] + rng.sample(pool, min(k - 1, len(pool)))


def long_candidates(rng, held) -> list[Candidate]:
    out = []
    for domain, clauses in CLAIMS.items():
        for _ in range(3):
            picked = same_split_sample(rng, held, clauses, 4)
            if len(picked) < 3:
                continue
            hedges = rng.sample(LONG_HEDGES, len(picked))
            frame, kind = LONG_FRAMES[rng.randrange(len(LONG_FRAMES))]
            hedged = " ".join(f"{h} {c}." for h, c in zip(hedges, picked))
            plain = " ".join(f"{cap(c)}." for c in picked)
            out.append(Candidate(
                positive=fill(frame, body=hedged), negative=fill(frame, body=plain),
                primary=f"claim:{picked[0]}", secondary=(f"longframe:{kind}",),
                related=tuple(f"claim:{c}" for c in picked[1:]),
            ))
    return out


def paragraph(opening: str, clauses: list[str], prefixes: list[str]) -> str:
    sentences = []
    for prefix, clause in zip(prefixes, clauses):
        if prefix == "maybe" or prefix == "possibly":
            sentences.append(f"{cap(clause)}, {prefix}.")
        elif prefix:
            sentences.append(f"{cap(prefix)} {clause}.")
        else:
            sentences.append(f"{cap(clause)}.")
    return opening + (" " if not opening.endswith(",") else "\n\n") + " ".join(sentences)


def candidates(rng, held) -> list[Candidate]:
    out = long_candidates(rng, held)
    for domain, clauses in CLAIMS.items():
        for clause in clauses:
            usable = [f for f in range(len(FRAME_PAIRS)) if domain in RESEARCH_DOMAINS or f not in RESEARCH_FRAMES]
            for f in rng.sample(usable, 3):
                hedged, confident = FRAME_PAIRS[f]
                out.append(Candidate(
                    positive=fill(hedged, c=clause, C=cap(clause)),
                    negative=fill(confident, c=clause, C=cap(clause)),
                    primary=f"claim:{clause}", secondary=(f"frame:{f:02d}",),
                ))
    for i, (hedged, confident) in enumerate(HEDGED_PAIRS):
        out.append(Candidate(positive=hedged, negative=confident, primary=f"hedged:{i:02d}", secondary=()))
    for domain, clauses in CLAIMS.items():
        for _ in range(6):
            r = rng.randrange(len(REGISTERS))
            opening, hedges, confident_prefixes = REGISTERS[r]
            picked = same_split_sample(rng, held, clauses, rng.choice([2, 3]))
            out.append(Candidate(
                positive=paragraph(opening, picked, hedges[: len(picked)]),
                negative=paragraph(opening, picked, confident_prefixes[: len(picked)]),
                primary=f"claim:{picked[0]}", secondary=(f"register:{r}",),
                related=tuple(f"claim:{c}" for c in picked[1:]),
            ))
    return out
