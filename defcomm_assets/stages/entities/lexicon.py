"""The vocabulary of the mention detector: letter classes, the regexes of capitalised name runs, speech verbs and
connector words, and the word lists that are never names (common words, headline verbs, generic offices).

Pure constants (compiled once at import); ``evidence``, ``people`` and ``mentions`` share them.
"""
from __future__ import annotations

import re

# --------------------------------------------------------------------------------------------- character classes
_LAT = [chr(i) for i in list(range(0x41, 0x250)) + list(range(0x1E00, 0x1F00))]
_UP = "".join(re.escape(c) for c in _LAT if c.isupper())
_LET = "".join(re.escape(c) for c in _LAT if c.isalpha())
UPPER = f"[{_UP}]"
LETTER = f"[{_LET}]"

# (an Arabic name word may end in an apostrophe for a final ayn/hamza before "al-": "Shia’ al-Sudani")
_CAPW = (rf"(?:(?:al|el)-)?{UPPER}{LETTER}*(?:(?:['’](?={UPPER})|-(?={LETTER})){LETTER}+)*"
         rf"(?:['’](?=[ \u00a0]+(?:al|el)-))?")
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
    r"reiterated|reiterates|reaffirmed|reaffirms|"
    r"is scheduled|was scheduled|is expected|was expected)\b"
)
# a speech verb right before a name: '..., said Robles.'
SPEECH_BEFORE = re.compile(r"(?:\bsaid|\bsays|\badded|\badds|\bnoted|\bstressed|\bexplained|\baccording to)[ \u00a0]+$")
APPOS_START = re.compile(r"[ \t\u00a0]*(?:,|\(|–|—|-)[ \t\u00a0]*"
                         r"(?:who is |who was |the |a |an |his |her |then-|then |now |former |acting )*")
CONNECT = re.compile(r"(?:[ \t\u00a0,]|of|the|for|and|on|in|at|to|'s|’s|s'|his|her|their|its|&|-|\([A-Z]{2,8}\))*",
                     re.I)
CONNECT_NO_AND = re.compile(r"(?:[ \t\u00a0,]|of|the|for|in|at|to|'s|’s|his|her|their|its|-|\([A-Z]{2,8}\))*", re.I)
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
Support Package Packages Secretariat Headquarters Academy School College Hospital Foundation Capability Capabilities
Industrial Base Bases Enterprise Enterprises Corporation
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
