"""Made-up news pages of realistic size and shape for the reader-mode benchmark.

A page as news sites send them: a head heavy with inline scripts and styles,
navigation of dozens of links, a story of 6 to 40 paragraphs with a picture
and a quote, a sidebar of related links, comments and a long footer; 40 KB to
about 400 KB, most near 150 KB. Deterministic for a given number.
"""

from __future__ import annotations

import random

_WORDS = [
    "the",
    "council",
    "harbour",
    "storm",
    "coast",
    "minister",
    "budget",
    "river",
    "market",
    "school",
    "bridge",
    "night",
    "train",
    "election",
    "report",
    "village",
    "workers",
    "company",
    "energy",
    "price",
    "winter",
    "summer",
    "festival",
    "museum",
    "police",
    "court",
    "judge",
    "hospital",
    "doctor",
    "study",
    "survey",
    "data",
    "city",
    "mayor",
    "plan",
    "road",
    "rail",
    "airport",
    "said",
    "would",
    "could",
    "after",
    "before",
    "during",
    "while",
    "since",
    "because",
    "although",
    "however",
    "many",
    "few",
    "three",
    "several",
    "dozen",
    "hundred",
    "thousand",
    "million",
    "first",
    "last",
    "new",
    "old",
    "local",
    "national",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 26))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))


def page(number: int) -> bytes:
    rng = random.Random(number)
    script = "var x=" + ",".join(str(rng.randint(0, 99999)) for _ in range(rng.randint(2000, 30000))) + ";"
    style = "".join(f".c{n}{{margin:{n % 7}px;color:#{n:06x}}}" for n in range(rng.randint(200, 1500)))
    nav = "".join(f'<li><a href="/section/{n}">{rng.choice(_WORDS).title()}</a></li>' for n in range(60))
    story = "".join(f"<p>{_paragraph(rng)}</p>" for _ in range(rng.randint(6, 40)))
    related = "".join(
        f'<li><a href="/story/{number}-{n}">{_sentence(rng)}</a></li>' for n in range(rng.randint(10, 40))
    )
    comments = "".join(
        f'<div class="comment"><b>reader{n}</b><p>{_sentence(rng)}</p></div>'
        for n in range(rng.randint(0, 60))
    )
    footer = "".join(f'<a href="/legal/{n}">{rng.choice(_WORDS)}</a> ' for n in range(120))
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{_sentence(rng)}</title>
<meta property="og:image" content="/pictures/{number}.jpg">
<script>{script}</script><style>{style}</style></head><body>
<header><nav><ul>{nav}</ul></nav><div class="ad">Advertisement. Subscribe now for 1 euro.</div></header>
<main><article><h1>{_sentence(rng)}</h1><p class="byline">By A. Reporter, {number % 28 + 1} March</p>
<figure><img src="/pictures/{number}.jpg" alt="A picture"><figcaption>{_sentence(rng)}</figcaption></figure>
{story[: len(story) // 2]}<blockquote>{_sentence(rng)}</blockquote>{story[len(story) // 2 :]}
</article><aside><h2>Read more</h2><ul>{related}</ul></aside>
<section class="comments"><h2>Comments</h2>{comments}</section></main>
<footer>{footer}<p>Copyright. All rights reserved. Cookie settings.</p></footer></body></html>"""
    return html.encode()
