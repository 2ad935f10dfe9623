#!/usr/bin/env python3
"""Scale benchmark of `tacitus validate`: native engine, polars scan floor, GX bridge.

Generates (once, into a cache folder) a synthetic built dataset of N events as Parquet:
``events.parquet`` (N rows), ``articles.parquet`` (N/3 rows) and a small
``actors.parquet``. The clean data breaks no rule: every event is one of three reports
of a "story" (same actors, event code, country and day, in three different articles),
codes agree with the codebook, points lie inside their country. Then about 0.1% of the
rows break each rule the events and articles tables can break (C001-C004, A001-A007,
D001-D003, D005, D006, K001, K002, K005, L001-L004, I002, I003, X001, X002), each
violation touching one rule only. The evidence and casualty tables are not generated, so
D004, K003, K004 and the E rules are skipped (they run on small joins of those tables).

Each measurement runs in its own subprocess, so its peak memory (``ru_maxrss`` of that
child, from ``os.wait4``) is its own:

- ``native``: ``validate_path(folder)`` — read, check every rule, build the findings;
- ``floor``: ``scan_parquet`` of the columns the rules read + one aggregate per column
  that touches every value (the minimum of its hashes), collected with the streaming
  engine (what any engine must at least spend reading);
- ``gx``: the same validation through the great-expectations bridge (``--engine gx``)
  on ``--gx-rows`` events (GX works on pandas frames in memory), with the native engine
  timed again on that size for the ratio, and the per-rule counts compared.

Example::

    python benchmarks/validate.py --rows 1000000
    python benchmarks/validate.py --rows 10000000 --gx-rows 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

GENERATOR_VERSION = "3"
CHUNK = 1_000_000
RATE = 1000  # one row in RATE breaks each rule
START = dt.date(2015, 1, 1)
STORY_GAP_DAYS = 3  # stories with the same key are this far apart (clusters stay apart)
REPORTS = 3  # articles reporting each story
BLOCK = 15  # rows per block: 5 stories x 3 reports, spread over 5 articles

# (code, base, root, quad class, Goldstein, violent)
CODES = [
    ("183", "183", "18", 4, -10.0, True),
    ("195", "195", "19", 4, -10.0, True),
    ("036", "036", "03", 1, 4.0, False),
    ("042", "042", "04", 1, 1.9, False),
    ("111", "111", "11", 3, -2.0, False),
    ("130", "130", "13", 3, -4.4, False),
]
"""One code per root code: stories are told apart by root code, as clusters are."""
# (code, name, country, role): one name per code, across both sides
SOURCES = [
    ("PAKMIL", "Pakistani troops", "PAK", "MIL"),
    ("IRNMIL", "Iranian forces", "IRN", "MIL"),
    ("PAKCOP", "Police in the district", "PAK", "COP"),
    ("PAKGOV", "The provincial government", "PAK", "GOV"),
    ("IRNGOV", "Officials in Tehran", "IRN", "GOV"),
    ("AFGGOV", "The authorities in Kabul", "AFG", "GOV"),
    ("IRQMIL", "Iraqi army units", "IRQ", "MIL"),
    ("SYRGOV", "The government in Damascus", "SYR", "GOV"),
]
TARGETS = [
    ("PAKCVL", "Villagers", "PAK", "CVL"),
    ("IRNCVL", "Residents of a border town", "IRN", "CVL"),
    ("PAKSEP", "Separatist fighters", "PAK", "SEP"),
    ("IRNINSJAD", "Jaish al-Adl", "IRN", "INS"),
    ("PAKMIL", "Pakistani troops", "PAK", "MIL"),
    ("IRNMIL", "Iranian forces", "IRN", "MIL"),
    ("AFGREB", "Afghan rebels", "AFG", "REB"),
    ("IRQREB", "Insurgents in Anbar", "IRQ", "REB"),
]
# (country, place, lat, lon): points well inside the country
PLACES = [
    ("PAK", "Panjgur", 26.97, 64.09),
    ("IRN", "Saravan", 27.37, 62.33),
    ("AFG", "Kabul", 34.53, 69.17),
    ("IRQ", "Baghdad", 33.31, 44.36),
    ("SYR", "Aleppo", 36.2, 37.15),
    ("IND", "Delhi", 28.6, 77.2),
    ("TUR", "Ankara", 39.93, 32.86),
    ("EGY", "Cairo", 30.04, 31.24),
    ("NGA", "Abuja", 9.08, 7.4),
    ("COL", "Bogota", 4.71, -74.07),
    ("UKR", "Kyiv", 50.45, 30.52),
    ("SDN", "Khartoum", 15.5, 32.56),
]
VIOLATIONS = [
    "C001", "C002", "C003", "C004", "A001", "A002", "A003", "A004", "A005", "A006", "A007",
    "D001", "D002", "D003", "D005", "D006", "K001", "K002", "K005", "L001", "L002", "L003",
    "L004", "I002", "I003", "X001",
]  # fmt: skip
"""Rules broken by rows selected with ``hash(row) % RATE == index``; X002 (a copy of an
earlier event of the same article) is selected separately."""


KEY_COLUMNS = [
    "event_code", "base_code", "root_code", "quad_class", "goldstein", "violent",
    "actor1_code", "actor1_name", "actor1_country", "actor1_role",
    "actor2_code", "actor2_name", "actor2_country", "actor2_role",
    "country", "location_name", "latitude", "longitude",
]  # fmt: skip


def story_keys() -> pl.DataFrame:
    """Every (code, actor1, actor2, place) combination: the keys stories are drawn from."""
    rows = []
    for code, a1, a2, place in itertools.product(CODES, SOURCES, TARGETS, PLACES):
        if a1[0] == a2[0]:
            continue
        rows.append((*code, *a1, *a2, *place))
    frame = pl.DataFrame(rows, orient="row", schema=KEY_COLUMNS).with_columns(
        pl.col("quad_class").cast(pl.Int8)
    )
    other = {c: SOURCES[(i + 1) % len(SOURCES)][1] for i, (c, *_rest) in enumerate(SOURCES)}
    return frame.with_row_index("k").with_columns(
        pl.col("k").cast(pl.Int64),
        pl.col("actor1_code").replace_strict(other).alias("_other_name"),
    )


def _pick(rule: str) -> pl.Expr:
    return pl.col("_u") == VIOLATIONS.index(rule)


def _events_chunk(start: int, stop: int, n: int, keys: pl.DataFrame) -> pl.DataFrame:
    n_keys = keys.height
    i = pl.int_range(start, stop, dtype=pl.Int64, eager=True).alias("i")
    frame = pl.DataFrame(i)
    # X002: a later event of an article copies an earlier one (all but id and line)
    copy = (
        (pl.col("i").hash(7) % RATE == 0) & (pl.col("i") % BLOCK >= 5) & (pl.col("i") - 5 < n)
    ).alias("_copy")
    frame = frame.with_columns(copy).with_columns(
        _src=pl.when(pl.col("_copy")).then(pl.col("i") - 5).otherwise(pl.col("i"))
    )
    story = pl.col("_src") // REPORTS
    frame = frame.with_columns(
        _u=(pl.col("_src").hash(11) % RATE).cast(pl.Int64),
        k=story % n_keys,
        _slot=story // n_keys,
        _figure=(story.hash(13) % 20 + 1).cast(pl.Int64),
        _article=(pl.col("_src") // BLOCK) * 5 + pl.col("_src") % 5,
        _local=(pl.col("i") % BLOCK) // 5 + 1,
    ).join(keys, on="k", how="left", maintain_order="left")
    day = pl.lit(START) + pl.duration(days=pl.col("_slot") * STORY_GAP_DAYS)
    published = (
        pl.lit(START)
        + pl.duration(days=((pl.col("_article") // 5 * 5 + 4) // n_keys) * STORY_GAP_DAYS)
        + pl.duration(days=1)
    )
    figure = pl.when(pl.col("violent")).then(pl.col("_figure"))
    frame = frame.with_columns(
        article_id=pl.format("a{}", pl.col("_article")),
        date_start=day,
        date_end=day,
        _published=published,
        killed_low=figure,
        killed_best=figure,
        killed_high=figure,
        injured_low=pl.lit(None, dtype=pl.Int64),
        injured_best=pl.lit(None, dtype=pl.Int64),
        injured_high=pl.lit(None, dtype=pl.Int64),
    )
    frame = frame.with_columns(
        event_id=pl.format("{}/e{}", pl.col("article_id"), pl.col("_local")),
        source_file=pl.format("articles/{}.yaml", pl.col("article_id")),
        source_line=(10 + 20 * pl.col("_local")).cast(pl.Int32),
        date_precision=pl.lit("day"),
        date_source=pl.lit("text"),
        adm1=pl.lit(None, dtype=pl.String),
        geo_precision=pl.lit("locality"),
    )
    return _break(frame).select(EVENT_COLUMNS)


def _set(frame: pl.DataFrame, rule: str, **values: Any) -> pl.DataFrame:
    pick = _pick(rule)
    return frame.with_columns(
        **{
            name: pl.when(pick)
            .then(value if isinstance(value, pl.Expr) else pl.lit(value))
            .otherwise(pl.col(name))
            .cast(frame.schema[name])
            for name, value in values.items()
        }
    )


def _break(frame: pl.DataFrame) -> pl.DataFrame:
    """Apply each rule's violation to its selected rows (one rule per row)."""
    violent = pl.col("violent")
    # other rules' rows carry no figures, so moving them (a code, a day) into another
    # story's cluster does not make the sources disagree (X001)
    keep = [VIOLATIONS.index(r) for r in ("K001", "X001")]
    quiet = (pl.col("_u") < len(VIOLATIONS)) & ~pl.col("_u").is_in(keep)
    frame = frame.with_columns(
        pl.when(quiet).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("killed_low", "killed_best", "killed_high")
    )
    criticise = {"event_code": "111", "base_code": "111", "root_code": "11"}
    fight = {"event_code": "190", "base_code": "190", "root_code": "19"}
    frame = _set(frame, "C001", event_code="1950")
    frame = _set(frame, "C002", root_code="01")
    frame = _set(frame, "C003", quad_class=pl.col("quad_class") % 4 + 1)
    frame = _set(frame, "C004", goldstein=pl.col("goldstein") + 3.0)
    frame = _set(frame, "A001", actor1_code="PAK-MIL", actor1_name=None)
    frame = _set(frame, "A002", actor1_country="PAQ")
    frame = _set(frame, "A003", actor2_code="PAKXYZ", actor2_name=None)
    frame = _set(frame, "A004", actor1_name=pl.col("_other_name"))
    frame = _set(frame, "A005", actor2_code="IRNINS", actor2_name="Army of Justice")
    frame = _set(
        frame, "A006", actor2_code=pl.col("actor1_code"), actor2_name=pl.col("actor1_name")
    )
    frame = _set(
        frame,
        "A007",
        **fight,
        quad_class=4,
        goldstein=-10.0,
        actor1_code="IRNCVL",
        actor1_name="Residents of a border town",
        actor2_code="IRNMIL",
        actor2_name="Iranian forces",
    )
    frame = _set(frame, "D001", date_start=None, date_end=None)
    later = pl.col("_published") + pl.duration(days=5)
    frame = _set(frame, "D002", date_start=later, date_end=later)
    ancient = pl.col("date_start").dt.offset_by("-1000y")
    frame = _set(frame, "D003", date_start=ancient, date_end=ancient)
    frame = _set(frame, "D005", date_end=pl.col("date_start") - pl.duration(days=2))
    frame = _set(frame, "D006", date_end=pl.col("date_start") + pl.duration(days=3))
    frame = _set(frame, "K001", killed_low=-1)
    frame = _set(
        frame,
        "K002",
        **fight,
        quad_class=4,
        goldstein=-10.0,
        injured_low=5,
        injured_best=3,
        injured_high=8,
    )
    frame = _set(
        frame,
        "K005",
        **criticise,
        quad_class=3,
        goldstein=-2.0,
        killed_low=3,
        killed_best=3,
        killed_high=3,
    )
    frame = _set(frame, "L001", country="IRA")
    frame = _set(frame, "L002", latitude=95.0)
    frame = _set(frame, "L003", longitude=-pl.col("longitude"))  # a lost sign
    frame = _set(frame, "L004", longitude=None)
    frame = _set(frame, "I003", article_id="a-missing")
    other_local = pl.when(pl.col("event_id").str.ends_with("/e1")).then(pl.lit("/e2"))
    frame = _set(
        frame,
        "I002",
        event_id=pl.concat_str([pl.col("article_id"), other_local.otherwise(pl.lit("/e1"))]),
    )
    bigger = pl.when(violent).then(pl.col("killed_best") + 50)
    return _set(frame, "X001", killed_low=bigger, killed_best=bigger, killed_high=bigger)


EVENT_COLUMNS = [
    "event_id", "article_id", "event_code", "base_code", "root_code", "quad_class",
    "goldstein", "actor1_code", "actor1_name", "actor1_country", "actor1_role",
    "actor2_code", "actor2_name", "actor2_country", "actor2_role", "date_start",
    "date_end", "date_precision", "date_source", "location_name", "country", "adm1",
    "latitude", "longitude", "geo_precision", "killed_low", "killed_best", "killed_high",
    "injured_low", "injured_best", "injured_high", "source_file", "source_line",
]  # fmt: skip


def _articles(n_events: int, n_keys: int) -> pl.DataFrame:
    n = (n_events + BLOCK - 1) // BLOCK * 5
    a = pl.int_range(0, n, dtype=pl.Int64, eager=True).alias("a")
    last_slot = (pl.col("a") // 5 * 5 + 4) // n_keys
    return pl.DataFrame(a).select(
        article_id=pl.format("a{}", pl.col("a")),
        source=pl.lit("Synthetic Wire"),
        url=pl.lit(None, dtype=pl.String),
        published=pl.lit(START)
        + pl.duration(days=last_slot * STORY_GAP_DAYS)
        + pl.duration(days=1),
        published_at=pl.lit(None, dtype=pl.Datetime("us", "UTC")),
        language=pl.lit("en"),
        title=pl.format("Report {}", pl.col("a")),
        text=pl.lit(None, dtype=pl.String),
        text_sha256=pl.lit(None, dtype=pl.String),
        n_events=pl.lit(REPORTS, dtype=pl.Int32),
        source_file=pl.format("articles/a{}.yaml", pl.col("a")),
        source_line=pl.lit(1, dtype=pl.Int32),
    )


def _actors() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "code": ["IRNINSJAD"],
            "name": ["Jaish al-Adl"],
            "country": ["IRN"],
            "roles": [["INS"]],
            "aliases": [["Army of Justice", "Jaish ul-Adl"]],
            "defined_in": ["actors.yaml"],
            "source_line": [1],
        },
        schema_overrides={"source_line": pl.Int32},
    )


def generate(folder: Path, n: int) -> Path:
    """Write the synthetic dataset (once: a marker file records the parameters)."""
    marker = folder / "generated.json"
    params = {"rows": n, "version": GENERATOR_VERSION}
    if marker.exists() and json.loads(marker.read_text()) == params:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    keys = story_keys()
    started = time.perf_counter()
    writer: pq.ParquetWriter | None = None
    try:
        for start in range(0, n, CHUNK):
            chunk = _events_chunk(start, min(start + CHUNK, n), n, keys).to_arrow()
            if writer is None:
                target = folder / "events.parquet"
                writer = pq.ParquetWriter(target, chunk.schema, compression="zstd")
            writer.write_table(chunk, row_group_size=256 * 1024)
    finally:
        if writer is not None:
            writer.close()
    _articles(n, keys.height).write_parquet(folder / "articles.parquet", compression="zstd")
    _actors().write_parquet(folder / "actors.parquet")
    marker.write_text(json.dumps(params))
    print(f"generated {n:,} events in {time.perf_counter() - started:.1f} s -> {folder}")
    return folder


# --- measurements, each in a child process ------------------------------------------


def measure_native(folder: Path) -> dict[str, Any]:
    from tacitus.validators.engine import validate_path

    started = time.perf_counter()
    result = validate_path(folder)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "counts": _counts(result.findings),
        "rows": _rows(folder),
        "stages": dict(result.timings),
    }


def measure_floor(folder: Path) -> dict[str, Any]:
    from tacitus.schema.tables import ALL_SCHEMAS

    started = time.perf_counter()
    queries = []
    for name in ("events", "articles", "actors"):
        path = folder / f"{name}.parquet"
        columns = [c for c in pq.read_schema(path).names if c in ALL_SCHEMAS[name].names]
        # one aggregate per column that reads every value (not its statistics): with
        # polars 2, ``drop_nulls().first()`` stops at the first value and no longer reads
        # the column; a hash per value cannot stop early
        queries.append(
            pl.scan_parquet(path).select(
                [pl.col(c).hash().min().alias(c) for c in columns if c != "roles"]
                + [pl.len().alias("__rows")]
            )
        )
    pl.collect_all(queries, engine="streaming")
    return {"seconds": time.perf_counter() - started}


def measure_gx(folder: Path) -> dict[str, Any]:
    from tacitus.validators.gx_bridge import GxRun, validate_loaded_gx
    from tacitus.validators.loading import load_path

    run = GxRun()
    started = time.perf_counter()
    result = validate_loaded_gx(load_path(folder), run=run)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "counts": _counts(result.findings), "checkpoints": run.checkpoints}


def _counts(findings: pl.DataFrame) -> dict[str, int]:
    counts = findings.group_by("rule").len().sort("rule")
    return dict(zip(counts["rule"].to_list(), counts["len"].to_list(), strict=True))


def _rows(folder: Path) -> int:
    return int(pq.read_metadata(folder / "events.parquet").num_rows)


MEASURES = {"native": measure_native, "floor": measure_floor, "gx": measure_gx}


def run_child(engine: str, folder: Path) -> dict[str, Any]:
    """Run one measurement in a subprocess; add its peak memory (MiB) and wall time."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    command = [sys.executable, __file__, "--child", engine]
    command += ["--data", str(folder), "--out", str(out)]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{engine} run failed (exit {process.returncode})")
    result: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    # ru_maxrss is KiB on Linux, bytes on macOS
    scale = 1 if sys.platform == "darwin" else 1024
    result["peak_mib"] = usage.ru_maxrss * scale / 2**20
    result["wall"] = wall
    return result


def _report(name: str, rows: int, r: dict[str, Any]) -> None:
    print(
        f"  {name:<8} {rows:>12,} rows  {r['seconds']:8.2f} s  "
        f"peak {r['peak_mib']:8.0f} MiB  (process {r['wall']:.1f} s)"
    )


def _stages(stages: dict[str, float], floor: float) -> None:
    """Where the native run's time went: its stages (views built, passes over a view)
    from the slowest, each also as a multiple of the floor."""
    ranked = sorted(stages.items(), key=lambda kv: -kv[1])
    shown = [(name, s) for name, s in ranked if s >= 0.05]
    rest = sum(s for _name, s in ranked[len(shown) :])
    print("  native stages (seconds, x floor):")
    for name, seconds in shown:
        print(f"    {name:<40} {seconds:6.2f}  {seconds / floor:5.2f}x")
    print(f"    {'other stages':<40} {rest:6.2f}  {rest / floor:5.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="events (default 1M)")
    parser.add_argument(
        "--gx-rows",
        type=int,
        default=None,
        help="events for the GX run (default: --rows, at most 1M); 0 skips GX",
    )
    parser.add_argument(
        "--no-gx", action="store_true", help="skip the GX run (the same as --gx-rows 0)"
    )
    parser.add_argument("--cache", type=Path, default=None, help="where to keep generated data")
    parser.add_argument("--child", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = MEASURES[args.child](args.data)
        args.out.write_text(json.dumps(result))
        return 0

    cache = args.cache or Path(tempfile.gettempdir()) / "tacitus-bench-validate"
    gx_rows = min(args.rows, 1_000_000) if args.gx_rows is None else args.gx_rows
    if args.no_gx:
        gx_rows = 0
    big = generate(cache / f"events-{args.rows}", args.rows)
    print(f"\ntacitus validate benchmark ({os.cpu_count()} CPUs, polars {pl.__version__})")
    native = run_child("native", big)
    floor = run_child("floor", big)
    _report("floor", args.rows, floor)
    _report("native", args.rows, native)
    total = sum(native["counts"].values())
    print(f"  findings: {total:,} in {len(native['counts'])} rules")
    print("  by rule: " + ", ".join(f"{r} {c:,}" for r, c in native["counts"].items()))
    _stages(native["stages"], floor["seconds"])
    ratio = native["seconds"] / floor["seconds"]
    print(f"\n  native / floor = {ratio:.2f}x   (target <= 3x)")
    print(f"  native peak memory = {native['peak_mib']:.0f} MiB   (target < 2048 MiB)")
    if gx_rows:
        small = big if gx_rows == args.rows else generate(cache / f"events-{gx_rows}", gx_rows)
        small_native = native if small == big else run_child("native", small)
        gx = run_child("gx", small)
        print()
        if small != big:
            _report("native", gx_rows, small_native)
        _report("gx", gx_rows, gx)
        same = gx["counts"] == small_native["counts"]
        print(f"  gx / native = {gx['seconds'] / small_native['seconds']:.1f}x at {gx_rows:,} rows")
        print(f"  per-rule counts equal: {same}")
        if not same:
            print(f"    native {small_native['counts']}\n    gx     {gx['counts']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
