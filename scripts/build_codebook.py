#!/usr/bin/env python3
"""Build tacitus's packaged CAMEO codebook from the shared reference files.

Reads the reference folder (default ``tests/data/reference``, copies of the public files) and
writes compact UTF-8 TSV tables plus ``metadata.json`` into ``src/tacitus/schema/data/``.
The output is deterministic: the same reference files always give the same bytes.

Every place where the packaged tables deliberately differ from a reference file is a
named constant below, and ``docs/codebook.md`` lists each one with its reason.

Example::

    python scripts/build_codebook.py                 # write the package data
    python scripts/build_codebook.py --check         # exit 1 if the package data is stale
    python scripts/build_codebook.py --reference /path/to/reference --out /tmp/codebook
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO / "tests" / "data" / "reference"
DEFAULT_OUT = REPO / "src" / "tacitus" / "schema" / "data"

CODEBOOK_VERSION = "cameo-1.1b3+gdelt-2013/tacitus-1"
QUAD_CLASS_SCHEME = "GDELT"

# Reference files this script reads, relative to the reference folder.
SOURCES = {
    "eventcodes": "cameo/CAMEO.eventcodes.gdelt-2013.txt",
    "goldstein": "cameo/CAMEO.goldsteinscale.gdelt-2013.txt",
    "icews_codes": "cameo/cameo-codes.icews-andybega.csv",
    "quadclass": "cameo/quadclass_by_rootcode.derived.tsv",
    "roles": "cameo/actor_role_codes.cameo-manual-1.1b3.tsv",
    "regions": "cameo/region_codes.cameo-manual-1.1b3.tsv",
    "international": "cameo/international_actor_codes.cameo-manual-1.1b3.tsv",
    "religion_first": "cameo/religion_codes_first_trio.cameo-manual-1.1b3.tsv",
    "religion_second": "cameo/religion_codes_second_trio.cameo-manual-1.1b3.tsv",
    "ethnic": "cameo/ethnic_codes.cameo-manual-1.1b3.tsv",
    "countries_un": "cameo/country_codes_un.cameo-manual-1.1b3.tsv",
    "keds": "cameo/keds_actor_codes.cameo-manual-1.1b3.tsv",
    "crosswalk": "cameo/country_crosswalk.countryinfo-120116.tsv",
}

# ---------------------------------------------------------------------------------------
# Deliberate differences from the reference files (each is documented in docs/codebook.md)
# ---------------------------------------------------------------------------------------

# Event names: typos and a mis-encoded character in GDELT's 2013 lookup, repaired.
# (Whitespace is also trimmed and collapsed for every name; that is not listed here.)
EVENT_NAME_FIXES: dict[str, tuple[str, str]] = {
    # code: (name in the GDELT 2013 file after whitespace clean-up, packaged name)
    "033": (
        "Express intent to provide matyerial aid, not specified below",
        "Express intent to provide material aid, not specified below",
    ),
    "044": ("Meet at a ÒhirdÓlocation", "Meet at a 'third' location"),
    "2041": (
        "Use chemical, biological, or radiologicalweapons",
        "Use chemical, biological, or radiological weapons",
    ),
}

# Codes whose GDELT name and ICEWS name describe different actions (GDELT's 2013 lookup
# names 101 and 105-108 differently from CAMEO 1.1b3 as ICEWS has it), so the ICEWS
# definition would mislabel them: these get no description.
DESCRIPTION_DROPPED = {"101", "105", "106", "107", "108"}

# Codes found only in the ICEWS list: packaged, flagged icews_only, with ICEWS's Goldstein.
ICEWS_ONLY_CODES = {"1213"}

# Country codes: values in the CountryInfo crosswalk that are wrong, and what we package.
# key: (CAMEO code, field) -> (value in the crosswalk, packaged value; "" = none)
CROSSWALK_FIXES: dict[tuple[str, str], tuple[str, str]] = {
    # listed as known errors in the reference README
    ("GTM", "iso3"): ("GLP", "GTM"),
    ("GTM", "iso2"): ("GP", "GT"),
    ("GTM", "fips"): ("GP", "GT"),
    ("GIN", "iso3"): ("PNG", "GIN"),
    ("GIN", "iso2"): ("PG", "GN"),
    ("GIN", "fips"): ("PP", "GV"),
    ("ISR", "iso3"): ("IL", "ISR"),
    ("ISR", "iso2"): ("IS", "IL"),
    ("JPN", "iso3"): ("JON", "JPN"),
    ("MMR", "iso3"): ("MOZ", "MMR"),
    ("MMR", "iso2"): ("MZ", "MM"),
    ("MMR", "fips"): ("MZ", "BM"),
    # found by us: FIPS codes that another country holds, or that are not FIPS 10-4
    ("COG", "fips"): ("CG", "CF"),
    ("COK", "fips"): ("CK", "CW"),
    ("ZAF", "fips"): ("SA", "SF"),
    ("KGZ", "fips"): ("KY", "KG"),
    ("PCN", "fips"): ("PV", "PC"),
    ("TKL", "fips"): ("TK", "TL"),
    # Kosovo has no ISO 3166 code: KSV is CAMEO's own code and KV its FIPS code
    ("KSV", "iso3"): ("KSV", ""),
    ("KSV", "iso2"): ("KV", ""),
}

# Country names in the manual's UN table that lost a character or are misspelt.
COUNTRY_NAME_FIXES: dict[str, tuple[str, str]] = {
    "CIV": ("Cte d'Ivoire (Ivory Coast)", "Côte d'Ivoire (Ivory Coast)"),
    "REU": ("Runion", "Réunion"),
    "COL": ("Columbia", "Colombia"),
}

# UN-table codes whose crosswalk row has a different CAMEO code.
COUNTRY_JOIN: dict[str, str] = {"ROM": "ROU", "MTN": "MNE"}

# CAMEO country codes beyond the manual's UN table. Current codes from the crosswalk:
SPECIAL_COUNTRIES = ("GGY", "KSV", "SSD", "TWN")
# ... later CAMEO/ICEWS spellings of a UN-table country (accepted, marked as aliases):
COUNTRY_ALIASES: dict[str, str] = {"ROU": "ROM", "MNE": "MTN"}
# ... and historical states, from the manual's KEDS table:
HISTORICAL_COUNTRIES = ("CZA", "FRY", "GME", "GMW", "SCG", "USR", "YMN", "YMS", "YUG")

# International actor codes: the manual's typos (kept as aliases) and their corrections.
INTERNATIONAL_FIXES: dict[str, str] = {
    "IGNONAT": "IGONAT",
    "IGNONON": "IGONON",
    "INGOFID": "NGOFID",
    "NGOIMOM": "NGOIOM",
}

# Religion names: a typo in the manual's second-trio table.
RELIGION_NAME_FIXES: dict[str, tuple[str, str]] = {
    "UFO": ("extraterrificial", "extraterrestrial"),
}

# A 3-letter KEDS code that is a religion rather than a group.
KEDS_RELIGIONS = {"ZRO"}

# Ethnic codes: an irregular manual code that GDELT writes as a regular trio.
ETHNIC_CODE_FIXES: dict[str, str] = {"zulu": "zul"}

# Short role names (our wording; the manual's long definitions are not packaged).
ROLE_NAMES: dict[str, str] = {
    "COP": "Police",
    "GOV": "Government",
    "INS": "Insurgents",
    "JUD": "Judiciary",
    "MIL": "Military",
    "OPP": "Political opposition",
    "REB": "Rebels",
    "SEP": "Separatist rebels",
    "SPY": "State intelligence services",
    "UAF": "Armed forces not aligned with the government",
    "AGR": "Agriculture",
    "BUS": "Business",
    "CRM": "Criminal",
    "CVL": "Civilians",
    "DEV": "Development",
    "EDU": "Education",
    "ELI": "Elites",
    "ENV": "Environmental",
    "HLH": "Health",
    "HRI": "Human rights",
    "LAB": "Labour",
    "LEG": "Legislature",
    "MED": "Media",
    "REF": "Refugees",
    "MOD": "Moderate",
    "RAD": "Radical",
    "IGO": "Inter-governmental organisation",
    "IMG": "International militarised group",
    "INT": "International or transnational actor",
    "MNC": "Multinational corporation",
    "NGM": "Non-governmental movement",
    "NGO": "Non-governmental organisation",
    "UIS": "Unidentified state actor",
}

# Role trios in use that the manual's role tables lack: Phoenix's agent dictionary
# (~REL 25 times, ~PTY 12 times), ICEWS's agent names (GOVREL, PTY, OPPPTY, GOVPTY) and
# GDELT's output (REL, PTY, USAREL in the 2019 export) all use them. Names are ours.
EXTRA_ROLES: dict[str, tuple[str, str]] = {
    "PTY": ("Political party", "secondary"),
    "REL": ("Religious", "secondary"),
}

ROLE_LEVELS = {
    "primary": "primary",
    "secondary": "secondary",
    "tertiary": "tertiary",
    "international_generic": "international",
}

QUAD_NAMES = {
    "verbal cooperation": 1,
    "material cooperation": 2,
    "verbal conflict": 3,
    "material conflict": 4,
}


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineProblem:
    """One malformed line of a GDELT CAMEO lookup file."""

    line: int  # 1-based
    text: str
    reason: str


_CODE_RE = re.compile(r"^\d{2,4}$")
# A second "code:[goldstein] name" entry glued into a name, as in GDELT's current lookup.
_EMBEDDED_ENTRY_RE = re.compile(r"\d{2,4}:\[-?\d+(?:\.\d+)?\]")


def parse_eventcodes(text: str) -> tuple[dict[str, str], list[LineProblem]]:
    """Parse a GDELT ``CAMEO.eventcodes.txt`` lookup: (code -> name, malformed lines).

    Accepts LF or CRLF. A line is malformed if it is not ``CODE<TAB>NAME``, the code is not
    2-4 digits, the code repeats, or the name contains another ``CODE:[score]`` entry (two
    lines merged). Malformed lines are reported and left out.

    Example::

        >>> parse_eventcodes("CAMEOEVENTCODE\\tEVENTDESCRIPTION\\n01\\tMAKE PUBLIC STATEMENT\\n")
        ({'01': 'MAKE PUBLIC STATEMENT'}, [])
    """
    codes: dict[str, str] = {}
    problems: list[LineProblem] = []
    lines = text.replace("\r\n", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if number == 1 or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            problems.append(LineProblem(number, line, f"expected 2 fields, found {len(fields)}"))
            continue
        code, name = fields[0].strip(), fields[1]
        if not _CODE_RE.match(code):
            problems.append(LineProblem(number, line, f"code {code!r} is not 2-4 digits"))
        elif _EMBEDDED_ENTRY_RE.search(name):
            glued = _EMBEDDED_ENTRY_RE.search(name)
            assert glued is not None
            problems.append(
                LineProblem(
                    number,
                    line,
                    f"name of {code} contains another entry {glued.group(0)!r}: two lines merged",
                )
            )
        elif code in codes:
            problems.append(LineProblem(number, line, f"code {code} repeats"))
        elif not name.strip():
            problems.append(LineProblem(number, line, f"code {code} has no name"))
        else:
            codes[code] = name
    for code in codes:
        if len(code) > 2 and code[:2] not in codes:
            problems.append(LineProblem(0, code, f"code {code} has no root code {code[:2]}"))
        if len(code) == 4 and code[:3] not in codes:
            problems.append(LineProblem(0, code, f"code {code} has no base code {code[:3]}"))
    return codes, problems


def parse_goldstein(text: str) -> dict[str, float]:
    """Parse GDELT's ``CAMEO.goldsteinscale.txt``: code -> Goldstein score.

    Example::

        >>> parse_goldstein("CAMEOEVENTCODE\\tGOLDSTEINSCALE\\n01\\t0.0\\n")
        {'01': 0.0}
    """
    scores: dict[str, float] = {}
    for line in text.replace("\r\n", "\n").split("\n")[1:]:
        if line.strip():
            code, value = line.split("\t")
            scores[code.strip()] = float(value)
    return scores


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Read a reference TSV (header row, TAB, double-quote quoting) into dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle, delimiter="\t")]


def clean_space(text: str) -> str:
    """Trim and collapse runs of whitespace."""
    return " ".join(text.split())


def repair_mojibake(text: str) -> str:
    """Undo the ICEWS file's double encoding (UTF-8 read as Mac Roman, saved as cp1252).

    ``text`` is the file read as latin-1, so each character stands for one byte.

    A run that does not round-trip is dropped rather than kept broken.

    Example::

        >>> repair_mojibake("somebody else\\x82\\xc4\\xf4s")
        "somebody else's"
    """

    def undo(run: str) -> str:
        return run.encode("latin-1").decode("cp1252").encode("mac_roman").decode("utf-8")

    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        # Some runs lost their first byte (0x82, the lead byte of most punctuation).
        for attempt in (run, "\x82" + run):
            try:
                return undo(attempt).translate(_TYPOGRAPHIC)
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
        return ""

    return re.sub(r"[\x80-\xff]+", fix, text)


_TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def short_description(text: str) -> str | None:
    """The first sentence of an ICEWS/CAMEO definition, cleaned, without the full stop."""
    text = clean_space(repair_mojibake(text))
    if not text or text == "NA":
        return None
    first = re.split(r"(?<=[a-z)])\.\s+(?=[A-Z])", text, maxsplit=1)[0]
    return first.rstrip(". ") or None


def current_cameo_code(value: str) -> str:
    """The current code of a crosswalk cell such as ``[YUGHRV <20910625][HRV >20030101]``."""
    found = re.findall(r"\[([A-Z]+)[^\]]*\]", value)
    return found[-1] if found else value.strip()


def crosswalk_value(value: str) -> str:
    """A crosswalk cell with its placeholders (``--``, ``---``, ``NOT_YET``, ``000``) blanked."""
    value = value.strip()
    return "" if value in {"", "-", "--", "---", "NOT_YET", "000"} else value


def trios(code: str) -> list[str]:
    """Split a code into 3-letter trios."""
    return [code[i : i + 3] for i in range(0, len(code), 3)]


def well_formed(code: str) -> bool:
    """An upper-case code made of whole trios."""
    return bool(re.fullmatch(r"(?:[A-Z]{3})+", code))


# ---------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------


def _tsv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["\t".join(header)]
    for row in rows:
        cells = ["" if cell is None else str(cell) for cell in row]
        for cell in cells:
            if "\t" in cell or "\n" in cell or "\r" in cell:
                raise ValueError(f"cell {cell!r} contains a TAB or newline")
        if len(cells) != len(header):
            raise ValueError(f"row {cells!r} does not match header {header!r}")
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _format_score(value: float) -> str:
    return repr(float(value))


def build_events(ref: Path) -> tuple[str, str]:
    """events.tsv and quad_classes.tsv."""
    names, problems = parse_eventcodes((ref / SOURCES["eventcodes"]).read_text(encoding="utf-8"))
    if problems:
        raise SystemExit(f"GDELT 2013 event codes are malformed: {problems}")
    goldstein = parse_goldstein((ref / SOURCES["goldstein"]).read_text(encoding="utf-8"))
    if set(goldstein) != set(names):
        raise SystemExit("event codes and Goldstein scores cover different codes")

    with (ref / SOURCES["icews_codes"]).open(encoding="latin-1", newline="") as handle:
        icews = {row["code"]: row for row in csv.DictReader(handle)}

    quad_rows = read_tsv(ref / SOURCES["quadclass"])
    by_root = {row["root_code"]: row for row in quad_rows}

    codes = sorted(set(names) | ICEWS_ONLY_CODES, key=lambda c: (c[:2], c[:3], c))
    rows = []
    for code in codes:
        icews_only = code in ICEWS_ONLY_CODES
        if icews_only:
            name = clean_space(icews[code]["name"])
            score = float(icews[code]["goldstein"])
        else:
            name = clean_space(names[code])
            if code in EVENT_NAME_FIXES:
                before, after = EVENT_NAME_FIXES[code]
                if name != before:
                    raise SystemExit(f"event {code}: expected name {before!r}, found {name!r}")
                name = after
            score = goldstein[code]
        root = code[:2]
        base = code[:3] if len(code) >= 3 else code
        quad = gdelt_quad_class(root)
        description = None
        if code in icews and code not in DESCRIPTION_DROPPED:
            description = short_description(icews[code]["description"])
        rows.append(
            (
                code,
                name,
                base,
                root,
                _format_score(score),
                quad,
                "1" if icews_only else "0",
                description,
            )
        )
    events = _tsv(
        (
            "code",
            "name",
            "base_code",
            "root_code",
            "goldstein",
            "quad_class",
            "icews_only",
            "description",
        ),
        rows,
    )

    qrows = []
    for root in sorted(by_root):
        row = by_root[root]
        if int(row["gdelt_quadclass"]) != gdelt_quad_class(root):
            raise SystemExit(f"root {root}: observed GDELT QuadClass disagrees with the scheme")
        qrows.append(
            (
                root,
                clean_space(names[root]),
                gdelt_quad_class(root),
                QUAD_NAMES[row["icews_rpkg_quad_category"]],
                int(row["phoenix_pipeline_quad_0to4"]),
                clean_space(row["plover_readme_category"]),
            )
        )
    quads = _tsv(("root_code", "name", "GDELT", "ICEWS", "PHOENIX", "PLOVER"), qrows)
    return events, quads


def gdelt_quad_class(root: str) -> int:
    """GDELT QuadClass of a root code: 01-05 -> 1, 06-09 -> 2, 10-14 -> 3, 15-20 -> 4."""
    number = int(root)
    if not 1 <= number <= 20:
        raise ValueError(f"no root code {root}")
    return 1 if number <= 5 else 2 if number <= 9 else 3 if number <= 14 else 4


def build_countries(ref: Path) -> str:
    """countries.tsv: the manual's UN table, CAMEO specials, aliases and historical states."""
    un = read_tsv(ref / SOURCES["countries_un"])
    crosswalk = read_tsv(ref / SOURCES["crosswalk"])
    keds = {row["code"]: row["actor"] for row in read_tsv(ref / SOURCES["keds"])}

    by_cameo: dict[str, list[dict[str, str]]] = {}
    for row in crosswalk:
        by_cameo.setdefault(current_cameo_code(row["cameo_code"]), []).append(row)

    def crosswalk_row(code: str) -> dict[str, str] | None:
        key = COUNTRY_JOIN.get(code, code)
        candidates = by_cameo.get(key, [])
        if len(candidates) > 1:  # e.g. FRA also holds Mayotte and Saint-Barthelemy
            candidates = [r for r in candidates if crosswalk_value(r["iso3"]) == key]
        if not candidates:  # dependencies the crosswalk writes as e.g. USAASM
            candidates = [
                r
                for r in crosswalk
                if len(current_cameo_code(r["cameo_code"])) == 6
                and current_cameo_code(r["cameo_code"]).endswith(key)
            ]
        if not candidates:  # territories filed under their sovereign, e.g. MYT under FRA
            # (a row that is the only one for its own CAMEO code belongs to that code, so
            # GTM's row, which wrongly carries iso3 GLP, is not taken for Guadeloupe)
            candidates = [
                r
                for r in crosswalk
                if crosswalk_value(r["iso3"]) == key
                and len(by_cameo[current_cameo_code(r["cameo_code"])]) > 1
            ]
        if len(candidates) > 1:
            raise SystemExit(f"country {code}: {len(candidates)} crosswalk rows")
        return candidates[0] if candidates else None

    def codes_for(code: str, row: dict[str, str] | None, default_iso3: str) -> list[str]:
        values = {"iso3": "", "iso2": "", "fips": ""}
        if row is not None:
            values = {
                "iso3": crosswalk_value(row["iso3"]),
                "iso2": crosswalk_value(row["iso2"]),
                "fips": crosswalk_value(row["fips10"]),
            }
        for field in values:
            fix = CROSSWALK_FIXES.get((code, field))
            if fix is not None:
                if values[field] != fix[0]:
                    found = values[field]
                    raise SystemExit(f"{code} {field}: expected {fix[0]!r}, found {found!r}")
                values[field] = fix[1]
        if not values["iso3"]:
            values["iso3"] = default_iso3
        return [values["iso3"], values["iso2"], values["fips"]]

    rows: list[list[str]] = []
    for entry in un:
        code, name = entry["code"], clean_space(entry["country"])
        if code in COUNTRY_NAME_FIXES:
            before, after = COUNTRY_NAME_FIXES[code]
            if name != before:
                raise SystemExit(f"country {code}: expected name {before!r}, found {name!r}")
            name = after
        rows.append([code, name, *codes_for(code, crosswalk_row(code), code), "un", ""])

    un_names = {r[0]: r[1] for r in rows}
    for code in SPECIAL_COUNTRIES:
        special = crosswalk_row(code)
        if special is None:
            raise SystemExit(f"special country {code} is not in the crosswalk")
        name = special["name"].replace("_", " ").title()
        rows.append([code, name, *codes_for(code, special, ""), "special", ""])
    for code, target in COUNTRY_ALIASES.items():
        alias = crosswalk_row(code)
        rows.append([code, un_names[target], *codes_for(code, alias, code), "alias", target])
    for code in HISTORICAL_COUNTRIES:
        name = re.sub(r"\s*\(d\.r\.\)$", "", keds[code])
        rows.append([code, name, "", "", "", "historical", ""])

    rows.sort(key=lambda r: r[0])
    return _tsv(("code", "name", "iso3", "iso2", "fips", "kind", "alias_of"), rows)


def build_simple(ref: Path) -> dict[str, str]:
    """regions.tsv, roles.tsv, religions.tsv, ethnic.tsv."""
    regions = [
        (row["code"], clean_space(row["region"].strip('"')))
        for row in read_tsv(ref / SOURCES["regions"])
    ]
    roles = []
    for row in read_tsv(ref / SOURCES["roles"]):
        roles.append((row["code"], ROLE_NAMES[row["code"]], ROLE_LEVELS[row["tier"]], "manual"))
    if len(ROLE_NAMES) != len(roles):
        raise SystemExit("ROLE_NAMES does not match the role table")
    for code, (name, level) in EXTRA_ROLES.items():
        if code in ROLE_NAMES:
            raise SystemExit(f"extra role {code} is already in the manual's table")
        roles.append((code, name, level, "in-use"))

    # Religions: first-trio table, second-trio table, then denominations from KEDS.
    religions: dict[str, list[str]] = {}

    def add_religion(code: str, name: str, position: str, priority: str, source: str) -> None:
        if code in religions:
            entry = religions[code]
            if entry[1] != name:
                raise SystemExit(f"religion {code}: names disagree: {entry[1]!r} / {name!r}")
            if position not in entry[2].split(","):
                entry[2] = f"{entry[2]},{position}"
            return
        religions[code] = [code, name, position, priority, source]

    # The manual's priority labels are split over several rows ("Second", "Priority:", ...):
    # a row whose fragment starts with an ordinal word opens the next priority level.
    ordinals = {"First": "1", "Second": "2", "Third": "3", "Fourth": "4", "Fifth": "5"}
    priority = ""
    for row in read_tsv(ref / SOURCES["religion_first"]):
        word = row["priority_label_fragment"].split(" ", 1)[0]
        priority = ordinals.get(word, priority)
        add_religion(row["code"], clean_space(row["religion"]), "first", priority, "manual")
    for row in read_tsv(ref / SOURCES["religion_second"]):
        word = row["priority_label_fragment"].split(" ", 1)[0]
        priority = ordinals.get(word, priority)
        if not row["code"].strip():
            continue  # the "named denominations" heading row has no code
        name = clean_space(row["group"])
        if row["code"] in RELIGION_NAME_FIXES:
            before, after = RELIGION_NAME_FIXES[row["code"]]
            if name != before:
                raise SystemExit(f"religion {row['code']}: expected {before!r}, found {name!r}")
            name = after
        add_religion(row["code"], name, "second", priority, "manual")
    first_religions = {c for c, r in religions.items() if "first" in r[2]}
    for code, name in keds_codes(ref).items():
        parts = trios(code)
        if len(parts) == 2 and parts[0] in first_religions:
            if parts[1] in ROLE_NAMES:
                continue  # CHRRAD, MOSRAD: the RAD role
            add_religion(parts[1], clean_space(name), "second", "2", "keds")
        elif code in KEDS_RELIGIONS:
            add_religion(code, clean_space(name), "first", "", "keds")
    religion_rows = sorted(religions.values(), key=lambda r: r[0])

    ethnic_rows = []
    for row in read_tsv(ref / SOURCES["ethnic"]):
        code = row["code"].strip()
        name = clean_space(row["ethnic_group"])
        if not name or not code.islower():
            continue  # the damaged "Tibetan" row: no code, name in the code column
        code = ETHNIC_CODE_FIXES.get(code, code)
        countries: list[str] = []
        for item in row["selected_countries"].split(","):
            item = item.strip()
            if item and item not in countries:
                countries.append(item)
        regular = "1" if re.fullmatch(r"[a-z]{3}", code) else "0"
        ethnic_rows.append((code, name, " ".join(countries), regular))
    ethnic_rows.sort(key=lambda r: (r[0], r[1]))

    return {
        "regions.tsv": _tsv(("code", "name"), sorted(regions)),
        "roles.tsv": _tsv(("code", "name", "level", "source"), sorted(roles)),
        "religions.tsv": _tsv(("code", "name", "positions", "priority", "source"), religion_rows),
        "ethnic.tsv": _tsv(("code", "name", "countries", "regular"), ethnic_rows),
    }


def keds_codes(ref: Path) -> dict[str, str]:
    """The manual's KEDS actor table, exact duplicates and malformed codes removed."""
    out: dict[str, str] = {}
    for row in read_tsv(ref / SOURCES["keds"]):
        code, name = row["code"].strip(), clean_space(row["actor"])
        if not well_formed(code):
            continue
        if code in out and out[code] != name:
            raise SystemExit(f"KEDS {code}: two names")
        out[code] = name
    return out


def international_codes(ref: Path) -> list[tuple[str, str, str, str]]:
    """(code, name, manual group, alias_of) with typos corrected and kept as aliases."""
    rows: list[tuple[str, str, str, str]] = []
    merged: dict[str, list[str]] = {}
    group = ""
    for row in read_tsv(ref / SOURCES["international"]):
        group = row["manual_group"].strip() or group  # the manual's group column runs on
        code, name = row["full_code"].strip(), clean_space(row["name"])
        if code in INTERNATIONAL_FIXES:
            rows.append((code, name, group, INTERNATIONAL_FIXES[code]))
            code = INTERNATIONAL_FIXES[code]
        if code in merged:  # IGOCEM names two organisations in the manual
            merged[code][1] = f"{merged[code][1]} / {name}"
            continue
        merged[code] = [code, name, group, ""]
    rows.extend((c, n, g, a) for c, n, g, a in merged.values())
    return sorted(rows)


def _first_column(tsv: str) -> set[str]:
    return {line.split("\t")[0] for line in tsv.splitlines()[1:]}


def build_actor_tables(ref: Path, tables: dict[str, str]) -> dict[str, str]:
    """international.tsv, groups.tsv and known_codes.tsv (given the other tables)."""
    international = international_codes(ref)
    keds = keds_codes(ref)
    countries = _first_column(tables["countries.tsv"])
    regions = _first_column(tables["regions.tsv"])
    religion_codes = _first_column(tables["religions.tsv"])
    taken = countries | regions | religion_codes | set(ROLE_NAMES) | set(EXTRA_ROLES)

    groups: dict[tuple[str, str], set[str]] = {}  # (trio, name) -> source codes

    def add_group(trio: str, name: str, source: str) -> None:
        groups.setdefault((trio, re.sub(r"\s*\(d\.r\.\)$", "", name)), set()).add(source)

    for code, name, _group, alias_of in international:
        if alias_of or not well_formed(code):
            continue
        last = trios(code)[-1]
        if len(trios(code)) > 1 and last not in taken:
            add_group(last, name, code)
    for code, name in keds.items():
        parts = trios(code)
        if len(parts) == 1:
            if code not in taken:
                add_group(code, name, code)
        elif parts[-1] not in taken:
            add_group(parts[-1], name, code)

    group_trios = {trio for trio, _ in groups}
    for code in [c for c, *_ in international] + list(keds):
        if not well_formed(code):
            continue
        for trio in trios(code)[1:-1]:
            if trio not in taken and trio not in group_trios:
                raise SystemExit(f"{code}: trio {trio} is not classified")

    group_rows = sorted(
        (trio, name, " ".join(sorted(sources))) for (trio, name), sources in groups.items()
    )
    known = sorted(
        [(code, re.sub(r"\s*\(d\.r\.\)$", "", name), "keds") for code, name in keds.items()]
    )
    return {
        "international.tsv": _tsv(("code", "name", "manual_group", "alias_of"), international),
        "groups.tsv": _tsv(("trio", "name", "sources"), group_rows),
        "known_codes.tsv": _tsv(("code", "name", "source"), known),
    }


def build(ref: Path) -> dict[str, str]:
    """All package data files: name -> text."""
    ref = ref.resolve()
    missing = [name for name in SOURCES.values() if not (ref / name).is_file()]
    if missing:
        raise SystemExit(f"reference files missing under {ref}: {missing}")
    events, quads = build_events(ref)
    countries = build_countries(ref)
    files = {"events.tsv": events, "quad_classes.tsv": quads, "countries.tsv": countries}
    files.update(build_simple(ref))
    files.update(build_actor_tables(ref, files))

    metadata = {
        "version": CODEBOOK_VERSION,
        "quad_class_scheme": QUAD_CLASS_SCHEME,
        "generated_by": "scripts/build_codebook.py",
        "counts": {
            name.removesuffix(".tsv"): text.count("\n") - 1 for name, text in sorted(files.items())
        },
        "sources": {
            path: hashlib.sha256((ref / path).read_bytes()).hexdigest()
            for path in sorted(SOURCES.values())
        },
    }
    files["metadata.json"] = json.dumps(metadata, indent=2, sort_keys=True) + "\n"
    return dict(sorted(files.items()))


def write(files: dict[str, str], out: Path) -> list[Path]:
    """Write the files (UTF-8, LF) and remove stale *.tsv/*.json files from ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in sorted(out.glob("*.tsv")) + sorted(out.glob("*.json")):
        if stale.name not in files:
            stale.unlink()
    written = []
    for name, text in files.items():
        path = out / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit code.

    Example: ``main(["--check"])`` returns 0 when the package data is up to date.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare with --out instead of writing; exit 1 if stale",
    )
    args = parser.parse_args(argv)
    files = build(args.reference)
    if args.check:
        stale = [
            name
            for name, text in files.items()
            if not (args.out / name).is_file()
            or (args.out / name).read_bytes() != text.encode("utf-8")
        ]
        if stale:
            print(f"package data is stale: {', '.join(stale)}", file=sys.stderr)
            return 1
        print("package data is up to date")
        return 0
    for path in write(files, args.out):
        rows = path.read_text(encoding="utf-8").count("\n") - 1
        print(
            f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}"
            + (f" ({rows} rows)" if path.suffix == ".tsv" else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
