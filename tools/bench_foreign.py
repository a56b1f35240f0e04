"""Russian, French and Arabic source texts for the benchmark corpus (``bench_data --foreign-share``).

Sentences are assembled from short phrases written for the benchmark, with
the names the alias table joins across languages (Тартус / Tartous / طرطوس,
Хмеймим, Дамаск, Москва…), so search and the evidence finder meet inflected
Russian forms, Arabic proclitics and French spellings at scale.
"""

LANGUAGES = ("ru", "fr", "ar")

# A sentence is "{actor} {verb}{that} {subject} {predicate} {time}.". One row per
# phrase: its slot, then its wording in each of LANGUAGES, so the languages' phrase
# lists stay parallel; None where a language has no counterpart.
PHRASE_TABLE = [
    ("subject", "российский флот в Тартусе", "la flotte russe à Tartous", "الأسطول الروسي في طرطوس"),
    ("subject", "авиабаза Хмеймим", "la base aérienne de Khmeimim", "قاعدة حميميم الجوية"),
    ("subject", "переговоры в Дамаске", "le nouveau gouvernement de Damas", "المفاوضات في دمشق"),
    ("subject", "поставки пшеницы в Латакию", "les livraisons de blé à Lattaquié", "شحنات القمح إلى اللاذقية"),
    ("subject", "соглашение о базах", "l'accord sur les bases", "اتفاق القواعد"),
    ("subject", "делегация из Москвы", "la délégation de Moscou", "الوفد القادم من موسكو"),
    ("subject", "Асад", None, None),
    ("predicate", "останется", "restera", "سيبقى"),
    ("predicate", "будет пересмотрено", "sera réexaminé", "سيعاد النظر فيه"),
    ("predicate", "продолжится", "se poursuivra", "سيستمر"),
    ("predicate", "приостановлено", "est suspendu", "علق"),
    ("predicate", "расширится", "sera étendu", "سيتوسع"),
    ("time", "до конца года", "jusqu'à la fin de l'année", "حتى نهاية العام"),
    ("time", "с марта", "depuis mars", "منذ مارس"),
    ("time", "после выборов", "après les élections", "بعد الانتخابات"),
    ("time", "в ближайшие месяцы", "dans les prochains mois", "في الأشهر المقبلة"),
    ("time", "весной", "au printemps", "في الربيع"),
    ("actor", "Министерство обороны", "Le ministère", "وزارة الدفاع"),
    ("actor", "Кремль", "Le Kremlin", "الكرملين"),
    ("actor", "Источник в Дамаске", "Une source à Damas", "مصدر في دمشق"),
    ("actor", "Агентство ТАСС", "L'agence AFP", "وكالة سانا"),
    ("actor", "Посол России", "L'ambassadeur de Russie", "السفير الروسي"),
    ("verb", "заявил", "a déclaré", "قال"),
    ("verb", "сообщил", "a annoncé", "أعلن"),
    ("verb", "подтвердил", "a confirmé", "أكد"),
    ("verb", "опроверг", "a démenti", "نفى"),
    ("verb", "сказал журналистам", "a indiqué aux journalistes", "صرح للصحفيين"),
]
THAT = {"ru": ", что", "fr": " que", "ar": " إن"}


def _phrases(column):
    phrases = {}
    for slot, *wordings in PHRASE_TABLE:
        if wordings[column] is not None:
            phrases.setdefault(slot, []).append(wordings[column])
    return phrases


# PHRASES["ru"]["subject"]: the Russian subjects, in table order (the benchmark's seeds depend on it).
PHRASES = {language: _phrases(column) for column, language in enumerate(LANGUAGES)}


def sentence(rng, language):
    phrases = PHRASES[language]
    return (
        f"{rng.choice(phrases['actor'])} {rng.choice(phrases['verb'])}{THAT[language]} "
        f"{rng.choice(phrases['subject'])} {rng.choice(phrases['predicate'])} {rng.choice(phrases['time'])}."
    )
