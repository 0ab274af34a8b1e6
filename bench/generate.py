"""Synthetic seed directories shaped like the real corpus, for the benchmark.

Sizes follow ../shared/corpus: most files hold a handful of `related` items
(about 1 KB each), a few dozen, and about one in a hundred is a long file of
hundreds of KB. All words are generated; nothing is copied from real articles.
"""

from __future__ import annotations

import argparse
import os
import random
import re
from pathlib import Path

# Related items per file in ../shared/corpus (count: files), used when it is absent.
_RELATED_HISTOGRAM = {
    0: 57, 1: 33, 2: 18, 3: 17, 4: 13, 5: 18, 6: 10, 7: 16, 8: 7, 9: 5, 10: 5, 11: 8, 12: 2,
    13: 6, 14: 3, 15: 1, 16: 7, 17: 5, 18: 2, 19: 3, 20: 3, 21: 14, 24: 1, 26: 4, 28: 3,
    30: 9, 34: 1, 36: 2, 40: 1, 47: 1,
}  # fmt: skip
_LONG_FILE_SHARE = 0.01
_LONG_FILE_RELATED = (150, 500)

_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "po", "ar", "en", "il", "or", "us")
_TOPICS = [f"Topic {name}" for name in ("Alder", "Birch", "Cedar", "Dune", "Elm", "Fjord", "Glen", "Heath")]
_TOPICS += [f"Subject {number:02d}" for number in range(32)]


def corpus_related_histogram(corpus: Path | None) -> dict[int, int]:
    """Related items per file, measured on the real corpus when it is here."""
    if corpus is None or not (corpus / "articles").is_dir():
        return _RELATED_HISTOGRAM
    counts: dict[int, int] = {}
    for path in (corpus / "articles").glob("*.md"):
        text = path.read_text(encoding="utf-8", errors="replace")
        start = text.find("\nrelated:")
        items = 0 if start < 0 else len(re.findall(r"\n  - title:", text[start:]))
        counts[items] = counts.get(items, 0) + 1
    return counts or _RELATED_HISTOGRAM


class _Words:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocabulary = [
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(5000)
        ]

    def sentence(self, words: int) -> str:
        text = " ".join(self.rng.choices(self.vocabulary, k=words))
        return text[:1].upper() + text[1:]


def _related_item(words: _Words, rng: random.Random, number: int) -> str:
    slug = f"r{number}-{rng.randrange(10**9)}"
    domain = f"site{rng.randrange(300)}.example"
    return (
        f'  - title: "{words.sentence(rng.randint(6, 14))}"\n'
        f'    excerpt: "{words.sentence(rng.randint(20, 45))}"\n'
        f"    publishedDateTime: 2021-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T1{rng.randint(0, 9)}:30:00Z\n"
        f'    webUrl: "http://feeds.{domain}/~r/news/~3/{slug}"\n'
        f'    ampWebUrl: "https://www.{domain}/news/{slug}.amp"\n'
        f'    cdnAmpWebUrl: "https://www-{domain.replace(".", "-")}.cdn.ampproject.example'
        f'/c/s/www.{domain}/news/{slug}.amp"\n'
        f"    type: article\n"
        f"    provider:\n      name: Provider {domain[4:-8]}\n      domain: {domain}\n"
        f"    quality: {rng.randint(40, 200)}\n"
        f"    images:\n"
        f'      - url: "https://img.{domain}/static/{slug}/image-{rng.randrange(10**6)}.jpg?ve=1&tl=1"\n'
        f"        width: 1280\n        height: 720\n        isCached: true\n"
    )


def article_file(number: int, rng: random.Random, words: _Words, related: int) -> str:
    domain = f"site{rng.randrange(300)}.example"
    slug = f"a{number}"
    topics = ["Topic Alder", *rng.sample(_TOPICS[1:], k=rng.randint(0, 3))]
    lines = [
        "---",
        "category: news",
        f'title: "{words.sentence(rng.randint(5, 14))}"',
        f'excerpt: "{words.sentence(rng.randint(15, 40))}"',
        f"publishedDateTime: 20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z",
        f'originalUrl: "https://www.{domain}/news/{slug}"',
        f'webUrl: "https://www.{domain}/news/{slug}"',
        f'ampWebUrl: "https://www.{domain}/news/{slug}/amp/"',
        "type: article",
        f"quality: {rng.randint(40, 200)}",
        f"heat: {rng.choice((-1, -1, rng.randint(0, 100)))}",
        "published: false",
        "",
        "provider:",
        f"  name: Provider {domain[4:-8]}",
        f"  domain: {domain}",
        "",
        "topics:",
        *(f"  - {topic}" for topic in topics),
        "",
        "images:",
        f'  - url: "https://img.{domain}/uploads/{slug}.jpg?quality=90&strip=all&w=1200"',
        "    width: 1200",
        "    height: 800",
        "    isCached: true",
        "",
    ]
    if related:
        lines.append("related:")
        lines.append(
            "".join(_related_item(words, rng, number * 1000 + n) for n in range(related)).rstrip("\n")
        )
    lines.append(f'secured: "{"".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/", k=440))}"')
    lines.append("---")
    return "\n".join(lines) + "\n"


def generate(directory: Path, count: int, *, corpus: Path | None = None, seed: int = 7) -> int:
    """Write `count` articles below `directory` (1,000 a folder); returns bytes written."""
    rng = random.Random(seed)
    words = _Words(rng)
    histogram = corpus_related_histogram(corpus)
    sizes, weights = list(histogram), list(histogram.values())
    written = 0
    for number in range(count):
        if rng.random() < _LONG_FILE_SHARE:
            related = rng.randint(*_LONG_FILE_RELATED)
        else:
            related = rng.choices(sizes, weights)[0]
        folder = directory / f"batch-{number // 1000:03d}"
        if number % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        data = article_file(number, rng, words, related).encode()
        (folder / f"article-{number:06d}.md").write_bytes(data)
        written += len(data)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument(
        "--corpus", type=Path, default=Path(os.environ.get("NEWSDECK_CORPUS", "../shared/corpus"))
    )
    options = parser.parse_args()
    written = generate(options.directory, options.count, corpus=options.corpus)
    print(f"{options.count:,} articles, {written / 1e6:.1f} MB in {options.directory}")


if __name__ == "__main__":
    main()
