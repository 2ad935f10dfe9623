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
      count: +r.dataset.count, reports: +r.dataset.reports, size: box(r)})),
    ranges: q("svg.casualties rect.range").map((r) => ({date: r.dataset.date,
      low: +r.dataset.low, best: +r.dataset.best, high: +r.dataset.high,
      events: +r.dataset.events})),
    bestLines: q("svg.casualties line.best").length,
    points: q("svg.map circle.point").map((c) => [c.dataset.event, +c.dataset.reports]),
    pairs: q("svg.pairs rect.pair").map((r) => [r.dataset.actor1, r.dataset.actor2,
      +r.dataset.count, +r.dataset.reports]),
    eventRows: q("table.events tbody tr").map((tr) => [tr.dataset.event, tr.dataset.cluster,
      +tr.lastElementChild.textContent]),
    counts: document.querySelector("header .counts").textContent,
    dedupe: document.querySelector("p.dedupe").textContent,
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


CASPIAN = "caspian-courier-2024-01-18-tehran-demands-explanation"

# What the charts must show, worked out by hand from the data. The sample's four events
# are each reported once. The example's 35 rows are four articles' reports of 11 events:
# eight reported by all four articles, and three reported once (`tacitus validate
# datasets/iran-pakistan-2024 --clusters out.csv` lists the eight).
EXPECTED: dict[str, dict[str, Any]] = {
    "demo": {
        "counts": "4 reports of 4 events",
        # (week, root code) -> (events, reports)
        "weekly": {("2024-01-15", "19"): (3, 3), ("2024-01-15", "10"): (1, 1)},
        # day -> (low, best, high)
        "killed": {"2024-01-16": (2, 2, 2), "2024-01-18": (7, 7, 7)},
        "points": {"paper-b/e1": 1, "wire-a/e1": 1},
        "pairs": [
            ("IRNMIL", "PAKSEP", 2, 2),
            ("IRNGOV", "PAKGOV", 1, 1),
            ("PAKMIL", "PAKSEP", 1, 1),
        ],
    },
    "iran-pakistan-2024": {
        "counts": "35 reports of 11 events",
        "weekly": {
            ("2024-01-01", "18"): (1, 4),  # the crackdown since 1 January (24-99 killed)
            ("2024-01-15", "01"): (2, 2),  # one statement, coded by two outlets in two ways
            ("2024-01-15", "10"): (1, 4),
            ("2024-01-15", "13"): (2, 5),  # a threat reported four times, and another once
            ("2024-01-15", "16"): (1, 4),
            ("2024-01-15", "19"): (4, 16),  # Erbil, Idlib, Panjgur, Saravan
        },
        "killed": {
            # Panjgur, 16 Jan: two reports say 2, two give no figure.
            "2024-01-16": (2, 2, 2),
            # Saravan, 18 Jan: 2..9 (best 7), 3..9 (7), 3..9 (7) and "at least 0": the
            # lowest low 0, the highest high 9, the median best 7 -- not 4 x 7 = 28.
            "2024-01-18": (0, 7, 9),
        },
        "points": {f"{CASPIAN}/e{n}": 4 for n in (1, 3, 7, 8)} | {f"{CASPIAN}/e4": 1},
        "pairs": [
            ("IRNGOV", "PAKCVL", 2, 2),
            ("PAKGOV", "IRNGOV", 2, 8),
            ("IRNGOV", "PAKGOV", 1, 4),
            ("IRNMIL", "IMGMOSISI", 1, 4),
            ("IRNMIL", "IRNINSJAD", 1, 4),
            ("IRNMIL", "ISRSPY", 1, 4),
            ("PAKMIL", "PAKSEP", 1, 4),
            ("PAKSEPBLA", "PAKGOV", 1, 1),
            ("—", "IRNCVL", 1, 4),
        ],
    },
}


def _expected(shown: PublishResult) -> dict[str, Any]:
    return EXPECTED[shown.name]


def test_page_says_how_many_reports_of_how_many_events(
    index_result: dict[str, Any], shown: PublishResult
) -> None:
    expected = _expected(shown)
    assert index_result["counts"].startswith(expected["counts"] + " from ")
    assert expected["counts"] in index_result["dedupe"]
    events = _events(shown.path)
    n_events = int(expected["counts"].split()[-2])
    # Each table row names its event's cluster; a row's reports column counts its cluster.
    clusters = [c for _, c, _ in index_result["eventRows"]]
    assert len(clusters) == events.height and len(set(clusters)) == n_events
    for _, cluster, reports in index_result["eventRows"]:
        assert reports == clusters.count(cluster)


def test_weekly_bars_count_events_not_reports(
    index_result: dict[str, Any], shown: PublishResult
) -> None:
    expected = _expected(shown)
    got = {(b["week"], b["root"]): (b["count"], b["reports"]) for b in index_result["bars"]}
    assert got == expected["weekly"]
    assert sum(b["reports"] for b in index_result["bars"]) == _events(shown.path).height
    assert all(b["size"][0] > 0 and b["size"][1] > 0 for b in index_result["bars"])
    # Bar heights are proportional to events: the tallest stack is the week with most.
    heights: dict[str, float] = {}
    for b in index_result["bars"]:
        heights[b["week"]] = heights.get(b["week"], 0) + b["size"][1]
    per_week: dict[str, int] = {}
    for (week, _), (n, _) in expected["weekly"].items():
        per_week[week] = per_week.get(week, 0) + n
    assert max(heights, key=heights.__getitem__) == max(per_week, key=per_week.__getitem__)


def test_casualty_band_counts_each_event_once(
    index_result: dict[str, Any], shown: PublishResult
) -> None:
    got = {r["date"]: (r["low"], r["best"], r["high"]) for r in index_result["ranges"]}
    assert got == _expected(shown)["killed"]
    assert index_result["bestLines"] == len(got)
    assert all(r["low"] <= r["best"] <= r["high"] for r in index_result["ranges"])
    assert all(r["events"] == 1 for r in index_result["ranges"])


def test_map_points_and_actor_pairs_count_events(
    index_result: dict[str, Any], shown: PublishResult
) -> None:
    expected = _expected(shown)
    assert dict(index_result["points"]) == expected["points"]
    assert [tuple(p) for p in index_result["pairs"]] == expected["pairs"]


def test_event_rows_link_to_existing_evidence_anchors(
    index_result: dict[str, Any], shown: PublishResult
) -> None:
    events = _events(shown.path)
    assert sorted(r[0] for r in index_result["eventRows"]) == sorted(events["event_id"].to_list())
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
