"""The built-in demo corpus: a few hundred made-up articles, always the same.

Written to files in the seed format and loaded like any directory, so the
demo exercises exactly the code path a real corpus does. All text is
invented here; every link points to reserved `.example` domains.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

DEMO_ARTICLES = 300
DEMO_LABEL = "Demo data: made-up articles"
_SEED = 20260301
_NEWEST = datetime(2026, 3, 1, 18, 30, tzinfo=UTC)

_TOPICS = (
    "Climate",
    "Technology",
    "Space",
    "Health",
    "Economy",
    "Transport",
    "Science",
    "Culture",
    "Sport",
    "Local Politics",
)
_PROVIDERS = (
    ("The Demo Gazette", "gazette.example"),
    ("Placeholder Post", "placeholder-post.example"),
    ("Sample Street Journal", "sample-street.example"),
    ("Fictional Radio", "fictional-radio.example"),
    ("Mock Morning Herald", "mock-herald.example"),
    ("Invented Newswire", "newswire.example"),
    ("Imaginary Weekly", "imaginary-weekly.example"),
    ("Pretend Press", "pretend-press.example"),
)
_SUBJECTS = {
    "Climate": ("Coastal towns", "A glacier survey", "Heat-pump sales", "The wind farm at Halden Bay"),
    "Technology": (
        "A solar-powered laptop",
        "Open-source maintainers",
        "The city's fibre network",
        "A tiny chip maker",
    ),
    "Space": (
        "A student satellite",
        "The lunar relay mission",
        "Amateur astronomers",
        "A comet's second tail",
    ),
    "Health": ("Community clinics", "A new vaccine trial", "Night-shift nurses", "A walking study"),
    "Economy": ("Small bakeries", "The harbour authority", "Second-hand markets", "Regional banks"),
    "Transport": ("Night trains", "The cargo-bike scheme", "A ferry line", "Electric buses"),
    "Science": (
        "A museum's beetle collection",
        "Ocean-floor mappers",
        "A century-old seed bank",
        "Cave biologists",
    ),
    "Culture": ("A village choir", "The comic archive", "Street musicians", "A lost silent film"),
    "Sport": ("The under-12 rowing team", "A marathon in the snow", "Chess clubs", "Veteran cyclists"),
    "Local Politics": (
        "The town council",
        "A citizens' assembly",
        "The library referendum",
        "Two rival mayors",
    ),
}
# Past tense reads right after singular and plural subjects alike.
_PREDICATES = (
    "drew record crowds",
    "faced an uncertain winter",
    "got a surprising second chance",
    "prepared for a busy spring",
    "broke a decades-old record",
    "won over the sceptics",
    "asked for patience",
    "opened the doors to visitors",
    "counted the cost of the storm",
    "went looking for volunteers",
    "tried something nobody expected",
    "returned after a long pause",
)
_EXCERPTS = (
    "Residents say the change came faster than anyone had planned for.",
    "Officials expect the first results before the end of the month.",
    "The idea started as a weekend experiment and grew from there.",
    "Not everyone is convinced, but the numbers so far are encouraging.",
    "Organisers hope the event becomes a fixture of the calendar.",
)


def _body(rng: random.Random, subject: str) -> str:
    return (
        f"## What happened\n\n{subject} were the talk of the week. "
        f"{rng.choice(_EXCERPTS)}\n\n- First point of note\n- Second point of note\n\n"
        "*This is demo text written for newsdeck; the story is invented.*\n"
    )


def demo_articles() -> list[dict[str, object]]:
    """The demo articles as front-matter mappings, newest first."""
    rng = random.Random(_SEED)
    articles: list[dict[str, object]] = []
    moment = _NEWEST
    for number in range(DEMO_ARTICLES):
        topic = _TOPICS[number % len(_TOPICS)] if number % 7 else rng.choice(_TOPICS)
        extra = rng.sample([t for t in _TOPICS if t != topic], k=rng.choice((0, 0, 1, 2)))
        subject = rng.choice(_SUBJECTS[topic])
        name, domain = _PROVIDERS[rng.randrange(len(_PROVIDERS))]
        slug = f"story-{number:04d}"
        articles.append(
            {
                "category": "news",
                "title": f"{subject} {rng.choice(_PREDICATES)}",
                "excerpt": rng.choice(_EXCERPTS),
                "publishedDateTime": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "originalUrl": f"https://{domain}/{slug}",
                "webUrl": f"https://reader.example/{slug}",
                "type": "article",
                "quality": rng.randrange(40, 200),
                "heat": rng.choice((-1, -1, rng.randrange(0, 100))),
                "provider": {"name": name, "domain": domain},
                "topics": [topic, *extra],
                "images": [{"url": f"https://images.example/{slug}.jpg", "width": 1200, "height": 800}]
                if number % 3
                else [],
            }
        )
        if number % 4 == 0:
            articles[-1]["body"] = _body(rng, subject)
        moment -= timedelta(minutes=rng.randrange(20, 600))
    for number, article in enumerate(articles):
        neighbours = [articles[(number + step) % len(articles)] for step in (1, 5, 11)]
        article["related"] = [
            {
                "title": other["title"],
                "excerpt": other["excerpt"],
                "publishedDateTime": other["publishedDateTime"],
                "webUrl": other["originalUrl"],
                "provider": other["provider"],
            }
            for other in neighbours[: rng.randrange(0, 4)]
        ] + [
            {
                "title": "An outside story this demo does not hold",
                "webUrl": f"https://elsewhere.example/outside-{number:04d}",
                "provider": {"name": "Elsewhere Daily", "domain": "elsewhere.example"},
            }
        ]
    return articles


def write_demo_corpus(directory: Path) -> Path:
    """Write the demo articles as seed files below `directory` and return it."""
    import yaml  # only when the demo is written: not on every start

    directory.mkdir(parents=True, exist_ok=True)
    for number, article in enumerate(demo_articles()):
        fields = dict(article)
        body = str(fields.pop("body", ""))
        topic = str(fields["topics"][0]).lower().replace(" ", "-")  # type: ignore[index]
        front = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)
        path = directory / topic / f"demo-{number:04d}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return directory
