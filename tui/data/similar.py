"""More like this: the articles of an index whose words are closest to one article's (BM25).

The article's words (title, counted twice, excerpt, body and any fetched full
text) are the query; the word index (`word_index`), with the fetched stories
laid over it (`fetched_texts`), says which articles hold each. An article
either holds a word or not, so BM25 comes down to: the sum of the idf of the
words shared, times one length factor per article.

It has to answer in a few milliseconds at 100,000 articles, in pure Python,
so it bounds its work rather than the corpus: only the most telling words of
the article are asked (`MAX_TERMS`, rarest first, within `POSTING_BUDGET`
postings), words nearly every article holds are passed over, and lengths are
looked at only for the best `POOL` candidates.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from heapq import nlargest
from operator import itemgetter

from tui.data.columns import ArticleColumns
from tui.data.folding import words
from tui.data.index import ArticleIndex
from tui.data.model import Article

LIMIT = 10
K1 = 1.2
B = 0.75
TITLE_WEIGHT = 2
"""A title says what a story is about more surely than any one sentence of it."""
MAX_TERMS = 40
POSTING_BUDGET = 120_000
"""Postings summed at most, over every word asked: about 20 ms at worst on a laptop core."""
COMMON_SHARE = 0.2
COMMON_FLOOR = 1_000
"""A word held by more than this share of the articles (and by more than the floor, so that
a small folder keeps all its words) tells nothing and costs the most: it is passed over."""
POOL = 200
FLOOR_SHARE = 0.2
"""An article scoring under this share of the best one shares only a word or two of little
weight with the one shown: a list padded with those reads as noise, so it stops before them."""
_STOP_WORDS = """a an and are as at be been but by can could did do does for from had has have he her his i if
    in into is it its may might more most much must no not of on one or our out over she should so
    than that the their them then there these they this those to up was we were what when where which
    while who why will with would you your"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
"""English's commonest words: in a small folder no word is common enough to be passed over
(`COMMON_FLOOR`), and these would make every article look a little like every other."""


@dataclass(frozen=True, slots=True)
class Scored:
    position: int
    score: float


def query_weights(title: str, excerpt: str, body: str = "", fetched: str = "") -> Counter[str]:
    """How often each (folded) word stands in the article, its title's words counted twice.

    `body` and `fetched` are already folded and space-separated (`folding.body_words`).
    """
    counts: Counter[str] = Counter()
    for word in words(title):
        counts[word] += TITLE_WEIGHT
    counts.update(words(excerpt))
    counts.update(body.split())
    counts.update(fetched.split())
    for word in STOP_WORDS.intersection(counts):
        del counts[word]
    return counts


def _idf(count: int, size: int) -> float:
    # The "+1" form: never negative, so a word most articles hold still counts a little.
    return math.log(1.0 + (size - count + 0.5) / (count + 0.5))


def rank(
    held: Callable[[str], int],
    postings: Callable[[str], Collection[int]],
    counts: Counter[str],
    size: int,
    length: Callable[[int], int],
    exclude: Callable[[int], bool],
    limit: int = LIMIT,
    *,
    own: int = 1,
) -> list[Scored]:
    """The `limit` best positions for the query `counts` over `size` articles, best first.

    `held(word)`: how many articles hold `word` (an estimate will do: it weighs the word);
    `postings(word)`: the positions holding it, no repeats; `length(position)`: how long that
    article's text is (any unit, the same for all); `exclude(position)`: never return it;
    `own`: 1 when the article asked about is among the `size` (and so holds all its words), else 0.
    """
    if size <= 0 or limit <= 0 or not counts:
        return []
    common = max(COMMON_FLOOR, size * COMMON_SHARE)
    # Every word is weighed from its count alone: its postings are read only if it is chosen.
    weighed: list[tuple[float, int, str]] = []
    for word, count in counts.items():
        holders = held(word)
        if holders <= own or holders > common:  # in no other article, or in nearly all
            continue
        weighed.append(((1.0 + math.log(count)) * _idf(holders, size), holders, word))
    weighed.sort(key=lambda entry: (-entry[0], entry[2]))
    scores: dict[int, float] = {}
    get = scores.get
    spent = 0
    for weight, holders, word in weighed[:MAX_TERMS]:
        if spent + holders > POSTING_BUDGET:
            continue  # a rarer word further on may still fit
        spent += holders
        for position in postings(word):
            scores[position] = get(position, 0.0) + weight
    pool = nlargest(POOL, scores.items(), key=itemgetter(1))
    if not pool:
        return []
    lengths = [length(position) for position, _ in pool]
    average = max(1.0, sum(lengths) / len(lengths))
    ranked = sorted(
        (
            Scored(position, raw * (K1 + 1.0) / (1.0 + K1 * (1.0 - B + B * dl / average)))
            for (position, raw), dl in zip(pool, lengths, strict=True)
        ),
        key=lambda scored: (-scored.score, scored.position),
    )
    chosen: list[Scored] = []
    floor = 0.0
    for scored in ranked:
        if scored.score < floor:
            break
        if not exclude(scored.position):
            floor = floor or scored.score * FLOOR_SHARE
            chosen.append(scored)
            if len(chosen) == limit:
                break
    return chosen


def more_like_this(
    index: ArticleIndex,
    article: Article,
    limit: int = LIMIT,
    story_of: Callable[[int], int] | None = None,
) -> list[Article]:
    """Up to `limit` articles of `index` most like `article`, best first; never itself nor a copy
    of it (the same URL). Builds the word index if it is not ready: call it off the UI thread.

    With `story_of` (index position -> story), another story counts once, by its best article:
    six outlets' copies of one report would otherwise fill the list. The other reports of the
    article's own story all stay: they are the same event told by others.
    """
    position = index.position_of(article)
    word_index = index.search_index()
    fetched = index.fetched
    articles = index.articles
    body_of = _body_words(articles)

    def held(word: str) -> int:
        # At most one too many per article holding it in both: near enough for a weight.
        return word_index.holding(word) + (fetched.holding(word) if fetched.count else 0)

    def postings(word: str) -> Collection[int]:
        found = word_index.positions(word)
        extra = fetched.positions(word) if fetched.count else None
        return extra.union(found) if extra else found

    def length(at: int) -> int:
        return word_index.text_length(at) + len(body_of(at)) + len(fetched.words_of(at))

    url = article.url

    def exclude(at: int) -> bool:
        if at == position:
            return True
        other = articles[at]
        return bool(url) and (other.url == url or url in (other.original_url, other.web_url))

    counts = query_weights(
        article.title,
        article.excerpt,
        article.body_words,
        fetched.words_of(position) if position is not None else "",
    )
    wanted = limit if story_of is None else limit * _PER_STORY
    found = rank(
        held, postings, counts, word_index.size, length, exclude, wanted, own=int(position is not None)
    )
    positions = [scored.position for scored in found]
    if story_of is not None:
        positions = _one_per_story(positions, story_of, story_of(position) if position is not None else None)
    return [articles[at] for at in positions[:limit]]


_PER_STORY = 3
"""Candidates ranked per place in the list when stories count once: room for those folded away."""


def _one_per_story(positions: list[int], story_of: Callable[[int], int], own: int | None) -> list[int]:
    """`positions` (best first) with each other story's best only; `own` story's all kept."""
    seen: set[int] = set()
    kept = []
    for at in positions:
        story = story_of(at)
        if story == own or story not in seen:
            seen.add(story)
            kept.append(at)
    return kept


def _body_words(articles: Sequence[Article]) -> Callable[[int], str]:
    # From the column when there is one: no article object is made for a mere candidate.
    if isinstance(articles, ArticleColumns):
        column = articles.column("body_words")
        return column.__getitem__
    return lambda at: articles[at].body_words
