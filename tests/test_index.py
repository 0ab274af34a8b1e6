"""The index behind the list and the sidebar: order, topics, providers, look-ups."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ArticleWriter, article_text

from tui.data.index import ArticleIndex, Facet, Selection
from tui.data.loader import LoadResult, load_directory
from tui.data.model import Article, Provider


def front(*lines: str) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n"


def titles(articles: object) -> list[str]:
    return [article.title for article in articles]  # type: ignore[attr-defined]


def sidebar(result: LoadResult) -> list[tuple[str, int]]:
    return [(facet.name, facet.count) for facet in result.index.topics]


# --------------------------------------------------------------------------- article order


def test_articles_are_newest_first_and_undated_last(write_article: ArticleWriter, seed: Path) -> None:
    dated = {
        "iso.md": ("Iso, March 5", "2024-03-05T09:00:00Z"),
        "rfc.md": ("Rfc, March 4", '"Mon, 04 Mar 2024 09:00:00 +0000"'),
        "space.md": ("Spaced, March 3", '"2024-03-03 09:00"'),
        "epoch.md": ("Epoch, March 2", "1709370000"),
        "yamldate.md": ("Plain date, March 1", "2024-03-01"),
        "old.md": ("Last year", "2023-06-01T00:00:00Z"),
    }
    undated = {
        "words.md": ("zebra undated", '"next tuesday"'),
        "impossible.md": ("Apple undated", "2021-02-30T10:00:00Z"),
        "missing.md": ("Mango undated", None),
    }
    for number, (name, (title, published)) in enumerate({**undated, **dated}.items()):
        write_article(name, title=title, published=published, url=f"https://n.example/{number}")
    result = load_directory(seed)
    assert result.skipped == []
    assert titles(result.index.articles) == [
        "Iso, March 5",
        "Rfc, March 4",
        "Spaced, March 3",
        "Epoch, March 2",
        "Plain date, March 1",
        "Last year",
        "Apple undated",
        "Mango undated",
        "zebra undated",
    ]


def test_same_time_articles_sort_by_title_then_path() -> None:
    articles = [
        Article(path="c.md", title="beta", published=100.0),
        Article(path="b.md", title="Alpha", published=100.0),
        Article(path="a.md", title="alpha", published=100.0),
        Article(path="d.md", title="Newer", published=200.0),
    ]
    index = ArticleIndex(articles)
    assert [article.path for article in index.articles] == ["d.md", "a.md", "b.md", "c.md"]
    assert len(index) == 4


# --------------------------------------------------------------------------- topics in the sidebar


def test_topic_spellings_are_one_topic(write_article: ArticleWriter, seed: Path) -> None:
    spellings = ["Election", '"Election "', "ELECTION", '"  election"', "Election"]
    for number, spelling in enumerate(spellings):
        write_article(
            f"a{number}.md", title=f"Story {number}", url=f"https://n.example/{number}", topics=[spelling]
        )
    result = load_directory(seed)
    assert sidebar(result) == [("Election", 5)]
    key = result.index.find_topic("ELECTION")
    assert key is not None
    assert result.index.find_topic("  election ") == key
    assert result.index.find_topic("Election") == key
    assert len(result.index.view(key)) == 5
    for article in result.index.articles:
        assert result.index.topics_of(article) == ("Election",)


@pytest.mark.parametrize("order", [("ELECTION", "election"), ("election", "ELECTION")])
def test_topic_name_does_not_depend_on_file_order(
    write_article: ArticleWriter, seed: Path, order: tuple[str, str]
) -> None:
    for number, spelling in enumerate(order):
        write_article(
            f"a{number}.md", title=f"Story {number}", url=f"https://n.example/{number}", topics=[spelling]
        )
    result = load_directory(seed)
    assert len(result.index.topics) == 1
    facet = result.index.topics[0]
    assert facet.count == 2
    assert facet.name == "ELECTION"  # ties go to the alphabetically first spelling


def test_topic_listed_twice_in_one_article_counts_once(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", front('title: "Repeats"', 'topics: [Space, space, " SPACE ", Art]'))
    result = load_directory(seed)
    assert sidebar(result) == [("Art", 1), ("Space", 1)]


def test_sidebar_orders_by_count_then_name(write_article: ArticleWriter, seed: Path) -> None:
    assignments = [
        ["Space", "climate"],
        ["Space", "Art"],
        ["Space", "ant"],
        ["climate", "Art"],
        ["Bees"],
    ]
    for number, topics in enumerate(assignments):
        write_article(
            f"a{number}.md", title=f"Story {number}", url=f"https://n.example/{number}", topics=topics
        )
    result = load_directory(seed)
    assert sidebar(result) == [("Space", 3), ("Art", 2), ("climate", 2), ("ant", 1), ("Bees", 1)]
    assert all(isinstance(facet, Facet) for facet in result.index.topics)


def test_comma_separated_topics_appear_as_separate_topics(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", front('title: "One"', 'topics: "Election, Joe Biden"'))
    write_article("b.md", front('title: "Two"', "topics: [Joe Biden]"))
    result = load_directory(seed)
    assert sidebar(result) == [("Joe Biden", 2), ("Election", 1)]


def test_article_without_topics_is_in_all_articles_only(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="No topics", url="https://n.example/a", topics=[])
    write_article("b.md", title="Tagged", url="https://n.example/b", topics=["World"])
    result = load_directory(seed)
    assert sidebar(result) == [("World", 1)]
    assert titles(result.index.view()) == ["No topics", "Tagged"]
    no_topics = next(article for article in result.index.articles if article.title == "No topics")
    assert result.index.topics_of(no_topics) == ()


# --------------------------------------------------------------------------- views


def test_view_of_a_topic_is_newest_first(write_article: ArticleWriter, seed: Path) -> None:
    write_article(
        "a.md", title="Old space", published="2024-01-01T00:00:00Z", topics=["Space"], url="https://n/1"
    )
    write_article(
        "b.md", title="Art only", published="2024-02-01T00:00:00Z", topics=["Art"], url="https://n/2"
    )
    write_article(
        "c.md", title="New space", published="2024-03-01T00:00:00Z", topics=["space"], url="https://n/3"
    )
    write_article("d.md", title="Undated space", published=None, topics=["Space", "Art"], url="https://n/4")
    index = load_directory(seed).index
    space = index.find_topic("Space")
    assert space is not None
    view = index.view(space)
    assert titles(view) == ["New space", "Old space", "Undated space"]
    assert len(view) == 3
    assert view[0].title == "New space"
    assert view[-1].title == "Undated space"
    assert titles(view[1:]) == ["Old space", "Undated space"]
    everything = index.view()
    assert titles(everything) == ["New space", "Art only", "Old space", "Undated space"]
    art_only = everything[1]
    assert view.row_of(index.position_of(art_only)) is None  # type: ignore[arg-type]
    assert view.row_of(index.position_of(view[1])) == 1  # type: ignore[arg-type]
    assert everything.row_of(3) == 3
    assert everything.row_of(4) is None


def test_unknown_topic_gives_an_empty_view(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="Only story")
    index = load_directory(seed).index
    assert index.find_topic("No such topic") is None
    assert len(index.view("no such topic")) == 0
    assert list(index.view("no such topic")) == []


# --------------------------------------------------------------------------- providers and URLs


def test_providers_are_counted_with_unknown_ones_grouped(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="One", url="https://n/1", provider="Example Times")
    write_article("b.md", title="Two", url="https://n/2", provider="example times")
    # A provider is known by its domain too: Other Paper has its own.
    write_article("c.md", title="Three", url="https://n/3", provider="Other Paper", domain="paper.example")
    write_article("d.md", front('title: "No provider"'))
    write_article("e.md", front('title: "Bad provider"', "provider: [1, 2]"))
    result = load_directory(seed)
    assert [(facet.name, facet.count) for facet in result.index.providers] == [
        ("Example Times", 2),
        ("Unknown provider", 2),
        ("Other Paper", 1),
    ]


def test_find_url_matches_original_or_web_url(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="Original", url="https://news.example/original")
    write_article("b.md", article_text("Web only", url=None, extra='webUrl: "https://agg.example/web"'))
    index = load_directory(seed).index
    original = index.find_url("https://news.example/original")
    assert original is not None and original.title == "Original"
    web = index.find_url("  https://agg.example/web \n")
    assert web is not None and web.title == "Web only"
    assert index.find_url("https://news.example/missing") is None
    assert index.find_url("") is None


# --------------------------------------------------------------------------- the _data folder


def test_topic_definitions_give_display_names_and_short_names(
    write_article: ArticleWriter, seed: Path
) -> None:
    write_article("_data/topics/01-republican.yaml", "name: Republican Voice\nshortname: GOP\n")
    write_article(
        "_data/topics/02-election.yml", "_id: election\nname: US Election 2020\nshortname: election\n"
    )
    write_article("a.md", title="One", url="https://n/1", topics=["GOP"])
    write_article("b.md", title="Two", url="https://n/2", topics=["republican voice", "Election"])
    write_article("c.md", title="Three", url="https://n/3", topics=["gop", "election"])
    result = load_directory(seed)
    assert result.skipped == []
    assert sidebar(result) == [("Republican Voice", 3), ("US Election 2020", 2)]
    key = result.index.find_topic("GOP")
    assert key is not None
    assert result.index.find_topic("Republican Voice") == key
    assert result.index.find_topic("election") == result.index.find_topic("US Election 2020")
    assert len(result.index.view(key)) == 3
    first = next(article for article in result.index.articles if article.title == "One")
    assert result.index.topics_of(first) == ("Republican Voice",)


def test_metadata_folder_beside_the_seed_is_used(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "articles").mkdir(parents=True)
    (root / "_data" / "topics").mkdir(parents=True)
    (root / "_data" / "topics" / "space.yaml").write_text("name: Outer Space\nshortname: space\n")
    (root / "articles" / "a.md").write_text(article_text("Launch", topics=["SPACE"]), encoding="utf-8")
    result = load_directory(root / "articles")
    assert sidebar(result) == [("Outer Space", 1)]


def test_organizations_fill_provider_name_from_domain(write_article: ArticleWriter, seed: Path) -> None:
    write_article(
        "_data/organizations/times.example.md",
        "---\ntaxonomy: organization\nname: The Example Times\ndomain: Times.Example\n---\n",
    )
    write_article(
        "_data/organizations/paper.example.md", "---\nname: Paper Daily\ndomain: paper.example\n---\n"
    )
    write_article(
        "a.md",
        front('title: "Domain only"', 'originalUrl: "https://n/1"', "provider: {domain: times.example}"),
    )
    write_article(
        "b.md", front('title: "Name only"', 'originalUrl: "https://n/2"', "provider: {name: Paper Daily}")
    )
    write_article(
        "c.md",
        front(
            'title: "Own name"', 'originalUrl: "https://n/3"', "provider: {name: Mine, domain: times.example}"
        ),
    )
    result = load_directory(seed)
    assert result.skipped == []
    providers = {article.title: article.provider for article in result.index.articles}
    assert providers["Domain only"] == Provider("The Example Times", "times.example")
    assert providers["Name only"] == Provider("Paper Daily", "paper.example")
    assert providers["Own name"] == Provider("Mine", "times.example")
    # "Mine" writes from the same domain: one provider with it, named as `_data` names the domain.
    assert ("The Example Times", 2) in [(facet.name, facet.count) for facet in result.index.providers]


def test_broken_metadata_files_are_ignored(write_article: ArticleWriter, seed: Path) -> None:
    write_article("_data/topics/bad-yaml.yaml", "name: [unclosed\n")
    write_article("_data/topics/list.yaml", "- name: Listed\n")
    write_article("_data/topics/latin1.yaml", "name: Caf\xe9\n".encode("latin-1"))
    write_article("_data/topics/evil.yaml", 'name: !!python/object/apply:os.system ["true"]\n')
    write_article("_data/topics/no-name.yaml", "shortname: orphan\n")
    write_article("_data/organizations/bad.md", "---\nname: [oops\n---\n")
    write_article("a.md", title="Fine", topics=["World", "orphan"])
    result = load_directory(seed)
    # Each broken definition is listed with its reason; the articles load regardless.
    assert {item.path: item.reason for item in result.skipped} == {
        "_data/organizations/bad.md": "definition not used: the file is not valid YAML at line 3: "
        "did not find expected ',' or ']'",
        "_data/topics/bad-yaml.yaml": "definition not used: the file is not valid YAML at line 2: "
        "did not find expected ',' or ']'",
        "_data/topics/evil.yaml": "definition not used: the file uses a YAML tag that is not allowed "
        "('tag:yaml.org,2002:python/object/apply:os.system', line 1)",
        "_data/topics/latin1.yaml": "definition not used: not UTF-8 text (byte 0xE9 at offset 9)",
        "_data/topics/list.yaml": "definition not used: the file holds a list, not a mapping of fields",
    }
    assert sidebar(result) == [("orphan", 1), ("World", 1)]


def test_topic_names_from_metadata_are_made_safe(write_article: ArticleWriter, seed: Path) -> None:
    write_article("_data/topics/odd.yaml", 'name: "Facebookâ€™s \\e[31mnews"\nshortname: fb\n')
    write_article("a.md", title="Story", topics=["fb"])
    result = load_directory(seed)
    assert sidebar(result) == [("Facebook’s ␛[31mnews", 1)]


def test_selection_of_topics_any_or_all_and_a_provider(write_article: ArticleWriter, seed: Path) -> None:
    for name, title, topics, provider in [
        ("a.md", "Both", ["Red", "Blue"], "One"),
        ("b.md", "Red only", ["Red"], "Two"),
        ("c.md", "Blue only", ["Blue"], "One"),
        ("d.md", "Green", ["Green"], "One"),
    ]:
        domain = f"{provider.lower()}.example"
        write_article(
            name,
            title=title,
            url=f"https://x.example/{name}",
            topics=topics,
            provider=provider,
            domain=domain,
        )
    index = load_directory(seed, use_cache=False).index
    one = next(facet.key for facet in index.providers if facet.name == "One")
    red, blue = index.find_topic("red"), index.find_topic("blue")
    assert red and blue
    assert sorted(titles(index.select(Selection(frozenset({red, blue}))))) == [
        "Blue only",
        "Both",
        "Red only",
    ]
    assert titles(index.select(Selection(frozenset({red, blue}), every=True))) == ["Both"]
    assert sorted(titles(index.select(Selection(provider=one)))) == ["Blue only", "Both", "Green"]
    assert sorted(titles(index.select(Selection(frozenset({red}), provider=one)))) == ["Both"]
    assert titles(index.select(Selection(frozenset({red}), provider="nobody"))) == []
    assert len(index.select(Selection())) == 4


def test_sidebar_counts_stay_short_past_ten_thousand() -> None:
    from tui.data.wording import compact

    assert [compact(n) for n in (7, 9_999, 10_000, 12_345, 100_000, 2_500_000)] == [
        "7",
        "9,999",
        "10k",
        "12.3k",
        "100k",
        "2.5M",
    ]
