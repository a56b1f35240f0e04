"""Facts of English the analyser applies: forms a stemmer cannot reach, numbers, months, spellings.

Editorial choices (which words a newsroom counts as the same) are not here
but in the database: see ``SynonymGroup``.
"""

# Arabic articles in transliterated names (al-Assad): on their own they say nothing.
PARTICLES = frozenset({"al", "el", "ibn", "bin"})

# Irregular verb forms and plurals a stemmer cannot reach.
IRREGULAR = {
    "fled": "flee",
    "fell": "fall",
    "fallen": "fall",
    "met": "meet",
    "sought": "seek",
    "began": "begin",
    "begun": "begin",
    "led": "lead",
    "held": "hold",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "left": "leave",
    "went": "go",
    "gone": "go",
    "came": "come",
    "ran": "run",
    "told": "tell",
    "said": "say",
    "says": "say",
    "thought": "think",
    "bought": "buy",
    "sold": "sell",
    "won": "win",
    "lost": "lose",
    "kept": "keep",
    "sent": "send",
    "spent": "spend",
    "brought": "bring",
    "built": "build",
    "fought": "fight",
    "struck": "strike",
    "stood": "stand",
    "understood": "understand",
    "drew": "draw",
    "drawn": "draw",
    "grew": "grow",
    "grown": "grow",
    "knew": "know",
    "known": "know",
    "wrote": "write",
    "written": "write",
    "chose": "choose",
    "chosen": "choose",
    "broke": "break",
    "broken": "break",
    "spoke": "speak",
    "spoken": "speak",
    "froze": "freeze",
    "frozen": "freeze",
    "paid": "pay",
    "laid": "lay",
    "shot": "shoot",
    "hid": "hide",
    "hidden": "hide",
    "sank": "sink",
    "sunk": "sink",
    "rose": "rise",
    "risen": "rise",
    "overthrew": "overthrow",
    "overthrown": "overthrow",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "forgave": "forgive",
    "forgiven": "forgive",
    "became": "become",
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "person",
}

# Adjectives of nationality and their countries (and peoples' names).
DEMONYMS = {
    "russian": "russia",
    "russians": "russia",
    "syrian": "syria",
    "syrians": "syria",
    "soviet": "ussr",
    "soviets": "ussr",
    "israeli": "israel",
    "israelis": "israel",
    "turkish": "turkey",
    "turks": "turkey",
    "egyptian": "egypt",
    "egyptians": "egypt",
    "iranian": "iran",
    "iranians": "iran",
    "ukrainian": "ukraine",
    "ukrainians": "ukraine",
    "american": "america",
    "americans": "america",
    "french": "france",
    "british": "britain",
    "lebanese": "lebanon",
    "iraqi": "iraq",
    "libyan": "libya",
    "chinese": "china",
    "georgian": "georgia",
    "european": "europe",
    "arab": "arabia",
    "kurdish": "kurd",
    "kurds": "kurd",
    "german": "germany",
    "polish": "poland",
    "saudi": "arabia",
}

# Numbers written as words.
NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
    "thousand": "1000",
    "dozen": "12",
}
MONTHS = {
    "jan": "january",
    "feb": "february",
    "mar": "march",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
}

# Two words written as one, or one as two.
COMPOUNDS = {
    ("air", "base"): "airbase",
    ("air", "field"): "airbase",
    ("airfield",): "airbase",
    ("air", "strike"): "airstrike",
    ("air", "strikes"): "airstrike",
    ("war", "ship"): "warship",
    ("head", "of", "state"): "president",
    ("per", "cent"): "percent",
    ("prime", "minister"): "premier",
    ("united", "states"): "america",
    ("security", "council"): "unsc",
}

# Phrasal verbs whose object may stand between verb and particle ("hand
# him over"): verb forms, particle, and the single word they mean.
PHRASAL = [
    ({"hand", "hands", "handed", "handing"}, "over", "extradite"),
    ({"hand", "hands", "handed", "handing"}, "back", "extradite"),
    ({"pull", "pulls", "pulled", "pulling"}, "out", "withdraw"),
    ({"pull", "pulls", "pulled", "pulling"}, "back", "withdraw"),
    ({"turn", "turns", "turned", "turning"}, "down", "reject"),
    ({"set", "sets", "setting"}, "up", "establish"),
    ({"cut", "cuts", "cutting"}, "off", "sever"),
    ({"call", "calls", "called", "calling"}, "off", "cancel"),
    ({"step", "steps", "stepped", "stepping"}, "down", "resign"),
    ({"take", "takes", "took", "taken", "taking"}, "over", "seize"),
    ({"come", "comes", "came", "coming"}, "back", "return"),
    ({"go", "goes", "went", "gone", "going"}, "back", "return"),
]
QUESTION_WORDS = frozenset({"many", "much", "might", "must", "shall", "anything", "something", "whether", "either"})


def _spelling(word):
    """British spellings to American, applied to query and text alike."""
    if len(word) > 5:
        if word.endswith("our"):
            return word[:-3] + "or"
        if word.endswith("fence"):
            return word[:-5] + "fense"
        if word.endswith("tre"):
            return word[:-3] + "ter"
        for british, american in (
            ("isation", "ization"),
            ("ising", "izing"),
            ("ised", "ized"),
            ("ise", "ize"),
            ("ises", "izes"),
            ("yse", "yze"),
            ("ysed", "yzed"),
        ):
            if word.endswith(british):
                return word[: -len(british)] + american
    if word == "programme":
        return "program"
    return word
