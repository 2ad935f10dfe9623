"""The release's static pages: ``index.html`` (downloads, schemas, charts, events) and the
evidence viewer (``evidence/ARTICLE.html``: the article's text with every quote marked).

Everything is generated here as plain HTML and inline SVG: no scripts, no web fonts, no
network resources (a Content-Security-Policy meta tag forbids them). Every value from the
data goes through :func:`html.escape`.

The charts count events, not reports: the rows of ``events`` that several articles give
for one real event (the clusters of :mod:`tacitus.validators.cross_source`) are merged by
:func:`distinct_events` first, their casualty figures into one range (:data:`FIGURE_RULE`).

The map is an equirectangular projection over a coarse world outline drawn by hand for
this project (a few hundred vertices, accurate to a degree or two: enough to see where
events are, not to judge borders), with a graticule and the event points.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import quote

import polars as pl
import pyarrow as pa

from tacitus.datasets.datapackage import TABLE_DESCRIPTIONS, field_type

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "script-src 'none'; base-uri 'none'; form-action 'none'"
)

# One colour per CAMEO root code 01..20 (cool = cooperation, warm = conflict).
ROOT_COLOURS = [
    "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#74c476", "#41ab5d", "#238b45",
    "#a1d99b", "#bcbddc", "#9e9ac8", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801",
    "#fb6a4a", "#ef3b2c", "#cb181d", "#67000d",
]  # fmt: skip

FIELD_KINDS = ("event", "actor1", "actor2", "date", "location", "casualties")

_STYLE = """
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6577; --line: #d8dde6; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; } h2 { margin-top: 2.2rem;
  border-bottom: 1px solid var(--line); padding-bottom: .2rem; font-size: 1.25rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: #f3f5f8; } td.num, th.num { text-align: right; white-space: nowrap; }
code { font: .82rem/1.3 ui-monospace, SFMono-Regular, Menlo, monospace; }
code.hash { word-break: break-all; color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(470px, 1fr));
  gap: 1.2rem; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .6rem; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
figure p.note { color: var(--muted); font-size: .8rem; margin: .3rem 0 0; }
svg { display: block; width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg text { fill: #333; } svg .axis { stroke: #888; stroke-width: 1; }
svg .grid { stroke: #e4e7ec; stroke-width: 1; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem .9rem; font-size: .8rem; margin-top: .3rem; }
.legend span::before { content: ""; display: inline-block; width: .8em; height: .8em;
  margin-right: .3em; vertical-align: -.05em; background: var(--c); }
details { margin: .3rem 0; } summary { cursor: pointer; font-weight: 600; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 9px; font-size: .8rem;
  background: #eef1f5; }
.article-text { white-space: pre-wrap; line-height: 1.75; font-size: 1rem;
  border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.2rem; background: #fcfcfd; }
mark { background: #fff3a3; padding: .05em 0; border-bottom: 2px solid #e0c400;
  color: inherit; }
mark[data-field^="actor1"] { background: #d6e9ff; border-color: #4a8fe0; }
mark[data-field^="actor2"] { background: #d9f5dd; border-color: #3fa55a; }
mark[data-field^="date"] { background: #eadcff; border-color: #8a5cd6; }
mark[data-field^="location"] { background: #ffe1c7; border-color: #e07a1f; }
mark[data-field^="casualties"] { background: #ffd6dc; border-color: #d6334d; }
mark mark { padding: .12em 0; }
section.event { border-left: 3px solid var(--line); padding: .2rem .8rem; margin: .8rem 0; }
section.event:target { border-left-color: #e07a1f; background: #fff8f0; }
ul.quotes { margin: .2rem 0; padding-left: 1.2rem; } ul.quotes li { margin: .15rem 0; }
.field { display: inline-block; min-width: 11rem; color: var(--muted); font-size: .85rem; }
"""


@dataclasses.dataclass(frozen=True)
class FileInfo:
    """One downloadable file of a release, as the index lists it."""

    path: str
    bytes: int
    sha256: str
    rows: int | None = None


@dataclasses.dataclass(frozen=True)
class ReleaseInfo:
    """What the index page says about the release itself."""

    name: str
    title: str
    description: str
    version: str
    licence: str
    text_included: bool
    tacitus_version: str
    codebook_version: str | None = None
    previous_version: str | None = None
    data_date: str | None = None
    errors: int = 0
    warnings: int = 0


# --- page shell ------------------------------------------------------------------------


def standalone_page(title: str, body: str, *, lang: str = "en") -> str:
    """A complete HTML document with the shared style and a no-network CSP.

    ``title`` is escaped here; ``body`` must already be safe HTML.

    Example:
        >>> "<title>a &amp; b</title>" in standalone_page("a & b", "<p>x</p>")
        True
    """
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    )


def human_bytes(n: int) -> str:
    """A byte count for people (binary units).

    Example:
        >>> human_bytes(512), human_bytes(20480)
        ('512 B', '20.0 KiB')
    """
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{int(size)} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def _attr(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _text(value: object) -> str:
    return escape("" if value is None else str(value), quote=False)


# --- index.html -------------------------------------------------------------------------


def evidence_links(articles: pl.DataFrame) -> dict[str, str]:
    """article_id → the relative path of its evidence page (safe, unique file names).

    Example:
        >>> evidence_links(pl.DataFrame({"article_id": ["a b", "c"]}))
        {'a b': 'evidence/a_b-c8687a08.html', 'c': 'evidence/c.html'}
    """
    links: dict[str, str] = {}
    for article_id in articles.get_column("article_id").to_list():
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", article_id)[:100] or "article"
        if safe != article_id or safe.startswith("."):
            safe = f"{safe.lstrip('.')}-{hashlib.sha256(article_id.encode()).hexdigest()[:8]}"
        links[article_id] = f"evidence/{safe}.html"
    return links


def render_index(
    info: ReleaseInfo,
    *,
    files: Sequence[FileInfo],
    schemas: Mapping[str, pa.Schema],
    frames: Mapping[str, pl.DataFrame],
    code_names: Mapping[str, str] | None = None,
    evidence_links: Mapping[str, str] | None = None,
    country_boxes: pl.DataFrame | None = None,
    max_event_rows: int = 5000,
    clusters: pl.DataFrame | None = None,
) -> str:
    """The release's ``index.html``: downloads, charts, schemas and the events table.

    ``clusters`` is :func:`event_clusters` of ``frames["events"]`` when the caller already
    has it (computed here otherwise).

    Example:
        >>> from tacitus.schema.tables import Tables, TABLES
        >>> info = ReleaseInfo("demo", "Demo", "", "1", "CC-BY-4.0", False, "0.1.0")
        >>> page = render_index(info, files=[], schemas=TABLES, frames=Tables.empty().as_dict())
        >>> "<h1>Demo</h1>" in page
        True
    """
    names = code_names or {}
    links = evidence_links or {}
    events = frames["events"]
    articles = frames["articles"]
    if clusters is None:
        clusters = event_clusters(events)
    distinct = distinct_events(events, clusters)
    body = [f"<header>\n<h1>{_text(info.title)}</h1>\n"]
    facts = [
        f"<code>{_text(info.name)}</code> version <strong>{_text(info.version)}</strong>",
        f"licence {_text(info.licence)}",
        f'<span class="counts">{reports_of(distinct)} from {articles.height} articles</span>',
    ]
    if info.data_date:
        facts.append(f"articles up to {_text(info.data_date)}")
    body.append(f'<p class="meta">{" · ".join(facts)}</p>\n')
    if info.description:
        body.append(f"<p>{_text(info.description)}</p>\n")
    text_note = (
        "Article text is included (<code>articles.text</code>)."
        if info.text_included
        else "Article text is <strong>not</strong> redistributable: the release holds the "
        "evidence quotes and each text's SHA-256 only."
    )
    body.append(
        f"<p>{text_note} Built with tacitus {_text(info.tacitus_version)}"
        + (f", codebook {_text(info.codebook_version)}" if info.codebook_version else "")
        + ". Validation: "
        f'<a href="validation/report.html">{info.errors} error(s), {info.warnings} warning(s)</a>'
        ". Changes: "
        + '<a href="CHANGELOG.md">CHANGELOG.md</a>'
        + (f" (since {_text(info.previous_version)})" if info.previous_version else "")
        + ".</p>\n</header>\n"
    )
    body.append(_downloads_section(files))
    body.append(
        '<h2 id="charts">Charts</h2>\n<p class="dedupe">The charts count each real event '
        f"once: {_text(reports_of(distinct))}. An event row of the tables is one article's "
        f"report; {_text(CLUSTER_RULE)} (the clusters of <code>tacitus validate "
        "--clusters</code>). Where its reports' casualty figures differ, "
        f"{_text(FIGURE_RULE)}.</p>\n"
        '<div class="charts">\n'
    )
    body.append(
        _figure("Events per week, by CAMEO root code", events_per_week_svg(distinct, names))
    )
    body.append(
        _figure("People killed over time (low–high band, best estimate)", casualties_svg(distinct))
    )
    body.append(_figure("Where events happened", map_svg(distinct, country_boxes)))
    body.append(_figure("Top actor pairs (actor1 → actor2)", actor_pairs_svg(distinct)))
    body.append("</div>\n")
    reports = clusters.join(distinct.select("cluster_id", "n_reports"), on="cluster_id", how="left")
    body.append(_events_section(events, names, links, max_event_rows, reports))
    body.append(_schemas_section(schemas))
    return standalone_page(f"{info.title} {info.version}", "".join(body))


def _figure(caption: str, content: str) -> str:
    return f"<figure>\n<figcaption>{_text(caption)}</figcaption>\n{content}</figure>\n"


def _downloads_section(files: Sequence[FileInfo]) -> str:
    rows = []
    for f in files:
        rows.append(
            f'<tr><td><a href="{_attr(quote(f.path))}">{_text(f.path)}</a></td>'
            f'<td class="num" title="{f.bytes} bytes">{human_bytes(f.bytes)}</td>'
            f'<td class="num">{"" if f.rows is None else f.rows}</td>'
            f'<td><code class="hash">{_text(f.sha256)}</code></td></tr>\n'
        )
    return (
        '<h2 id="downloads">Downloads</h2>\n'
        "<p>Check a download with <code>sha256sum -c SHA256SUMS</code>, or load it with "
        "<code>tacitus.load(URL)</code>, which checks every file first. Events are "
        "Hive-partitioned by year: <code>events/year=YYYY/part-0.parquet</code>.</p>\n"
        '<table class="files"><thead><tr><th>file</th><th class="num">size</th>'
        '<th class="num">rows</th><th>SHA-256</th></tr></thead>\n<tbody>\n'
        + "".join(rows)
        + "</tbody></table>\n"
    )


def _schemas_section(schemas: Mapping[str, pa.Schema]) -> str:
    parts = ['<h2 id="schemas">Table schemas</h2>\n']
    for name, schema in schemas.items():
        rows = "".join(
            f"<tr><td><code>{_text(field.name)}</code></td>"
            f"<td>{_text(field_type(field.type)['type'])}</td>"
            f"<td><code>{_text(field.type)}</code></td></tr>\n"
            for field in schema
        )
        parts.append(
            f'<details id="schema-{_attr(name)}"><summary>{_text(name)} '
            f'<span class="badge">{len(schema)} columns</span></summary>\n'
            f"<p>{_text(TABLE_DESCRIPTIONS.get(name, ''))}</p>\n"
            '<table class="schema"><thead><tr><th>column</th><th>type</th>'
            f"<th>Arrow type</th></tr></thead>\n<tbody>\n{rows}</tbody></table>\n</details>\n"
        )
    return "".join(parts)


def _range(low: Any, best: Any, high: Any) -> str:
    if low is None and best is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        middle = f" (best {best})" if best is not None else ""
        return f"{low}–{high}{middle}"
    return str(best if best is not None else low if low is not None else high)


def _events_section(
    events: pl.DataFrame,
    names: Mapping[str, str],
    links: Mapping[str, str],
    max_rows: int,
    clusters: pl.DataFrame,
) -> str:
    cluster_of = {
        r["event_id"]: (r["cluster_id"], r["n_reports"]) for r in clusters.iter_rows(named=True)
    }
    rows = []
    for e in events.head(max_rows).iter_rows(named=True):
        event_id = e["event_id"]
        cluster_id, n_reports = cluster_of.get(event_id, (event_id, 1))
        same = f'<td class="num" title="reports of event {_attr(cluster_id)}">{n_reports}</td>'
        link = links.get(e["article_id"])
        label = _text(event_id)
        if link:
            href = f"{link}#{quote('event-' + event_id, safe='')}"
            label = f'<a class="evidence" href="{_attr(href)}">{label}</a>'
        code = e["event_code"] or ""
        code_name = names.get(code, "")
        date = _text(e["date_start"]) if e["date_start"] is not None else ""
        if e["date_end"] is not None and e["date_end"] != e["date_start"]:
            date += f"–{_text(e['date_end'])}"
        actors = f"{_text(e['actor1_code'] or '')} → {_text(e['actor2_code'] or '')}"
        where = ", ".join(_text(x) for x in (e["location_name"], e["country"]) if x)
        rows.append(
            f'<tr data-event="{_attr(event_id)}" data-cluster="{_attr(cluster_id)}">'
            f"<td>{label}</td><td>{date}</td>"
            f"<td><code>{_text(code)}</code> {_text(code_name)}</td><td>{actors}</td>"
            f"<td>{where}</td>"
            f'<td class="num">{_text(_range(e["killed_low"], e["killed_best"], e["killed_high"]))}'
            f"</td>{same}</tr>\n"
        )
    more = ""
    if events.height > max_rows:
        more = f"<p>First {max_rows} of {events.height} events; all are in the Parquet files.</p>\n"
    return (
        '<h2 id="events">Events</h2>\n'
        "<p>One row per article's report of an event, as in the tables. Each links to its "
        "evidence: the article with the quotes behind every coded field highlighted. "
        "<em>Reports</em> is how many reports of the same event the dataset has (the "
        "charts count them once).</p>\n"
        '<table class="events"><thead><tr><th>event</th><th>date</th><th>code</th>'
        '<th>actors</th><th>location</th><th class="num">killed</th>'
        '<th class="num">reports</th></tr></thead>\n<tbody>\n'
        + "".join(rows)
        + "</tbody></table>\n"
        + more
    )


# --- one event, several reports ---------------------------------------------------------

FIGURE_KINDS = ("killed", "injured")
# geo_precision, most precise first (the events model's values)
PRECISIONS = ("exact", "locality", "adm2", "adm1", "country", "region")
CLUSTER_RULE = (
    "reports by two or more articles with the same actor1, actor2, CAMEO root code and "
    "country, dated within a day of each other, are one event"
)
FIGURE_RULE = (
    "an event's figure is the range across its reports: low = the lowest low any report "
    "gives, high = the highest high (an open-ended “at least N” counts as N), best = the "
    "median of the reports' best estimates (the lower middle one for an even number, so it "
    "is always a figure some report gave; the low when no report gives a best)"
)


def _column(frame: pl.DataFrame, name: str, dtype: Any = pl.String) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype=dtype)


def _reports(frame: pl.DataFrame) -> pl.Expr:
    """How many reports a row of a chart's input stands for (1 unless it says)."""
    return pl.col("n_reports") if "n_reports" in frame.columns else pl.lit(1, dtype=pl.UInt32)


def report_figures(frame: pl.DataFrame, kind: str) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """One report's ``kind`` figure as (low, top, best) expressions.

    An exact count is itself; ``low..high`` a range; "up to" ``high`` starts at 0; an
    open-ended "at least" ``low`` has ``low`` as its top (the highest number it asserts).
    The best is the report's own best estimate, null when it gives none. All three are null
    for a report without the figure.

    Example:
        >>> df = pl.DataFrame({"killed_low": [2, None, 5, None], "killed_best": [7, 4, None, None],
        ...                    "killed_high": [9, None, None, 9]})
        >>> lo, top, best = report_figures(df, "killed")
        >>> df.select(lo.alias("l"), top.alias("t"), best.alias("b")).rows()
        [(2, 9, 7), (4, 4, 4), (5, 5, None), (0, 9, None)]
    """
    low = _column(frame, f"{kind}_low", pl.Int64)
    best = _column(frame, f"{kind}_best", pl.Int64)
    high = _column(frame, f"{kind}_high", pl.Int64)
    given = low.is_not_null() | best.is_not_null() | high.is_not_null()
    lo = pl.when(given).then(pl.coalesce(low, best, pl.lit(0, dtype=pl.Int64)))
    top = pl.when(given).then(pl.max_horizontal(pl.coalesce(high, best, low), lo))
    return lo, top, best


def event_clusters(events: pl.DataFrame) -> pl.DataFrame:
    """``event_id`` → ``cluster_id`` for every event: the same event reported by several
    articles shares the cluster of :func:`tacitus.validators.cross_source.clusters`; any
    other event is its own cluster (its id is its event_id).

    Example:
        >>> ev = pl.DataFrame({"event_id": ["a/e1", "b/e1"], "article_id": ["a", "b"],
        ...     "event_code": ["195", "195"], "actor1_code": ["PAKMIL"] * 2,
        ...     "actor2_code": ["PAKSEP"] * 2, "country": ["IRN"] * 2,
        ...     "date_start": [dt.date(2024, 1, 18), dt.date(2024, 1, 19)]})
        >>> event_clusters(ev).rows()
        [('a/e1', 'a/e1'), ('b/e1', 'a/e1')]
    """
    from tacitus.validators.cross_source import clusters

    ids = events.select(pl.col("event_id").cast(pl.String))
    if events.is_empty() or not {"article_id", "date_start"} <= set(events.columns):
        return ids.with_columns(cluster_id=pl.col("event_id"))
    found = clusters({"events": events}).select(
        pl.col("event_id").cast(pl.String), pl.col("cluster_id").cast(pl.String)
    )
    return ids.join(found.unique("event_id"), on="event_id", how="left").select(
        "event_id", pl.coalesce("cluster_id", "event_id").alias("cluster_id")
    )


def _mode(column: str) -> pl.Expr:
    """The value most reports give; on a tie the smallest (earliest)."""
    return pl.col(column).drop_nulls().mode().min()


def distinct_events(events: pl.DataFrame, clusters: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per real event: the reports of each cluster (:func:`event_clusters`) merged.

    ``clusters`` is :func:`event_clusters` of ``events`` when the caller already has it.

    Columns: ``cluster_id``, ``n_reports``, ``n_articles``; ``date_start`` and ``date_end``
    (the days most reports give, earliest on a tie); ``event_code`` and ``root_code``;
    ``actor1_code``, ``actor2_code`` and ``country`` (shared by the cluster);
    ``location_name``, ``latitude``, ``longitude``, ``geo_precision`` (the most precise
    location a report gives, then the one most reports give) and ``n_places``, how many
    distinct points its reports give; per figure kind (killed, injured) ``KIND_low``,
    ``KIND_best``, ``KIND_high`` (the rule in :data:`FIGURE_RULE`) and ``KIND_reports``,
    how many reports give a figure.

    Example:
        >>> ev = pl.DataFrame({"event_id": ["a/e1", "b/e1", "c/e1"],
        ...     "article_id": ["a", "b", "c"], "event_code": ["195"] * 3,
        ...     "actor1_code": ["PAKMIL"] * 3, "actor2_code": ["PAKSEP"] * 3,
        ...     "country": ["IRN"] * 3, "date_start": [dt.date(2024, 1, 18)] * 3,
        ...     "killed_low": [7, 2, 0], "killed_best": [7, 9, None],
        ...     "killed_high": [7, 9, None]})
        >>> distinct_events(ev).select("cluster_id", "n_reports", "killed_low",
        ...     "killed_best", "killed_high").row(0)
        ('a/e1', 3, 0, 7, 9)
    """
    reports = events.filter(pl.col("event_id").is_not_null())
    if clusters is None:
        clusters = event_clusters(reports)
    reports = reports.join(clusters, on="event_id", how="left")
    precision = pl.col("geo_precision").replace_strict(
        {p: i for i, p in enumerate(PRECISIONS)}, default=len(PRECISIONS)
    )
    date_end = pl.coalesce(_column(reports, "date_end", pl.Date), _column(reports, "date_start"))
    root = pl.coalesce(
        _column(reports, "root_code"), _column(reports, "event_code").str.slice(0, 2)
    )
    prepared = reports.select(
        "cluster_id",
        "event_id",
        _column(reports, "article_id").alias("article_id"),
        _column(reports, "date_start", pl.Date).alias("date_start"),
        date_end.alias("date_end"),
        _column(reports, "event_code").alias("event_code"),
        root.alias("root_code"),
        *(_column(reports, c).alias(c) for c in ("actor1_code", "actor2_code", "country")),
        _column(reports, "location_name").alias("location_name"),
        _column(reports, "latitude", pl.Float64).alias("latitude"),
        _column(reports, "longitude", pl.Float64).alias("longitude"),
        _column(reports, "geo_precision").alias("geo_precision"),
        *(
            expr.alias(f"_{kind}_{part}")
            for kind in FIGURE_KINDS
            for part, expr in zip(("lo", "top", "best"), report_figures(reports, kind), strict=True)
        ),
    )
    figures = []
    for kind in FIGURE_KINDS:
        lo, top, best = (pl.col(f"_{kind}_{p}") for p in ("lo", "top", "best"))
        median = best.drop_nulls().quantile(0.5, interpolation="lower").cast(pl.Int64)
        low, high = lo.min(), top.max()
        figures += [
            low.alias(f"{kind}_low"),
            pl.min_horizontal(pl.max_horizontal(pl.coalesce(median, low), low), high).alias(
                f"{kind}_best"
            ),
            high.alias(f"{kind}_high"),
            lo.is_not_null().sum().cast(pl.UInt32).alias(f"{kind}_reports"),
        ]
    merged = prepared.group_by("cluster_id").agg(
        pl.len().cast(pl.UInt32).alias("n_reports"),
        pl.col("article_id").n_unique().cast(pl.UInt32).alias("n_articles"),
        _mode("date_start").alias("date_start"),
        _mode("date_end").alias("_end"),
        _mode("event_code").alias("event_code"),
        *(pl.col(c).drop_nulls().first().alias(c) for c in ("root_code", "actor1_code")),
        *(pl.col(c).drop_nulls().first().alias(c) for c in ("actor2_code", "country")),
        *figures,
    )
    located = prepared.filter(
        pl.col("latitude").is_between(-90, 90) & pl.col("longitude").is_between(-180, 180)
    )
    places = (
        located.group_by("cluster_id", "latitude", "longitude")
        .agg(
            precision.min().alias("_rank"),
            pl.len().alias("_n"),
            pl.col("event_id").min().alias("_first"),
            pl.col("location_name").sort_by(precision, "event_id").first(),
            pl.col("geo_precision").sort_by(precision, "event_id").first(),
        )
        .sort(["cluster_id", "_rank", "_n", "_first"], descending=[False, False, True, False])
        .group_by("cluster_id", maintain_order=True)
        .agg(
            *(pl.col(c).first() for c in ("location_name", "latitude", "longitude")),
            pl.col("geo_precision").first(),
            pl.len().cast(pl.UInt32).alias("n_places"),
        )
    )
    names = prepared.group_by("cluster_id").agg(_mode("location_name").alias("_name"))
    out = (
        merged.join(places, on="cluster_id", how="left")
        .join(names, on="cluster_id", how="left")
        .with_columns(
            pl.coalesce("location_name", "_name").alias("location_name"),
            pl.max_horizontal("_end", "date_start").alias("date_end"),
            pl.col("n_places").fill_null(0),
        )
        .sort("date_start", "cluster_id", nulls_last=True)
    )
    columns = ["cluster_id", "n_reports", "n_articles", "date_start", "date_end", "event_code"]
    columns += ["root_code", "actor1_code", "actor2_code", "country", "location_name"]
    columns += ["latitude", "longitude", "geo_precision", "n_places"]
    columns += [f"{k}_{p}" for k in FIGURE_KINDS for p in ("low", "best", "high", "reports")]
    return out.select(columns)


def reports_of(events: pl.DataFrame) -> str:
    """``"35 reports of 11 events"`` for a chart's input (one report each unless it says).

    Example:
        >>> reports_of(pl.DataFrame({"n_reports": [4, 1]})), reports_of(pl.DataFrame({"x": [1]}))
        ('5 reports of 2 events', '1 report of 1 event')
    """
    n = int(events.select(_reports(events).sum()).item() or 0)
    return f"{n} report{'' if n == 1 else 's'} of {events.height} event" + (
        "" if events.height == 1 else "s"
    )


# --- charts -----------------------------------------------------------------------------


def _ticks(maximum: float, count: int = 5) -> list[float]:
    """Axis ticks from 0 to at least ``maximum``: steps of 1, 2 or 5 × 10^k, about ``count``.

    Example:
        >>> _ticks(3), _ticks(7), _ticks(130)
        ([0, 1, 2, 3], [0, 2, 4, 6, 8], [0, 50, 100, 150])
    """
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    top = math.ceil(maximum / step) * step
    return [step * i for i in range(int(top / step) + 1)]


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _empty_svg(message: str) -> str:
    return (
        '<svg viewBox="0 0 480 60" role="img" class="chart empty">'
        f'<text x="240" y="34" text-anchor="middle">{_text(message)}</text></svg>\n'
    )


def events_per_week_svg(events: pl.DataFrame, code_names: Mapping[str, str] | None = None) -> str:
    """Stacked bars: events per ISO week (Monday) by root code; one ``rect.bar`` per stack part.

    Each row of ``events`` is one event; with an ``n_reports`` column (the rows of
    :func:`distinct_events`) each bar also says how many reports its events have.

    Example:
        >>> ev = pl.DataFrame({"date_start": [dt.date(2024, 1, 16)], "root_code": ["19"],
        ...                    "event_code": ["195"]})
        >>> events_per_week_svg(ev).count('class="bar"')
        1
    """
    names = code_names or {}
    dated = events.filter(pl.col("date_start").is_not_null())
    undated = events.height - dated.height
    if dated.is_empty():
        return _empty_svg("No dated events")
    root = pl.coalesce(pl.col("root_code"), pl.col("event_code").str.slice(0, 2), pl.lit("??"))
    counts = (
        dated.with_columns(pl.col("date_start").dt.truncate("1w").alias("week"), root.alias("root"))
        .group_by("week", "root")
        .agg(pl.len(), _reports(dated).sum().alias("reports"))
        .sort("week", "root")
    )
    first, last = counts.get_column("week").min(), counts.get_column("week").max()
    assert isinstance(first, dt.date) and isinstance(last, dt.date)
    weeks = [first + dt.timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]
    totals = counts.group_by("week").agg(pl.col("len").sum())
    peak = int(max(totals.get_column("len").to_list(), default=1))
    width, height, left, right, top, bottom = 480, 240, 34, 10, 10, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = _ticks(peak)
    y_max = ticks[-1]
    slot = plot_w / len(weeks)
    bar_w = min(48.0, max(1.0, slot * 0.8))
    out = [
        f'<svg viewBox="0 0 {width} {height}" role="img" class="chart weekly" '
        'aria-label="Events per week by root code">\n'
    ]
    for t in ticks:
        y = top + plot_h - t / y_max * plot_h
        out.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{_fmt(t)}</text>\n'
        )
    index = {w: i for i, w in enumerate(weeks)}
    stacked: dict[dt.date, int] = {}
    for row in counts.iter_rows(named=True):
        week, code, n, reports = row["week"], row["root"], int(row["len"]), int(row["reports"])
        base = stacked.get(week, 0)
        stacked[week] = base + n
        x = left + index[week] * slot + (slot - bar_w) / 2
        y = top + plot_h - (base + n) / y_max * plot_h
        h = n / y_max * plot_h
        colour = _root_colour(code)
        label = f"week of {week}: {n} event(s) {code} {names.get(code, '')}".strip()
        label += f" ({reports} report(s))"
        out.append(
            f'<rect class="bar" data-week="{week}" data-root="{_attr(code)}" data-count="{n}" '
            f'data-reports="{reports}" '
            f'x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
            f"<title>{_text(label)}</title></rect>\n"
        )
    label_every = max(1, math.ceil(len(weeks) / 6))
    for i, week in enumerate(weeks):
        if i % label_every == 0:
            x = left + i * slot + slot / 2
            out.append(
                f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
                f"{week:%d %b %Y}</text>\n"
            )
    out.append(
        f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" '
        f'y2="{top + plot_h}"/>\n'
        f'<text x="{left}" y="{height - 6}">weeks starting Monday</text>\n</svg>\n'
    )
    roots = sorted(set(counts.get_column("root").to_list()))
    legend = "".join(
        f'<span style="--c:{_root_colour(c)}">{_text(c)} {_text(names.get(c, ""))}</span>'
        for c in roots
    )
    out.append(f'<div class="legend">{legend}</div>\n')
    note = f"Distinct events, not reports: {reports_of(dated)}."
    if undated:
        note += f" {undated} event(s) without a date are not shown."
    out.append(f'<p class="note">{note}</p>\n')
    return "".join(out)


def _root_colour(code: str) -> str:
    return ROOT_COLOURS[int(code) - 1] if code.isdigit() and 1 <= int(code) <= 20 else "#999"


def _casualty_frame(events: pl.DataFrame, weekly: bool) -> pl.DataFrame:
    """Events with a death toll, with ``low``/``best``/``high`` filled in and the ``bin`` of
    their date_start; ``single`` is whether date_end falls in the same bin.

    The figures are read as :func:`report_figures` reads one report's ("up to" starts at
    0, "at least" tops out at its low); a missing best is the low figure."""
    low, high, given_best = report_figures(events, "killed")
    best = pl.min_horizontal(pl.max_horizontal(pl.coalesce(given_best, low), low), high)
    end = pl.coalesce(_column(events, "date_end", pl.Date), "date_start")
    if weekly:
        start_bin, end_bin = pl.col("date_start").dt.truncate("1w"), end.dt.truncate("1w")
    else:
        start_bin, end_bin = pl.col("date_start"), end
    return events.filter(pl.col("date_start").is_not_null() & high.is_not_null()).select(
        start_bin.alias("date"),
        pl.col("date_start"),
        end.alias("date_end"),
        low.alias("low"),
        best.alias("best"),
        high.alias("high"),
        (start_bin == end_bin).alias("single"),
        _reports(events).alias("reports"),
    )


def casualty_series(events: pl.DataFrame, *, weekly: bool = False) -> pl.DataFrame:
    """People killed per day (or week) of ``date_start``: summed low, best, high estimates.

    Each row of ``events`` is one event (give :func:`distinct_events` for a dataset where
    several articles report one event). An "up to" figure starts at 0, an "at least" one
    counts as its low, a missing best as the low figure. Only
    events dated within one day (week) count: a toll for a longer period belongs to no
    single day (see :func:`casualty_periods`).

    Example:
        >>> ev = pl.DataFrame({"date_start": [dt.date(2024, 1, 18)] * 3,
        ...     "date_end": [dt.date(2024, 1, 18), None, dt.date(2024, 1, 30)],
        ...     "killed_low": [2, 7, 50], "killed_best": [None, 7, None],
        ...     "killed_high": [9, 7, 90]})
        >>> casualty_series(ev).row(0)
        (datetime.date(2024, 1, 18), 9, 9, 16, 2, 2)
    """
    return (
        _casualty_frame(events, weekly)
        .filter("single")
        .group_by("date")
        .agg(
            pl.col("low").sum(),
            pl.col("best").sum(),
            pl.col("high").sum(),
            pl.len().alias("events"),
            pl.col("reports").sum(),
        )
        .sort("date")
    )


def casualty_periods(events: pl.DataFrame, *, weekly: bool = False) -> pl.DataFrame:
    """The death tolls that :func:`casualty_series` leaves out, for periods longer than a
    day (week): one row per distinct (date_start, date_end, low, best, high), with
    ``events``, how many events have it, and ``reports``, how many reports those have.

    Example:
        >>> ev = pl.DataFrame({"date_start": [dt.date(2024, 1, 1)] * 2,
        ...     "date_end": [dt.date(2024, 1, 17)] * 2, "killed_low": [24, 24],
        ...     "killed_best": [None, None], "killed_high": [99, 99]})
        >>> casualty_periods(ev).rows()
        [(datetime.date(2024, 1, 1), datetime.date(2024, 1, 17), 24, 24, 99, 2, 2)]
    """
    return (
        _casualty_frame(events, weekly)
        .filter(~pl.col("single"))
        .group_by("date_start", "date_end", "low", "best", "high")
        .agg(pl.len().alias("events"), pl.col("reports").sum())
        .sort("date_start", "date_end", "low", "high")
    )


def casualties_svg(events: pl.DataFrame) -> str:
    """A band (low–high) with the best estimate of people killed per day (per week over
    spans longer than 120 days): one ``rect.range`` and ``line.best`` per bin with
    figures; bins without figures are left empty, not drawn as zero. Tolls for periods
    longer than a bin are listed under the chart, not spread over it.

    Example:
        >>> ev = pl.DataFrame({"date_start": [dt.date(2024, 1, 18)],
        ...     "date_end": [dt.date(2024, 1, 18)], "killed_low": [2],
        ...     "killed_best": [None], "killed_high": [9]})
        >>> casualties_svg(ev).count('class="range"')
        1
    """
    frame = _casualty_frame(events, False)
    dates: list[dt.date] = frame.get_column("date").to_list()
    weekly = bool(dates) and (max(dates) - min(dates)).days > 120
    series = casualty_series(events, weekly=weekly)
    periods = casualty_periods(events, weekly=weekly)
    unit = "week" if weekly else "day"
    plotted = _casualty_frame(events, weekly).filter("single").select(n_reports="reports")
    period_note = _periods_note(periods, unit)
    if series.is_empty():
        return _empty_svg("No casualty figures for single days") + period_note
    step = dt.timedelta(days=7 if weekly else 1)
    first, last = series.get_column("date").min(), series.get_column("date").max()
    assert isinstance(first, dt.date) and isinstance(last, dt.date)
    n_bins = (last - first) // step + 1
    pad = max(0, 14 - n_bins)  # at least 14 bins wide, so one bin is not the whole chart
    first -= step * (pad // 2)
    last += step * (pad - pad // 2)
    bins = [first + step * i for i in range((last - first) // step + 1)]
    end = last + step
    span = (end - first).days
    width, height, left, right, top, bottom = 480, 240, 40, 12, 10, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    y_max = _ticks(float(max(series.get_column("high").to_list(), default=1) or 1))[-1]
    ticks = _ticks(y_max)

    def px(day: dt.date) -> float:
        return left + (day - first).days / span * plot_w

    def py(value: float) -> float:
        return top + plot_h - value / y_max * plot_h

    out = [
        f'<svg viewBox="0 0 {width} {height}" role="img" class="chart casualties" '
        f'aria-label="People killed per {unit}">\n'
    ]
    for t in ticks:
        out.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{py(t):.1f}" '
            f'y2="{py(t):.1f}"/><text x="{left - 4}" y="{py(t) + 4:.1f}" '
            f'text-anchor="end">{_fmt(t)}</text>\n'
        )
    for r in series.iter_rows(named=True):
        x0, x1 = px(r["date"]), px(r["date"] + step)
        y_high, y_low, y_best = py(r["high"]), py(r["low"]), py(r["best"])
        label = (
            f"{unit} {r['date']}: {r['low']}–{r['high']} killed (best {r['best']}) "
            f"in {r['events']} event(s), from {r['reports']} report(s)"
        )
        out.append(
            f'<g><title>{_text(label)}</title><rect class="range" data-date="{r["date"]}" '
            f'data-low="{r["low"]}" data-best="{r["best"]}" data-high="{r["high"]}" '
            f'data-events="{r["events"]}" data-reports="{r["reports"]}" '
            f'x="{x0:.1f}" y="{y_high - 0.75:.1f}" width="{x1 - x0:.1f}" '
            f'height="{y_low - y_high + 1.5:.1f}" fill="#f4a3a8" fill-opacity="0.7"/>'
            f'<line class="best" x1="{x0:.1f}" x2="{x1:.1f}" y1="{y_best:.1f}" '
            f'y2="{y_best:.1f}" stroke="#b2182b" stroke-width="2.5"/></g>\n'
        )
    every = max(1, math.ceil(len(bins) / 6))
    for i, day in enumerate(bins):
        if i % every == 0:
            out.append(
                f'<line class="axis" x1="{px(day):.1f}" x2="{px(day):.1f}" '
                f'y1="{top + plot_h}" y2="{top + plot_h + 4}"/>'
                f'<text x="{px(day):.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
                f"{day:%d %b}</text>\n"
            )
    out.append(
        f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" '
        f'y2="{top + plot_h}"/>\n'
        f'<text x="{left}" y="{height - 6}">{unit} of the event (date_start)</text>\n</svg>\n'
        f'<p class="note">Sums per {unit} over distinct events: killed low–high (band) and '
        "best (line). Each event counts once however many articles report it, with the "
        "range across its reports: lowest low to highest high (“at least N” counts as N), "
        "median best (the lower middle one; the low when no report gives a best). "
        f"Plotted: {_text(reports_of(plotted))}, dated to a single {unit}. "
        "Empty means no figures, not zero.</p>\n" + period_note
    )
    return "".join(out)


def _periods_note(periods: pl.DataFrame, unit: str, limit: int = 4) -> str:
    if periods.is_empty():
        return ""
    items = [
        f"{r['date_start']} – {r['date_end']}: {r['low']}–{r['high']} killed"
        + (f" (best {r['best']})" if r["best"] != r["low"] else "")
        + (f", in {r['events']} events" if r["events"] > 1 else "")
        + (f" ({r['reports']} reports)" if r["reports"] > r["events"] else "")
        for r in periods.head(limit).iter_rows(named=True)
    ]
    more = periods.height - limit
    if more > 0:
        items.append(f"and {more} more")
    total = int(periods.get_column("events").sum())
    return (
        f'<p class="note periods">Not in the chart: {total} event(s) with a toll for a period '
        f"longer than a {unit}: {_text('; '.join(items))}.</p>\n"
    )


def actor_pairs_svg(events: pl.DataFrame, top: int = 10) -> str:
    """Horizontal bars: the ``top`` most frequent (actor1, actor2) code pairs, by events
    (each row of ``events`` is one; see :func:`events_per_week_svg` for ``n_reports``).

    Example:
        >>> ev = pl.DataFrame({"actor1_code": ["A", "A", "B"], "actor2_code": ["B", "B", None]})
        >>> actor_pairs_svg(ev).count('class="pair"')
        2
    """
    pairs = (
        events.select(
            pl.col("actor1_code").fill_null("—").alias("a1"),
            pl.col("actor2_code").fill_null("—").alias("a2"),
            _reports(events).alias("reports"),
        )
        .group_by("a1", "a2")
        .agg(pl.len(), pl.col("reports").sum())
        .sort(["len", "a1", "a2"], descending=[True, False, False])
        .head(top)
    )
    if pairs.is_empty():
        return _empty_svg("No events")
    row_h, left, right, top_pad = 22, 170, 40, 6
    width, height = 480, top_pad * 2 + row_h * pairs.height
    peak = int(max(pairs.get_column("len").to_list(), default=1))
    scale = (width - left - right) / peak
    out = [
        f'<svg viewBox="0 0 {width} {height}" role="img" class="chart pairs" '
        'aria-label="Top actor pairs">\n'
    ]
    for i, row in enumerate(pairs.iter_rows(named=True)):
        y = top_pad + i * row_h
        label = f"{row['a1']} → {row['a2']}"
        n, reports = int(row["len"]), int(row["reports"])
        out.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{_text(label)}</text>'
            f'<rect class="pair" data-actor1="{_attr(row["a1"])}" '
            f'data-actor2="{_attr(row["a2"])}" data-count="{n}" data-reports="{reports}" '
            f'x="{left}" y="{y + 3}" width="{max(1.0, n * scale):.1f}" height="{row_h - 6}" '
            f'fill="#4a78b5"><title>{_text(label)}: {n} event(s), {reports} report(s)'
            "</title></rect>"
            f'<text x="{left + n * scale + 4:.1f}" y="{y + 15}">{n}</text>\n'
        )
    out.append("</svg>\n")
    shown = int(pairs.get_column("len").sum())
    out.append(
        f'<p class="note">Bars count distinct events, not reports ({_text(reports_of(events))}'
        + (f"; the top {pairs.height} pairs hold {shown} events" if shown < events.height else "")
        + ").</p>\n"
    )
    return "".join(out)


# --- the map ----------------------------------------------------------------------------

# A coarse world outline drawn for this project (accurate to a degree or two): "lon,lat"
# vertices, one ring per header line
# (lakes and inland seas are "water"); a ring's vertices follow its header line, indented.
_OUTLINE = """
land Eurasia:
    -5.6,36 -6.3,36.5 -9,37 -9.5,38.7 -8.7,41.1 -9.3,42.9 -8.4,43.4 -5.7,43.6 -2.9,43.3
    -1.5,43.5 -1.2,45.6 -2.2,47.1 -4.6,48.4 -3,48.8 -1.6,49.7 0.1,49.5 1.9,51 4.1,52 4.8,52.9
    7,53.5 8.7,53.9 8.4,55.5 8.2,56.8 10.6,57.7 10.2,56.2 10.2,54.4 12.1,54.2 14.3,53.9
    18.7,54.4 21.1,55.7 24.1,57 23.5,58.4 24.7,59.4 30.3,59.9 25,60.2 22.3,60.4 21.6,63.1
    25.5,65 22.1,65.6 20.3,63.8 17.3,62.4 18.1,59.3 16.4,56.7 14.4,56 13,55.6 11.9,57.7
    10.7,59.9 8,58.1 5.7,58.9 5.3,60.4 6.2,62.5 9.5,63.7 14.4,67.3 19,69.6 25.8,71.1 33,69.2
    41,67.5 44,68.5 54,68.5 60,69.7 66,69.5 70,73 73,71 80,73.5 87,75 104,77.7 113,73.7
    127,73.5 140,72.5 150,71.5 160,69.7 170,70 180,68.9 180,65 177,64.7 173,61.5 170,60
    163.5,59.9 163,56 158.6,52.9 156.7,51 156,57 159.5,61 150.8,59.5 143.3,59.4 137.5,54.5
    141,53 140.5,48 135,43.5 131.9,43.1 129.5,42 128.4,38.6 129.4,36 129,35.1 126.3,34.5
    126.5,37.5 125,38.5 124.3,39.9 121.6,38.9 121.5,40.8 119.5,39.8 117.7,39 118.9,37.4
    122.5,37.4 120.3,36 119.2,34.6 121.9,31 121.9,29.9 120.7,28 119.6,26 118.1,24.5 114.2,22.3
    110.4,21.2 108.5,21.6 106.7,20.8 105.8,18.7 108.2,16.1 109.2,13.8 109.2,12 107.1,10.3
    104.8,8.6 105.1,10 103.5,10.6 102.2,12.3 100.5,13.5 99.2,10.5 100.6,7.2 102.2,6.1
    103.3,3.8 103.8,1.3 102.2,2.2 101.3,3 100.3,5.4 98.3,7.9 98.6,10 98.2,14.1 97.6,16.5
    96.2,16.4 94.2,16 92.9,20.1 91.8,22.3 90.5,22 89,21.7 88,21.8 87,21.5 86.7,20.3 83.3,17.7
    82.3,16.9 81.2,16.2 80.3,13.1 79.9,10.3 79.3,9.3 78.2,8.8 77.5,8.1 76.2,10 75.8,11.3
    74.8,12.9 73.8,15.5 73.3,17 72.8,19 72.6,21.1 72.6,22.2 72.2,21.8 71,20.7 69.6,21.6
    69,22.2 70.2,22.9 68.8,23.6 67.5,24 67,24.8 64.6,25.2 62.3,25.1 61.8,25.05 60.6,25.3
    57.8,25.6 56.8,27.1 56.3,27.2 54.9,26.6 52.6,27.5 50.8,28.9 50.2,30 48.6,30 48,29.4
    48.4,28.5 49.6,27 50.1,26.4 50.8,25.5 51.2,26.1 51.6,25.3 51.6,24.6 52.5,24.2 54.4,24.5
    55.3,25.3 56,25.8 56.3,26.4 56.4,25.1 56.7,24.4 58.6,23.6 59.8,22.5 58.8,20.5 57.7,19.6
    56.5,18 54.1,17 49.1,14.5 45,12.8 43.4,12.7 42.9,14.8 42.5,16.9 39.2,21.5 38,24.1
    35.7,27.5 35,28.1 35,29.5 34.3,27.9 32.5,29.9 32.3,31.3 34.4,31.5 34.8,32.1 35,32.8
    35.5,33.9 35.8,35.5 36.2,36.6 34.6,36.8 30.7,36.9 28,36.7 26.7,38.4 26.4,40.1 26.2,40.6
    25.9,40.8 22.9,40.6 23.7,37.9 22.5,36.4 21.7,38.2 20.2,39.5 19.5,40.5 19.4,41.3 18.1,42.6
    16.4,43.5 14.4,45.3 13.8,45.6 12.3,45.4 12.3,44.4 13.5,43.6 14.2,42.5 16.2,41.9 16.9,41.1
    18,40.6 18.4,39.8 17.2,40.5 16.6,38.4 15.6,38 15.8,39.5 14.2,40.8 12.3,41.7 10.3,43.5
    8.9,44.4 7.3,43.7 5.4,43.3 3.1,43.2 2.2,41.4 -0.3,39.5 0.2,38.7 -1,37.6 -2.5,36.8
    -4.4,36.7 -5.4,36.1
land Africa:
    -5.8,35.8 3,36.8 10.2,37 11,37.1 10.8,34.7 10.1,33.9 13.2,32.9 15.1,32.4 16.6,31.2 20,32.1
    24,32.1 29.9,31.2 32.3,31.3 32.5,29.9 33.8,27.2 37.2,19.6 39.5,15.6 43.1,11.6 45,10.4
    51.3,11.8 51.3,10.4 45.3,2 42.5,-0.4 39.7,-4 39.3,-6.8 40.5,-10.5 40.7,-15 34.8,-19.8
    32.6,-26 31,-29.9 25.6,-34 20,-34.8 18.4,-34 15.2,-26.6 14.5,-22.9 12.2,-15.2 13.2,-8.8
    12.3,-6 9.4,0.4 9.7,4 6,4.3 3.4,6.4 -0.2,5.6 -4,5.3 -7.7,4.4 -10.8,6.3 -13.2,8.5 -13.7,9.5
    -15.6,11.9 -17.4,14.7 -16,18 -17,20.9 -14.5,26.1 -12.9,27.9 -9.6,30.4 -7.6,33.6 -6.8,34
land Americas:
    -168,65.6 -166,68.9 -156.8,71.3 -148,70.3 -141,69.6 -134,69.5 -128,70.2 -121,69.5
    -115,68.9 -108,68.3 -98,67.8 -94,68.5 -90,68.5 -86.5,67.3 -82,69.5 -86,66.5 -90,64
    -90.7,63.3 -94,61.1 -94.2,58.8 -92.5,57.1 -88,56.5 -82.3,55.1 -80.5,51.5 -79,54.5 -76.9,56
    -77.5,58.5 -78,60.7 -77.9,62.4 -72,61.9 -70,61 -68,58.5 -65,60.3 -64,58 -61.5,56.5 -60,54
    -57,52 -56,51.5 -60,50.3 -66,50.2 -70,47.5 -64.3,48.8 -64.8,47.8 -64,46 -60,45.9
    -63.6,44.6 -65.6,43.4 -67,44.9 -70,43.7 -70,41.7 -74,40.6 -74,39.4 -74.9,38.9 -75.1,38.3
    -76,37 -75.5,35.2 -77.9,34 -79.9,32.8 -81.4,30.3 -80,27 -80.1,25.8 -81,25.1 -81.8,26.2
    -82.7,28 -83.5,29.8 -84.3,30 -87.2,30.4 -89.2,29.2 -90,29.3 -93.8,29.7 -94.8,29.3
    -97.4,27.8 -97.2,25.9 -97.8,22.3 -96.1,19.2 -94.4,18.1 -90.5,19.8 -89.7,21.3 -86.8,21.2
    -87.5,20.2 -88.3,18.5 -88.2,17.5 -88,15.8 -84,15.9 -83.2,15 -83.5,12.5 -83.8,12 -83.6,10.9
    -83,10 -82.2,9.3 -79.9,9.4 -77.4,8.7 -75.5,10.4 -74.8,11 -71.3,12.4 -70,11.9 -68,10.5
    -67,10.6 -64,10.6 -61,8.6 -58.2,6.8 -55.2,5.9 -52.3,4.9 -50,1.8 -50,0 -48.5,-1.4
    -44.3,-2.5 -38.5,-3.7 -35.2,-5.8 -34.9,-8 -38.5,-13 -39,-17.8 -40.3,-20.3 -42,-23
    -43.2,-23 -46.3,-24 -48.5,-26.5 -48.5,-27.6 -50.1,-30.2 -52.1,-32.2 -54.9,-34.9
    -56.2,-34.9 -58.4,-34.6 -57.5,-36.3 -57.5,-38 -62.3,-38.8 -63,-41 -65,-42.5 -67.5,-45.8
    -66,-47.8 -69.2,-51.6 -68.3,-52.4 -65.2,-54.9 -67.3,-55.9 -72,-54 -74.7,-52.7 -75.5,-48
    -74,-44 -73.6,-41.8 -73.5,-37 -73.1,-36.8 -71.6,-33 -71.3,-29.9 -70.4,-23.6 -70.3,-18.5
    -76.2,-14.1 -77.1,-12 -79.9,-7 -81.3,-4.7 -80,-2.2 -80.9,-1 -80,1 -79,1.6 -77.1,3.9
    -77.4,6.5 -77.9,7.2 -79.5,9 -80.4,7.5 -82.9,8.2 -85.7,10 -87.6,13 -89.2,13.4 -91.9,14.5
    -95.2,16.2 -99.9,16.8 -104.3,19.1 -105.3,20.6 -106.4,23.2 -109,25.5 -110.9,27.9
    -114.8,31.8 -113,29 -112.2,27 -110.3,24.2 -109.9,22.9 -112.1,24.8 -114.2,28 -115.6,29.9
    -116.6,31.8 -117.2,32.7 -118.4,33.8 -120.5,34.5 -122.5,37.7 -124.4,40.4 -124.5,43
    -124,46.2 -124.7,48.4 -125.5,49.8 -128,51 -130.5,54.3 -133,56.5 -136,58.3 -139.7,59.5
    -146,60.7 -149.9,61.2 -151.9,59.6 -154,58 -158,56.7 -163,54.8 -160,58.8 -162.2,59.9
    -165.3,60.6 -164.8,62.8 -161,64.5 -166.2,64.6
land Greenland:
    -72.8,78.5 -60,82 -40,83.6 -20,82 -12,81.5 -18,77 -20,74 -22,70.5 -27,68.5 -33,68 -38,65.6
    -43,60 -48,61 -51.7,64.2 -53.8,66.9 -52,69.2 -55,71 -58,75.5 -67,76.5
land Baffin Island:
    -80,73.5 -70,70.5 -62,66.8 -65,63 -71,62.8 -78,64.4 -82,68 -88,70 -89,73.5
land Victoria Island:
    -118,73 -105,73.5 -101,70 -106,68.8 -118,69.5
land Ellesmere Island:
    -90,76.5 -75,78 -62,82 -75,83 -90,81
land Great Britain:
    -5.7,50.1 -3.5,50.5 1.3,51.1 1.7,52.6 0.3,53.5 -0.1,54.1 -1.6,55.6 -2.1,57.1 -2,57.7
    -3,58.6 -5,58.6 -5.7,57.3 -5.6,56 -5,55.2 -3,54.8 -3.4,54 -3,53.3 -4.7,52.8 -5.3,51.7
    -3.2,51.4
land Ireland:
    -6,52.2 -6,53.9 -5.5,54.5 -6.2,55.3 -8,55.2 -10,54.2 -10,53 -10.3,51.9 -9.5,51.5 -8,51.8
land Iceland:
    -22.5,63.9 -24,65.5 -22,66.4 -16,66.5 -13.6,65.2 -15,64.3 -18,63.4
land Cyprus:
    32.3,35 33,35.4 34.6,35.7 34,34.9 33,34.6
land Sicily:
    12.4,37.8 15.6,38.3 15.1,36.7
land Sardinia:
    8.4,39 8.2,40.9 9.2,41.2 9.8,40.5 9.5,39.1
land Corsica:
    8.6,41.4 9.4,43 9.6,42.1 9.2,41.4
land Crete:
    23.5,35.3 26.3,35.3 26,35 24.4,35.2
land Madagascar:
    49.3,-12 50.5,-15.5 49.5,-17.5 48.9,-19.5 47.1,-25 45.1,-25.5 43.7,-23.5 43.5,-21.5
    44.4,-19.5 44,-17 46.3,-15.7 48,-14
land Sri Lanka:
    79.9,9.8 81.2,8.5 81.9,7 81.3,6.2 80.2,6 79.8,7 79.8,8.5
land Sumatra:
    95.3,5.6 97.5,5.2 100.3,2.2 103.8,-1 106,-3 105.9,-5.8 104.5,-5.9 102,-4 100.3,-1 98.8,1.7
    96.5,3.7
land Java:
    105.2,-6.8 106.8,-6 108.5,-6.4 111,-6.4 112.6,-6.9 114.4,-7.8 114.5,-8.7 111,-8.2
    108.5,-7.8 106.4,-7.4
land Borneo:
    109.6,1.9 110.3,1.6 113,3.2 114.9,4.9 116,6 116.8,6.9 118.1,5.8 118,4.2 116.8,-1.3
    114.6,-3.4 111,-3.2 109.3,0
land Sulawesi:
    119.4,-5.5 118.9,-2.8 119.8,0.2 120.6,1.2 125,1.6 122.5,0.5 121,0.4 120.5,-1.5 121.5,-4.5
    120.3,-5.6
land New Guinea:
    131,-1.2 134,-0.9 138,-1.6 141,-2.6 145.8,-4.9 147.5,-6 150.2,-10.3 147,-9 144,-7.7
    141,-9.1 138,-8.2 137.5,-5 135,-4.3 132.5,-3.5
land Luzon:
    120.6,18.5 122.2,18.5 122,16 121.6,14 124,12.6 120.6,13.8 119.8,16.3
land Mindanao:
    122,7 126.5,7.1 126.2,9.2 125,9 123.6,8.5
land Taiwan:
    120.1,23 121,25.3 121.9,25 120.7,21.9
land Hainan:
    108.6,19.2 110.5,20.1 111,19.6 109.6,18.2
land Kyushu:
    130.2,33.5 131.8,33.2 131,31 130.2,31.4
land Honshu:
    131,34.4 133.5,35.5 136,35.7 136.8,37.3 139.8,38.8 140,40.5 141.4,41.4 142,39.5 141,38.3
    140.9,36.5 140.8,35.7 139.8,35 138.8,34.6 137,34.6 135.2,33.8 134.8,34.7 133,34.3
    131.2,33.9
land Hokkaido:
    140,41.4 140.4,43.3 141.7,45.4 145.3,44.3 145.6,43.3 143.5,42 141,41.8
land Sakhalin:
    142,46 143.5,46.5 144,49 143.2,52.5 142.6,54.3 142,52 142.2,49
land Australia:
    142.5,-10.7 141.6,-12.7 141.5,-15.6 140.8,-17.5 139,-17.2 136.7,-15.9 135.9,-13.3
    136.9,-12.2 132.6,-11.5 130.8,-12.4 129.5,-15 127.8,-14.3 125,-14.5 122.3,-17.9
    118.6,-20.3 114.1,-21.8 113.6,-24.8 113.2,-26 114.6,-28.8 115.7,-32 115.1,-34.4 117.9,-35
    121.9,-33.9 126,-32.3 131,-31.5 134.2,-32.9 135.9,-34.7 138.5,-34.9 139.5,-36 143.5,-38.8
    144.9,-38 146.4,-39.1 150,-37.5 151.2,-33.9 151.8,-32.9 153.6,-28.6 153.1,-27.5
    152.8,-25.3 150.8,-23.4 149.2,-21.1 146.8,-19.3 145.8,-16.9 145.3,-15.5 143.5,-14
land Tasmania:
    144.7,-40.7 148.3,-40.9 148.3,-42.2 147.3,-43.5 146,-43.5 145.2,-42.2
land New Zealand North:
    172.7,-34.4 174.8,-36.9 178.5,-37.7 177.9,-39.3 176.9,-40.2 174.8,-41.3 174.6,-39.8
    173.8,-39.3 174.6,-37
land New Zealand South:
    172.7,-40.5 174.3,-41.7 173,-43.5 171.2,-44.4 169.3,-46.6 166.5,-46 167.3,-44.6 168.2,-44
    170.8,-42.7 172.1,-41
land Cuba:
    -85,21.9 -82,23.2 -80,23.1 -77,21.6 -74.1,20.2 -75,19.9 -77.7,19.8 -79,21.5 -81,21.7
    -82,22.3
land Hispaniola:
    -74.5,18.4 -72.8,19.9 -70,19.7 -68.3,18.6 -71.4,17.6 -74.4,18.2
land Antarctica:
    -180,-90 180,-90 180,-78 160,-71 120,-66 60,-67 0,-70 -57,-63 -62,-65 -75,-72 -120,-73
    -180,-78
water Black Sea:
    29,41.2 27.5,42.5 27.9,43.2 28.7,44.2 29.7,45.2 30.7,46.5 32.5,46 32.5,45.4 33.5,44.6
    34.2,44.5 35.4,45 36.5,45.3 37.3,44.9 37.8,44.7 39.7,43.6 41.7,42.1 41.6,41.6 39.7,41
    36.3,41.3 35.1,42 33.5,42 31.8,41.5 30,41.2
water Caspian Sea:
    47.5,45.5 49,46.6 51.9,47.1 53,46.8 51.5,45.2 51.2,43.6 52.8,41.9 53,40 53.9,37.5 54,36.9
    53,36.7 51.5,36.7 50.6,36.9 49.5,37.5 48.9,38.4 48.9,38.8 50.3,40.4 49.5,40.7 48.3,42
    47.5,43 47.2,44.5
"""


def world_outline() -> list[tuple[str, str, list[tuple[float, float]]]]:
    """The coarse outline as (``"land"`` or ``"water"``, name, [(lon, lat), ...]) rings.

    Example:
        >>> [name for kind, name, ring in world_outline() if kind == "water"]
        ['Black Sea', 'Caspian Sea']
    """
    rings: list[tuple[str, str, list[tuple[float, float]]]] = []
    for line in _OUTLINE.strip().splitlines():
        if not line.startswith(" "):
            kind, _, name = line.rstrip(":").partition(" ")
            rings.append((kind, name, []))
            continue
        rings[-1][2].extend((float(a), float(b)) for a, b in (p.split(",") for p in line.split()))
    return rings


def map_extent(lons: Sequence[float], lats: Sequence[float]) -> tuple[float, float, float, float]:
    """(west, south, east, north) around the points: padded, at least 20° × 12°, 3:2-ish.

    With no points, the whole world (less the poles).

    Example:
        >>> map_extent([60.6, 64.3], [27.5, 25.1])
        (52.5, 19.6, 72.5, 33.0)
    """
    if not lons:
        return (-180.0, -60.0, 180.0, 84.0)
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    width = max(20.0, (east - west) * 1.4 + 6)
    height = max(12.0, (north - south) * 1.4 + 6)
    width, height = max(width, height * 1.5), max(height, width / 1.5)
    cx, cy = (west + east) / 2, (south + north) / 2
    west, east = max(-180.0, cx - width / 2), min(180.0, cx + width / 2)
    south, north = max(-85.0, cy - height / 2), min(85.0, cy + height / 2)
    return (round(west, 1), round(south, 1), round(east, 1), round(north, 1))


def map_svg(events: pl.DataFrame, boxes: pl.DataFrame | None = None) -> str:
    """An equirectangular map of event locations: one ``circle.point`` per located event.

    Each row of ``events`` is one event; the rows of :func:`distinct_events` (with
    ``cluster_id``, ``n_reports`` and ``n_places``) are shown one point per event, at the
    most precise place its reports give.

    ``boxes`` (columns iso3, name, min_lat, max_lat, min_lon, max_lon) are drawn as dashed
    rectangles: the bounding boxes of the events' countries.

    Example:
        >>> ev = pl.DataFrame({"event_id": ["a/e1"], "latitude": [27.5], "longitude": [60.6],
        ...                    "location_name": ["Sistan"], "country": ["IRN"]})
        >>> map_svg(ev).count('class="point"')
        1
    """
    located = events.filter(
        pl.col("latitude").is_not_null()
        & pl.col("longitude").is_not_null()
        & pl.col("latitude").is_between(-90, 90)
        & pl.col("longitude").is_between(-180, 180)
    )
    lons = located.get_column("longitude").to_list()
    lats = located.get_column("latitude").to_list()
    west, south, east, north = map_extent(lons, lats)
    width = 480.0
    scale = width / (east - west)
    height = round((north - south) * scale, 1)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return ((lon - west) * scale, (north - lat) * scale)

    out = [
        f'<svg viewBox="0 0 {width:.0f} {height}" role="img" class="chart map" '
        'aria-label="Map of event locations">\n'
        f'<rect class="sea" width="{width:.0f}" height="{height}" fill="#dceaf5"/>\n'
    ]
    for kind, name, ring in world_outline():
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(lo, la) for lo, la in ring))
        fill = "#f2efe6" if kind == "land" else "#dceaf5"
        out.append(
            f'<polygon class="{kind}" points="{points}" fill="{fill}" stroke="#b9b3a1" '
            f'stroke-width="0.6"><title>{_text(name)}</title></polygon>\n'
        )
    if boxes is not None:
        placed: list[tuple[float, float]] = []
        for box in boxes.iter_rows(named=True):
            x0, y0 = xy(box["min_lon"], box["max_lat"])
            x1, y1 = xy(box["max_lon"], box["min_lat"])
            label_y = y0 + 12
            while any(abs(x0 - px) < 30 and abs(label_y - py) < 12 for px, py in placed):
                label_y += 12  # keep the labels of nearby boxes apart
            placed.append((x0, label_y))
            out.append(
                f'<rect class="country-box" data-country="{_attr(box["iso3"])}" '
                f'x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
                'fill="none" stroke="#8a6d3b" stroke-width="1" stroke-dasharray="5 3">'
                f"<title>{_text(box['name'])} ({_text(box['iso3'])}): bounding box</title></rect>"
                f'<text x="{x0 + 3:.1f}" y="{label_y:.1f}" fill="#6d5630">'
                f"{_text(box['iso3'])}</text>\n"
            )
    step = next(s for s in (2, 5, 10, 15, 30, 60) if (east - west) / s <= 8)
    lon = math.ceil(west / step) * step
    while lon <= east:
        x, _ = xy(lon, 0)
        out.append(
            f'<line class="graticule" x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}" '
            'stroke="#9fb4c7" stroke-width="0.5" stroke-dasharray="2 3"/>'
            f'<text x="{x + 2:.1f}" y="{height - 4:.1f}" fill="#557">{_fmt(lon)}°</text>\n'
        )
        lon += step
    lat = math.ceil(south / step) * step
    while lat <= north:
        _, y = xy(0, lat)
        label = f'<text x="3" y="{y - 2:.1f}" fill="#557">{_fmt(lat)}°</text>'
        out.append(
            f'<line class="graticule" x1="0" x2="{width:.0f}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#9fb4c7" stroke-width="0.5" stroke-dasharray="2 3"/>'
            + (label if 12 < y < height - 16 else "")
            + "\n"
        )
        lat += step
    for row in located.with_columns(_reports(located).alias("_reports")).iter_rows(named=True):
        x, y = xy(row["longitude"], row["latitude"])
        where = ", ".join(str(v) for v in (row.get("location_name"), row.get("country")) if v)
        event_id = row.get("cluster_id") or row.get("event_id") or ""
        label = f"{event_id}: {where} ({row['latitude']}, {row['longitude']})"
        if row["_reports"] > 1:
            label += f"; {row['_reports']} reports"
            places = row.get("n_places") or 1
            if places > 1:
                label += f" at {places} places, the most precise shown"
        out.append(
            f'<circle class="point" data-event="{_attr(event_id)}" '
            f'data-reports="{row["_reports"]}" cx="{x:.1f}" '
            f'cy="{y:.1f}" r="5" fill="#d6334d" fill-opacity="0.75" stroke="#fff" '
            f'stroke-width="1.2"><title>{_text(label)}</title></circle>\n'
        )
    out.append("</svg>\n")
    missing = events.height - located.height
    note = f"One point per distinct event: {located.height} located event(s)"
    if "n_reports" in events.columns:
        n_reports = int(located.get_column("n_reports").sum())
        note += f", from {n_reports} report(s)"
    if missing:
        note += f"; {missing} without coordinates are not shown"
    out.append(
        f'<p class="note">{note}. Coastlines are a coarse outline drawn for tacitus '
        "(about a degree of accuracy); dashed boxes are the bounding boxes of the events' "
        "countries, not borders.</p>\n"
    )
    return "".join(out)


# --- the evidence viewer ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Span:
    """One evidence quote placed in a text: [start, end) plus its attributes."""

    start: int
    end: int
    index: int
    event_id: str
    field: str
    quote: str


def highlight(text: str, spans: Sequence[Span]) -> str:
    """``text`` escaped, with a ``<mark>`` per span; overlapping spans nest or are split.

    A span that crosses another's edge is written as several ``<mark>`` fragments with
    the same ``data-ev``: joined in document order, their text is the span's text.

    Example:
        >>> html = highlight("a <b> c", [Span(2, 5, 0, "x/e1", "event", "<b>")])
        >>> html.startswith('a <mark data-ev="0" data-event="x/e1" data-field="event"')
        True
        >>> html.endswith('>&lt;b&gt;</mark> c')
        True
    """
    ordered = sorted(spans, key=lambda s: (s.start, -s.end, s.index))
    rank = {s.index: i for i, s in enumerate(ordered)}
    cuts = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    out: list[str] = []
    stack: list[Span] = []
    for a, b in itertools.pairwise(cuts):
        if a == b:
            continue
        covering = sorted(
            (s for s in spans if s.start <= a and b <= s.end), key=lambda s: rank[s.index]
        )
        keep = 0
        while keep < len(stack) and keep < len(covering) and stack[keep] is covering[keep]:
            keep += 1
        out.extend("</mark>" for _ in stack[keep:])
        stack = stack[:keep]
        for span in covering[keep:]:
            out.append(
                f'<mark data-ev="{span.index}" data-event="{_attr(span.event_id)}" '
                f'data-field="{_attr(span.field)}" data-quote="{_attr(span.quote)}">'
            )
            stack.append(span)
        out.append(_text(text[a:b]))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


def _place(text: str | None, row: Mapping[str, Any]) -> tuple[int, int] | None:
    quote_text = row.get("quote")
    if not text or not quote_text:
        return None
    start, end = row.get("start"), row.get("end")
    if isinstance(start, int) and isinstance(end, int) and text[start:end] == quote_text:
        return start, end
    found = text.find(quote_text)
    if found >= 0 and text.find(quote_text, found + 1) < 0:
        return found, found + len(quote_text)
    return None


def _field_order(row: Mapping[str, Any]) -> tuple[int, str]:
    field = str(row.get("field") or "")
    kind = re.split(r"[\[.]", field, maxsplit=1)[0]
    rank = FIELD_KINDS.index(kind) if kind in FIELD_KINDS else len(FIELD_KINDS)
    return rank, field


def render_evidence_pages(
    articles: pl.DataFrame,
    events: pl.DataFrame,
    evidence: pl.DataFrame,
    *,
    text_included: bool,
    dataset_title: str = "",
    version: str = "",
    code_names: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """One page per article (path → HTML): its text with each evidence quote marked.

    Each ``<mark>`` has ``data-event``, ``data-field`` and ``data-quote``. Without the text
    (not redistributable) the page lists the quotes, each as a ``<mark>``, per event.

    Example:
        >>> from tacitus.schema.tables import frame_from_rows
        >>> arts = frame_from_rows("articles", [{"article_id": "a", "text": "Shots fired."}])
        >>> evs = frame_from_rows("events", [{"event_id": "a/e1", "article_id": "a"}])
        >>> ev = frame_from_rows("evidence", [{"event_id": "a/e1", "article_id": "a",
        ...     "field": "event", "start": 0, "end": 11, "quote": "Shots fired"}])
        >>> pages = render_evidence_pages(arts, evs, ev, text_included=True)
        >>> '<mark data-ev="0" data-event="a/e1"' in pages["evidence/a.html"]
        True
    """
    names = code_names or {}
    links = evidence_links(articles)
    by_article: dict[str, list[dict[str, Any]]] = {}
    for i, row in enumerate(evidence.iter_rows(named=True)):
        by_article.setdefault(row["article_id"] or "", []).append({**row, "_index": i})
    events_of: dict[str, list[dict[str, Any]]] = {}
    for row in events.iter_rows(named=True):
        events_of.setdefault(row["article_id"], []).append(row)
    pages = {}
    for article in articles.iter_rows(named=True):
        article_id = article["article_id"]
        rows = by_article.get(article_id, [])
        text = article.get("text") if text_included else None
        pages[links[article_id]] = _evidence_page(
            article, rows, events_of.get(article_id, []), text, names, dataset_title, version
        )
    return pages


def _evidence_page(
    article: Mapping[str, Any],
    rows: list[dict[str, Any]],
    events: list[dict[str, Any]],
    text: str | None,
    names: Mapping[str, str],
    dataset_title: str,
    version: str,
) -> str:
    spans, unplaced = [], []
    for row in rows:
        where = _place(text, row)
        if where is None:
            unplaced.append(row)
        else:
            spans.append(
                Span(
                    where[0],
                    where[1],
                    row["_index"],
                    row["event_id"] or "",
                    row["field"] or "",
                    row["quote"] or "",
                )
            )
    title = article.get("title") or article["article_id"]
    meta = [str(article.get("source") or ""), str(article.get("published") or "")]
    parts = [
        '<p><a href="../index.html">← '
        f"{_text(dataset_title)} {_text(version)}</a></p>\n"
        f"<h1>{_text(title)}</h1>\n"
        f'<p class="meta"><code>{_text(article["article_id"])}</code> · '
        f"{_text(' · '.join(m for m in meta if m))}"
    ]
    url = article.get("url")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        parts.append(f' · <a href="{_attr(url)}" rel="noopener noreferrer nofollow">original</a>')
    parts.append("</p>\n")
    legend = "".join(f'<mark data-field="{k}" class="key">{k}</mark> ' for k in FIELD_KINDS)
    parts.append(f"<p>Highlights: {legend}</p>\n")
    if text is not None:
        parts.append(f'<div class="article-text" id="text">{highlight(text, spans)}</div>\n')
    else:
        parts.append(
            "<p><em>The article's text is not redistributable: only the quoted evidence is "
            f"shown. Text SHA-256: <code>{_text(article.get('text_sha256') or '')}</code>"
            "</em></p>\n"
        )
    parts.append("<h2>Events</h2>\n")
    for event in events:
        event_id = event["event_id"]
        code = event.get("event_code") or ""
        heading = (
            f"<code>{_text(event_id)}</code> · <code>{_text(code)}</code> "
            f"{_text(names.get(code, ''))} · {_text(event.get('actor1_code') or '')} → "
            f"{_text(event.get('actor2_code') or '')}"
        )
        items = []
        for row in sorted((r for r in rows if r["event_id"] == event_id), key=_field_order):
            quoted = _text(row["quote"])
            if text is None:
                quoted = (
                    f'<mark data-ev="{row["_index"]}" data-event="{_attr(event_id)}" '
                    f'data-field="{_attr(row["field"])}" data-quote="{_attr(row["quote"])}">'
                    f"{quoted}</mark>"
                )
            elif row in unplaced:
                quoted = f"{quoted} <em>(not found in the text)</em>"
            else:
                quoted = f"“{quoted}”"
            items.append(f'<li><span class="field">{_text(row["field"])}</span> {quoted}</li>')
        parts.append(
            f'<section class="event" id="{_attr("event-" + event_id)}">\n<h3>{heading}</h3>\n'
            f'<ul class="quotes">{"".join(items)}</ul>\n</section>\n'
        )
    lang = str(article.get("language") or "en")
    return standalone_page(f"{title} — evidence", "".join(parts), lang=lang)
