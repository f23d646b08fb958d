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
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz

from defcomm_assets.core.records import Mention
from defcomm_assets.core.sentences import sentence_starts
from defcomm_assets.stages.entities import gazetteers as gz
from defcomm_assets.stages.entities.names import first_initial, fold, gendered_pair, name_tokens, surname_key, surname_of

USER_DATA_KEY = "defcomm_mentions"

# --------------------------------------------------------------------------------------------- character classes
_LAT = [chr(i) for i in list(range(0x41, 0x250)) + list(range(0x1E00, 0x1F00))]
_UP = "".join(re.escape(c) for c in _LAT if c.isupper())
_LET = "".join(re.escape(c) for c in _LAT if c.isalpha())
UPPER = f"[{_UP}]"
LETTER = f"[{_LET}]"

_CAPW = rf"(?:(?:al|el)-)?{UPPER}{LETTER}*(?:(?:['’](?={UPPER})|-(?={LETTER})){LETTER}+)*"
_INIT = rf"{UPPER}\."
_PART = r"(?:von|van|der|den|de|da|dos|das|du|bin|ibn|al|el|la|le|di|del|ter|ten|zu)"
NAME_RUN = re.compile(
    rf"(?<![{_LET}\-])(?:{_INIT}|{_CAPW})(?:[ \u00a0]+(?:{_PART}[ \u00a0]+)*(?:{_INIT}|{_CAPW}))*+(?!{LETTER})"
)
TOKEN = re.compile(rf"{_INIT}|{_CAPW}|{_PART}")

SPEECH_AFTER = re.compile(
    r"\s*(?:,[^,.;:]{0,60},\s*)?(?:has |had |have |also |then |later |earlier |on \w+ )?"
    r"(?:said|says|told|tells|stressed|stresses|noted|notes|added|adds|wrote|writes|announced|announces|"
    r"emphasi[sz]ed|emphasi[sz]es|underlined|underscored|pointed out|stated|states|explained|thanked|thanks|"
    r"met|meets|held|holds|visited|visits|spoke|speaks|discussed|discusses|signed|signs|received|receives|"
    r"called|calls|arrived|arrives|invited|invites|welcomed|welcomes|confirmed|confirms|expressed|expresses|"
    r"highlighted|urged|urges|praised|reported|reports|informed|assured|congratulated|hosted|hosts|warned|"
    r"warns|accused|claimed|claims|insisted|argued|asked|replied|agreed|agrees|vowed|promised|pledged|"
    r"recalled|commented|briefed|presented|proposed|ordered|appointed|declared|believes|believed|wants|"
    r"is scheduled|was scheduled|is expected|was expected)\b"
)
APPOS_START = re.compile(r"[ \t\u00a0]*(?:,|\(|–|—|-)[ \t\u00a0]*(?:who is |who was |the |a |an |his |her |then-|then |now |former |acting )*")
CONNECT = re.compile(r"(?:[ \t\u00a0,]|of|the|for|and|on|in|at|to|'s|’s|s'|his|her|their|its|&|-|\([A-Z]{2,8}\))*", re.I)
CONNECT_NO_AND = re.compile(r"(?:[ \t\u00a0,]|of|the|for|in|at|to|'s|’s|his|her|their|its|-|\([A-Z]{2,8}\))*", re.I)
_LOOSE_GAP = re.compile(r"(?:'s|’s)?[ \u00a0]+(?:[a-z][a-z-]+[ \u00a0]+){1,3}")
# words that point at an office-holder named next ("his Polish counterpart X"); matched by the role trie
COUNTERPART_WORDS = frozenset({"counterpart", "counterparts", "colleague", "colleagues", "homologue", "homologues",
                               "opposite number", "opposite numbers", "chief"})

STOP = frozenset(w.lower() for w in """
The A An In On At By For From With Without To Of And But Or Nor As After Before During Since Until While When Where
Which Who Whom Whose What Why How This That These Those It Its He She They We I You His Her Their Our My Your Him
Them Us Me There Here Then Now Not No Yes All Any Each Every Some Many Much More Most Other Another Such Only Also
However Meanwhile Moreover Furthermore Earlier Later Today Yesterday Tomorrow Tonight According Despite Although
Though Because If Unless Whether Both Either Neither Following Under Over Between Among Against Within Through
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July August
September October November December Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
News Read Share Photo Photos Video Source Advertising Advertisement Subscribe Comments Comment Related Latest Home
Ministry Minister Ministers Department Office Council Committee Parliament Government Agency Service Services Forces
Force Army Navy Air Staff General Defence Defense Security Foreign Affairs National State States United Union
Republic Federation Kingdom Embassy Alliance Summit Group Coalition Contact Format Conference Forum Day Week Year War
Street Square Palace House Center Centre University Institute Company Corporation Inc Ltd Bank Fund Program Programme
Plan Initiative Agreement Treaty Declaration Memorandum Strategy Operation Exercise Exercises Brigade Division Corps
Regiment Battalion Command Headquarters Guard Police Border Marine Marines Coast Intelligence Directorate Bureau
Administration Cabinet Assembly Senate Congress Court Party Movement Front Region Oblast Province City Sea Ocean
Black Baltic North South East West Eastern Western Northern Southern Central European Europe Asia Africa Middle
Pacific Atlantic Indo Facebook Twitter Telegram Instagram YouTube LinkedIn WhatsApp Reuters Getty Images Press Media
Times Post Journal Daily Chief Chiefs Deputy Head Secretary President Presidents Prime Vice First Senior Joint
Commander Adviser Advisor Ambassador Spokesman Spokeswoman Representative Representatives High Supreme Special Envoy
Federal Armed Military Missile Missiles Patriot Leopard Abrams Covid Christmas Easter Independence Victory Ramstein
Minsk Istanbul Geneva Munich Davos Vilnius Madrid Brussels Nations Crimea Donbas Donbass Donetsk Luhansk Kharkiv
Zaporizhzhia Kherson Odesa Odessa Bakhmut Avdiivka Mariupol Lviv Dnipro Sumy Kursk Belgorod Gaza Taiwan Strait
Sir Mr Mrs Ms Dr Lord Lady Dame His Her Excellency Gen Col Lt Adm Capt Maj Brig Sgt St Mount Lake River
Global International Regional Public Social Democratic Democrats Republican Republicans Labour Conservative
Conservatives Liberal Communist Socialist People Peoples Popular Green Greens Workers Christian Islamic Muslim
Catholic Orthodox Church Fleet Aviation Space Cyber Land Ground Naval Nuclear Strategic Tactical Rapid Reaction
Task Unit Units Team Mission Missions Base Airbase Port Airport Station Market Industry Industries Systems System
Technology Technologies Ltd LLC Holding Group Motors Dynamics Aerospace Electronics Energy Oil Gas Grain Deal
Peace Talks Talk Meeting Meetings Visit Call Calls Phone Conversation Statement Communique Message Letter Report
Reports Update Live Breaking Exclusive Opinion Analysis Editorial Interview Podcast Newsletter Sign Login Register
Menu Search Contact Contacts About Terms Privacy Policy Cookies Cookie Copyright Rights Reserved Follow Like Tweet
Print Email Mail Next Previous Back Top More Main Sections Section Category Categories Tags Tag Topics Topic World
Politics Economy Business Sport Sports Culture Science Health Tech Weather Travel Lifestyle Entertainment Local
Ukrainian Russian Polish American British Law Act Bill Code Constitution Charter Convention Protocol Accord Pact
Council's Ministry's Government's Day's Shield Dome Sky Eagle Storm Shadow Storm Iron Star Sun Moon Freedom Unity
Resolve Response Partnership Partners Partner Cooperation Development Reconstruction Recovery Aid Assistance
Support Package Packages Secretariat Headquarters Academy School College Hospital Foundation Capability Capabilities Industrial Base Bases Enterprise Enterprises Corporation
""".split())

# verbs that Title Case headlines capitalise right after a name ("Umerov Meets Hegseth")
HEADLINE_VERBS = frozenset("""
meets meet receives receive says say arrives arrive visits visit holds hold calls call makes make delivers deliver
signs sign discusses discuss talks hosts host welcomes welcome thanks urges urge warns warn vows vow pledges pledge
announces announce congratulates invites invite confirms confirm reports speaks praises attends opens launches
tells sees backs rejects slams names appoints joins wins leads heads plans agrees offers expects travels returns
approves outlines highlights met held spoke said signed visited discussed hosted welcomed received called to in
with at on for and after amid over about
""".split())

GENERIC_ROLES = frozenset({"head", "chair", "chairman", "chairwoman", "director", "leader", "deputy", "commander",
                           "governor", "mayor", "senator", "lawmaker", "envoy", "special envoy", "negotiator",
                           "attaché", "spokesman", "spokeswoman", "spokesperson", "press secretary", "premier",
                           "king", "queen", "emir", "sultan", "speaker", "vice minister", "deputy minister",
                           "minister", "ministers", "official"})


# --------------------------------------------------------------------------------------------- compiled gazetteers
def trie_regex(words, word_re=None) -> str:
    """One alternation-free pattern for many literal phrases (a character trie): Python's regex engine tries a
    plain alternation branch by branch at every position, a trie only follows matching prefixes."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node) -> str:
        alts, opt = [], False
        for ch in sorted(node):
            if ch == "":
                opt = True
                continue
            piece = word_re(ch) if word_re else re.escape(ch)
            alts.append(piece + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and not opt else "(?:" + "|".join(alts) + ")"
        if opt:
            body = ("(?:" + "|".join(alts) + ")?") if len(alts) > 1 else f"(?:{alts[0]})?"
        return body

    return emit(trie)


def _space_or(ch):
    if ch == " ":
        return r"[\s\u00a0]+"
    if ch in "'’":
        return "['’]"
    return re.escape(ch)


@lru_cache(maxsize=1)
def _role_re() -> re.Pattern:
    # case variants instead of re.IGNORECASE (about twice as fast): "defence minister", "Defence minister",
    # "Defence Minister", "Minister of Defence", "DEFENCE MINISTER"
    small = {"of", "the", "for", "and", "in", "on", "to", "at"}
    forms = set()
    for f in list(gz.roles()) + sorted(COUNTERPART_WORDS):
        f = f.replace("’", "'")
        low = f.lower()
        forms.update({f, low, low[:1].upper() + low[1:], low.upper(),
                      " ".join(w if w in small else w[:1].upper() + w[1:] for w in low.split(" "))})
    return re.compile(rf"(?<![\w-])(?:{trie_regex(forms, _space_or)})(?![\w-])")


@lru_cache(maxsize=1)
def _rank_re() -> re.Pattern:
    # ranks ending in "." end there; others need a word end
    forms = gz.ranks()
    dotted = trie_regex([f for f in forms if not f[-1].isalnum()], _space_or)
    plain = trie_regex([f for f in forms if f[-1].isalnum()], _space_or)
    return re.compile(rf"(?<![\w-])(?:{dotted}|{plain}(?![\w]))")


@lru_cache(maxsize=1)
def _place_re() -> re.Pattern:
    """Regex twin of the PhraseMatcher, used when a Doc comes without gazetteer matches (e.g. a foreign model)."""
    return re.compile(rf"(?<![\w-])(?:{trie_regex({p.text for p in gz.places()})})(?![\w-])")


@lru_cache(maxsize=4096)
def _norm_role(surface: str) -> str:
    s = re.sub(r"\s+", " ", surface.lower()).replace("’", "'")
    return gz.roles().get(s, surface)


# --------------------------------------------------------------------------------------------- spans of evidence
class _Item:
    __slots__ = ("start", "end", "kind", "code", "value", "text")

    def __init__(self, start, end, kind, code=None, value=None, text=""):
        self.start, self.end, self.kind, self.code, self.value, self.text = start, end, kind, code, value, text


def _items(text: str, places: list[tuple[int, int, str]]) -> list[_Item]:
    """Roles, ranks, places, 'counterpart' cues; sorted, overlaps resolved longest-first."""
    idx = gz.place_index()
    raw: list[_Item] = []
    for s, e, t in places:
        p = idx.get(t)
        if p is not None:
            raw.append(_Item(s, e, p.label.lower(), p.code, p.canonical, t))
    for m in _role_re().finditer(text):
        t = m.group(0)
        lt = t.lower()
        if lt in COUNTERPART_WORDS:
            raw.append(_Item(m.start(), m.end(), "cp", None, lt, t))
        else:
            raw.append(_Item(m.start(), m.end(), "role", None, _norm_role(t), t))
    for m in _rank_re().finditer(text):
        raw.append(_Item(m.start(), m.end(), "rank", None, m.group(0), m.group(0)))
    raw.sort(key=lambda i: (i.start, -(i.end - i.start)))
    out: list[_Item] = []
    last_end = -1
    for it in raw:
        if it.start >= last_end:
            out.append(it)
            last_end = it.end
        elif out and it.end > out[-1].end and it.start == out[-1].start:
            out[-1] = it
            last_end = it.end
    return out


def _left_chain(text, items, ends, pos, limit=6):
    """Evidence items chained right before `pos` by connector words ("Defense Minister of Ukraine ▮")."""
    chain = []
    while len(chain) < limit:
        j = bisect_right(ends, pos) - 1
        if j < 0:
            break
        it = items[j]
        gap = text[it.end:pos]
        conn = CONNECT if chain else CONNECT_NO_AND
        if len(gap) > 40 or conn.fullmatch(gap) is None:
            # "EU foreign policy chief ▮", "Ukraine's military intelligence chief ▮": a state or body, a few
            # lower-case words, then the office already in the chain
            if not (chain and chain[-1][0].kind in ("role", "cp") and it.kind in ("gpe", "norp", "org")
                    and len(gap) <= 40 and _LOOSE_GAP.fullmatch(gap)):
                break
        if not chain and it.kind in ("gpe", "norp", "org") and ("'s" in gap or "’s" in gap):
            chain.append((it, "poss"))
        else:
            chain.append((it, gap))
        pos = it.start
    return chain


def _right_chain(text, items, starts, pos, limit=6):
    """Evidence items in an apposition right after `pos` ("▮, Chief of the General Staff of Poland")."""
    m = APPOS_START.match(text, pos)
    if m is not None:
        p = m.end()
    elif text.startswith(" of ", pos):
        p = pos
    else:
        return []
    chain = []
    k = bisect_left(starts, p)
    while k < len(items) and len(chain) < limit:
        it = items[k]
        gap = text[p:it.start]
        if len(gap) > 40 or CONNECT_NO_AND.fullmatch(gap) is None:
            break
        chain.append(it)
        p = it.end
        k += 1
    return chain


# --------------------------------------------------------------------------------------------- main detector
_LINE_RE = re.compile(r"[^\n]+")
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_SMALL = frozenset("a an the of in on to for and with at by from as is are vs over after into amid about".split())
CREDIT_BEFORE = re.compile(r"(?:Photograph|Photo|Picture|Image|Credit|Credits|Source|Copyright|©|Illustration|"
                           r"Video|Author|Written by|Reporting by|Editing by|Edited by)\s*[:|/]?\s*$|(?:^|\n)\s*By\s+$", re.I)
_HOST_GAP = re.compile(r"^\s+(?:in|to|at)\s+(?:the\s+)?$", re.I)
_AND_GAP = re.compile(r"^\s*(?:,\s*)?and\s+(?:the\s+)?$", re.I)
_COORD_AFTER = re.compile(r"\s*(?:,\s*)?and\s+")


def _headline_spans(text: str) -> list[tuple[int, int]]:
    """Title-Case lines (headlines, link lists): capitalised verbs there do not extend names."""
    out = []
    for m in _LINE_RE.finditer(text):
        if m.end() - m.start() > 160:
            continue
        words = [w for w in _WORD_RE.findall(m.group(0)) if w.lower() not in _SMALL]
        if len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.85 * len(words) \
                and not m.group(0).rstrip().endswith((".", "!", "?", "”", '"', ":")):
            out.append((m.start(), m.end()))
    return out


def _in_spans(spans, starts, pos) -> bool:
    j = bisect_right(starts, pos) - 1
    return j >= 0 and spans[j][0] <= pos < spans[j][1]


def _chain_evidence(text, chain, coordinated_first: bool):
    """(country, role, has_title) from a left chain; nearest state wins, a host country ("in Nigeria") does not."""
    states, orgs = [], []
    for k, (it, _gap) in enumerate(chain):
        if it.kind not in ("gpe", "norp", "org") or not it.code:
            continue
        before = chain[k + 1][1] if k + 1 < len(chain) else ""
        if it.kind == "org":
            orgs.append(it)
        elif not _HOST_GAP.match(before):
            states.append((k, it))
    country = None
    if states:
        country = states[0][1].code
        if coordinated_first and len(states) >= 2 and states[1][0] == states[0][0] + 1 \
                and _AND_GAP.match(chain[states[1][0]][1]):
            country = states[1][1].code  # "his Latvian and Lithuanian counterparts A and B": A is Latvian
    elif orgs:
        country = orgs[0].code
    roles_ = [it.value for it, _ in chain if it.kind == "role"]
    role = next((r for r in roles_ if r.lower() not in GENERIC_ROLES), roles_[0] if roles_ else None)
    has_title = any(it.kind in ("role", "rank", "cp") for it, _ in chain)
    return country, role, has_title


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
        places = [(m.start(), m.end(), m.group(0)) for m in _place_re().finditer(text)]
    if sent_starts is None:
        sent_starts = sentence_starts(text)
    items = _items(text, places)
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
        named = _gazetteer_name_tokens(toks, blocked, full_idx)
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
                else:
                    ok = (not blocked[s] and lw not in STOP
                          and not (w.isupper() and len(w) > 1 and w not in ("II", "III", "IV") and "." not in w)
                          and not (lw in HEADLINE_VERBS and heads and _in_spans(heads, head_starts, s)))
                if ok and lw.endswith(("'s", "’s")):
                    ok = lw[:-2] not in STOP
            if ok:
                seg.append(tok)
                continue
            while seg and seg[0][2].lower() in _PARTICLES:
                seg.pop(0)
            while seg and (seg[-1][2].lower() in _PARTICLES or len(seg[-1][2].rstrip(".")) == 1):
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
            real = [w for _, _, w in seg if len(w.rstrip(".")) > 1 and w.lower() not in _PARTICLES]
        if not real:
            continue
        multi = len(real) >= 2
        pre = text[max(0, s - 3):s]
        if (":" in pre or "|" in pre or "/" in pre or pre.endswith(("y ", "Y "))) \
                and CREDIT_BEFORE.search(text, max(0, s - 30), s):
            continue
        name = text[s:e]
        sk = surname_key(name)
        lchain = _left_chain(text, items, ends, s)
        strong_left = bool(lchain) and lchain[0][0].kind in ("role", "rank", "cp") and lchain[0][1].strip(" \u00a0") == ""
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
                elif known_sur and (strong_left or SPEECH_AFTER.match(text, e) is not None):
                    ok = True
                elif by_model:
                    ok = True
            if not ok:
                persons.append({"s": s, "e": e, "text": name, "multi": False, "ok": False, "sk": sk,
                                "headline": headline, "lchain": lchain, "rchain": (), "offs": (), "adj_org": False,
                                "coord": False, "fi": "", "first": "", "tokens": seg, "fs": surname_of(name)})
                continue
        rchain = _right_chain(text, items, starts, e)
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
                is_person = sk in sur_idx or (len(real) <= 3 and _looks_like_name(real))
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
                g = _fuzzy_group(groups, p, full=True)
            if g is None:
                g = groups[p["sk"]] = {"names": [], "mentions": [], "sk": p["sk"], "first": p["first"], "fs": p["fs"]}
            g["names"].append(p["text"])
            g["mentions"].append(p)
    for p in persons:
        if p["multi"] and p["ok"]:
            continue
        g = None
        if not p["multi"]:
            g = groups.get(p["sk"]) or _fuzzy_group(groups, p, full=False)
            if g is None:
                by_first = [g2 for g2 in groups.values() if g2["first"] == p["first"] and len(p["first"]) > 2]
                if len(by_first) == 1 and p["ok"]:
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
        name = _canonical(g["names"])
        evid: list[tuple[int, str | None, str | None]] = []  # (strength, country, role)
        for p in g["mentions"]:
            lc, rc = p["lchain"], p["rchain"]
            l_country, l_role, has_title = _chain_evidence(text, lc, p["coord"])
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
        role = next((x[2] for x in sorted(evid, key=lambda x: -x[0]) if x[2] and (country is None or x[1] in (None, country))), None)
        off = _match_official(name, country, [p["offs"] for p in g["mentions"]])
        if off is not None:
            if country is None:
                country = off.country
            if role is None:
                role = off.role
            if _surname_close(name, off.name):
                name = off.name
        if country is None:
            country = _nearest_country(text, items, starts, sent_starts, g["mentions"])
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


def _fuzzy_group(groups: dict, p: dict, full: bool):
    """Same person spelled two ways in one text (Millie / Milli, Hulqvist / Hultqvist): close surname keys,
    compatible first initial, and never a feminine/masculine pair."""
    sk = p["sk"]
    if len(sk) < 4 or not groups:
        return None
    best = None
    for k, g in groups.items():
        if k[:1] != sk[:1] and not p["ok"]:
            continue
        if abs(len(k) - len(sk)) > 3 or gendered_pair(sk, k):
            continue
        if full and g["first"] and p["first"]:
            if first_initial(g["names"][0]) != p["fi"] or (g["first"] != p["first"] and fuzz.ratio(g["first"], p["first"]) < 70):
                continue
        r = max(fuzz.ratio(sk, k), fuzz.ratio(p["fs"], g["fs"]))
        if r >= 80 and (best is None or r > best[0]):
            best = (r, g)
    return best[1] if best else None


_PARTICLES = frozenset({"von", "van", "der", "den", "de", "da", "dos", "das", "du", "bin", "ibn", "al", "el", "la",
                        "le", "di", "del", "ter", "ten", "zu"})


def _looks_like_name(words: list[str]) -> bool:
    """Capitalised words that are not common English words (crude: no all-lowercase dictionary available)."""
    return all(w[:1].isupper() and not w.isupper() for w in words if w.lower() not in _PARTICLES)


def _canonical(names: list[str]) -> str:
    """Fullest form: most name tokens, then diacritics kept, then hyphenated, then most frequent."""
    cnt = Counter(names)

    def score(n):
        return (len(name_tokens(n)), sum(ord(c) > 127 for c in n), "-" in n, cnt[n], len(n))

    return max(cnt, key=score)


def _surname_close(a: str, b: str) -> bool:
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    return fuzz.ratio(surname_key(a), surname_key(b)) >= 70


@lru_cache(maxsize=1)
def _officials_by_first() -> dict[str, tuple]:
    idx: dict[str, list] = {}
    for o in gz.officials():
        for n in (o.name,) + o.aliases:
            t = name_tokens(n)
            if len(t) >= 2:
                idx.setdefault(t[0], []).append((surname_key(n), o))
    return {k: tuple(v) for k, v in idx.items()}


@lru_cache(maxsize=1)
def _stop_words_in_official_names() -> frozenset[str]:
    """The common words (STOP) that occur in some gazetteer official's name: "jun", "to", "no", ..."""
    return frozenset(t for key in gz.officials_by_fullname() for t in key.split() if t in STOP)


def _gazetteer_name_tokens(toks: list[tuple[int, int, str]], blocked: bytearray, full_idx) -> frozenset[int]:
    """Indices of the run's tokens that belong to a gazetteer official's full name containing a common word.

    Runs are split at common words (STOP: months, "No", "To"), which would cut "Dong Jun" to "Dong" and "To Lam"
    to "Lam"; a window of 2-4 tokens that is a known official's name keeps them. Checked only around such a word.
    """
    n = len(toks)
    out: set[int] = set()
    in_names = _stop_words_in_official_names()
    for k in range(n):
        w = toks[k][2]
        if w.lower() not in in_names or blocked[toks[k][0]]:
            continue
        for size in (4, 3, 2):
            for a in range(max(0, k - size + 1), min(k, n - size) + 1):
                win = toks[a:a + size]
                if any(blocked[t[0]] for t in win):
                    continue
                if fold(" ".join(t[2] for t in win)) in full_idx:
                    out.update(range(a, a + size))
                    break
            if k in out:
                break
    return frozenset(out)


def _match_official(name: str, country: str | None, offs_lists) -> gz.Official | None:
    """The gazetteer official this name denotes, when unambiguous and consistent with the country found."""
    cands = {o for offs in offs_lists for o in offs}
    if not cands:
        toks = name_tokens(name)
        sk = surname_key(name)
        by_sur = gz.officials_by_surname().get(sk, ())
        if len(toks) >= 2:
            fi = first_initial(name)
            cands = {o for o in by_sur if first_initial(o.name) == fi}
            if not cands:
                # garbled surname, same given name: "Colin Kaly" -> Colin Kahl (needs the country to agree)
                cands = {o for s2, o in _officials_by_first().get(toks[0], ())
                         if (country is not None and o.country == country and fuzz.ratio(sk, s2) >= 70)
                         or (country is None and fuzz.ratio(sk, s2) >= 80)}
        else:
            cands = set(by_sur)
    if country is not None:
        cands = {o for o in cands if o.country == country} or set()
    if not cands:
        return None
    if len({o.country for o in cands}) > 1 or len({o.name for o in cands}) > 1:
        return None
    return next(iter(cands))


_PLACE_BEFORE = re.compile(r"\b(?:to|in|into|at|from|visit|visits|visited|visiting|toward|towards|across|near|over|"
                           r"through|via|arrived in|left for)\s+(?:the\s+)?$", re.I)


def _nearest_country(text, items, starts, sent_starts, mentions) -> str | None:
    """Fallback: the country/demonym closest to the person's first mention in the same sentence (a capital or
    metonym only when no state is named there: "in Brussels" says where, not whom one serves)."""
    names = gz.country_names()
    for p in mentions:
        j = bisect_right(sent_starts, p["s"]) - 1
        lo = sent_starts[j] if j >= 0 else 0
        hi = sent_starts[j + 1] if j + 1 < len(sent_starts) else 1 << 60
        best = None
        for k in range(max(0, bisect_left(starts, lo) - 1), len(items)):
            it = items[k]
            if it.start >= hi:
                break
            if it.end <= lo or not it.code or it.kind not in ("gpe", "norp"):
                continue
            d = p["s"] - it.end if it.end <= p["s"] else it.start - p["e"]
            if it.kind == "gpe" and names.get(it.code) != it.value:
                d += 100_000
            elif it.kind == "gpe" and _PLACE_BEFORE.search(text, max(0, it.start - 24), it.start):
                d += 50_000  # "is to visit the United Kingdom", "talks in Poland": where, not whose
            if best is None or d < best[0]:
                best = (d, it.code)
        if best is not None:
            return best[1]
    return None


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
        from defcomm_assets.stages.entities.components import doc_mentions

        rows = doc_mentions(doc)
    return mentions_from_rows(rows)
