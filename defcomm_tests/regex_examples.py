"""Example texts written out from a regex, for tests that check the cheap gates in front of the rules."""
from __future__ import annotations


def regex_examples(pattern: str) -> list[str]:
    """Short texts a regex matches: every alternative of every group at least once (one group varied at a time,
    the others at their first alternative)."""
    import re._constants as c
    import re._parser as p

    def item(op, av) -> list[str]:
        if op is c.LITERAL:
            return [chr(av)]
        if op is c.NOT_LITERAL:
            return ["x" if chr(av) != "x" else "y"]
        if op is c.IN:
            kind, val = av[0]
            return [chr(val) if kind is c.LITERAL else chr(val[0]) if kind is c.RANGE
                    else " " if val is c.CATEGORY_SPACE else "a"]
        if op is c.ANY:
            return ["a"]
        if op is c.SUBPATTERN:
            return seq(av[-1])
        if op is c.BRANCH:
            return [x for branch in av[1] for x in seq(branch)]
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            lo, _, sub = av
            sub_items = list(sub)
            if lo == 0 and len(sub_items) == 1 and (sub_items[0][0] is c.ANY or (
                    sub_items[0][0] is c.IN and sub_items[0][1][0][0] is c.NEGATE)):
                return [" "]  # ".{0,30}", "[^.;]{0,80}" between two words: a space keeps the word boundaries
            return [x * lo for x in seq(sub)] if lo else [""] + seq(sub)[1:]
        if op is c.ASSERT and av[0] == 1:
            return seq(av[1])[:1]  # a lookahead: what it asks for comes next
        return [""]  # AT (\b), lookbehinds, negative lookaheads: nothing to write

    def seq(items) -> list[str]:
        variants = [item(op, av) for op, av in items]
        base = [v[0] for v in variants]
        out = ["".join(base)]
        for i, v in enumerate(variants):
            out.extend("".join(base[:i] + [x] + base[i + 1:]) for x in v[1:])
        return out

    return seq(p.parse(pattern))
