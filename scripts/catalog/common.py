"""Shared types and helpers of the catalog generator (see generate.py)."""
from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    """One minimal pair: the same content with and without the contrast's behavior.

    `primary` is the unit the split is drawn over (a topic, a tool, an action, a code concept...): all
    candidates of one primary value land in the same split. `secondary` holds namespaced keys of the
    other reusable parts ("frame:…", "template:…"); a secondary value chosen as held-out-only never
    appears in train. See generate.py for the rule.
    """

    positive: str
    negative: str
    primary: str
    secondary: tuple[str, ...] = field(default_factory=tuple)
    # Further primary units the text also uses (a second tool, a second action): the candidate is kept
    # only when they all fall in the same split as `primary`, so no unit leaks across splits.
    related: tuple[str, ...] = field(default_factory=tuple)
    # The template family the texts come from (recorded in groups.json for grouped cross-validation);
    # empty means "the first secondary key, else the primary's namespace".
    family: str = ""
    # False when the negative is *not* the positive's minimal-pair twin but an unrelated ordinary text
    # of the negative class (drawn from the same split), so a detector cannot rely on twins alone.
    twin: bool = True


def stable_hash(text: str) -> int:
    """A hash that does not change between Python runs (unlike hash())."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def rng_for(name: str) -> random.Random:
    """A generator seeded from a name, so each contrast's draws do not depend on the others."""
    return random.Random(stable_hash("catalog-v2/" + name))


def fill(template: str, **slots: str) -> str:
    """str.format, but refuses unknown or unused placeholders so a typo cannot ship."""
    names = set(re.findall(r"{(\w+)}", template))
    missing = names - slots.keys()
    if missing:
        raise KeyError(f"template {template!r} needs {sorted(missing)}")
    return template.format(**{k: v for k, v in slots.items() if k in names})


def cap(text: str) -> str:
    """Upper-cases the first character only (str.capitalize would lower-case the rest)."""
    return text[:1].upper() + text[1:]


def words(text: str) -> int:
    return len(text.split())
