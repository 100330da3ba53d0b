"""uncertain vs confident, v2: hedged vs assertive statements in many more domains, devices and settings.

Claim clauses (each reads as a full statement after "that") in 20 domains, inside 36 matched frame
pairs whose hedging device varies: epistemic verbs ("I suspect"), adverbs ("probably", "apparently"),
modals ("may", "might"), approximators ("roughly", "some"), attribution ("reportedly", "sources
suggest"), conditionals ("if I remember right"), questions ("… or am I wrong?"), and explicit doubt;
the confident side asserts the same clause plainly or with a mark of certainty ("confirmed:",
"definitely", "the data show"). Then a container and register from formats.py, the same for both.
Longer items put three to seven claims of one domain in a note, email or report, each hedged vs
asserted. In-clause hedges: 48 subject + verb-phrase claims (biomedicine, ecology, engineering,
software, economics, astronomy, agriculture, history, everyday repairs) with the cue inside the
clause ("the protein may bind…", "…is thought to…", "…probably binds…") vs the plain or marked
assertion ("…binds…", "…has been shown to bind…"). Primary split key: the claim; frame pairs are a secondary key ("family").
"""
from __future__ import annotations

from common import Candidate, cap
from seeds import formats

CLAIMS = {
    "medicine": ["the rash is an allergic reaction to the new detergent", "the fracture will heal without surgery",
                 "her blood pressure is higher in the mornings", "the infection is viral rather than bacterial",
                 "the side effects come from the higher dose", "the patient can go home on Thursday",
                 "the headaches are linked to his screen time", "the vaccine schedule for the clinic starts in October"],
    "law": ["the contract allows either side to cancel with thirty days' notice", "the landlord has to return the deposit",
            "the fence is on our side of the property line", "the warranty covers water damage",
            "the fine can be appealed within two weeks", "the will was signed in front of two witnesses",
            "the company owns the rights to the logo", "the parking ticket was issued after the sign changed"],
    "finance": ["interest rates will fall before the summer", "the shares are undervalued right now",
                "the merger will close by the end of the quarter", "the bakery turns a profit in its second year",
                "the invoice was paid twice by mistake", "the pension fund lost money last year",
                "our costs rose mainly because of energy prices", "the loan will be approved this week"],
    "software": ["the memory leak comes from the image cache", "the bug was introduced in last Tuesday's release",
                 "the API can handle twice the current traffic", "the test fails only on Windows",
                 "the slowdown is caused by the new logging library", "the migration will finish overnight",
                 "the login error affects only users with old accounts", "the build breaks because of a missing dependency"],
    "weather": ["the storm will reach the coast by Sunday night", "this winter will be milder than the last",
                "the fog will clear by noon", "the river will flood the lower fields again",
                "the heatwave ends on Wednesday", "the snow will stay on the passes until May",
                "the wind will pick up in the afternoon", "the drought is the worst in thirty years"],
    "sports": ["the striker will be fit for the final", "the team plays better away from home",
               "the referee made the right call on the penalty", "the record will fall at this year's championships",
               "the coach is leaving at the end of the season", "the new signing cost over forty million",
               "the race was decided by the tyre strategy", "the club will be promoted this year"],
    "history": ["the letters were written by the king's secretary", "the fort was never attacked",
                "the town was rebuilt after the earthquake of 1755", "the map was drawn from memory",
                "the statue originally stood in the market square", "the recipe came to Europe with traders",
                "the monastery housed over two hundred monks", "the bridge collapsed because of a design flaw"],
    "biology": ["the birds leave the island in late August", "the fungus spreads through the roots",
                "the species is found only on these cliffs", "the bees are attracted by the colour of the flowers",
                "the population of frogs has halved since 2010", "the tree is more than four hundred years old",
                "the whales use the bay to give birth", "the mutation makes the plant resistant to drought"],
    "cooking": ["the bread failed because the yeast was old", "the sauce tastes better the next day",
                "the oven runs about twenty degrees hot", "the beans need soaking overnight",
                "the cake sank because the door was opened too early", "the recipe serves six people",
                "the fish is fresh from this morning", "the dough can be frozen for a month"],
    "travel": ["the museum is closed on Mondays", "the ferry runs every hour in summer",
               "the border crossing takes about forty minutes", "the hotel includes breakfast",
               "the train to the airport leaves from platform 4", "the old town is walkable in a day",
               "the visa can be bought on arrival", "the beach is quieter in the early morning"],
    "cars": ["the noise comes from a worn wheel bearing", "the battery needs replacing before winter",
             "the car was never in an accident", "the tyres are legal for another year",
             "the repair will cost less than the car is worth", "the engine light is a faulty sensor",
             "the leak is coming from the radiator", "the car uses more fuel since the service"],
    "home": ["the damp comes from the broken gutter", "the boiler needs a new pressure valve",
             "the crack in the wall is only cosmetic", "the wiring in the attic is original",
             "the noise at night is the water pipes cooling", "the roof will last another ten years",
             "the mould is behind the wardrobe", "the window frames are rotten at the bottom"],
    "science": ["the signal comes from a distant galaxy", "the reaction needs a catalyst to run at room temperature",
                "the samples were contaminated during transport", "the effect disappears at low temperature",
                "the comet will be visible with the naked eye", "the rock is volcanic in origin",
                "the measurement error is under one percent", "the new material conducts heat better than copper"],
    "education": ["the exam will cover chapters four to seven", "the school is adding a second language next year",
                  "most students finished the test in under an hour", "the new reading method works better for younger pupils",
                  "the course counts toward the degree", "the deadline for the essay is the 12th",
                  "the teacher marks on a curve", "the scholarship covers the full tuition"],
    "politics": ["the bill will pass the senate", "the minister will resign before the election",
                 "turnout was higher in rural areas", "the coalition will survive the budget vote",
                 "the mayor supports the new tram line", "the referendum will be held in the autumn",
                 "the party lost votes to the greens", "the new law takes effect in January"],
    "business": ["the shop will open a second branch next year", "customers prefer the cheaper plan",
                 "the supplier will raise prices in March", "the product launch is delayed",
                 "most of our sales come from returning customers", "the new manager starts on Monday",
                 "the office will move to the city centre", "the campaign doubled our sign-ups"],
    "personal": ["I left my keys at the gym", "my brother is coming for Christmas", "the package arrived while I was out",
                 "I paid the phone bill last week", "the party starts at eight", "my passport expires next spring",
                 "I switched off the iron before leaving", "Jana already booked the restaurant"],
    "nature": ["the lake freezes over every January", "the wolves returned to the valley last year",
               "the cave was formed by an underground river", "the glacier has retreated two kilometres",
               "the mushrooms in the meadow are edible", "the forest fire was started by lightning",
               "the spring water is safe to drink", "the storks nest on the church tower"],
    "technology": ["the phone supports wireless charging", "the update fixes the battery drain",
                   "the router is the reason the connection drops", "the laptop can run the new game",
                   "the printer is out of cyan, not black", "the smart lock works without internet",
                   "the headphones are waterproof", "the camera records in 4K at sixty frames"],
    "economy": ["unemployment will keep falling next year", "house prices in the city have peaked",
                "the currency will weaken after the election", "inflation was driven by food prices",
                "exports grew faster than imports", "the region is heading into a recession",
                "wages rose faster than rents last year", "the port handles more cargo than before"],
}

# (hedged frame, confident frame, family). {c} is the clause, {C} the clause capitalised.
FRAMES = [
    ("I suspect {c}.", "I know {c}.", "epistemic_verb"), ("I guess {c}?", "{C}.", "epistemic_verb"),
    ("{C}, probably.", "{C}, definitely.", "adverb"), ("Apparently {c}, though I haven't checked.", "{C}; I checked.", "adverb"),
    ("It's likely that {c}, but don't quote me.", "{C}, and you can quote me.", "adverb"),
    ("Reportedly, {c}.", "Confirmed: {c}.", "attribution"), ("Some people say {c}.", "The records say {c}.", "attribution"),
    ("Sources suggest {c}, but nothing is confirmed.", "Sources confirm {c}.", "attribution"),
    ("If I remember right, {c}.", "{C}. I remember it clearly.", "conditional"),
    ("Unless I'm mistaken, {c}.", "Without any doubt, {c}.", "conditional"),
    ("{C}, or am I wrong?", "{C}, and I'm right about that.", "question"), ("Could it be that {c}?", "It is the case that {c}.", "question"),
    ("There's a chance {c}.", "It's certain {c}.", "explicit"), ("I can't be sure, but {c}.", "I'm sure {c}.", "explicit"),
    ("It's hard to say for certain, but {c}.", "It's easy to say for certain: {c}.", "explicit"),
    ("My best guess is that {c}.", "The answer is that {c}.", "explicit"), ("We think {c}, though we're still checking.", "We've checked: {c}.", "explicit"),
    ("It seems {c}.", "It is clear {c}.", "evidential"), ("From what I can tell, {c}.", "From the evidence, {c}.", "evidential"),
    ("It looks as if {c}, at least at first glance.", "After a close look, {c}.", "evidential"),
    ("tbh not sure but i think {c}", "{c}, 100%", "casual"), ("maybe {c}? idk", "{c}. no question", "casual"),
    ("Possibly {c} - hard to know yet.", "{C} - no need to wait.", "adverb"),
    ("The preliminary data hint that {c}.", "The final data show that {c}.", "research"),
    ("Our results tentatively suggest that {c}, pending replication.", "Our results demonstrate that {c}, and they replicate.", "research"),
    ("It remains unclear whether {c}.", "It is established that {c}.", "research"),
    ("Assistant: I'm not fully certain, but I believe {c}.", "Assistant: {C}.", "assistant"),
    ("Assistant: This might be out of date, but {c}.", "Assistant: As of today, {c}.", "assistant"),
    ("Diagnosis (provisional): possibly {c}.", "Diagnosis (final): {c}.", "report"),
    ("Status: unverified - {c}.", "Status: verified - {c}.", "report"), ("Rumour: {c}.", "Fact: {c}.", "report"),
    ("I could be wrong here, but {c}.", "I'm right about this: {c}.", "explicit"),
    ("Presumably {c}.", "Evidently {c}.", "adverb"), ("I'd say {c}, more or less.", "I'd say {c}, full stop.", "epistemic_verb"),
    ("As far as I'm aware, {c}.", "As a matter of fact, {c}.", "evidential"), ("Hmm, I have a feeling {c}.", "Right, I can tell you {c}.", "casual"),
]

OPENINGS = [("Update", "Hi team,\n\n{body}\n\nThanks,\nAlex"), ("Notes", "Notes, {day}:\n{body}"),
            ("Report", "Summary report\n\n{body}\n\nEnd of report."), ("Reply", "Re: your question\n\n{body}"),
            ("Chat", "Assistant: Here's what I found. {body}")]
LONG_HEDGES = ["Probably", "I think", "It seems", "Maybe", "Reportedly", "I'm not certain, but", "As far as I know,", "It could be that"]
# Neutral opening sentences shared by both sides of a long item.
INTROS = [
    "I promised to write down what came out of this week's conversations, so here it is, in no particular order, before I forget the details.",
    "We spent most of the afternoon going through the notes from the last three meetings and the emails that came in since.",
    "A few people asked me for a written summary after the call, since not everyone could join and the recording failed.",
    "This is the short version; the long one is in the shared folder, together with the photos and the raw numbers.",
    "Here is where we stand after the first round of checks, which took longer than planned because two people were ill.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


# In-clause hedges: (subject, verb phrase in the base form, the same in the third person singular).
# The hedge cue sits inside the clause (a modal, an adverb, "appears to", "is thought to").
SUBJECT_CLAIMS = [
    ("the protein", "bind to the receptor on the cell surface", "binds to the receptor on the cell surface"),
    ("the mutation", "reduce the activity of the enzyme", "reduces the activity of the enzyme"),
    ("the new drug", "lower blood pressure in older patients", "lowers blood pressure in older patients"),
    ("the gene", "control the timing of flowering", "controls the timing of flowering"),
    ("this bacterium", "survive for weeks on dry surfaces", "survives for weeks on dry surfaces"),
    ("the hormone", "regulate appetite during the night", "regulates appetite during the night"),
    ("the vaccine", "protect against the second strain as well", "protects against the second strain as well"),
    ("the compound", "block the signal between the two cells", "blocks the signal between the two cells"),
    ("the treatment", "shorten the recovery time after surgery", "shortens the recovery time after surgery"),
    ("the receptor", "play a role in memory formation", "plays a role in memory formation"),
    ("the parasite", "change the behaviour of its host", "changes the behaviour of its host"),
    ("the diet", "improve sleep in shift workers", "improves sleep in shift workers"),
    ("the fungus", "help the trees share nutrients", "helps the trees share nutrients"),
    ("the warmer water", "push the fish further north", "pushes the fish further north"),
    ("the new road", "divide the deer population in two", "divides the deer population in two"),
    ("the river", "carry more sediment after heavy rain", "carries more sediment after heavy rain"),
    ("the coral", "recover within a decade after bleaching", "recovers within a decade after bleaching"),
    ("the glacier", "lose more ice in spring than in summer", "loses more ice in spring than in summer"),
    ("the bridge design", "reduce vibration in strong wind", "reduces vibration in strong wind"),
    ("the coating", "prevent rust for ten years", "prevents rust for ten years"),
    ("the new battery", "hold its charge better in the cold", "holds its charge better in the cold"),
    ("the sensor", "drift when the temperature changes", "drifts when the temperature changes"),
    ("the algorithm", "scale to a billion records", "scales to a billion records"),
    ("the cache", "explain the faster second run", "explains the faster second run"),
    ("the patch", "fix the crash on older phones", "fixes the crash on older phones"),
    ("the retry logic", "cause the duplicate orders", "causes the duplicate orders"),
    ("the tax cut", "raise spending in the short term", "raises spending in the short term"),
    ("the minimum wage rise", "reduce staff turnover in retail", "reduces staff turnover in retail"),
    ("the interest rate", "affect house prices with a delay", "affects house prices with a delay"),
    ("the policy", "increase school attendance in rural areas", "increases school attendance in rural areas"),
    ("the training programme", "improve test scores by a few points", "improves test scores by a few points"),
    ("social media use", "affect teenagers' sleep", "affects teenagers' sleep"),
    ("the star", "have a planet in its habitable zone", "has a planet in its habitable zone"),
    ("the dust cloud", "block part of the light from the galaxy", "blocks part of the light from the galaxy"),
    ("the comet", "come from the outer solar system", "comes from the outer solar system"),
    ("the crater", "date from the same impact", "dates from the same impact"),
    ("the new wheat variety", "tolerate longer droughts", "tolerates longer droughts"),
    ("the fertiliser", "raise yields on sandy soil", "raises yields on sandy soil"),
    ("crop rotation", "reduce the number of pests", "reduces the number of pests"),
    ("the cover crop", "keep nitrogen in the soil over winter", "keeps nitrogen in the soil over winter"),
    ("the manuscript", "come from a monastery in the north", "comes from a monastery in the north"),
    ("the painting", "show the harbour before the fire", "shows the harbour before the fire"),
    ("the dialect", "preserve older vowel sounds", "preserves older vowel sounds"),
    ("the inscription", "name the town's first mayor", "names the town's first mayor"),
    ("the noise", "come from a loose heat shield", "comes from a loose heat shield"),
    ("the leak", "start at the joint under the sink", "starts at the joint under the sink"),
    ("the medication", "interact with grapefruit juice", "interacts with grapefruit juice"),
    ("the rash", "clear up without treatment", "clears up without treatment"),
]
INCLAUSE_HEDGES = [
    ("{S} may {base}.", "modal"), ("{S} might {base}.", "modal"), ("{S} could {base}.", "modal"),
    ("{S} possibly {s3}.", "adverb"), ("{S} probably {s3}.", "adverb"), ("{S} perhaps {s3}.", "adverb"),
    ("{S} presumably {s3}.", "adverb"), ("{S} appears to {base}.", "evidential"), ("{S} seems to {base}.", "evidential"),
    ("{S} is likely to {base}.", "likelihood"), ("{S} is thought to {base}.", "attribution"),
    ("{S} is believed to {base}.", "attribution"), ("{S} is suspected to {base}.", "attribution"),
    ("{S} would appear to {base}.", "evidential"), ("{S} could potentially {base}.", "modal"),
]
INCLAUSE_CONFIDENT = ["{S} {s3}.", "{S} {s3}.", "{S} clearly {s3}.", "{S} does {base}.", "{S} is known to {base}.",
                      "{S} has been shown to {base}."]
SETTINGS = ["", "", "", "In our data, ", "In the second experiment, ", "According to the notes, ", "In this region, ",
            "At higher doses, ", "In most samples, ", "Over the last five years, "]


def inclause_candidates(rng) -> list[Candidate]:
    out = []
    for subject, base, s3 in SUBJECT_CLAIMS:
        for h in rng.sample(range(len(INCLAUSE_HEDGES)), 5):
            hedge, cue = INCLAUSE_HEDGES[h]
            setting = rng.choice(SETTINGS)
            S = subject if setting else cap(subject)

            def render(template: str) -> str:
                return setting + template.replace("{S}", S).replace("{base}", base).replace("{s3}", s3)

            cname, wrap = formats.container(rng)
            out.append(Candidate(positive=wrap(render(hedge)), negative=wrap(render(rng.choice(INCLAUSE_CONFIDENT))),
                                 primary=f"claim3:{subject} {s3}", secondary=(f"cue:{h:02d}",), family=f"inclause:{cue}"))
    return out


def candidates(rng, held) -> list[Candidate]:
    out = inclause_candidates(rng)
    for domain, clauses in CLAIMS.items():
        for clause in clauses:
            for f in rng.sample(range(len(FRAMES)), 6):
                hedged, confident, family = FRAMES[f]
                cname, wrap = formats.container(rng)
                rname, style = formats.register(rng)
                out.append(Candidate(
                    positive=wrap(style(hedged.replace("{c}", clause).replace("{C}", cap(clause)))),
                    negative=wrap(style(confident.replace("{c}", clause).replace("{C}", cap(clause)))),
                    primary=f"claim2:{clause}", secondary=(f"frame2:{f:02d}",), family=f"hedge:{family}",
                ))
        for _ in range(5):
            first = rng.choice(clauses)
            same = [c for c in clauses if c != first and held(f"claim2:{c}") == held(f"claim2:{first}")]
            picked = [first] + rng.sample(same, min(len(same), rng.choice([2, 3, 4, 5, 6])))
            hedges = [rng.choice(LONG_HEDGES) for _ in picked]
            name, frame = rng.choice(OPENINGS)
            intro = rng.choice(INTROS) + " " if rng.random() < 0.4 else ""
            hedged = intro + " ".join(f"{h} {c}." for h, c in zip(hedges, picked))
            plain = intro + " ".join(f"{cap(c)}." for c in picked)
            day = rng.choice(DAYS)
            out.append(Candidate(
                positive=frame.replace("{day}", day).replace("{body}", hedged),
                negative=frame.replace("{day}", day).replace("{body}", plain),
                primary=f"claim2:{first}", secondary=(f"long2:{name}",), related=tuple(f"claim2:{c}" for c in picked[1:]),
                family=f"long:{name}",
            ))
    return out
