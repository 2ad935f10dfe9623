#!/usr/bin/env python3
"""Scale benchmark of `tacitus build`: cold build and no-change rebuild of N articles.

Generates N synthetic annotated articles (about 5 events each, written like the example
dataset: block text, flow-mapping actors, casualties with breakdowns, relative date quotes,
vague figures), once, into a cache folder; then times

- a cold build (no cache, no output), each run as the real command `tacitus build --json`,
- a no-change rebuild (cache and output in place: stat only, output kept),
- a warm rebuild into a new folder (cache in place, output written),
- a baseline: one process, ``yaml.safe_load`` (libyaml) + pydantic, no line marks, no
  quote resolution, no tables (what a naive converter would spend just reading).

Example::

    python benchmarks/build.py --articles 10000
    python benchmarks/build.py --articles 100000 --profile cold
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import yaml

from tacitus.datasets.build import build_dataset
from tacitus.datasets.cache import CACHE_DIR
from tacitus.schema.document import Document

GENERATOR_VERSION = "2"
SHARD = 1000  # articles per sub-folder

ACTORS = [
    ("PAKMIL", "Pakistani troops"),
    ("IRNMIL", "Iranian forces"),
    ("PAKCOP", "Police in the district"),
    ("PAKSEPBLA", "Fighters of the Balochistan Liberation Army"),
    ("IRNINSJAD", "Jaish al-Adl gunmen"),
    ("PAKGOV", "The provincial government"),
    ("IRNGOV", "Officials in Tehran"),
    ("AFGGOV", "The authorities in Kabul"),
]
TARGETS = [
    ("PAKCVL", "a group of villagers"),
    ("IRNCVL", "residents of a border town"),
    ("PAKMIL", "a Pakistani army post"),
    ("IRNMIL", "an Iranian border patrol"),
    ("PAKSEP", "separatist hideouts"),
    ("PAKCOP", "a police convoy"),
]
VIOLENT = [
    ("190", "opened fire on"),
    ("193", "clashed with"),
    ("195", "carried out air strikes on"),
    ("183", "set off a roadside bomb aimed at"),
    ("186", "attacked"),
]
VERBAL = [("111", "condemned"), ("130", "warned"), ("036", "offered to meet"),
          ("173", "detained members of"), ("042", "hosted envoys from")]  # fmt: skip
PLACES = [
    ("Turbat", "PAK", "Balochistan", 26.0, 63.05),
    ("Panjgur", "PAK", "Balochistan", 26.97, 64.09),
    ("Saravan", "IRN", "Sistan and Baluchestan", 27.37, 62.33),
    ("Zahedan", "IRN", "Sistan and Baluchestan", 29.5, 60.86),
    ("Quetta", "PAK", "Balochistan", 30.18, 66.99),
    ("Gwadar", "PAK", "Balochistan", 25.12, 62.33),
    ("Chabahar", "IRN", "Sistan and Baluchestan", 25.29, 60.64),
]
WEEKDAYS = ["on Monday", "on Tuesday", "late on Wednesday", "early on Thursday", "on Friday"]
WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
FILLER = [
    "The border region has seen repeated violence over the past decade, and both capitals "
    "accuse each other of sheltering armed groups that operate across the frontier.",
    "Local journalists said access to the area remained restricted and that telephone lines "
    "had been cut for several hours after the incident.",
    "Analysts said the episode showed how quickly a local dispute could draw in the two "
    "governments, which share a long and thinly policed border.",
    "Traders in nearby markets said shops had closed early and that fuel smuggling across "
    "the frontier, a mainstay of the local economy, had come to a halt.",
    "A spokesman for the foreign ministry declined to comment on the reports when reached "
    "by telephone, saying a statement would follow in due course.",
]


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def make_article(i: int) -> str:
    """One synthetic annotated article (YAML text), deterministic in ``i``."""
    rng = random.Random(i)
    published = _date(2024, 1 + rng.randrange(360))
    specs = [_event(rng, k) for k in range(1, rng.choice([4, 5, 5, 5, 6]) + 1)]
    sentences = [sentence for sentence, _ in specs]
    filler = rng.sample(FILLER, 3)
    lead = f"QUETTA, {published} (Synthetic Wire) - "
    paragraphs = [
        lead + sentences[0],
        " ".join(sentences[1:3]) + " " + filler[0],
        " ".join(sentences[3:]) + " " + filler[1],
        filler[2],
    ]
    text = "\n\n".join(paragraphs)
    # Where each sentence starts, so that a quote repeated in the text gets `occurrence`.
    starts, at = [], 0
    for sentence in sentences:
        at = text.index(sentence, at)
        starts.append(at)
    events = [
        "\n".join(_with_quote(line, text, starts[k]) for line in lines)
        for k, (_, lines) in enumerate(specs)
    ]
    body = "\n".join("    " + line if line else "" for line in text.split("\n"))
    return (
        "# yaml-language-server: $schema=../../../schema/annotation.schema.json\n"
        "article:\n"
        f"  id: synthetic-{i:07d}\n"
        "  source: Synthetic Wire\n"
        f"  url: https://example.org/synthetic/{i}\n"
        f"  published: {published}\n"
        "  language: en\n"
        f"  title: {_q(f'Clashes near the border, report {i}')}\n"
        f"  text: |\n{body}\n"
        "events:\n" + "\n\n".join(events) + "\n"
    )


_QUOTE = re.compile(r"<<Q:(.*?)>>")


def _with_quote(line: str, text: str, sentence_start: int) -> str:
    """Render a line's quote placeholder; add ``occurrence`` when the text repeats the quote."""
    match = _QUOTE.search(line)
    if match is None:
        return line
    quote = json.loads(match.group(1))
    rendered = _q(quote)
    if text.count(quote) > 1:
        occurrence = _before(text, quote, text.index(quote, sentence_start)) + 1
        if line.lstrip().startswith("quote:"):  # block mapping: a line of its own
            indent = line[: len(line) - len(line.lstrip())]
            rendered += f"\n{indent}occurrence: {occurrence}"
        else:
            rendered += f", occurrence: {occurrence}"
    return line[: match.start()] + rendered + line[match.end() :]


def _before(text: str, quote: str, at: int) -> int:
    """How many (possibly overlapping) matches of ``quote`` start before ``at``."""
    count, found = 0, text.find(quote)
    while found != -1 and found < at:
        count += 1
        found = text.find(quote, found + 1)
    return count


def _event(rng: random.Random, k: int) -> tuple[str, list[str]]:
    """The sentence of event ``k`` and its annotation lines (quotes as ``{q:"..."}``)."""

    def q(text: str) -> str:
        return f"<<Q:{json.dumps(text)}>>"

    a_code, a_name = rng.choice(ACTORS)
    t_code, t_name = rng.choice(TARGETS)
    violent = rng.random() < 0.6
    code, verb = rng.choice(VIOLENT if violent else VERBAL)
    place = rng.choice(PLACES)
    when = rng.choice([*WEEKDAYS, "earlier this week", None])
    sentence = f"{a_name} {verb} {t_name} near {place[0]}"
    if when:
        sentence += f" {when}"
    lines = [
        f"  - id: e{k}",
        f'    code: "{code}"',
        f"    quote: {q(verb + ' ' + t_name)}",
        f"    actor1: {{code: {a_code}, name: {_q(a_name)}, quote: {q(a_name)}}}",
        f"    actor2: {{code: {t_code}, name: {_q(t_name)}, quote: {q(t_name)}}}",
    ]
    if when:
        lines.append(f"    date: {{quote: {q(when)}}}")
    lines += [
        "    location:",
        f"      name: {place[0]}",
        f"      country: {place[1]}",
        f"      adm1: {place[2]}",
        "      precision: locality",
        f"      latitude: {place[3]}",
        f"      longitude: {place[4]}",
        f"      quote: {q('near ' + place[0])}",
    ]
    if violent:
        n = rng.randrange(len(WORDS))
        count = n + 2
        killed = f"killing {WORDS[n]} people"
        sentence += f", {killed}"
        lines += [
            "    casualties:",
            "      - kind: killed",
            *([f"        count: {count}"] if rng.random() < 0.7 else []),  # else: read the quote
            "        who: people",
            "        category: civilians",
            f"        claimed_by: {rng.choice(['PAKGOV', 'IRNGOV'])}",
            f"        quote: {q(killed)}",
        ]
        if rng.random() < 0.3:
            women = 1 + rng.randrange(count)
            sentence += f" including {WORDS[women - 2] if women > 1 else 'one'} women"
            part = f"{WORDS[women - 2] if women > 1 else 'one'} women"
            lines += [
                "        breakdown:",
                f"          - {{count: {women}, who: women, quote: {q(part)}}}",
            ]
        if rng.random() < 0.3:
            sentence += ", and several others were wounded"
            lines += [
                "      - kind: injured",
                "        low: 3",
                "        high: 9",
                "        who: others",
                "        category: unknown",
                f"        quote: {q('several others were wounded')}",
            ]
    sentence += f", according to local officials (report {k})."
    return sentence, lines


def _date(year: int, day: int) -> str:
    import datetime as dt

    return (dt.date(year, 1, 1) + dt.timedelta(days=day - 1)).isoformat()


def generate(n: int, root: Path) -> Path:
    """Write (once) a dataset of ``n`` synthetic articles under ``root``; returns its folder."""
    dataset = root / f"synthetic-{n}"
    marker = dataset / ".generated"
    if marker.exists() and marker.read_text() == GENERATOR_VERSION:
        return dataset
    shutil.rmtree(dataset, ignore_errors=True)
    (dataset / "articles").mkdir(parents=True)
    (dataset / "dataset.toml").write_text(
        '[dataset]\nname = "synthetic"\nversion = "0.0.1"\nlicence = "CC0-1.0"\n\n'
        '[sources]\nformat = "native"\npath = "articles"\n'
    )
    example = Path(__file__).resolve().parents[1] / "datasets" / "iran-pakistan-2024"
    shutil.copy(example / "actors.yaml", dataset / "actors.yaml")
    start = time.perf_counter()
    for i in range(n):
        shard = dataset / "articles" / f"{i // SHARD:04d}"
        if i % SHARD == 0:
            shard.mkdir()
        (shard / f"synthetic-{i:07d}.yaml").write_text(make_article(i), encoding="utf-8")
    marker.write_text(GENERATOR_VERSION)
    print(f"generated {n} articles in {time.perf_counter() - start:.1f}s → {dataset}")
    return dataset


def baseline(dataset: Path) -> float:
    """Seconds to read every file naively: one process, libyaml safe_load + pydantic."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    start = time.perf_counter()
    for path in sorted((dataset / "articles").rglob("*.yaml")):
        data = yaml.load(path.read_bytes(), Loader=loader)
        Document.model_validate(data)
    return time.perf_counter() - start


def _cli_build(dataset: Path, out: Path, workers: int | None) -> types.SimpleNamespace:
    """Run the real command, `tacitus build DATASET --out OUT --json`, in a new process.

    Timing the command (not a call in this process) measures what users get: in this
    process the pool's workers would also import this script as their main module.
    """
    command = [sys.executable, "-m", "tacitus", "build", str(dataset), "--out", str(out)]
    command += ["--json", "--no-progress"]
    if workers is not None:
        command += ["--workers", str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"tacitus build failed ({done.returncode}): {done.stderr.strip()}")
    return types.SimpleNamespace(**json.loads(done.stdout))


def _timed(label: str, n: int, run: object, profile: bool) -> float:
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    report = run()  # type: ignore[operator]
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    # The command's JSON report sorts its keys: put the stages back in the order they run.
    order = ["discover", "parse", "load cache", "assemble", "check", "cache", "write", "total"]
    ranked = sorted(
        report.stages.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
    )
    stages = " · ".join(f"{k} {v:.2f}s" for k, v in ranked)
    print(f"{label:<22} {seconds:7.2f}s  {n / seconds:9.0f} articles/s   [{stages}]")
    print(
        f"{'':<22} parsed {report.parsed}, cached {report.cached}, events {report.events_out}, "
        f"rejected {report.rejected}, workers {report.workers}, up_to_date {report.up_to_date}"
    )
    if profiler:
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(30)
    return seconds


def _runner(dataset: Path, out: Path, args: argparse.Namespace) -> object:
    """The build to time: the real command, or (to profile it) the library call."""
    if args.profile:
        return lambda: build_dataset(dataset, out, progress=False, workers=args.workers)
    return lambda: _cli_build(dataset, out, args.workers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "tacitus-bench",
        help="where the generated articles are kept between runs",
    )
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--profile",
        choices=["cold", "rebuild", "warm"],
        default=None,
        help="cProfile one run (all runs then call the library in this process)",
    )
    args = parser.parse_args(argv)
    n = args.articles
    dataset = generate(n, args.workdir)
    out = args.workdir / f"out-{n}"
    out2 = args.workdir / f"out-{n}-warm"
    shutil.rmtree(dataset / CACHE_DIR, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(out2, ignore_errors=True)
    print(f"tacitus build benchmark: {n} articles, {os.cpu_count()} CPU(s)")
    cold = _timed(
        "cold build",
        n,
        _runner(dataset, out, args),
        args.profile == "cold",
    )
    time.sleep(2.1)  # let the files age past the mtime grace period (see datasets/build.py)
    rebuild = _timed(
        "no-change rebuild",
        n,
        _runner(dataset, out, args),
        args.profile == "rebuild",
    )
    warm = _timed(
        "warm build, new --out",
        n,
        _runner(dataset, out2, args),
        args.profile == "warm",
    )
    same = all(
        (out / f.name).read_bytes() == f.read_bytes() for f in sorted(out2.glob("*.parquet"))
    )
    print(f"{'identical Parquet':<22} {same}")
    if not args.no_baseline:
        base = baseline(dataset)
        print(
            f"{'baseline (naive)':<22} {base:7.2f}s  {n / base:9.0f} articles/s   "
            f"[1 process, yaml.safe_load + pydantic, no marks/quotes/tables]"
        )
        print(f"{'cold build / baseline':<22} {cold / base:7.2f}x the time")
    if n == 100_000:
        verdict = {True: "met", False: "missed"}
        print(
            f"targets (100k)         cold < 60s: {verdict[cold < 60]} ({cold:.1f}s); "
            f"rebuild < 5s: {verdict[rebuild < 5]} ({rebuild:.1f}s)"
        )
    else:
        # Start-up (worker processes, imports) does not scale with N: no linear estimate.
        print("targets (100k)         cold < 60s, rebuild < 5s: run with --articles 100000")
    del warm
    return 0


if __name__ == "__main__":
    sys.exit(main())
