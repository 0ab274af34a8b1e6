"""Loading a seed directory: which files are read, which are reported, which are merged."""

from __future__ import annotations

import builtins
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ArticleWriter, article_text

import tui.data.parallel as parallel_module
from tui.data.check import build_report, format_report
from tui.data.loader import LoadError, LoadResult, load_directory, read_article_extras
from tui.data.parse import MAX_FILE_BYTES

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

EXTRAS = """related:
  - title: "Background piece"
    originalUrl: "https://news.example/background"
images:
  - url: "https://img.example/photo.jpg"
    width: 800
    height: 600"""


def paths(result: LoadResult) -> list[str]:
    return sorted(article.path for article in result.index.articles)


def skipped_paths(result: LoadResult) -> list[str]:
    return [item.path for item in result.skipped]


def reason_for(result: LoadResult, path: str) -> str:
    reasons = [item.reason for item in result.skipped if item.path == path]
    assert reasons, f"{path} was not reported; skipped: {result.skipped}"
    return reasons[0]


# --------------------------------------------------------------------------- the directory itself


def test_missing_directory_raises_load_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(LoadError) as caught:
        load_directory(missing)
    message = str(caught.value)
    assert "no such directory" in message
    assert str(missing) in message


def test_file_instead_of_directory_raises_load_error(write_article: ArticleWriter) -> None:
    path = write_article("single.md", title="Just one file")
    with pytest.raises(LoadError) as caught:
        load_directory(path)
    message = str(caught.value)
    assert "not a directory" in message
    assert str(path) in message


def test_unreadable_root_raises_load_error(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article("a.md", title="Hidden behind permissions")
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == os.fspath(seed):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(LoadError) as caught:
        load_directory(seed)
    assert "permission denied" in str(caught.value)
    assert str(seed) in str(caught.value)


def test_empty_directory_loads_nothing(seed: Path) -> None:
    result = load_directory(seed)
    assert len(result.index) == 0
    assert result.skipped == []
    assert result.duplicates == 0
    assert result.index.topics == ()
    assert result.root == seed


def test_path_given_as_text_with_tilde_is_expanded(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article("a.md", title="Home story")
    monkeypatch.setenv("HOME", str(seed.parent))
    result = load_directory("~/seed")
    assert [article.title for article in result.index.articles] == ["Home story"]


# --------------------------------------------------------------------------- which files are read


def test_subfolders_and_all_article_suffixes_are_included(write_article: ArticleWriter, seed: Path) -> None:
    write_article("top.md", title="Top", url="https://n.example/1")
    write_article("long.markdown", title="Long suffix", url="https://n.example/2")
    write_article("plain.txt", title="Plain text", url="https://n.example/3")
    write_article("SHOUT.MD", title="Upper-case suffix", url="https://n.example/4")
    write_article("2024/03/deep/nested.md", title="Deeply nested", url="https://n.example/5")
    result = load_directory(seed)
    assert paths(result) == ["2024/03/deep/nested.md", "SHOUT.MD", "long.markdown", "plain.txt", "top.md"]
    assert result.skipped == []


def test_non_article_suffixes_are_ignored_not_reported(write_article: ArticleWriter, seed: Path) -> None:
    write_article("story.md", title="The only article")
    write_article("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write_article("SOURCES.tsv", "path\tsource\nstory.md\thttps://x.example\n")
    write_article("data.json", '{"title": "not an article"}')
    write_article("Makefile", "all:\n\techo hi\n")
    write_article("story.md.bak", article_text("Backup copy"))
    result = load_directory(seed)
    assert [article.title for article in result.index.articles] == ["The only article"]
    assert result.skipped == []


def test_hidden_files_and_folders_are_skipped_silently(write_article: ArticleWriter, seed: Path) -> None:
    write_article("visible.md", title="Visible")
    write_article(".git/HEAD.md", title="Git internals", url="https://n.example/git")
    write_article(".git/objects/ab/note.md", "not an article at all")
    write_article(".drafts/draft.md", title="Draft", url="https://n.example/draft")
    write_article(".hidden.md", title="Hidden file", url="https://n.example/hidden")
    result = load_directory(seed)
    assert [article.title for article in result.index.articles] == ["Visible"]
    assert result.skipped == []


def test_data_folder_is_never_reported_as_skipped(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="Article", topics=["election"])
    write_article("_data/topics/00-election.yaml", "name: Election\nshortname: election\n")
    write_article(
        "_data/organizations/times.example.md", "---\nname: Example Times\ndomain: times.example\n---\n"
    )
    write_article("_data/README.md", "Notes about the data folder, no front matter.\n")
    write_article("_data/broken.md", b"\xff\xfe\x00binary")
    result = load_directory(seed)
    assert paths(result) == ["a.md"]
    assert result.skipped == []


def test_symlink_loop_does_not_loop_or_double_count(write_article: ArticleWriter, seed: Path) -> None:
    # No URLs: a file read twice would show up twice instead of being merged.
    write_article("a.md", title="Top article", url=None)
    write_article("sub/b.md", title="Sub article", url=None)
    os.symlink(".", seed / "sub" / "self")  # a folder linking to itself
    os.symlink("..", seed / "sub" / "up")  # a folder linking to its parent
    os.symlink(seed, seed / "sub" / "root")  # absolute link to the seed
    checks = 0

    def runaway() -> bool:  # stops a looping scan so the test fails instead of hanging
        nonlocal checks
        checks += 1
        return checks > 10_000

    result = load_directory(seed, cancelled=runaway)
    assert checks <= 10_000, "the scan went round the loop"
    assert sorted(article.title for article in result.index.articles) == ["Sub article", "Top article"]
    assert result.duplicates == 0
    assert result.skipped == []


def test_two_links_to_one_file_count_once(write_article: ArticleWriter, seed: Path) -> None:
    target = write_article("real.md", title="Linked twice", url=None)
    os.symlink(target, seed / "link-one.md")
    os.symlink(target, seed / "link-two.md")
    result = load_directory(seed)
    assert [article.title for article in result.index.articles] == ["Linked twice"]
    assert result.duplicates == 0


def test_linked_folder_outside_the_seed_is_followed(
    write_article: ArticleWriter, seed: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "far.md").write_text(article_text("Far away", url=None), encoding="utf-8")
    write_article("near.md", title="Near", url=None)
    os.symlink(elsewhere, seed / "linked")
    result = load_directory(seed)
    assert paths(result) == ["linked/far.md", "near.md"]


def test_dangling_link_is_reported(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="Fine")
    os.symlink(seed / "gone.md", seed / "dangling.md")
    result = load_directory(seed)
    assert paths(result) == ["a.md"]
    assert skipped_paths(result) == ["dangling.md"]
    assert "could not be read" in reason_for(result, "dangling.md")


def test_unreadable_subfolder_is_reported_and_the_rest_loads(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article("a.md", title="Readable", url="https://n.example/a")
    write_article("locked/b.md", title="Locked away", url="https://n.example/b")
    write_article("open/c.md", title="Also readable", url="https://n.example/c")
    locked = seed / "locked"
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == os.fspath(locked):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = load_directory(seed)
    assert paths(result) == ["a.md", "open/c.md"]
    assert skipped_paths(result) == ["locked/"]
    reason = reason_for(result, "locked/")
    assert "could not be read" in reason
    assert "Permission denied" in reason


def test_unreadable_file_is_reported_and_the_rest_loads(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article("a.md", title="Readable", url="https://n.example/a")
    secret = write_article("secret.md", title="Secret", url="https://n.example/s")

    def fake_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(file) == os.fspath(secret):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(file))
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(parallel_module, "open", fake_open, raising=False)
    result = load_directory(seed)
    assert paths(result) == ["a.md"]
    assert skipped_paths(result) == ["secret.md"]
    assert "Permission denied" in reason_for(result, "secret.md")


def test_very_large_file_is_skipped_as_too_large(write_article: ArticleWriter, seed: Path) -> None:
    write_article("small.md", title="Small and fine")
    huge = seed / "huge.md"
    with huge.open("wb") as handle:
        handle.write(article_text("Enormous").encode())
        handle.truncate(70 * 1024 * 1024)  # sparse: 70 MB without writing 70 MB
    assert huge.stat().st_size > MAX_FILE_BYTES
    result = load_directory(seed)
    assert [article.title for article in result.index.articles] == ["Small and fine"]
    assert skipped_paths(result) == ["huge.md"]
    reason = reason_for(result, "huge.md")
    assert "too large" in reason
    assert "70.0 MB" in reason


def test_large_body_under_the_limit_is_loaded(write_article: ArticleWriter, seed: Path) -> None:
    body = ("A paragraph of body text that goes on. " * 50 + "\n\n") * 1000  # about 2 MB
    article_path = write_article("long.md", article_text("Long read", body=body))
    assert article_path.stat().st_size < MAX_FILE_BYTES
    result = load_directory(seed)
    article = result.index.articles[0]
    assert article.title == "Long read"
    assert article.has_body
    assert read_article_extras(seed, article).body.startswith("A paragraph of body text")


def test_mixed_directory_reports_each_bad_file_with_its_reason(
    write_article: ArticleWriter, seed: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned-mixed"
    write_article("good.md", title="Good article", url="https://n.example/good")
    write_article("notes/readme.txt", "Just some notes.\n")
    write_article("latin1.md", "---\ntitle: Café\n---\n".encode("latin-1"))
    write_article("empty.md", b"")
    write_article("blob.md", b"\x00\x01\x02\x03")
    write_article("listy.md", "---\n- a\n- b\n---\n")
    write_article("untitled.md", "---\nexcerpt: no title here\n---\n")
    write_article("broken.md", "---\ntitle: [oops\n---\n")
    write_article("evil.md", f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n')
    result = load_directory(seed)
    assert paths(result) == ["good.md"]
    reasons = {item.path: item.reason for item in result.skipped}
    assert skipped_paths(result) == sorted(reasons)  # reported in path order
    assert set(reasons) == {
        "blob.md",
        "broken.md",
        "empty.md",
        "evil.md",
        "latin1.md",
        "listy.md",
        "notes/readme.txt",
        "untitled.md",
    }
    assert "binary" in reasons["blob.md"]
    assert "YAML" in reasons["broken.md"]
    assert "empty" in reasons["empty.md"]
    assert "tag" in reasons["evil.md"]
    assert "UTF-8" in reasons["latin1.md"]
    assert "mapping" in reasons["listy.md"]
    assert "front matter" in reasons["notes/readme.txt"]
    assert "title" in reasons["untitled.md"]
    assert not marker.exists()

    text = format_report(build_report(result))
    assert "1 article" in text
    assert "8 files skipped" in text
    assert "latin1.md: not UTF-8" in text


def test_progress_is_reported_up_to_the_total(write_article: ArticleWriter, seed: Path) -> None:
    for number in range(5):
        write_article(f"a{number}.md", title=f"Article {number}", url=f"https://n.example/{number}")
    calls: list[tuple[int, int]] = []
    load_directory(seed, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (5, 5)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_cancelled_load_returns_without_articles(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="Never read")
    result = load_directory(seed, cancelled=lambda: True)
    assert len(result.index) == 0


# --------------------------------------------------------------------------- duplicates


@pytest.mark.parametrize("full_name", ["a-full.md", "z-full.md"])
def test_duplicates_keep_the_more_complete_copy(
    write_article: ArticleWriter, seed: Path, full_name: str
) -> None:
    url = "https://news.example/same-story"
    write_article(full_name, title="Complete copy", url=url, extra=EXTRAS)
    write_article("m-bare.md", title="Bare copy", url=url)
    result = load_directory(seed)
    assert result.duplicates == 1
    assert len(result.index) == 1
    article = result.index.articles[0]
    assert article.title == "Complete copy"
    assert article.path == full_name
    assert [item.title for item in read_article_extras(seed, article).related] == ["Background piece"]
    assert len(article.images) == 1
    assert result.index.find_url(url) is article
    assert result.skipped == []


def test_equal_duplicates_keep_the_first_file(write_article: ArticleWriter, seed: Path) -> None:
    url = "https://news.example/same"
    write_article("b.md", title="Second by name", url=url)
    write_article("a.md", title="First by name", url=url)
    result = load_directory(seed)
    assert result.duplicates == 1
    assert [article.path for article in result.index.articles] == ["a.md"]


def test_three_copies_count_two_duplicates(write_article: ArticleWriter, seed: Path) -> None:
    url = "https://news.example/thrice"
    for name in ("one.md", "sub/two.md", "three.txt"):
        write_article(name, title=f"Copy {name}", url=url)
    write_article("other.md", title="Unrelated", url="https://news.example/other")
    result = load_directory(seed)
    assert result.duplicates == 2
    assert len(result.index) == 2


def test_duplicates_by_web_url_when_there_is_no_original(write_article: ArticleWriter, seed: Path) -> None:
    web = 'webUrl: "https://aggregator.example/item"'
    write_article("a.md", article_text("Web one", url=None, extra=web))
    write_article("b.md", article_text("Web two", url=None, extra=web + "\n" + EXTRAS))
    result = load_directory(seed)
    assert result.duplicates == 1
    assert [article.title for article in result.index.articles] == ["Web two"]


def test_articles_without_urls_are_never_merged(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="Same title", url=None)
    write_article("b.md", title="Same title", url=None)
    result = load_directory(seed)
    assert result.duplicates == 0
    assert len(result.index) == 2


def test_same_title_different_urls_are_not_merged(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="Same title", url="https://one.example/x")
    write_article("b.md", title="Same title", url="https://two.example/x")
    result = load_directory(seed)
    assert result.duplicates == 0
    assert len(result.index) == 2


def test_read_article_extras_reads_from_the_file(write_article: ArticleWriter, seed: Path) -> None:
    write_article(
        "with-body.md", article_text("Has body", url="https://n.example/1", body="\n# Title\n\nText.\n")
    )
    write_article("no-body.md", article_text("No body", url="https://n.example/2", body="\n \n"))
    result = load_directory(seed)
    by_title = {article.title: article for article in result.index.articles}
    assert read_article_extras(seed, by_title["Has body"]).body == "# Title\n\nText."
    assert not by_title["No body"].has_body
    assert read_article_extras(seed, by_title["No body"]).body == ""
    (seed / "with-body.md").unlink()  # gone since loading: blank, no crash
    assert read_article_extras(seed, by_title["Has body"]).body == ""


# --------------------------------------------------------------------------- the real corpus


def _corpus_front_matter(path: Path) -> object:
    """The file's front matter via plain yaml.safe_load, or None when it has none."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0].strip() != "---":
        return None
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            try:
                # yaml.safe_load, with the C loader when present (the pure one is slow).
                return yaml.load("\n".join(lines[1:end]), Loader=SAFE_LOADER)
            except yaml.YAMLError:
                return None
    return None


def _corpus_articles(articles: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in sorted(articles.rglob("*")):
        relative = path.relative_to(articles)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.suffix.lower() not in {".md", ".markdown", ".txt"}:
            continue
        fields = _corpus_front_matter(path)
        if isinstance(fields, dict):
            title = fields.get("title")
            if isinstance(title, str | int | float) and str(title).strip():
                yield path, fields


def test_real_corpus_indexes_every_titled_article(corpus: Path) -> None:
    expected = list(_corpus_articles(corpus / "articles"))
    assert expected, "the corpus has no articles"
    expected_paths = {path.relative_to(corpus).as_posix() for path, _ in expected}
    keys: dict[str, set[str]] = {}
    for path, fields in expected:
        key = str(fields.get("originalUrl") or fields.get("webUrl") or path.relative_to(corpus).as_posix())
        keys.setdefault(key, set()).add(" ".join(str(fields["title"]).split()))

    result = load_directory(corpus)
    index = result.index
    indexed_paths = {article.path for article in index.articles}

    assert len(index) == len(keys)
    assert result.duplicates == len(expected) - len(keys)
    assert indexed_paths <= expected_paths
    indexed_keys = {article.url or article.path for article in index.articles}
    assert indexed_keys == set(keys)
    for article in index.articles:
        assert article.title, article.path
        assert "\x1b" not in article.title
        assert article.title in keys[article.url or article.path]

    skipped = {item.path: item.reason for item in result.skipped}
    assert "README.md" in skipped
    assert "front matter" in skipped["README.md"]
    assert not [path for path in skipped if path.startswith("_data")]
    assert not expected_paths & set(skipped)

    # Topics are listed for the sidebar, most articles first.
    assert index.topics
    assert all(facet.count > 0 for facet in index.topics)
    assert [facet.count for facet in index.topics] == sorted((f.count for f in index.topics), reverse=True)
