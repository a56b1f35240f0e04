"""A small corpus for the browser tests while fixtures/seed_corpus.json is not there.

Every text is a verbatim excerpt of a document in the seed set, and every
quote a verbatim part of it; it holds what the journeys need: a conflict with
all three stances, an agreement, and a difference that is only one of time.
"""

from factcheck.corpus import FORMAT

ENCYCLOPEDIA = (
    "On 28 January 2025, Syrian de facto leader Ahmed al-Sharaa told Syrian diplomats that Damascus sought the "
    "extradition of Syria's former president, Bashar-al Assad. On 29 January, a Russian delegation led by Deputy "
    "Foreign Minister Mikhail Bogdanov visited Damascus to meet Ahmed al-Sharaa, reaffirming Moscow's support for "
    "Syria's sovereignty and territorial integrity following the fall of the Assad regime.\n\n"
    "In February 2025, former rebel forces now part of the ruling Hayat Tahrir al-Sham Islamist government, "
    "controlled access to Russia's Hmeimim Air Base and Tartous Naval Base. Syria’s new leadership seeks to "
    "renegotiate Russia’s long-term base leases for financial and diplomatic benefits. Kremlin spokesman Dmitry "
    "Peskov confirmed ongoing negotiations over Russian military bases in Syria.\n"
)
NEWS_ANALYSIS = (
    "Türkiye and Saudi Arabia, the two critical allies of the current Syrian government, have not opposed Russia "
    "keeping its Tartus and Hmeimim military bases.\n\n"
    "Some sources indicated that during the Moscow visit, Syria’s new president raised the issue of extraditing "
    "former regime leader Bashar al Assad to Damascus, a claim the Kremlin has denied.\n"
)
RAPPROCHEMENT = (
    "Visiting the Kremlin on 15 October 2025, Ahmad al-Sharaa would have liked to persuade Vladimir Putin to "
    "extradite former Syrian President Bashar al-Assad (as well as officers and officials of his regime) who has "
    "been granted refuge with his family in Russia since he was overthrown nearly a year ago. This information was "
    "confirmed by the Syrian Foreign Minister, Asaad al-Shaibani.\n\n"
    "Yet despite the outward display of friendliness, the two countries have not come to a formal agreement "
    "concerning the preservation of the Russian navy’s military base at Tartous and the airfield at Hmeimim. Often "
    "taking a tougher line than his president, Foreign Minister Shaibani insisted after the visit that all the "
    "accords concluded with Moscow under the previous regime were “suspended and unacceptable”. He also reiterated "
    "Damascus’ insistence on Bashar al-Assad being extradited to face trial in his own country.\n"
)
PARTNERSHIP = (
    "In the heart of the Middle East, Russia continues to operate naval and air bases in Tartus and Hmeimim, Syria. "
    "These strategic locations have been key to Russia's regional security strategy and humanitarian assistance "
    "efforts since 2015 [1][3].\n\n"
    "Talks about the exact terms of Russia's basing rights and roles are active as of July 2025 [1][3][4].\n"
)


def mini_corpus():
    return {
        "format": FORMAT,
        "sources": [
            {"key": "encyclopedia", "title": "Russia–Syria relations", "kind": "encyclopedia", "text": ENCYCLOPEDIA},
            {
                "key": "trt-analysis",
                "title": "With Assad out, Syria’s new leadership navigates delicate ties with Russia",
                "author": "Murat Sofuoglu",
                "kind": "news",
                "text": NEWS_ANALYSIS,
            },
            {"key": "rapprochement", "title": "Syria - Russia: A pragmatic rapprochement", "kind": "analysis",
             "text": RAPPROCHEMENT},
            {"key": "partnership", "title": "Russia seeks to reinforce partnership with Syria", "kind": "news",
             "as_of": "2025-07", "text": PARTNERSHIP},
        ],
        "topics": [
            {"slug": "russian-bases", "title": "Will Russia keep its bases in Syria?",
             "description": "Tartus and Hmeimim after the fall of Assad."},
            {"slug": "assad-extradition", "title": "Did Syria ask Russia to extradite Assad?"},
        ],
        "claims": [
            {
                "key": "bases-kept",
                "topic": "russian-bases",
                "text": "Russia is keeping its bases at Tartus and Hmeimim.",
                "assertions": [
                    {"source": "partnership", "stance": "supports",
                     "quote": "Russia continues to operate naval and air bases in Tartus and Hmeimim, Syria."},
                    {"source": "rapprochement", "stance": "disputes",
                     "quote": "the two countries have not come to a formal agreement concerning the preservation "
                              "of the Russian navy’s military base at Tartous and the airfield at Hmeimim"},
                    {"source": "encyclopedia", "stance": "qualifies", "as_of": "2025-02",
                     "quote": "Syria’s new leadership seeks to renegotiate Russia’s long-term base leases for "
                              "financial and diplomatic benefits."},
                ],
            },
            {
                "key": "bases-terms-open",
                "topic": "russian-bases",
                "text": "The terms of Russia's basing rights in Syria are still being negotiated.",
                "assertions": [
                    {"source": "partnership", "stance": "supports",
                     "quote": "Talks about the exact terms of Russia's basing rights and roles are active as of "
                              "July 2025"},
                    {"source": "encyclopedia", "stance": "supports", "as_of": "2025-02",
                     "quote": "Kremlin spokesman Dmitry Peskov confirmed ongoing negotiations over Russian "
                              "military bases in Syria."},
                ],
            },
            {
                "key": "extradition-asked-october",
                "topic": "assad-extradition",
                "text": "Al-Sharaa asked Putin to extradite Assad during his October 2025 visit to Moscow.",
                "assertions": [
                    {"source": "rapprochement", "stance": "supports", "as_of": "2025-10-15",
                     "quote": "Ahmad al-Sharaa would have liked to persuade Vladimir Putin to extradite former "
                              "Syrian President Bashar al-Assad"},
                    {"source": "trt-analysis", "stance": "disputes", "as_of": "2025-10",
                     "quote": "a claim the Kremlin has denied"},
                ],
            },
            {
                "key": "extradition-sought",
                "topic": "assad-extradition",
                "text": "Damascus seeks Assad's extradition from Russia.",
                "assertions": [
                    {"source": "encyclopedia", "stance": "supports", "as_of": "2025-01-28",
                     "quote": "Damascus sought the extradition of Syria's former president, Bashar-al Assad."},
                    {"source": "rapprochement", "stance": "supports",
                     "quote": "He also reiterated Damascus’ insistence on Bashar al-Assad being extradited to face "
                              "trial in his own country."},
                ],
            },
        ],
    }
