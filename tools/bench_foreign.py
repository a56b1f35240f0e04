"""Russian, French and Arabic source texts for the benchmark corpus (``bench_data --foreign-share``).

Sentences are assembled from short phrases written for the benchmark, with
the names the alias table joins across languages (Тартус / Tartous / طرطوس,
Хмеймим, Дамаск, Москва…), so search and the evidence finder meet inflected
Russian forms, Arabic proclitics and French spellings at scale.
"""

# Each language: (subjects, predicates, times, actors, verbs): "{actor} {verb}, что {subject} {predicate} {time}."
PHRASES = {
    "ru": (
        [
            "российский флот в Тартусе",
            "авиабаза Хмеймим",
            "переговоры в Дамаске",
            "поставки пшеницы в Латакию",
            "соглашение о базах",
            "делегация из Москвы",
            "Асад",
        ],
        ["останется", "будет пересмотрено", "продолжится", "приостановлено", "расширится"],
        ["до конца года", "с марта", "после выборов", "в ближайшие месяцы", "весной"],
        ["Министерство обороны", "Кремль", "Источник в Дамаске", "Агентство ТАСС", "Посол России"],
        ["заявил", "сообщил", "подтвердил", "опроверг", "сказал журналистам"],
    ),
    "fr": (
        [
            "la flotte russe à Tartous",
            "la base aérienne de Khmeimim",
            "le nouveau gouvernement de Damas",
            "les livraisons de blé à Lattaquié",
            "l'accord sur les bases",
            "la délégation de Moscou",
        ],
        ["restera", "sera réexaminé", "se poursuivra", "est suspendu", "sera étendu"],
        ["jusqu'à la fin de l'année", "depuis mars", "après les élections", "dans les prochains mois", "au printemps"],
        ["Le ministère", "Le Kremlin", "Une source à Damas", "L'agence AFP", "L'ambassadeur de Russie"],
        ["a déclaré", "a annoncé", "a confirmé", "a démenti", "a indiqué aux journalistes"],
    ),
    "ar": (
        [
            "الأسطول الروسي في طرطوس",
            "قاعدة حميميم الجوية",
            "المفاوضات في دمشق",
            "شحنات القمح إلى اللاذقية",
            "اتفاق القواعد",
            "الوفد القادم من موسكو",
        ],
        ["سيبقى", "سيعاد النظر فيه", "سيستمر", "علق", "سيتوسع"],
        ["حتى نهاية العام", "منذ مارس", "بعد الانتخابات", "في الأشهر المقبلة", "في الربيع"],
        ["وزارة الدفاع", "الكرملين", "مصدر في دمشق", "وكالة سانا", "السفير الروسي"],
        ["قال", "أعلن", "أكد", "نفى", "صرح للصحفيين"],
    ),
}
THAT = {"ru": ", что", "fr": " que", "ar": " إن"}
LANGUAGES = tuple(PHRASES)


def sentence(rng, language):
    subjects, predicates, times, actors, verbs = PHRASES[language]
    return (
        f"{rng.choice(actors)} {rng.choice(verbs)}{THAT[language]} "
        f"{rng.choice(subjects)} {rng.choice(predicates)} {rng.choice(times)}."
    )
