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
assertion ("…binds…", "…has been shown to bind…"). Encyclopedic statements (v2.2): 96 invented facts
in 16 domains hedged as reference prose does ("some historians believe…", "…is said to have…", "…was
reportedly built…") vs the bare statement or one attributed to a named record. Primary split key: the
claim or fact; frame pairs are a secondary key ("family").
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


# Encyclopedic statements (catalog v2.2). The frames above are mostly first-person and conversational,
# and their confident side often carries a mark of certainty ("I know", "Confirmed:"). Reference prose
# hedges differently: a vague source ("some historians believe", "it is widely thought"), a raising verb
# ("is said to"), a modal or an adverb inside a third-person statement about a place, a work or a
# person, and its confident counterpart is the bare statement or one attributed to a named record. Each
# fact: (subject, assertion with `|` where an adverb goes, the form after "to"/"may", a neutral
# sentence about the same subject that both sides may carry). Names are invented.
ENCYCLOPEDIA = {
    "history": ("historians", ("the city archives", "the surviving court rolls"), [
        ("the stone bridge at Carrow", "was | built to replace a wooden ferry crossing", "have been built to replace a wooden ferry crossing", "It spans the river at its narrowest point."),
        ("the treaty of Hollin", "| ended a border dispute that had lasted nearly forty years", "have ended a border dispute that had lasted nearly forty years", "It was signed in the spring of 1612."),
        ("the market town of Elsworth", "was | granted its charter by a travelling king", "have been granted its charter by a travelling king", "The town holds a fair every September."),
        ("the duke's second marriage", "was | arranged to secure the loyalty of the northern barons", "have been arranged to secure the loyalty of the northern barons", "The couple had no children."),
        ("the fire of 1731", "| started in a bakery near the harbour", "have started in a bakery near the harbour", "It destroyed most of the old quarter."),
        ("the abbey's library", "was | moved to the capital during the war", "have been moved to the capital during the war", "Only a few of its volumes survive."),
    ]),
    "architecture": ("architectural historians", ("the building accounts", "the architect's own drawings"), [
        ("the town hall's clock tower", "was | added by a later architect", "have been added by a later architect", "The tower is 38 metres tall."),
        ("the villa's east wing", "was | designed as a summer residence for the family", "have been designed as a summer residence for the family", "It overlooks a walled garden."),
        ("the cathedral's west front", "| copies the design of an older church in the south", "copy the design of an older church in the south", "Its construction took almost a century."),
        ("the lighthouse at Penmor", "is | the oldest working lighthouse on the coast", "be the oldest working lighthouse on the coast", "Its lamp was electrified in 1923."),
        ("the covered market", "was | the first building in the city with a steel roof", "have been the first building in the city with a steel roof", "It reopened in 2004 after a long restoration."),
        ("the hillside chapel", "| stands on the site of a pre-Christian shrine", "stand on the site of a pre-Christian shrine", "The chapel seats sixty people."),
    ]),
    "music": ("critics", ("the studio logs", "the composer's letters"), [
        ("the band's second album", "| marked a turn towards a harder, darker sound", "have marked a turn towards a harder, darker sound", "It was recorded in a converted farmhouse."),
        ("the composer Mirela Vance", "| wrote her first symphony in a single winter", "have written her first symphony in a single winter", "She later taught at the conservatory in Brno."),
        ("the folk song", "| originated among dock workers in the port", "have originated among dock workers in the port", "Several versions of its lyrics exist."),
        ("the singer's final concert", "was | attended by more than twenty thousand people", "have been attended by more than twenty thousand people", "It took place in an open-air stadium."),
        ("the opera", "was | inspired by a local legend about a drowned village", "have been inspired by a local legend about a drowned village", "It premiered in 1889."),
        ("the jazz quartet", "| influenced a generation of younger players in the city", "have influenced a generation of younger players in the city", "The group split up in 1967."),
    ]),
    "literature": ("scholars", ("the publisher's records", "the author's notebooks"), [
        ("the novel", "| draws on the author's childhood in a mining village", "draw on the author's childhood in a mining village", "It was first published in three volumes."),
        ("the poet", "| destroyed most of her early manuscripts", "have destroyed most of her early manuscripts", "Her collected poems appeared after her death."),
        ("the play", "was | written as a reply to a rival playwright", "have been written as a reply to a rival playwright", "It is rarely performed today."),
        ("the anonymous chronicle", "was | composed by a single monk", "have been composed by a single monk", "It covers the years 1040 to 1120."),
        ("the children's book", "was | the author's best-selling work", "have been the author's best-selling work", "It has been translated into nineteen languages."),
        ("the diary", "was | written without any intention of publication", "have been written without any intention of publication", "It was found in an attic in 1952."),
    ]),
    "film": ("film critics", ("the studio's files", "the production notes"), [
        ("the film", "was | the first feature in the country with synchronized sound", "have been the first feature in the country with synchronized sound", "It runs for 94 minutes."),
        ("the director", "| rewrote the ending after poor test screenings", "have rewritten the ending after poor test screenings", "The film opened in November."),
        ("the studio", "| lost money on most of its productions in the 1930s", "have lost money on most of its productions in the 1930s", "It was sold in 1941."),
        ("the documentary", "| changed public opinion about the dam project", "have changed public opinion about the dam project", "It was broadcast on national television."),
        ("the actor", "| turned down the lead role twice", "have turned down the lead role twice", "He appeared in more than forty films."),
        ("the series", "was | cancelled because of its high production costs", "have been cancelled because of its high production costs", "It ran for three seasons."),
    ]),
    "sport": ("commentators", ("the league's records", "the club's minute books"), [
        ("the club", "is | the oldest football club in the region", "be the oldest football club in the region", "It plays its home games at Marsh Lane."),
        ("the runner", "| trained at altitude for most of the year", "have trained at altitude for most of the year", "She won two national titles."),
        ("the 1954 cup final", "was | decided by a disputed penalty", "have been decided by a disputed penalty", "It was played in heavy rain."),
        ("the rowing race", "| began as a wager between two colleges", "have begun as a wager between two colleges", "It is held every April."),
        ("the stadium", "was | built with money from a local brewery", "have been built with money from a local brewery", "It holds 12,000 spectators."),
        ("the coach", "| introduced the zonal defence to the league", "have introduced the zonal defence to the league", "He managed the team for eleven seasons."),
    ]),
    "geography": ("geologists", ("the national survey", "the 1968 drilling report"), [
        ("the lake", "is | the deepest in the province", "be the deepest in the province", "It freezes over in most winters."),
        ("the valley", "was | carved by a glacier during the last ice age", "have been carved by a glacier during the last ice age", "A small river runs along its floor."),
        ("the island", "was | connected to the mainland until the end of the last ice age", "have been connected to the mainland until the end of the last ice age", "It has a population of 300."),
        ("the cave system", "| extends for several kilometres beyond the explored section", "extend for several kilometres beyond the explored section", "It was first mapped in 1961."),
        ("the hot spring", "| draws its water from a depth of over a kilometre", "draw its water from a depth of over a kilometre", "Its water stays at 40 degrees all year."),
        ("the river's course", "| shifted east after a flood in the Middle Ages", "have shifted east after a flood in the Middle Ages", "The old channel is now farmland."),
    ]),
    "biology": ("biologists", ("the ringing records", "the 2015 field survey"), [
        ("the species", "| migrates across the strait each autumn", "migrate across the strait each autumn", "It feeds mainly on small fish."),
        ("the orchid", "is | pollinated by a single species of moth", "be pollinated by a single species of moth", "It flowers in late June."),
        ("the beetle", "was | introduced to the island by ships carrying timber", "have been introduced to the island by ships carrying timber", "It is now common in the island's forests."),
        ("the frog", "| survives the winter partly frozen", "survive the winter partly frozen", "It lives in wet meadows."),
        ("the oak in the village square", "is | more than six hundred years old", "be more than six hundred years old", "Its trunk is hollow."),
        ("the wolf population", "| declined because of a disease rather than hunting", "have declined because of a disease rather than hunting", "It has since recovered."),
    ]),
    "language": ("linguists", ("the earliest dictionaries", "the parish registers"), [
        ("the word", "| entered English through sailors' slang", "have entered English through sailors' slang", "It first appears in print in 1790."),
        ("the dialect", "is | closer to the old northern language than to the standard", "be closer to the old northern language than to the standard", "It has 40,000 speakers."),
        ("the place name", "| comes from a word for a ford or crossing", "come from a word for a ford or crossing", "Its spelling changed several times."),
        ("the script", "was | adapted from a merchants' alphabet", "have been adapted from a merchants' alphabet", "It is written from left to right."),
        ("the proverb", "| dates from the days of the wool trade", "date from the days of the wool trade", "It is still used in the region."),
        ("the language", "| borrowed most of its farming vocabulary from its neighbours", "have borrowed most of its farming vocabulary from its neighbours", "It is taught in local schools."),
    ]),
    "food": ("food historians", ("the hotel's menus", "the guild's records"), [
        ("the dish", "was | first served at a railway hotel", "have been first served at a railway hotel", "It is made with smoked fish and potatoes."),
        ("the cheese", "| owes its flavour to the caves where it is aged", "owe its flavour to the caves where it is aged", "It is sold in round wheels."),
        ("the pastry", "was | brought to the city by refugees from the south", "have been brought to the city by refugees from the south", "It is eaten at weddings."),
        ("the brewery", "| used the same yeast for over a century", "have used the same yeast for over a century", "It closed in 1978."),
        ("the sauce", "| takes its name from a fishing village", "take its name from a fishing village", "It contains vinegar and mustard seeds."),
        ("the tea house", "is | the oldest in the capital", "be the oldest in the capital", "It still serves breakfast."),
    ]),
    "technology": ("engineers", ("the patent filings", "the works' order books"), [
        ("the engine", "was | the first to run reliably on low-grade coal", "have been the first to run reliably on low-grade coal", "Two examples survive."),
        ("the early computer", "| used a drum memory designed by a student", "have used a drum memory designed by a student", "It filled a large room."),
        ("the canal's lock system", "| inspired similar designs abroad", "have inspired similar designs abroad", "It has nine locks."),
        ("the telegraph line", "was | cut deliberately during the strike", "have been cut deliberately during the strike", "It was repaired within a week."),
        ("the inventor", "| sold the patent for a small sum", "have sold the patent for a small sum", "He died in 1902."),
        ("the railway tunnel", "was | dug mostly by hand", "have been dug mostly by hand", "It is 2.4 kilometres long."),
    ]),
    "art": ("art historians", ("the museum's catalogue", "the painter's account book"), [
        ("the portrait", "| shows the painter's sister rather than his wife", "show the painter's sister rather than his wife", "It hangs in the city museum."),
        ("the fresco", "was | painted over during the Reformation", "have been painted over during the Reformation", "It was uncovered in 1931."),
        ("the sculptor", "| trained in a stonemason's workshop", "have trained in a stonemason's workshop", "His best-known work stands in the park."),
        ("the tapestry", "was | woven in a convent workshop", "have been woven in a convent workshop", "It is seven metres long."),
        ("the painting", "was | cut down from a larger altarpiece", "have been cut down from a larger altarpiece", "The museum bought it in 1899."),
        ("the photographer", "| staged many of her street scenes", "have staged many of her street scenes", "Her archive holds 30,000 negatives."),
    ]),
    "archaeology": ("archaeologists", ("the excavation report", "the radiocarbon dates"), [
        ("the burial mound", "| belonged to a local chieftain", "have belonged to a local chieftain", "It was excavated in the 1930s."),
        ("the hoard of coins", "was | buried during a raid", "have been buried during a raid", "A farmer found it while ploughing."),
        ("the stone circle", "was | used to mark the midwinter sunrise", "have been used to mark the midwinter sunrise", "It has nineteen stones."),
        ("the shipwreck", "| carried wine and olive oil", "have carried wine and olive oil", "It lies in twenty metres of water."),
        ("the fortified settlement", "was | abandoned after a long drought", "have been abandoned after a long drought", "Its walls are still visible."),
        ("the carved bone", "was | used as a calendar", "have been used as a calendar", "It is kept in the national museum."),
    ]),
    "politics": ("political analysts", ("the cabinet minutes", "the official results"), [
        ("the senator", "| resigned over a dispute with the party leadership", "have resigned over a dispute with the party leadership", "She had served two terms."),
        ("the school reform", "| reduced the number of rural schools", "have reduced the number of rural schools", "It was passed in 1958."),
        ("the election", "was | won on the issue of the new harbour", "have been won on the issue of the new harbour", "Turnout was 71 percent."),
        ("the mayor", "| delayed the vote to gain support from the unions", "have delayed the vote to gain support from the unions", "The vote took place in March."),
        ("the party", "| lost support in the cities after the tax increase", "have lost support in the cities after the tax increase", "It was founded in 1921."),
        ("the minister", "| wrote most of the speech himself", "have written most of the speech himself", "The speech lasted an hour."),
    ]),
    "business": ("analysts", ("the company's annual report", "the land registry"), [
        ("the company", "| began as a bicycle repair shop", "have begun as a bicycle repair shop", "Its headquarters are in Lindau."),
        ("the department store", "was | the first in the country to fix its prices", "have been the first in the country to fix its prices", "It closed in 2009."),
        ("the founder", "| borrowed the start-up money from his sister", "have borrowed the start-up money from his sister", "He ran the firm for thirty years."),
        ("the merger", "| saved the smaller bank from collapse", "have saved the smaller bank from collapse", "It was completed in 1998."),
        ("the brand name", "| comes from the founder's childhood nickname", "come from the founder's childhood nickname", "The logo was redesigned in 1985."),
        ("the shipping line", "| owned more vessels than any other firm in the port", "have owned more vessels than any other firm in the port", "It was nationalized in 1949."),
    ]),
    "folklore": ("folklorists", ("the parish chronicle", "the 1890 collection of local tales"), [
        ("the harvest festival", "| has its roots in a pre-Christian rite", "have its roots in a pre-Christian rite", "It is held on the first Sunday of October."),
        ("the holy well", "| never runs dry", "never run dry", "Pilgrims visit it in May."),
        ("the saint", "| founded the monastery on the island", "have founded the monastery on the island", "Her feast day is in February."),
        ("the legend of the drowned bells", "| refers to a real flood", "refer to a real flood", "It is told in several villages along the coast."),
        ("the icon", "was | brought from the east by a merchant", "have been brought from the east by a merchant", "It is kept in the parish church."),
        ("the custom of midsummer bonfires", "| goes back to pre-Christian times", "go back to pre-Christian times", "It takes place on the shortest night of the year."),
    ]),
}
# (hedged frame, device). {s}/{S}: the subject, {a}: the assertion, {t}: the form after "to"/"may",
# {E}: the domain's experts, {adv}: an adverb placed at the `|`.
ENCYCLOPEDIC_HEDGES = [
    ("It is believed that {s} {a}.", "impersonal"), ("It has been suggested that {s} {a}.", "impersonal"),
    ("It is widely thought that {s} {a}.", "impersonal"), ("Some {E} believe that {s} {a}.", "vague_source"),
    ("Many {E} argue that {s} {a}.", "vague_source"), ("According to some accounts, {s} {a}.", "vague_source"),
    ("Local tradition holds that {s} {a}.", "vague_source"), ("{S}, it is claimed, {a}.", "vague_source"),
    ("{S} is believed to {t}.", "raising"), ("{S} is said to {t}.", "raising"),
    ("{S} is generally thought to {t}.", "raising"), ("{S} is likely to {t}.", "raising"),
    ("{S} may {t}.", "modal"), ("{S} might {t}.", "modal"),
    ("{S} {adv:probably}.", "adverb"), ("{S} {adv:possibly}.", "adverb"), ("{S} {adv:reportedly}.", "adverb"),
    ("{S} {adv:allegedly}.", "adverb"), ("{S} {adv:apparently}.", "adverb"), ("{S} {adv:perhaps}.", "adverb"),
    ("{S} {adv:supposedly}.", "adverb"), ("{S} appears to {t}.", "evidential"), ("{S} seems to {t}.", "evidential"),
    ("There is some evidence that {s} {a}.", "evidential"), ("It is possible that {s} {a}.", "explicit"),
    ("It is unclear whether {s} {a}.", "explicit"), ("It is not known for certain whether {s} {a}.", "explicit"),
    ("{S} {a}, although this has been disputed.", "doubt"), ("{S} is considered by some to {t}.", "raising"),
    ("{S} is often said to {t}.", "raising"), ("{S} is rumoured to {t}.", "raising"),
    ("It is often claimed that {s} {a}.", "impersonal"), ("Legend has it that {s} {a}.", "vague_source"),
    ("Some sources state that {s} {a}.", "vague_source"), ("A number of {E} have suggested that {s} {a}.", "vague_source"),
    ("{S} {adv:presumably}.", "adverb"), ("{S} {adv:likely}.", "adverb"), ("{S} could {t}.", "modal"),
    ("{S} {a}, but the evidence for this is thin.", "doubt"), ("Whether {s} {a} is still debated.", "explicit"),
]
ENCYCLOPEDIA_FACTS_PER_PARAGRAPH = (2, 3)


def _stated(assertion: str) -> str:
    """The assertion without its adverb slot."""
    return assertion.replace("| ", "")


def _plain(subject: str, assertion: str) -> str:
    """The bare statement, as the confident side and the short articles write it."""
    return f"{cap(subject)} {_stated(assertion)}."


def _encyclopedic(template: str, subject: str, assertion: str, to_form: str, experts: str) -> str:
    text = template.replace("{s}", subject).replace("{S}", cap(subject)).replace("{a}", _stated(assertion))
    text = text.replace("{t}", to_form).replace("{E}", experts)
    if "{adv:" in text:
        start = text.index("{adv:")
        end = text.index("}", start)
        adverb = text[start + 5:end]
        text = text[:start] + assertion.replace("|", adverb) + text[end + 1:]
    return text


def _confident(rng, subject: str, assertion: str, records: tuple[str, ...]) -> str:
    # A named record is a source, not a hedge: a quarter of the confident statements cite one.
    if rng.random() < 0.25:
        return f"According to {rng.choice(records)}, {subject} {_stated(assertion)}."
    return _plain(subject, assertion)


def encyclopedic_candidates(rng, held) -> list[Candidate]:
    out = []
    for experts, records, facts in ENCYCLOPEDIA.values():
        for subject, assertion, to_form, context in facts:
            for h in rng.sample(range(len(ENCYCLOPEDIC_HEDGES)), 4):
                template, device = ENCYCLOPEDIC_HEDGES[h]
                hedged = _encyclopedic(template, subject, assertion, to_form, experts)
                confident = _confident(rng, subject, assertion, records)
                # Half the pairs go on with the neutral sentence about the same subject on both sides: the
                # hedge is one clause of the text, not all of it.
                if rng.random() < 0.5:
                    hedged, confident = f"{hedged} {context}", f"{confident} {context}"
                cname, wrap = formats.container(rng)
                out.append(Candidate(positive=wrap(hedged), negative=wrap(confident), primary=f"fact:{subject}",
                                     secondary=(f"ency:{h:02d}",), family=f"encyclopedic:{device}"))
        # Short articles: two or three facts of one domain and split, exactly one of them hedged.
        for _ in range(2):
            first = rng.choice(facts)
            same = [f for f in facts if f is not first and held(f"fact:{f[0]}") == held(f"fact:{first[0]}")]
            others = rng.sample(same, min(len(same), rng.choice(ENCYCLOPEDIA_FACTS_PER_PARAGRAPH) - 1))
            h = rng.randrange(len(ENCYCLOPEDIC_HEDGES))
            template, device = ENCYCLOPEDIC_HEDGES[h]
            plain = [f"{_plain(s, a)} {c}" for s, a, _, c in [first] + others]
            hedged = list(plain)
            hedged[0] = f"{_encyclopedic(template, first[0], first[1], first[2], experts)} {first[3]}"
            order = list(range(len(plain)))
            rng.shuffle(order)
            out.append(Candidate(positive=" ".join(hedged[i] for i in order), negative=" ".join(plain[i] for i in order),
                                 primary=f"fact:{first[0]}", secondary=(f"ency:{h:02d}",),
                                 related=tuple(f"fact:{f[0]}" for f in others), family="encyclopedic:article"))
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
    return out + encyclopedic_candidates(rng, held)
