"""The release pages in a real headless Chromium: they render, the charts hold the data,
every evidence quote is highlighted on exactly its words, and article text is inert.

Each check copies a page, appends a test script (pages themselves carry no script and a
CSP that forbids any) and reads the script's JSON verdict from ``--dump-dom``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import headless
import polars as pl
import pyarrow.parquet as pq
import pytest
from headless import Rendered

from tacitus.datasets.publish import PublishResult
from tacitus.datasets.release_page import evidence_links

Chromium = Callable[..., Rendered]

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')
RESULT = re.compile(r'<pre id="test-result">(.*?)</pre>', re.S)

INDEX_PROBE = """
<script>
(() => {
  const q = (s) => Array.from(document.querySelectorAll(s));
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
  const out = {
    title: document.title,
    charts: q("svg.chart").map((s) => ({cls: s.getAttribute("class"), size: box(s)})),
    bars: q("svg.weekly rect.bar").map((r) => ({week: r.dataset.week, root: r.dataset.root,
      count: +r.dataset.count, size: box(r)})),
    ranges: q("svg.casualties rect.range").map((r) => ({date: r.dataset.date,
      low: +r.dataset.low, best: +r.dataset.best, high: +r.dataset.high})),
    bestLines: q("svg.casualties line.best").length,
    points: q("svg.map circle.point").map((c) => c.dataset.event),
    pairs: q("svg.pairs rect.pair").map((r) => [r.dataset.actor1, r.dataset.actor2,
      +r.dataset.count]),
    eventRows: q("table.events tbody tr").map((tr) => tr.dataset.event),
    links: q("table.events a.evidence").map((a) => a.getAttribute("href")),
    files: q("table.files tbody tr").length,
    schemas: q("details[id^=schema-]").length,
  };
  const pre = document.createElement("pre");
  pre.id = "test-result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""

EVIDENCE_PROBE = """
<script>
(() => {
  const groups = {};
  for (const m of document.querySelectorAll("mark[data-ev]")) {
    const g = groups[m.dataset.ev] ??= {event: m.dataset.event, field: m.dataset.field,
      quote: m.dataset.quote, text: "", inText: !!m.closest("#text"), fragments: 0};
    // Text of this mark that is not inside a nested mark of the same evidence row.
    g.text += m.textContent.length && m.parentElement.closest(`mark[data-ev="${m.dataset.ev}"]`)
      ? "" : m.textContent;
    g.fragments += 1;
  }
  const text = document.getElementById("text");
  const out = {title: document.title, groups, text: text ? text.textContent : null,
    scripts: document.querySelectorAll("script").length};
  const pre = document.createElement("pre");
  pre.id = "test-result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def probe(chromium: Chromium, page: Path, script: str) -> dict[str, Any]:
    """Run ``script`` at the end of a copy of ``page`` (CSP removed) and return its JSON.

    The copy must load without a single console message: no error, no failed resource.
    """
    source = page.read_text(encoding="utf-8")
    copy = page.with_name(page.stem + ".probe.html")
    copy.write_text(
        CSP_META.sub("", source).replace("</body>", script + "</body>"), encoding="utf-8"
    )
    try:
        rendered = chromium(copy)
    finally:
        copy.unlink()
    assert rendered.console == []
    match = RESULT.search(rendered.dom)
    assert match, rendered.dom[-1500:]
    result: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return result


def _frame(root: Path, path: str) -> pl.DataFrame:
    frame = pl.from_arrow(pq.ParquetFile(root / path).read())
    assert isinstance(frame, pl.DataFrame)
    return frame


def _events(root: Path) -> pl.DataFrame:
    parts = sorted(str(p.relative_to(root)) for p in root.glob("events/*/*.parquet"))
    return pl.concat([_frame(root, p) for p in parts])


@pytest.fixture(scope="module", params=["release", "example_release"])
def shown(request: pytest.FixtureRequest) -> PublishResult:
    """The index tests run on the hand-made sample and on the example dataset's release."""
    result: PublishResult = request.getfixturevalue(request.param)
    return result


@pytest.fixture(scope="module")
def index_result(shown: PublishResult, chromium: Chromium) -> dict[str, Any]:
    return probe(chromium, shown.path / "index.html", INDEX_PROBE)


def test_index_renders_with_all_sections(
    index_result: dict[str, Any], shown: PublishResult
) -> None:
    package = json.loads((shown.path / "datapackage.json").read_text(encoding="utf-8"))
    assert index_result["title"] == f"{package['title']} {package['version']}"
    if package["name"] == "demo":
        assert index_result["title"] == "Demo <strikes> & co 0.1.0"  # escaped, shown as text
    assert len(index_result["charts"]) == 4
    for chart in index_result["charts"]:
        width, height = chart["size"]
        assert width > 200 and height > 50, chart
    listed = [p for p in shown.files if p != "index.html" and not p.startswith("evidence/")]
    assert index_result["files"] == len(listed)
    assert index_result["schemas"] == 6


def test_published_pages_load_without_any_console_message(
    release: PublishResult, chromium: Chromium
) -> None:
    """As published (CSP on): no script error, no blocked script, no missing resource."""
    pages = [release.path / "index.html", *sorted(release.path.glob("evidence/*.html"))]
    for page in pages:
        rendered = chromium(page)
        assert rendered.console == [], page.name
        assert "<script" not in rendered.dom, page.name
        assert "<svg" in rendered.dom or "evidence" in page.parts


def test_a_script_error_would_be_caught(chromium: Chromium, tmp_path: Path) -> None:
    """The console check above is not vacuous: a failing script does show up."""
    page = tmp_path / "broken.html"
    page.write_text("<!doctype html><title>x</title><script>undefinedFunction()</script>")
    assert any("undefinedFunction" in line for line in chromium(page).console)


def test_weekly_bars_match_the_events(index_result: dict[str, Any], shown: PublishResult) -> None:
    events = _events(shown.path)
    expected = (
        events.with_columns(pl.col("date_start").dt.truncate("1w").cast(pl.String).alias("week"))
        .group_by("week", "root_code")
        .len()
    )
    got = {(b["week"], b["root"]): b["count"] for b in index_result["bars"]}
    assert got == {(r["week"], r["root_code"]): r["len"] for r in expected.to_dicts()}
    assert sum(got.values()) == events.height
    assert all(b["size"][0] > 0 and b["size"][1] > 0 for b in index_result["bars"])


def test_casualty_band_matches_the_events(
    index_result: dict[str, Any], shown: PublishResult
) -> None:
    events = _events(shown.path)
    one_day = events.filter(
        (pl.col("date_end") == pl.col("date_start")) & pl.col("killed_high").is_not_null()
    )
    assert one_day.height > 0
    # The page's rules: a missing low/high is the best figure, a missing best the low one.
    per_day = (
        one_day.with_columns(
            pl.coalesce("killed_low", "killed_best", "killed_high").alias("low"),
            pl.coalesce("killed_best", "killed_low", "killed_high").alias("best"),
            pl.coalesce("killed_high", "killed_best", "killed_low").alias("high"),
        )
        .group_by("date_start")
        .agg(
            pl.col("low").sum().alias("killed_low"),
            pl.col("best").sum().alias("killed_best"),
            pl.col("high").sum().alias("killed_high"),
        )
    )
    got = {r["date"]: (r["low"], r["best"], r["high"]) for r in index_result["ranges"]}
    assert got == {
        str(r["date_start"]): (r["killed_low"], r["killed_best"], r["killed_high"])
        for r in per_day.to_dicts()
    }
    assert index_result["bestLines"] == len(got)
    assert all(r["low"] <= r["best"] <= r["high"] for r in index_result["ranges"])


def test_map_points_and_actor_pairs(index_result: dict[str, Any], shown: PublishResult) -> None:
    events = _events(shown.path)
    located = events.filter(pl.col("latitude").is_not_null())["event_id"].to_list()
    assert sorted(index_result["points"]) == sorted(located)
    pairs = events.group_by(
        pl.col("actor1_code").fill_null("—"), pl.col("actor2_code").fill_null("—")
    ).len()
    expected = sorted(
        ((r["actor1_code"], r["actor2_code"], r["len"]) for r in pairs.to_dicts()),
        key=lambda p: (-p[2], p[0], p[1]),
    )[:10]  # the ten most frequent pairs, most frequent first
    assert [tuple(p) for p in index_result["pairs"]] == expected


def test_event_rows_link_to_existing_evidence_anchors(
    index_result: dict[str, Any], shown: PublishResult
) -> None:
    events = _events(shown.path)
    assert sorted(index_result["eventRows"]) == sorted(events["event_id"].to_list())
    assert len(index_result["links"]) == events.height
    for href in index_result["links"]:
        page, _, anchor = href.partition("#")
        target = (shown.path / page).read_text(encoding="utf-8")
        from urllib.parse import unquote

        assert f'id="{html.escape(unquote(anchor))}"' in target, href


def _check_highlights(
    chromium: Chromium, root: Path, *, text_included: bool
) -> list[dict[str, Any]]:
    articles = _frame(root, "articles.parquet")
    evidence = _frame(root, "evidence.parquet")
    links = evidence_links(articles)
    results = []
    for article_id, page in links.items():
        result = probe(chromium, root / page, EVIDENCE_PROBE)
        assert result["scripts"] == 1  # only the probe
        groups = result["groups"]
        rows = [
            (i, r)
            for i, r in enumerate(evidence.iter_rows(named=True))
            if r["article_id"] == article_id
        ]
        assert rows
        assert sorted(groups, key=int) == [str(i) for i, _ in rows]
        for i, row in rows:
            group = groups[str(i)]
            assert group["text"] == row["quote"], (page, row)
            assert group["quote"] == row["quote"]
            assert (group["event"], group["field"]) == (row["event_id"], row["field"])
            assert group["inText"] is text_included
        results.append(result)
    return results


def test_every_quote_is_highlighted_on_its_words(
    release: PublishResult, chromium: Chromium
) -> None:
    results = _check_highlights(chromium, release.path, text_included=True)
    # The overlapping quotes of the sample were split into fragments, and still match.
    assert any(g["fragments"] > 1 for r in results for g in r["groups"].values())
    articles = _frame(release.path, "articles.parquet")
    shown = sorted(r["text"] for r in results)
    assert shown == sorted(articles["text"].to_list())


def test_example_dataset_quotes_are_highlighted_on_their_words(
    example_release: PublishResult, chromium: Chromium
) -> None:
    """The example's real articles: many overlapping quotes, all on exactly their words."""
    results = _check_highlights(chromium, example_release.path, text_included=True)
    assert len(results) == 4
    assert sum(len(r["groups"]) for r in results) == example_release.rows["evidence"]


def test_without_redistributable_text_only_quotes_are_shown(
    closed_release: PublishResult, chromium: Chromium
) -> None:
    results = _check_highlights(chromium, closed_release.path, text_included=False)
    assert all(r["text"] is None for r in results)
    pages = "".join(p.read_text(encoding="utf-8") for p in closed_release.path.glob("evidence/*"))
    assert "at two bases in" not in pages  # unquoted article text
    assert _frame(closed_release.path, "articles.parquet")["text"].null_count() == 2


def test_script_in_article_text_is_shown_as_text(
    release: PublishResult, chromium: Chromium
) -> None:
    page = release.path / "evidence" / "paper-b.html"
    rendered = chromium(page)  # the page as published, CSP included
    assert rendered.console == []
    dom = rendered.dom
    assert "<title>Iran fires &lt;missiles&gt; — evidence</title>" in dom
    assert "pwned" not in re.search(r"<title>(.*?)</title>", dom).group(1)  # type: ignore[union-attr]
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert "<script" not in dom
    # Even with the CSP taken away, the text stays text: no script ran.
    result = probe(chromium, page, EVIDENCE_PROBE)
    assert result["title"] == "Iran fires <missiles> — evidence"
    assert "<script>document.title='pwned'</script>" in result["text"]


def test_screenshot_renders(release: PublishResult, chromium: Chromium, tmp_path: Path) -> None:
    shot = tmp_path / "index.png"
    chromium(release.path / "index.html", screenshot=shot)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


@pytest.mark.parametrize(
    ("env", "required"),
    [
        ({}, None),
        ({"CI": "true"}, "CI"),
        ({"CI": "false"}, None),
        ({"TACITUS_REQUIRE_BROWSER": "1"}, "TACITUS_REQUIRE_BROWSER"),
        ({"TACITUS_REQUIRE_BROWSER": "0"}, None),
    ],
)
def test_ci_requires_the_browser(
    env: dict[str, str], required: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In CI (or with TACITUS_REQUIRE_BROWSER) a missing Chromium fails instead of skipping."""
    for name in headless.REQUIRE_BROWSER:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert headless.browser_required() == required
