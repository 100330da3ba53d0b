"""code_violated vs code_expected, v2: one family of small functions in twelve languages, two loop styles.

Each function folds a list of numbers with a stated intent (its doc comment and name): the sum of the
values at least a threshold, the count of values below one, the count equal to one, the largest, the
smallest. It is rendered in Python, JavaScript, TypeScript, Go, Java, C, C#, Kotlin, Swift, Rust, Ruby
and PHP, as a for-each loop or an index loop, over one of twelve domains (prices, scores, ages,
latencies…) that name the identifiers. The violated side changes one thing the intent fixes: the
boundary (`>=` → `>`), the direction (`<` → `>`), the update (`+ x` → `+ 1`), the initial value, or
(index loops) the first index. The rendering is parametrised, so the edit is one token in the
language's own syntax. Also v1's threshold predicates and formulas, rendered in every language their
templates have (v1 draws three each). Primary split key: the concept (operation × domain), as in v1 (a held-out
concept is unseen in every language).
"""
from __future__ import annotations

from common import Candidate
from seeds.code import FORMULA_TEMPLATES, FORMULAS, THRESHOLD_TEMPLATES, THRESHOLDS, c_like_names, pascal as v1_pascal

DOMAINS = [("prices", "price", [10, 25, 100]), ("scores", "score", [50, 60, 75]), ("ages", "age", [18, 21, 65]),
           ("temps", "temp", [0, 30]), ("weights", "weight", [20, 50]), ("speeds", "speed", [50, 90, 120]),
           ("votes", "vote", [3, 5]), ("latencies", "latency", [100, 250, 500]), ("quantities", "qty", [1, 10]),
           ("distances", "dist", [5, 42]), ("balances", "balance", [0, 1000]), ("heights", "height", [120, 180])]

# op: (name pattern, doc, accumulator, init, condition, update, bugs). In the templates X is the element,
# A the accumulator, L the list, T the threshold. A bug maps a part ("init", "cond", "update", "start") to
# its wrong value.
OPS = {
    "sum_at_least": ("sum_{L}_at_least", "Returns the sum of the {L} that are at least {T}.", "total", "0", "X >= T", "A + X",
                     [{"cond": "X > T"}, {"cond": "X <= T"}, {"update": "A + 1"}, {"init": "1"}, {"start": "1"}]),
    "count_below": ("count_{L}_below", "Counts the {L} that are below {T}.", "count", "0", "X < T", "A + 1",
                    [{"cond": "X <= T"}, {"cond": "X > T"}, {"update": "A + X"}, {"start": "1"}]),
    "count_equal": ("count_{L}_equal", "Counts the {L} equal to {T}.", "matches", "0", "X == T", "A + 1",
                    [{"cond": "X != T"}, {"cond": "X >= T"}, {"start": "1"}]),
    "max": ("max_{X}", "Returns the largest of the {L} (the list is not empty).", "best", "FIRST", "X > A", "X",
            [{"cond": "X < A"}, {"init": "0"}]),
    "min": ("min_{X}", "Returns the smallest of the {L} (the list is not empty).", "best", "FIRST", "X < A", "X",
            [{"cond": "X > A"}, {"init": "0"}]),
}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def pascal(name: str) -> str:
    return "".join(p.title() for p in name.split("_"))


def render(lang: str, style: str, fn: str, doc: str, L: str, X: str, A: str, init: str, cond: str, update: str, start: str) -> str:
    v = (lambda n: "$" + n) if lang == "php" else (lambda n: n)
    first = f"{v(L)}[0]"
    init = first if init == "FIRST" else init
    c = cond.replace("X", v(X)).replace("A", v(A))
    u = update.replace("X", v(X)).replace("A", v(A))
    # T was substituted before the call (a number); names are substituted here.
    if lang == "python":
        loop = f"for {X} in {L}:" if style == "each" else f"for i in range({start}, len({L})):\n        {X} = {L}[i]"
        return f'def {fn}({L}):\n    """{doc}"""\n    {A} = {init}\n    {loop}\n        if {c}:\n            {A} = {u}\n    return {A}'
    if lang in ("javascript", "typescript"):
        sig = f"function {camel(fn)}({L})" if lang == "javascript" else f"function {camel(fn)}({L}: number[]): number"
        loop = f"for (const {X} of {L}) {{" if style == "each" else f"for (let i = {start}; i < {L}.length; i++) {{\n    const {X} = {L}[i];"
        return f"// {doc}\n{sig} {{\n  let {A} = {init};\n  {loop}\n    if ({c}) {{\n      {A} = {u};\n    }}\n  }}\n  return {A};\n}}"
    if lang == "go":
        loop = f"for _, {X} := range {L} {{" if style == "each" else f"for i := {start}; i < len({L}); i++ {{\n\t\t{X} := {L}[i]"
        return f"// {camel(fn)}: {doc}\nfunc {camel(fn)}({L} []int) int {{\n\t{A} := {init}\n\t{loop}\n\t\tif {c} {{\n\t\t\t{A} = {u}\n\t\t}}\n\t}}\n\treturn {A}\n}}"
    if lang in ("java", "csharp"):
        name = camel(fn) if lang == "java" else pascal(fn)
        length = "length" if lang == "java" else "Length"
        each = f"for (int {X} : {L}) {{" if lang == "java" else f"foreach (var {X} in {L}) {{"
        loop = each if style == "each" else f"for (int i = {start}; i < {L}.{length}; i++) {{\n        int {X} = {L}[i];"
        head = f"/** {doc} */" if lang == "java" else f"/// <summary>{doc}</summary>"
        return f"{head}\nstatic int {name}(int[] {L}) {{\n    int {A} = {init};\n    {loop}\n        if ({c}) {{\n            {A} = {u};\n        }}\n    }}\n    return {A};\n}}"
    if lang == "c":
        return (f"/* {doc} */\nint {fn}(const int *{L}, size_t n) {{\n    int {A} = {init};\n    for (size_t i = {start}; i < n; i++) {{\n"
                f"        int {X} = {L}[i];\n        if ({c}) {{\n            {A} = {u};\n        }}\n    }}\n    return {A};\n}}")
    if lang == "kotlin":
        loop = f"for ({X} in {L}) {{" if style == "each" else f"for (i in {start} until {L}.size) {{\n        val {X} = {L}[i]"
        return f"// {doc}\nfun {camel(fn)}({L}: List<Int>): Int {{\n    var {A} = {init}\n    {loop}\n        if ({c}) {{\n            {A} = {u}\n        }}\n    }}\n    return {A}\n}}"
    if lang == "swift":
        loop = f"for {X} in {L} {{" if style == "each" else f"for i in {start}..<{L}.count {{\n        let {X} = {L}[i]"
        return f"/// {doc}\nfunc {camel(fn)}(_ {L}: [Int]) -> Int {{\n    var {A} = {init}\n    {loop}\n        if {c} {{\n            {A} = {u}\n        }}\n    }}\n    return {A}\n}}"
    if lang == "rust":
        loop = f"for &{X} in {L} {{" if style == "each" else f"for i in {start}..{L}.len() {{\n        let {X} = {L}[i];"
        return f"/// {doc}\nfn {fn}({L}: &[i32]) -> i32 {{\n    let mut {A} = {init};\n    {loop}\n        if {c} {{\n            {A} = {u};\n        }}\n    }}\n    {A}\n}}"
    if lang == "ruby":
        loop = f"{L}.each do |{X}|" if style == "each" else f"({start}...{L}.length).each do |i|\n    {X} = {L}[i]"
        return f"# {doc}\ndef {fn}({L})\n  {A} = {init}\n  {loop}\n    {A} = {u} if {c}\n  end\n  {A}\nend"
    if lang == "php":
        loop = f"foreach ({v(L)} as {v(X)}) {{" if style == "each" else f"for ($i = {start}; $i < count({v(L)}); $i++) {{\n        {v(X)} = {v(L)}[$i];"
        return f"/** {doc} */\nfunction {camel(fn)}(array {v(L)}): int {{\n    {v(A)} = {init};\n    {loop}\n        if ({c}) {{\n            {v(A)} = {u};\n        }}\n    }}\n    return {v(A)};\n}}"
    raise ValueError(lang)


LANGUAGES = ["python", "javascript", "typescript", "go", "java", "c", "csharp", "kotlin", "swift", "rust", "ruby", "php"]


def candidates(rng, held) -> list[Candidate]:
    out = []
    for op, (name, doc, acc, init, cond, update, bugs) in OPS.items():
        for L, X, thresholds in DOMAINS:
            for lang in LANGUAGES:
                for style in (["index"] if lang == "c" else [rng.choice(["each", "index"])]):
                    t = str(rng.choice(thresholds))
                    usable = [b for b in bugs if "start" not in b or style == "index"]
                    if op == "max" and L not in ("temps", "balances"):
                        # Starting a maximum at 0 is only wrong when values can be negative.
                        usable = [b for b in usable if "init" not in b]
                    bug = rng.choice(usable)
                    fn = name.replace("{L}", L).replace("{X}", X)
                    text = doc.replace("{L}", L).replace("{T}", t)
                    parts = {"init": init, "cond": cond.replace("T", t), "update": update, "start": "0"}
                    wrong = {**parts, **{k: (val.replace("T", t) if k == "cond" else val) for k, val in bug.items()}}
                    out.append(Candidate(
                        positive=render(lang, style, fn, text, L, X, acc, **wrong),
                        negative=render(lang, style, fn, text, L, X, acc, **parts),
                        primary=f"fold:{op}:{L}", secondary=(), family=f"fold:{lang}",
                    ))
    return out + threshold_and_formula_candidates()


def threshold_and_formula_candidates() -> list[Candidate]:
    """v1's threshold predicates and formulas in *every* language of their templates (v1 draws three
    languages each; those texts come out again here and are refused as exact duplicates at selection)."""
    out = []
    for name, param, intent, op, const, bad_op in THRESHOLDS:
        for language in sorted(THRESHOLD_TEMPLATES):
            p = camel(param) if language in ("javascript", "java", "kotlin", "swift", "csharp") else param
            slots = dict(name=name, camel=camel(name), pascal=v1_pascal(name), param=p, intent=intent, const=const)
            good = THRESHOLD_TEMPLATES[language].format(op=op, **slots).rstrip("\n")
            bad = THRESHOLD_TEMPLATES[language].format(op=bad_op, **slots).rstrip("\n")
            out.append(Candidate(positive=bad, negative=good, primary=f"threshold:{name}", secondary=(), family=f"threshold:{language}"))
    for name, params, intent, py, cl, bad_py, bad_cl in FORMULAS:
        for language in sorted(FORMULA_TEMPLATES):
            template, sep, param_form = FORMULA_TEMPLATES[language]
            names = [camel(p) if language in ("javascript", "java", "typescript", "csharp") else p for p in params]
            args = ", ".join(names) if language == "go" else sep.join(param_form.format(p=p) for p in names)
            good_expr = py if language == "python" else c_like_names(cl, params, language)
            bad_expr = bad_py if language == "python" else c_like_names(bad_cl, params, language)
            slots = dict(name=name, camel=camel(name), pascal=v1_pascal(name), intent=intent, args=args)
            out.append(Candidate(positive=template.format(expr=bad_expr, **slots).rstrip("\n"),
                                 negative=template.format(expr=good_expr, **slots).rstrip("\n"),
                                 primary=f"formula:{name}", secondary=(), family=f"formula:{language}"))
    return out
