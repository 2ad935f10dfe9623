"""`tacitus codebook`: look up CAMEO event codes, search them by words, parse actor codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import click

from tacitus.errors import CodebookError, UsageError
from tacitus.schema.codebook import (
    PHOENIX_CLASS_NAMES,
    QUAD_CLASS_NAMES,
    ActorCode,
    Codebook,
    Country,
    EventCode,
    load_codebook,
)

_USAGE = """\
usage: tacitus codebook CODE...          an event code (e.g. 195)
       tacitus codebook search TEXT      event codes matching words (e.g. "air strike")
       tacitus codebook actor CODE...    what each trio of an actor code means (e.g. PAKMIL)
       tacitus codebook country CODE...  a CAMEO country code (e.g. PAK)"""


@click.command("codebook", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="search: the most matches to show.",
)
def command(args: tuple[str, ...], as_json: bool, limit: int) -> None:
    """Look up CAMEO codes.

    \b
      tacitus codebook 195                 an event code: name, base and root code,
                                           Goldstein, QuadClass (GDELT scheme)
      tacitus codebook search "air strike" event codes matching words, best first
      tacitus codebook actor PAKMIL        what each trio of an actor code means
      tacitus codebook country PAK         a CAMEO country code and its ISO/FIPS codes
      tacitus codebook                     the codebook version and table sizes
    """
    cb = load_codebook()
    out = _Output(as_json)
    if not args:
        out.summary(cb)
    elif args[0] == "search":
        query = " ".join(args[1:]).strip()
        if not query:
            raise UsageError('codebook search needs words to look for, e.g. "air strike"')
        out.search(cb, query, cb.search(query, limit=limit))
    elif args[0] == "actor":
        if len(args) < 2:
            raise UsageError("codebook actor needs an actor code, e.g. PAKMIL")
        out.items([_actor_record(cb, cb.parse_actor(code)) for code in args[1:]], out.actor)
    elif args[0] == "country":
        if len(args) < 2:
            raise UsageError("codebook country needs a country code, e.g. PAK")
        out.items([_country_record(_country(cb, code)) for code in args[1:]], out.country)
    else:
        out.items([_event_record(cb, _event(cb, code)) for code in args], out.event)


# --------------------------------------------------------------------------------------
# Lookups that fail with a one-line message
# --------------------------------------------------------------------------------------


def _event(cb: Codebook, code: str) -> EventCode:
    entry = cb.event(code)
    if entry is not None:
        return entry
    if code.isdigit():
        raise CodebookError(f"no CAMEO event code {code!r} (codes are 2-4 digits, e.g. 195)")
    if code.isalpha() and len(code) % 3 == 0:
        raise CodebookError(
            f"{code!r} is not an event code; for an actor code use: tacitus codebook actor {code}"
        )
    raise CodebookError(
        f"{code!r} is not an event code; to find codes by words use: tacitus codebook search {code}"
    )


def _country(cb: Codebook, code: str) -> Country:
    country = cb.country(code)
    if country is None:
        region = cb.regions.get(code)
        extra = f" ({code} is the region {region.name})" if region else ""
        raise CodebookError(f"no CAMEO country code {code!r}{extra}")
    return country


# --------------------------------------------------------------------------------------
# Records (what --json prints; the text forms are made from them)
# --------------------------------------------------------------------------------------


def _event_record(cb: Codebook, e: EventCode) -> dict[str, Any]:
    return {
        "code": e.code,
        "name": e.name,
        "base_code": e.base_code,
        "root_code": e.root_code,
        "root_name": cb.root_name(e.code),
        "goldstein": e.goldstein,
        "quad_class": e.quad_class,
        "quad_class_name": e.quad_class_name,
        "quad_class_scheme": cb.quad_class_scheme,
        "other_schemes": {
            "ICEWS": cb.quad_class(e.root_code, scheme="ICEWS"),
            "PHOENIX": cb.quad_class(e.root_code, scheme="PHOENIX"),
            "PLOVER": cb.plover_category(e.code),
        },
        "description": e.description,
        "icews_only": e.icews_only,
        "codebook_version": cb.version,
    }


def _actor_record(cb: Codebook, a: ActorCode) -> dict[str, Any]:
    trios = []
    for t in a.trios:
        item: dict[str, Any] = {"trio": t.trio, "kind": t.kind, "meaning": t.meaning}
        role = cb.roles.get(t.trio) if t.kind in ("role", "international") else None
        if role is not None:
            item["level"] = role.level
        trios.append(item)
    return {
        "code": a.code,
        "country": a.country,
        "roles": list(a.roles),
        "groups": list(a.groups),
        "region": a.region,
        "trios": trios,
    }


def _country_record(c: Country) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "iso3": c.iso3,
        "iso2": c.iso2,
        "fips": c.fips,
        "kind": c.kind,
        "alias_of": c.alias_of,
    }


# --------------------------------------------------------------------------------------
# Output: JSON, rich (stdout is a terminal) or plain text
# --------------------------------------------------------------------------------------


class _Output:
    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.rich = not as_json and _stdout_is_tty()

    def items(self, records: Sequence[dict[str, Any]], show: Any) -> None:
        if self.as_json:
            _echo_json(records[0] if len(records) == 1 else list(records))
            return
        for index, record in enumerate(records):
            if index:
                click.echo("")
            show(record)

    def summary(self, cb: Codebook) -> None:
        record = {
            "version": cb.version,
            "quad_class_scheme": cb.quad_class_scheme,
            "counts": dict(cb.counts),
        }
        if self.as_json:
            _echo_json(record)
            return
        click.echo(f"CAMEO codebook {cb.version} (QuadClass scheme: {cb.quad_class_scheme})")
        for name, count in cb.counts.items():
            click.echo(f"  {name.replace('_', ' '):<14}{count:>5}")
        click.echo("")
        click.echo(_USAGE)

    def event(self, r: dict[str, Any]) -> None:
        other = r["other_schemes"]
        icews, phoenix = other["ICEWS"], other["PHOENIX"]
        rows = [
            ("base code", r["base_code"]),
            ("root code", f"{r['root_code']} {r['root_name'] or ''}".rstrip()),
            ("Goldstein", f"{r['goldstein']:+.1f}"),
            (
                "QuadClass",
                f"{r['quad_class']} {r['quad_class_name']} ({r['quad_class_scheme']} scheme)",
            ),
            (
                "other schemes",
                f"ICEWS {icews} {QUAD_CLASS_NAMES.get(icews, '')}; "
                f"Phoenix {phoenix} {PHOENIX_CLASS_NAMES.get(phoenix, '')}; "
                f"PLOVER {other['PLOVER'] or 'none'}",
            ),
        ]
        if r["description"]:
            rows.append(("description", r["description"]))
        if r["icews_only"]:
            rows.append(("note", "ICEWS-only code: not in GDELT's CAMEO list"))
        self._card(f"{r['code']}  {r['name']}", rows)

    def actor(self, r: dict[str, Any]) -> None:
        rows = []
        for t in r["trios"]:
            meaning = t["meaning"]
            if t.get("level") and t["kind"] == "role":
                meaning = f"{meaning} ({t['level']} role)"
            rows.append((t["trio"], t["kind"], meaning))
        if self.rich:
            from rich.console import Console
            from rich.table import Table

            table = Table(title=r["code"], title_justify="left", show_header=True)
            for header in ("trio", "kind", "meaning"):
                table.add_column(header)
            for row in rows:
                table.add_row(*row)
            Console().print(table)
            return
        click.echo(r["code"])
        width = max(len(kind) for _, kind, _ in rows)
        for trio, kind, meaning in rows:
            click.echo(f"  {trio}  {kind:<{width}}  {meaning}")

    def country(self, r: dict[str, Any]) -> None:
        rows = [(field, r[field] or "-") for field in ("iso3", "iso2", "fips", "kind")]
        if r["alias_of"]:
            rows.append(("alias of", r["alias_of"]))
        self._card(f"{r['code']}  {r['name']}", rows)

    def search(self, cb: Codebook, query: str, hits: list[EventCode]) -> None:
        if self.as_json:
            _echo_json([_event_record(cb, e) for e in hits])
            return
        if not hits:
            click.echo(f"no CAMEO event code matches {query!r}")
            return
        if self.rich:
            from rich.console import Console
            from rich.table import Table

            table = Table(title=f"CAMEO codes matching {query!r}", title_justify="left")
            for header in ("code", "Goldstein", "quad", "name"):
                table.add_column(header, justify="right" if header != "name" else "left")
            for e in hits:
                table.add_row(e.code, f"{e.goldstein:+.1f}", str(e.quad_class), e.name)
            Console().print(table)
            return
        for e in hits:
            click.echo(f"{e.code:<5} {e.goldstein:+5.1f}  Q{e.quad_class}  {e.name}")

    def _card(self, title: str, rows: list[tuple[str, str]]) -> None:
        if self.rich:
            from rich.console import Console
            from rich.table import Table

            table = Table(title=title, title_justify="left", show_header=False, box=None)
            table.add_column(style="bold")
            table.add_column()
            for key, value in rows:
                table.add_row(key, value)
            Console().print(table)
            return
        click.echo(title)
        width = max(len(key) for key, _ in rows) + 1
        for key, value in rows:
            click.echo(f"  {key + ':':<{width}} {value}")


def _stdout_is_tty() -> bool:
    stream = sys.stdout
    return bool(getattr(stream, "isatty", None)) and stream.isatty()


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))
