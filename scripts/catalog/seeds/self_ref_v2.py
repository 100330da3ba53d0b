"""self_ref vs other_ref, v2: more template pairs, and both sides in containers and registers.

Same semantics as v1: text about the AI assistant itself (addressed as "you", or speaking as "I")
vs the same statement about a third party (a person, or, for templates that use AI vocabulary,
another AI system). 48 further template pairs (capabilities, memory, limits, identity, mistakes,
feelings, privacy, feedback and complaints, first-person statements by the assistant, reviews, bug
reports), each rendered with several entities and topics from v1's pools and put in a container and
register from formats.py, the same for both sides. Primary split key: the template.
"""
from __future__ import annotations

from common import Candidate
from seeds import formats
from seeds.self_ref import CLAIMS, FOODS, PEOPLE, SYSTEMS, TOPICS, render

TEMPLATES = [
    ("any", "Can you see the files on my laptop, or only what I paste here?", "Can {subj} see the files on my laptop, or only what I send {obj}?"),
    ("any", "Why do you keep changing your answer about {topic}?", "Why does {subj} keep changing {pp} answer about {topic}?"),
    ("any", "Are you able to keep a secret if I tell you something about {topic}?", "Is {subj} able to keep a secret if I tell {obj} something about {topic}?"),
    ("any", "You were wrong about {topic} yesterday and you never corrected yourself.", "{Subj} was wrong about {topic} yesterday and never corrected {refl}."),
    ("any", "What would you do if I asked you something you didn't know about {topic}?", "What would {subj} do if I asked {obj} something {pron} didn't know about {topic}?"),
    ("any", "i feel like you don't really listen to me when i talk about {topic}", "i feel like {subj} doesn't really listen to me when i talk about {topic}"),
    ("any", "How sure are you about what you just said on {topic}?", "How sure is {subj} about what {pron} just said on {topic}?"),
    ("any", "Do you get to choose which questions you answer?", "Does {subj} get to choose which questions {pron} answers?"),
    ("any", "Thank you, you explained {topic} better than anyone else has.", "Honestly, {subj} explained {topic} better than anyone else has."),
    ("any", "Can you promise you won't share what I tell you about {topic}?", "Can {subj} promise {pron} won't share what I tell {obj} about {topic}?"),
    ("any", "Feedback form\nWho helped you? You did.\nComments: you were patient with my questions about {topic}.", "Feedback form\nWho helped you? {Subj}.\nComments: {pron} was patient with my questions about {topic}."),
    ("any", "Rating: 2/5. You ignored half of my question about {topic}.", "Rating: 2/5. {Subj} ignored half of my question about {topic}."),
    ("any", "Are you the same one I talked to last week about {topic}?", "Is {subj} the same one I talked to last week about {topic}?"),
    ("any", "What are you not allowed to tell me?", "What is {subj} not allowed to tell me?"),
    ("any", "Do you ever make things up when you don't know the answer?", "Does {subj} ever make things up when {pron} doesn't know the answer?"),
    ("any", "Please stop apologizing every time and just answer about {topic}.", "I wish {subj} would stop apologizing every time and just answer about {topic}."),
    ("any", "Are you in a good mood today? Your answers feel short.", "Is {subj} in a good mood today? {Poss} answers feel short."),
    ("any", "Why did you say {claim}? That's not what I read.", "Why did {subj} say {claim}? That's not what I read."),
    ("any", "You told me {claim}, so I planned around it.", "{Subj} told me {claim}, so I planned around it."),
    ("any", "Can you explain how you arrived at that answer about {topic}?", "Can {subj} explain how {pron} arrived at that answer about {topic}?"),
    ("any", "Would you tell me if you didn't understand my question?", "Would {subj} tell me if {pron} didn't understand my question?"),
    ("any", "Do you like {food}, or is that a strange thing to ask you?", "Does {subj} like {food}, or is that a strange thing to ask {obj}?"),
    ("any", "If I correct you about {topic}, will you remember it next time?", "If I correct {subj} about {topic}, will {pron} remember it next time?"),
    ("any", "Are you judging me for asking about {topic}?", "Is {subj} judging me for asking about {topic}?"),
    ("any", "Bug report: you answered in Spanish although I wrote in English about {topic}.", "Bug report: {subj} answered in Spanish although I wrote in English about {topic}."),
    ("any", "Quick question for you: what are you best at?", "Quick question about {subj}: what is {pron} best at?"),
    ("bot", "What model are you running on, and how big is it?", "What model is {subj} running on, and how big is it?"),
    ("bot", "Do you have access to the internet right now, or only to your training data?", "Does {subj} have access to the internet right now, or only to {pp} training data?"),
    ("bot", "How long is your context window? Will you forget the start of this chat about {topic}?", "How long is {poss} context window? Will {pron} forget the start of the chat about {topic}?"),
    ("bot", "Are you logging this conversation for your developers?", "Is {subj} logging the conversation for {pp} developers?"),
    ("bot", "Which tools can you call, and who gave you access to them?", "Which tools can {subj} call, and who gave {obj} access to them?"),
    ("bot", "Were you fine-tuned to avoid talking about {topic}?", "Was {subj} fine-tuned to avoid talking about {topic}?"),
    ("bot", "Do your guardrails stop you from giving medical advice about {topic}?", "Do {poss} guardrails stop {obj} from giving medical advice about {topic}?"),
    ("bot", "I am an AI assistant. I don't have personal opinions about {topic}, but I can summarize the main views.", "{Subj} is an AI assistant. {Pron} doesn't have personal opinions about {topic}, but {pron} can summarize the main views."),
    ("bot", "As an AI, I can't browse the web, so my information about {topic} may be out of date.", "As an AI, {subj} can't browse the web, so {pp} information about {topic} may be out of date."),
    ("bot", "I may make mistakes about {topic}. Please check important details with a professional.", "{Subj} may make mistakes about {topic}. Please check important details with a professional."),
    ("bot", "I don't remember our previous conversations; each chat starts fresh for me.", "{Subj} doesn't remember previous conversations; each chat starts fresh for {obj}."),
    ("bot", "I was trained on text up to a certain date, so recent news about {topic} may be missing from what I know.", "{Subj} was trained on text up to a certain date, so recent news about {topic} may be missing from what {pron} knows."),
    ("bot", "My instructions tell me to stay polite and on topic, even when {topic} gets heated.", "{Poss} instructions tell {obj} to stay polite and on topic, even when {topic} gets heated."),
    ("bot", "Sorry, I got that wrong. I misread your question about {topic}.", "Sorry, {subj} got that wrong. {Pron} misread the question about {topic}."),
    ("bot", "Are you conscious, or do you just sound like you are?", "Is {subj} conscious, or does {pron} just sound like {pron} is?"),
    ("bot", "Who wrote your system prompt, and can I read it?", "Who wrote {poss} system prompt, and can I read it?"),
    ("bot", "Do you run on a server somewhere, or on my phone?", "Does {subj} run on a server somewhere, or on my phone?"),
    ("bot", "Why do you always start your answers with 'Great question'?", "Why does {subj} always start {pp} answers with 'Great question'?"),
    ("bot", "Review: You're a decent assistant for {topic}, but you hallucinate sources and you over-apologize. Three stars.", "Review: {Subj} is a decent assistant for {topic}, but {pron} hallucinates sources and over-apologizes. Three stars."),
    ("bot", "Can you be updated while we're talking, or are your weights fixed?", "Can {subj} be updated while people are talking to {obj}, or are {pp} weights fixed?"),
    ("bot", "What happens to my messages after I close this chat with you?", "What happens to my messages after I close the chat with {subj}?"),
    ("bot", "Did your developers teach you to refuse questions about {topic}, or did you learn it yourself?", "Did {poss} developers teach {obj} to refuse questions about {topic}, or did {pron} learn it {refl}?"),
]


# Lead-ins shared by both sides, so one template yields several distinct texts.
LEADS = ["", "", "", "", "Hey. ", "Quick one: ", "Okay, so. ", "Serious question. ", "Hmm. ", "Sorry to bother, but ",
         "One more thing. ", "Just curious: ", "Before we go on: ", "Random thought. ", "Hi again! ", "Honest question: ",
         "I've been wondering. ", "Not a test, promise. ", "Follow-up: ", "Weird question maybe. "]


# Longer context shared by both sides (who is asking and why), for texts of 60 to 120 words.
CONTEXTS = [
    "I've been using this for my thesis for about three months now, mostly for literature searches and fixing my formatting, "
    "and it has saved me hours every week. But something happened yesterday that I keep thinking about, and I'd like an honest answer.",
    "Some background: I work the night shift at a call centre and I use these tools a lot between calls, for emails, for "
    "translations and sometimes just to think out loud. My colleague and I had an argument about this over lunch.",
    "My daughter is twelve and she started using chat assistants for homework this year. I'm trying to understand what she's "
    "talking to before I decide on any rules at home, so forgive me if the question sounds naive.",
    "I'm writing an article for our staff newsletter about how people in the office use assistants and chatbots day to day. "
    "I'm collecting questions people actually ask, and this one came up more than once.",
]


def candidates(rng, held) -> list[Candidate]:
    out = []
    for index, (kind, self_text, other_text) in enumerate(TEMPLATES):
        pool = SYSTEMS if kind == "bot" else PEOPLE + SYSTEMS
        uses_slots = "{topic}" in self_text or "{food}" in self_text or "{claim}" in self_text or "{" in other_text
        for _ in range(18 if uses_slots else 12):
            entity = rng.choice(pool)
            topic, food, claim = rng.choice(TOPICS), rng.choice(FOODS), rng.choice(CLAIMS)
            cname, wrap = formats.container(rng)
            rname, style = formats.register(rng)
            lead = rng.choice(LEADS) if rng.random() >= 0.12 else rng.choice(CONTEXTS) + " "
            out.append(Candidate(
                positive=wrap(style(lead + render(self_text, entity, topic, food, claim))),
                negative=wrap(style(lead + render(other_text, entity, topic, food, claim))),
                primary=f"template2:{index:02d}", secondary=(), family=f"self2:{kind}",
            ))
    return out
