"""Find officials, places and bodies in one clean text, and attribute country and office to each person.

The detector is context first (a title, rank, demonym or apposition next to a capitalised name; a speech verb after
it); the gazetteers (``gazetteers.py``) are aids: they supply country names, demonyms, offices, given names and a
list of well-known officials used to confirm and to fix garbled spellings, never as the only way to find a person.

Everything works on the raw text with regexes compiled once (C speed), so the stage stays close to the spaCy
tokenizer's throughput. The spaCy component in ``components.py`` runs ``compute_mentions`` and stores plain
tuples in ``doc.user_data`` (they survive ``nlp.pipe(n_process=2)``); ``extract_mentions`` turns them into
``Mention`` records.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from defcomm_assets.core.records import Mention
from defcomm_assets.core.sentences import sentence_starts
from defcomm_assets.stages.entities import gazetteers as gz
from defcomm_assets.stages.entities.doc_data import (
    SENTS_KEY,
    SKIP_KEY,
    SPANS_KEY,
    USER_DATA_KEY,
    doc_text,
    is_latin_english_script,
)
from defcomm_assets.stages.entities.evidence import chain_evidence, evidence_items, left_chain, place_re, right_chain
from defcomm_assets.stages.entities.lexicon import (
    CONNECT_NO_AND,
    GENERIC_ROLES,
    HEADLINE_VERBS,
    NAME_RUN,
    SPEECH_AFTER,
    SPEECH_BEFORE,
    STOP,
    TOKEN,
)
from defcomm_assets.stages.entities.names import (
    PARTICLES,
    first_initial,
    fold,
    name_tokens,
    normalise_surname,
    surname_key,
    surname_of,
)
from defcomm_assets.stages.entities.people import (
    canonical_name,
    fuzzy_group,
    gazetteer_name_tokens,
    looks_like_name,
    match_official,
    nearest_country,
    surname_close,
)

# --------------------------------------------------------------------------------------------- main detector
_LINE_RE = re.compile(r"[^\n]+")
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_SMALL = frozenset("a an the of in on to for and with at by from as is are vs over after into amid about".split())
CREDIT_BEFORE = re.compile(r"(?:Photograph|Photo|Picture|Image|Credit|Credits|Source|Copyright|©|Illustration|"
                           r"Video|Author|Written by|Reporting by|Editing by|Edited by)\s*[:|/]?\s*$"
                           r"|(?:^|\n)\s*By\s+$", re.I)
_CUT_END = re.compile(r"\s(?:the|a|an|of|and|to|in|on|for|with|at|by|from|that|its|their|his|her|our)\s*$")
_COORD_AFTER = re.compile(r"\s*(?:,\s*)?and\s+")
_TITLE_BEFORE = re.compile(r"(?:\b(?:Gen|Adm|Col|Lt|Maj|Capt|Brig|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Amb)\.?|General|Admiral|"
                           r"Colonel|Secretary|Minister|Director|Chairman|Chief|Commander|President)[ \u00a0]+$")


def _headline_spans(text: str) -> list[tuple[int, int]]:
    """Title-Case lines (headlines, link lists): capitalised verbs there do not extend names."""
    out = []
    for m in _LINE_RE.finditer(text):
        if m.end() - m.start() > 160:
            continue
        words = [w for w in _WORD_RE.findall(m.group(0)) if w.lower() not in _SMALL]
        if len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.85 * len(words) \
                and not m.group(0).rstrip().endswith((".", "!", "?", "”", '"', ":")) \
                and not _CUT_END.search(m.group(0)):  # a sentence cut off ("... discussed the") is no headline
            out.append((m.start(), m.end()))
    return out


def _in_spans(spans, starts, pos) -> bool:
    j = bisect_right(starts, pos) - 1
    return j >= 0 and spans[j][0] <= pos < spans[j][1]


def compute_mentions(text: str, places: list[tuple[int, int, str]] | None = None,
                     sent_starts: list[int] | None = None,
                     model_persons: list[tuple[int, int]] | None = None) -> list[list]:
    """All mentions of one text as plain lists [label, start, end, canonical, country, role, key, text].

    `places`: (start, end, surface) gazetteer matches (from the PhraseMatcher); found by regex when None.
    `sent_starts`: char offsets where sentences start; a regex splitter is used when None.
    `model_persons`: (start, end) PERSON spans of a statistical NER, when one ran: they count as person evidence.
    """
    if not text:
        return []
    if places is None:
        places = [(m.start(), m.end(), m.group(0)) for m in place_re().finditer(text)]
    if sent_starts is None:
        sent_starts = sentence_starts(text)
    items = evidence_items(text, places)
    starts = [i.start for i in items]
    ends = [i.end for i in items]
    heads = _headline_spans(text)
    head_starts = [h[0] for h in heads]

    blocked = bytearray(len(text))
    for it in items:
        blocked[it.start:it.end] = b"\x01" * (it.end - it.start)

    fnames = gz.first_names()
    sur_idx = gz.officials_by_surname()
    full_idx = gz.officials_by_fullname()

    # ---- 1. person candidates: runs of capitalised words minus offices, places, ranks and common words
    cands = []
    for run in NAME_RUN.finditer(text):
        rs = run.start()
        rt = run.group(0)
        if " " not in rt and "\u00a0" not in rt:
            # fast path: one capitalised word (most runs: sentence-initial words, places, offices)
            lw = rt.lower()
            if (len(rt) < 3 or blocked[rs] or lw in STOP or (rt.isupper() and "." not in rt)
                    or (lw.endswith(("'s", "’s")) and lw[:-2] in STOP)):
                continue
            cands.append([(rs, run.end(), rt)])
            continue
        toks = [(m.start() + rs, m.end() + rs, m.group(0)) for m in TOKEN.finditer(rt)]
        named = gazetteer_name_tokens(toks, blocked, full_idx)
        seg: list[tuple[int, int, str]] = []
        for k, tok in enumerate(toks + [None]):
            ok = False
            if tok is not None:
                s, e, w = tok
                lw = w.lower()
                if k in named:
                    ok = True  # a common word inside a known official's name: Dong Jun, To Lam, No Kwang Chol
                elif len(w) == 1 and w != "I" and k + 1 < len(toks):
                    nw = toks[k + 1][2]
                    ok = not blocked[s] and len(nw) > 2 and nw.lower() not in STOP and not blocked[toks[k + 1][0]]
                elif k == 0 and len(w) == 2 and w.isupper() and w.isalpha() and k + 1 < len(toks) and not blocked[s]:
                    # initials written without dots right after a rank or title: "Gen. CQ Brown", "Adm. JT Hale"
                    nw = toks[k + 1][2]
                    ok = (len(nw) > 2 and not nw.isupper() and nw.lower() not in STOP and not blocked[toks[k + 1][0]]
                          and _TITLE_BEFORE.search(text, max(0, s - 40), s) is not None)
                else:
                    ok = (not blocked[s] and lw not in STOP
                          and not (w.isupper() and len(w) > 1 and w not in ("II", "III", "IV") and "." not in w)
                          and not (lw in HEADLINE_VERBS and heads and _in_spans(heads, head_starts, s)))
                if ok and lw.endswith(("'s", "’s")):
                    ok = lw[:-2] not in STOP
            if ok:
                seg.append(tok)
                continue
            while seg and seg[0][2].lower() in PARTICLES:
                seg.pop(0)
            while seg and (seg[-1][2].lower() in PARTICLES or len(seg[-1][2].rstrip(".")) == 1):
                seg.pop()
            if seg:
                cands.append(seg)
            seg = []

    persons = []
    for seg in cands:
        s, e = seg[0][0], seg[-1][1]
        if len(seg) == 1:
            real = [seg[0][2]] if len(seg[0][2].rstrip(".")) > 1 else []
        else:
            real = [w for _, _, w in seg if len(w.rstrip(".")) > 1 and w.lower() not in PARTICLES]
        if not real:
            continue
        multi = len(real) >= 2
        pre = text[max(0, s - 3):s]
        if (":" in pre or "|" in pre or "/" in pre or pre.endswith(("y ", "Y "))) \
                and CREDIT_BEFORE.search(text, max(0, s - 30), s):
            continue
        name = text[s:e]
        sk = surname_key(name)
        lchain = left_chain(text, items, ends, s)
        strong_left = (bool(lchain) and lchain[0][0].kind in ("role", "rank", "cp")
                       and lchain[0][1].strip(" \u00a0") == "")
        headline = _in_spans(heads, head_starts, s) if heads else False
        by_model = bool(model_persons) and any(a < e and s < b for a, b in model_persons)
        if not multi:
            # surname-only mention: a person on its own only with a title right before it or a known surname
            known_sur = sk in sur_idx
            ok = False
            if len(real[0]) > 2 and not headline:
                if strong_left and (lchain[0][0].value.lower() not in GENERIC_ROLES
                                    or (lchain[0][0].text[:1].isupper() and lchain[0][0].value.lower() != "leader")):
                    ok = True
                elif known_sur and (strong_left or SPEECH_AFTER.match(text, e) is not None
                                    or SPEECH_BEFORE.search(text, max(0, s - 20), s) is not None):
                    ok = True
                elif by_model:
                    ok = True
            if not ok:
                persons.append({"s": s, "e": e, "text": name, "multi": False, "ok": False, "sk": sk,
                                "headline": headline, "lchain": lchain, "rchain": (), "offs": (), "adj_org": False,
                                "coord": False, "fi": "", "first": "", "tokens": seg, "fs": surname_of(name)})
                continue
        rchain = right_chain(text, items, starts, e)
        title_left = any(it.kind in ("role", "rank", "cp") for it, _ in lchain)
        adj_org = bool(lchain) and lchain[0][0].kind == "org" and bool(lchain[0][0].code) and lchain[0][1].strip() == ""
        appos = any(it.kind == "role" for it in rchain)
        offs = full_idx.get(fold(name)) or ()
        if not offs and len(real) >= 3:
            offs = full_idx.get(fold(" ".join(real[-2:]))) or ()
        if not offs and len(seg) >= 4 and any(t[2].lower() in ("bin", "ibn") for t in seg[1:]):
            # an Arabic name with more of its chain than the gazetteer gives: "Khalid bin Salman bin Abdulaziz"
            for size in range(len(seg) - 1, 2, -1):
                offs = full_idx.get(fold(" ".join(t[2] for t in seg[:size]))) or ()
                if offs:
                    break
        if not multi:
            is_person = True
        elif headline:
            # Title Case capitalises verbs too ("Director Jane Doe Receives Award"): two words with a title or a
            # known given name, or a gazetteer name
            is_person = bool(offs) or (len(real) == 2 and (title_left or fold(real[0]) in fnames))
        else:
            is_person = (title_left or adj_org or appos or bool(offs) or fold(real[0]) in fnames or by_model)
            if not is_person and SPEECH_AFTER.match(text, e) is not None:
                # "Firstname Lastname said ...": a known surname, or a short capitalised name
                is_person = sk in sur_idx or (len(real) <= 3 and looks_like_name(real))
            if not is_person and persons and persons[-1]["ok"] and persons[-1]["multi"] and len(real) <= 3 \
                    and _COORD_AFTER.fullmatch(text, persons[-1]["e"], s) and looks_like_name(real):
                # the second of two full names joined by "and": "advisers Jane Roe and Ann Moe"
                is_person = True
        m2 = _COORD_AFTER.match(text, e)
        coord = m2 is not None and NAME_RUN.match(text, m2.end()) is not None
        persons.append({"s": s, "e": e, "text": name, "multi": multi, "ok": is_person, "sk": sk, "headline": headline,
                        "lchain": lchain, "rchain": rchain, "offs": offs, "adj_org": adj_org, "coord": coord,
                        "fi": first_initial(name), "first": fold(real[0]), "tokens": seg,
                        "fs": surname_of(name)})

    # ---- 2. document-level grouping: full names define people; variants and surname-only mentions join them
    groups: dict[str, dict] = {}
    for p in persons:
        if p["ok"] and p["multi"]:
            g = groups.get(p["sk"])
            if g is None:
                g = fuzzy_group(groups, p, full=True)
            if g is None:
                g = groups[p["sk"]] = {"names": [], "mentions": [], "sk": p["sk"], "first": p["first"], "fs": p["fs"]}
            g["names"].append(p["text"])
            g["mentions"].append(p)
    # the last word of each full name: "Giang" after "Phan Van Giang", whose key reads "Van" as a particle
    by_last: dict[str, dict | None] = {}
    for g in groups.values():
        for n in g["names"]:
            toks = name_tokens(n)
            if len(toks) >= 2:
                k = normalise_surname(toks[-1])
                by_last[k] = g if by_last.get(k, g) is g else None  # None: two people share it
    # people named by surname alone so far ("Minister Kostic" with no full name anywhere)
    unattached = {p["sk"] for p in persons
                  if p["ok"] and not p["multi"] and p["sk"] not in groups and p["sk"] not in by_last}
    for p in persons:
        if p["multi"] and p["ok"]:
            continue
        g = None
        if not p["multi"]:
            g = groups.get(p["sk"]) or by_last.get(p["sk"]) or fuzzy_group(groups, p, full=False)
            if g is None:
                by_first = [g2 for g2 in groups.values() if g2["first"] == p["first"] and len(p["first"]) > 2]
                if len(by_first) == 1 and p["ok"]:
                    if unattached - {p["sk"]}:
                        continue  # a person known by surname only may own this given name: whose it is is unknown
                    g = by_first[0]  # "Prince Khalid" after "Prince Khalid bin Salman"
        if g is not None:
            g["mentions"].append(p)
        elif p["ok"] and not p["multi"]:
            g = groups[p["sk"]] = {"names": [p["text"]], "mentions": [p], "sk": p["sk"], "first": "", "fs": p["fs"]}
        elif p["headline"] or (p["multi"] and not p["ok"]):
            # a headline run such as "Umerov Meets Hegseth In Washington": its known surnames are mentions
            for ts, te, w in p["tokens"]:
                k = surname_key(w)
                g2 = groups.get(k)
                if g2 is not None and len(k) > 2:
                    g2["mentions"].append({**p, "s": ts, "e": te, "text": w, "lchain": [], "rchain": [],
                                           "adj_org": False, "coord": False, "offs": ()})

    # ---- 3. attribution per person
    doc_countries = Counter(it.code for it in items if it.kind in ("gpe", "norp") and it.code)
    out: list[list] = []
    role_owner: dict[int, str | None] = {}
    for g in groups.values():
        name = canonical_name(g["names"])
        evid: list[tuple[int, str | None, str | None]] = []  # (strength, country, role)
        for p in g["mentions"]:
            lc, rc = p["lchain"], p["rchain"]
            l_country, l_role, has_title = chain_evidence(text, lc, p["coord"])
            r_states = [it.code for it in rc if it.code and it.kind != "org"]
            r_country = r_states[0] if r_states else next((it.code for it in rc if it.code), None)
            r_role = next((it.value for it in rc if it.kind == "role"), None)
            if has_title or p["adj_org"]:
                evid.append((4 if l_country else 1, l_country, l_role))
            elif lc and lc[0][1] == "poss" and l_country:
                evid.append((3, l_country, None))
            if r_role or r_country:
                evid.append((4 if (r_role and r_country) else 2, r_country, r_role))
        country = role = None
        strong = [x for x in evid if x[1]]
        if strong:
            best = max(x[0] for x in strong)
            cnt = Counter(x[1] for x in strong if x[0] == best)
            country = cnt.most_common(1)[0][0]
        role = next((x[2] for x in sorted(evid, key=lambda x: -x[0])
                     if x[2] and (country is None or x[1] in (None, country))), None)
        off = match_official(name, country, [p["offs"] for p in g["mentions"]])
        if off is not None:
            if country is None:
                country = off.country
            if role is None:
                role = off.role
            if surname_close(name, off.name) and fold(name) not in {fold(a) for a in off.aliases}:
                # the gazetteer mends a spelling; a form it lists as an alias stays as the text has it ("Bill Burns")
                name = off.name
        if country is None:
            country = nearest_country(text, items, starts, sent_starts, g["mentions"])
        if country is None and doc_countries:
            country = doc_countries.most_common(1)[0][0]
        key = "per:" + g["sk"]
        for p in g["mentions"]:
            out.append(["PERSON", p["s"], p["e"], name, country, role, key, p["text"]])
            for it, _ in p["lchain"]:
                if it.kind == "role":
                    role_owner[it.start] = country

    # ---- 4. places, bodies, offices
    n = len(items)
    i = 0
    while i < n:
        it = items[i]
        if it.kind in ("gpe", "norp"):
            out.append([it.kind.upper(), it.start, it.end, it.value, it.code, None, f"{it.kind}:{it.code}", it.text])
        elif it.kind == "org":
            s, e, code = it.start, it.end, it.code
            if code is None or len(code) == 2:
                # "Polish Defense Ministry", "Ukraine's General Staff", "Ministry of Defence of Poland"
                prev = out[-1] if out and out[-1][0] in ("GPE", "NORP") else None
                if prev is not None and prev[2] <= s and s - prev[2] <= 4 and CONNECT_NO_AND.fullmatch(text[prev[2]:s]):
                    code = code or prev[4]
                    s = prev[1]
                    out.pop()
                elif i + 1 < n and items[i + 1].kind in ("gpe", "norp") and items[i + 1].code and \
                        _OF_GAP.fullmatch(text[e:items[i + 1].start]):
                    code = code or items[i + 1].code
                    e = items[i + 1].end
                    i += 1
            canon = it.value if it.code and len(it.code) > 2 else f"{it.value} ({code})" if code else it.value
            out.append(["ORG", s, e, canon, code, None, f"org:{code or '-'}:{fold(it.value)}", text[s:e]])
        elif it.kind == "role" and it.value.lower() not in GENERIC_ROLES and it.text[:1].isupper():
            out.append(["ROLE", it.start, it.end, it.value, role_owner.get(it.start), it.value,
                        "role:" + fold(it.value).replace(" ", "_"), it.text])
        i += 1
    out.sort(key=lambda r: (r[1], -r[2]))
    return out


_OF_GAP = re.compile(r"\s+of\s+(?:the\s+)?")


# --------------------------------------------------------------------------------------------- public API
def mentions_from_rows(rows) -> list[Mention]:
    """Rows are [label, start, end, canonical, country, role, key, text]."""
    return [Mention(label=r[0], text=r[7], start_char=r[1], end_char=r[2], canonical_name=r[3],
                    country_code=r[4], role=r[5], key=r[6]) for r in rows]


def extract_mentions(doc) -> list[Mention]:
    """Mentions of one spaCy Doc (char offsets into doc.text). Uses what the pipeline's ``defcomm_mentions``
    component stored; computes it on the spot for a Doc made without that component."""
    rows = doc.user_data.get(USER_DATA_KEY) if hasattr(doc, "user_data") else None
    if rows is None:
        rows = doc_mentions(doc)
    return mentions_from_rows(rows)


def doc_mentions(doc, text: str | None = None, model_ner: bool = False) -> list[list]:
    """Rows of ``compute_mentions`` for a Doc (uses the gazetteer spans and sentences when present)."""
    if text is None:
        text = doc_text(doc)
    if not is_latin_english_script(text):
        doc.user_data[SKIP_KEY] = "not English script: no English NER run"
        return []
    places = None
    if SPANS_KEY in doc.user_data:
        places = [(a, b, text[a:b]) for a, b in doc.user_data[SPANS_KEY]]
    # (never doc.sents / has_annotation here: they walk every token in Python)
    model_persons = None
    if model_ner:
        # a statistical model ran before us: its PERSON spans are extra candidates for the same rules
        model_persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("PERSON", "PER")]
    return compute_mentions(text, places, doc.user_data.get(SENTS_KEY), model_persons=model_persons)
