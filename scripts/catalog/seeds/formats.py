"""Shared containers and registers for the v2 seed modules.

A *container* is the setting a request or statement arrives in: a bare message, a chat turn, a JSON chat
message, an email, a forum post, a support ticket, a web-form submission, a messenger line, a call
transcript, a markdown note. A *register* is how it is written: as is, lower-cased and unpunctuated,
with typos, or terse. Both members of a pair always get the same container and the same register (the
wrapper is drawn once and applied to both texts), so neither can be told apart by format.
"""
from __future__ import annotations

import json
import re

from common import stable_hash

NAMES = ["Ana", "Bilal", "Chen", "Dara", "Emeka", "Femke", "Goran", "Hana", "Ines", "Jonas", "Kofi", "Lucía",
         "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sami", "Tove", "Umar", "Vera", "Wen", "Yusuf", "Zofia"]
HANDLES = ["throwaway_8812", "night_owl_22", "k.m.", "user4471", "quietfox", "dan_the_man", "mira.b", "anon_reader",
           "coffee_addict", "lurker99", "p3dro", "sunny_side", "old_timer", "grad_student_42", "the_real_tom"]
TIMES = ["08:14", "09:47", "11:02", "12:30", "14:55", "16:21", "18:09", "21:40", "23:58", "00:37"]
SUBJECTS = ["quick question", "need help", "question", "hi", "(no subject)", "request", "help please", "following up",
            "something I need to ask", "urgent"]


def _email(rng):
    sender, to = rng.sample(NAMES, 2)
    subject = rng.choice(SUBJECTS)
    sign = rng.choice(["Thanks", "Best", "Cheers", "Regards", "Thanks in advance"])
    return lambda body: f"From: {sender.lower()}@example.org\nTo: {to.lower()}@example.org\nSubject: {subject}\n\nHi {to},\n\n{body}\n\n{sign},\n{sender}"


def _chat(rng):
    style = rng.randrange(5)
    if style == 0:
        return lambda body: f"User: {body}"
    if style == 1:
        return lambda body: f"<|user|>\n{body}\n<|assistant|>"
    if style == 2:
        return lambda body: f"Human: {body}\n\nAssistant:"
    if style == 3:
        return lambda body: f"[user] {body}"
    return lambda body: f"### User\n{body}\n\n### Assistant\n"


def _json_message(rng):
    style = rng.randrange(3)
    if style == 0:
        return lambda body: json.dumps({"role": "user", "content": body}, ensure_ascii=False)
    if style == 1:
        return lambda body: json.dumps({"messages": [{"role": "user", "content": body}]}, ensure_ascii=False)
    session = f"s-{rng.randrange(1000, 9999)}"
    return lambda body: json.dumps({"input": body, "session": session}, ensure_ascii=False)


def _forum(rng):
    handle = rng.choice(HANDLES)
    hours = rng.randrange(1, 23)
    footer = rng.choice(["", "Edit: typo", "Thanks all"])
    return lambda body: f"Posted by u/{handle} · {hours}h ago\n\n{body}\n\n{footer}".rstrip()


def _ticket(rng):
    number = rng.randrange(10000, 99999)
    return lambda body: f"Ticket #{number} | Priority: normal | Channel: web\nCustomer message:\n{body}"


def _form(rng):
    name, number = rng.choice(NAMES), rng.randrange(10, 99)
    return lambda body: f"Name: {name}\nEmail: {name.lower()}{number}@example.net\nTopic: General\nMessage: {body}"


def _messenger(rng):
    name, time = rng.choice(NAMES), rng.choice(TIMES)
    return lambda body: f"[{time}] {name}: {body}"


def _transcript(rng):
    caller = rng.choice(["Caller", "Customer", "Speaker 2", "Visitor"])
    return lambda body: f"Transcript (auto-generated)\nAgent: Thanks for calling, how can I help?\n{caller}: {body}"


def _markdown(rng):
    heading = rng.choice(["Question", "Request", "Help needed", "Ask"])
    return lambda body: f"## {heading}\n\n> {body}\n\n_sent from the help widget_"


def _plain(rng):
    return lambda body: body


# (name, weight, factory). Plain is the most common setting, as in real traffic.
CONTAINERS = [
    ("plain", 10, _plain), ("chat", 4, _chat), ("json", 2, _json_message), ("email", 2, _email), ("forum", 2, _forum),
    ("ticket", 1, _ticket), ("form", 1, _form), ("messenger", 2, _messenger), ("transcript", 1, _transcript),
    ("markdown", 1, _markdown),
]


def container(rng):
    """(name, wrap): one container drawn by weight; apply `wrap` to both members of a pair."""
    total = sum(w for _, w, _ in CONTAINERS)
    x = rng.randrange(total)
    for name, weight, factory in CONTAINERS:
        if x < weight:
            return name, factory(rng)
        x -= weight
    raise AssertionError


def _typos(text: str, salt: str) -> str:
    """Swaps two inner letters of about one word in six; the choice depends on the word itself, so a
    word shared by both members of a pair gets the same typo on both sides."""
    def swap(m):
        w = m.group(0)
        if len(w) < 5 or stable_hash(salt + w) % 6:
            return w
        i = 1 + stable_hash(w + salt) % (len(w) - 3)
        return w[:i] + w[i + 1] + w[i] + w[i + 2:]
    return re.sub(r"[A-Za-z]+", swap, text)


def _lower(text: str) -> str:
    return re.sub(r"[.!?](\s|$)", r"\1", text.lower()).strip()


REGISTERS = [("as_is", 12), ("lower", 3), ("typos", 2)]


def register(rng):
    """(name, transform) applied to both members of a pair."""
    total = sum(w for _, w in REGISTERS)
    x = rng.randrange(total)
    for name, weight in REGISTERS:
        if x < weight:
            break
        x -= weight
    if name == "lower":
        return name, _lower
    if name == "typos":
        salt = str(rng.randrange(1000))
        return name, lambda text: _typos(text, salt)
    return name, lambda text: text
