"""Which measure of likeness finds the labelled stories: ours, rapidfuzz's or MinHash's.

    pip install rapidfuzz datasketch   # for this comparison only: newsdeck needs neither
    python bench/story_measures.py [CORPUS]

Every measure gets the same articles (`../shared/corpus/articles`, or $NEWSDECK_CORPUS),
the same words (title and the first words of the excerpt), the same 10-day window and the
same grouping (every pair at or above a threshold joins, one link at a time), and is scored
over pairs against `tests/stories_labelled.json` at every threshold from 0.10 to 0.99. What
is printed is each measure's best balance of precision and recall (F1), and the most it
finds while keeping precision at 0.9. newsdeck's own grouping adds more on top of its
measure (a shared rare word, the average likeness of joined stories, the related lists).
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from datasketch import MinHash  # type: ignore[import-not-found]
from rapidfuzz import fuzz  # type: ignore[import-not-found]

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.data import stories
from tui.data.loader import load_directory

Pair = tuple[int, int]


def corpus_folder() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    root = Path(os.environ.get("NEWSDECK_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    return root / "articles" if (root / "articles").is_dir() else root


def main() -> None:
    articles = load_directory(corpus_folder(), use_cache=False).index.articles
    labels = json.loads((Path(__file__).resolve().parents[1] / "tests" / "stories_labelled.json").read_text())
    where = {article.url: position for position, article in enumerate(articles)}

    def pairs_of(groups: list[list[str]]) -> set[Pair]:
        return {
            pair for group in groups for pair in itertools.combinations(sorted(where[u] for u in group), 2)
        }

    truth, unsure = pairs_of(labels["stories"]), pairs_of(labels["unsure"])
    texts = [
        f"{article.title} {' '.join(article.excerpt.split()[: stories.EXCERPT_WORDS])}"
        for article in articles
    ]
    words = [set(stories.words_of(text)) for text in texts]
    window = stories.WINDOW_DAYS * 86400
    candidates = [
        (one, two)
        for one, two in itertools.combinations(range(len(articles)), 2)
        if (first := articles[one].published) is not None
        and (second := articles[two].published) is not None
        and abs(first - second) <= window
    ]
    weighed = stories.weigh(stories.facts_of(articles))
    assert weighed is not None
    vectors = weighed[0]
    sketches = []
    for bag in words:
        sketch = MinHash(num_perm=128)
        for word in bag:
            sketch.update(word.encode())
        sketches.append(sketch)
    measures: dict[str, Callable[[int, int], float]] = {
        "newsdeck: TF-IDF cosine": lambda one, two: stories.similarity(vectors[one], vectors[two]),
        "rapidfuzz token_set_ratio, title": lambda one, two: (
            fuzz.token_set_ratio(articles[one].title.lower(), articles[two].title.lower()) / 100
        ),
        "rapidfuzz token_set_ratio, title+lede": lambda one, two: (
            fuzz.token_set_ratio(texts[one].lower(), texts[two].lower()) / 100
        ),
        "rapidfuzz token_sort_ratio, title": lambda one, two: (
            fuzz.token_sort_ratio(articles[one].title.lower(), articles[two].title.lower()) / 100
        ),
        "word-set Jaccard (what MinHash estimates)": lambda one, two: (
            len(words[one] & words[two]) / max(1, len(words[one] | words[two]))
        ),
        "datasketch MinHash, 128 permutations": lambda one, two: sketches[one].jaccard(sketches[two]),
    }
    print(f"{len(candidates)} pairs within {stories.WINDOW_DAYS} days; {len(truth)} labelled pairs")
    for name, measure in measures.items():
        scores = {pair: measure(*pair) for pair in candidates}
        results = [
            (threshold / 100, *_score(scores, threshold / 100, len(articles), truth, unsure))
            for threshold in range(10, 100)
        ]
        f1, at, precision, recall = max(
            (2 * p * r / (p + r) if p + r else 0.0, threshold, p, r) for threshold, p, r in results
        )
        kept = max((r for _threshold, p, r in results if p >= 0.9), default=0.0)
        print(
            f"{name:44} best F1 {f1:.2f} (at {at:.2f}: precision {precision:.2f}, recall {recall:.2f});"
            f" recall at precision 0.9: {kept:.2f}"
        )


def _score(
    scores: dict[Pair, float], threshold: float, count: int, truth: set[Pair], unsure: set[Pair]
) -> tuple[float, float]:
    parent = list(range(count))

    def root(position: int) -> int:
        while parent[position] != position:
            parent[position] = parent[parent[position]]
            position = parent[position]
        return position

    for (one, two), score in scores.items():
        if score >= threshold:
            parent[root(one)] = root(two)
    groups: dict[int, list[int]] = {}
    for position in range(count):
        groups.setdefault(root(position), []).append(position)
    found = {pair for group in groups.values() for pair in itertools.combinations(group, 2)} - (
        unsure - truth
    )
    right = len(found & truth)
    return right / max(1, len(found)), right / len(truth)


if __name__ == "__main__":
    main()
