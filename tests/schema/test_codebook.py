"""The packaged CAMEO codebook, held against the public reference files.

The reference files are copied into tests/data/reference, so these tests run everywhere. Every place
where the packaged tables deliberately differ from a reference file is listed here; a
new difference fails the comparison that finds it.
"""

from __future__ import annotations

import csv
import importlib.util
import inspect
import re
import subprocess
import sys
import time
from collections import Counter
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from tacitus.errors import CodebookError
from tacitus.schema import codebook as codebook_module
from tacitus.schema.codebook import (
    ActorCode,
    Codebook,
    Country,
    EventCode,
    Trio,
    load_codebook,
)

REPO = Path(__file__).resolve().parents[2]
# Copies of the public reference files (tests/data/reference/README.md says where each is from).
REFERENCE = REPO / "tests" / "data" / "reference"
DATA = REPO / "src" / "tacitus" / "schema" / "data"


@pytest.fixture(scope="module")
def ref() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"reference files not found at {REFERENCE}")
    return REFERENCE.resolve()


@pytest.fixture(scope="module")
def build() -> ModuleType:
    """scripts/build_codebook.py, imported as a module."""
    path = REPO / "scripts" / "build_codebook.py"
    spec = importlib.util.spec_from_file_location("build_codebook", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_codebook", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cb() -> Codebook:
    return load_codebook()


def read_tsv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def gdelt_lookup(path: Path) -> dict[str, str]:
    """A GDELT lookup file as code -> value, read independently of the build script."""
    rows = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")[1:]
    return dict(line.split("\t", 1) for line in rows if line)


def icews_codes(ref: Path) -> dict[str, dict[str, str]]:
    path = ref / "cameo" / "cameo-codes.icews-andybega.csv"
    with path.open(encoding="latin-1", newline="") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def squash(text: str) -> str:
    return " ".join(text.split())


# ======================================================================================
# The package data itself
# ======================================================================================


def test_package_data_is_what_the_build_script_makes(ref: Path, build: ModuleType) -> None:
    files = build.build(ref)
    on_disk = {p.name for p in DATA.iterdir() if p.suffix in {".tsv", ".json"}}
    assert on_disk == set(files)
    for name, text in files.items():
        assert (DATA / name).read_bytes() == text.encode("utf-8"), (
            f"{name} is stale: rerun the script"
        )


def test_build_is_deterministic(ref: Path, build: ModuleType, tmp_path: Path) -> None:
    first = build.build(ref)
    build.write(first, tmp_path)
    assert build.build(ref) == first
    assert Codebook.from_directory(tmp_path).events == load_codebook().events


def test_package_data_is_plain_utf8_tsv() -> None:
    for path in DATA.glob("*.tsv"):
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        assert "\r" not in text and text.endswith("\n")
        lines = text.split("\n")[:-1]
        width = len(lines[0].split("\t"))
        assert all(len(line.split("\t")) == width for line in lines), path.name


_RECORD_OPENS = """
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
from tacitus.schema.codebook import load_codebook
load_codebook().parse_actor("PAKMIL")
print("\\n".join(opened))
"""


def test_runtime_reads_only_package_data() -> None:
    """Loading the codebook opens package data files and nothing under ../shared."""
    result = subprocess.run(
        [sys.executable, "-c", _RECORD_OPENS], capture_output=True, text=True, check=True
    )
    opened = [Path(line) for line in result.stdout.splitlines() if line]
    data_files = sorted(
        p.name for p in opened if p.parent.name == "data" and p.parent.parent.name == "schema"
    )
    assert data_files == sorted(p.name for p in DATA.iterdir() if p.suffix in {".tsv", ".json"})
    assert not any("shared" in p.parts or "reference" in p.parts for p in opened)
    assert "shared" not in inspect.getsource(codebook_module).split('"""', 2)[2]


def test_metadata(cb: Codebook) -> None:
    assert cb.version == "cameo-1.1b3+gdelt-2013/tacitus-1"
    assert cb.quad_class_scheme == "GDELT"


def test_load_is_fast() -> None:
    data = resources.files("tacitus.schema") / "data"
    best = min(_timed(lambda: Codebook.from_directory(data)) for _ in range(3))
    assert best < 0.1, f"loading took {best * 1000:.0f} ms"
    assert load_codebook() is load_codebook()  # cached


def _timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


EXPECTED_COUNTS = {
    "events": 312,  # 311 GDELT 2013 codes + ICEWS-only 1213
    "quad_classes": 20,
    "countries": 247,  # 232 UN table + 4 special + 2 aliases + 9 historical
    "regions": 25,
    "roles": 35,  # 33 manual + REL, PTY
    "international": 86,  # 83 manual rows - 1 (IGOCEM twice) + 4 typo'd codes kept as aliases
    "religions": 43,  # 19 first + 11 second - 2 in both + 14 KEDS denominations + ZRO
    "ethnic": 601,  # 602 manual rows - the damaged "Tibetan" row
    "groups": 270,
    "known_codes": 613,  # 627 KEDS rows - 2 exact duplicates - 12 malformed codes
}


def test_counts(cb: Codebook) -> None:
    assert cb.counts == EXPECTED_COUNTS
    assert len(cb.events) == 312
    assert len(cb.countries) == 247
    assert len(cb.regions) == 25
    assert len(cb.roles) == 35
    assert len(cb.international) == 86
    assert len(cb.religions) == 43
    assert sum(len(groups) for groups in cb.ethnic_groups.values()) == 601
    assert sum(len(g.names) for g in cb.groups.values()) == 270
    assert len(cb.known_codes) == 613


def test_reference_row_counts(ref: Path) -> None:
    """The reference files still have the rows the counts above are derived from."""
    cameo = ref / "cameo"
    assert len(gdelt_lookup(cameo / "CAMEO.eventcodes.gdelt-2013.txt")) == 311
    assert len(gdelt_lookup(cameo / "CAMEO.goldsteinscale.gdelt-2013.txt")) == 311
    assert len(icews_codes(ref)) == 312
    assert len(read_tsv(cameo / "country_codes_un.cameo-manual-1.1b3.tsv")) == 232
    assert len(read_tsv(cameo / "region_codes.cameo-manual-1.1b3.tsv")) == 25
    assert len(read_tsv(cameo / "actor_role_codes.cameo-manual-1.1b3.tsv")) == 33
    assert len(read_tsv(cameo / "international_actor_codes.cameo-manual-1.1b3.tsv")) == 83
    assert len(read_tsv(cameo / "religion_codes_first_trio.cameo-manual-1.1b3.tsv")) == 19
    assert len(read_tsv(cameo / "religion_codes_second_trio.cameo-manual-1.1b3.tsv")) == 12
    assert len(read_tsv(cameo / "ethnic_codes.cameo-manual-1.1b3.tsv")) == 602
    assert len(read_tsv(cameo / "keds_actor_codes.cameo-manual-1.1b3.tsv")) == 627
    assert len(read_tsv(cameo / "country_crosswalk.countryinfo-120116.tsv")) == 237


# ======================================================================================
# Event codes
# ======================================================================================

# Names: GDELT 2013 after whitespace clean-up -> packaged.
EXPECTED_NAME_DIFFERENCES = {
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
ICEWS_GOLDSTEIN_DIFFERENCES = {  # code: (ICEWS, GDELT 2013 = packaged)
    "016": (-5.0, -2.0),
    "022": (3.4, 3.2),
    "164": (-6.5, -7.0),
    "165": (-7.0, -6.5),
}
DESCRIPTION_DROPPED = {"101", "105", "106", "107", "108"}
GDELT_QUAD = {
    **dict.fromkeys(["01", "02", "03", "04", "05"], 1),
    **dict.fromkeys(["06", "07", "08", "09"], 2),
    **dict.fromkeys(["10", "11", "12", "13", "14"], 3),
    **dict.fromkeys(["15", "16", "17", "18", "19", "20"], 4),
}


def test_every_gdelt_2013_code_is_packaged(ref: Path, cb: Codebook) -> None:
    gdelt = gdelt_lookup(ref / "cameo" / "CAMEO.eventcodes.gdelt-2013.txt")
    assert set(cb.events) - set(gdelt) == {"1213"}
    assert set(gdelt) <= set(cb.events)
    assert [c for c, e in cb.events.items() if e.icews_only] == ["1213"]
    levels = Counter(len(c) for c in gdelt)
    assert levels == {2: 20, 3: 147, 4: 144}


def test_goldstein_equals_gdelt_2013(ref: Path, cb: Codebook) -> None:
    scores = gdelt_lookup(ref / "cameo" / "CAMEO.goldsteinscale.gdelt-2013.txt")
    for code, value in scores.items():
        assert cb.events[code].goldstein == float(value), code
    assert all(-10.0 <= e.goldstein <= 10.0 for e in cb.events.values())


def test_names_equal_gdelt_2013_except_listed(ref: Path, cb: Codebook) -> None:
    gdelt = gdelt_lookup(ref / "cameo" / "CAMEO.eventcodes.gdelt-2013.txt")
    differences = {
        code: (squash(name), cb.events[code].name)
        for code, name in gdelt.items()
        if squash(name) != cb.events[code].name
    }
    assert differences == EXPECTED_NAME_DIFFERENCES


def test_root_and_base_codes_are_derived(cb: Codebook) -> None:
    for code, e in cb.events.items():
        assert e.code == code and re.fullmatch(r"\d{2,4}", code)
        assert e.root_code == code[:2]
        assert e.base_code == (code[:3] if len(code) >= 3 else code)
        assert e.root_code in cb.events and e.base_code in cb.events


def test_quad_class_for_every_root(ref: Path, cb: Codebook) -> None:
    derived = {
        r["root_code"]: r for r in read_tsv(ref / "cameo" / "quadclass_by_rootcode.derived.tsv")
    }
    assert set(derived) == set(GDELT_QUAD)
    icews_numbers = {
        "verbal cooperation": 1,
        "material cooperation": 2,
        "verbal conflict": 3,
        "material conflict": 4,
    }
    for root, quad in GDELT_QUAD.items():
        assert cb.quad_class(root) == quad
        assert cb.quad_class(root, scheme="GDELT") == int(derived[root]["gdelt_quadclass"]) == quad
        assert (
            cb.quad_class(root, scheme="ICEWS")
            == icews_numbers[derived[root]["icews_rpkg_quad_category"]]
        )
        assert cb.quad_class(root, scheme="PHOENIX") == int(
            derived[root]["phoenix_pipeline_quad_0to4"]
        )
    for e in cb.events.values():
        assert e.quad_class == GDELT_QUAD[e.root_code]


def test_schemes_disagree_where_the_reference_says(cb: Codebook) -> None:
    assert [r for r in GDELT_QUAD if cb.quad_class(r, "ICEWS") != cb.quad_class(r)] == ["09", "14"]
    assert cb.quad_class("01", "PHOENIX") == 0 and cb.quad_class("16", "PHOENIX") == 3


def test_quad_class_api_edges(cb: Codebook) -> None:
    assert cb.quad_class("195") == 4  # any code: its root decides
    assert cb.quad_class("21") is None and cb.quad_class("x") is None and cb.quad_class("") is None
    assert cb.quad_class("19", scheme="icews") == 4
    with pytest.raises(CodebookError, match="unknown QuadClass scheme"):
        cb.quad_class("19", scheme="PLOVER")


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("195", "ASSAULT"),
        ("01", None),
        ("02", None),
        ("09", None),
        ("081", "CONCEDE"),
        ("0871", "RETREAT"),
        ("16", "SANCTION"),
        ("14", "PROTEST"),
        ("99", None),
    ],
)
def test_plover_category(cb: Codebook, code: str, category: str | None) -> None:
    assert cb.plover_category(code) == category


def test_icews_differences_are_the_known_ones(ref: Path, cb: Codebook) -> None:
    icews = icews_codes(ref)
    assert set(icews) - set(cb.events) == set()
    differences = {
        code: (float(row["goldstein"]), cb.events[code].goldstein)
        for code, row in icews.items()
        if float(row["goldstein"]) != cb.events[code].goldstein
    }
    assert differences == ICEWS_GOLDSTEIN_DIFFERENCES
    e1213 = cb.events["1213"]
    assert (e1213.name, e1213.goldstein, e1213.base_code, e1213.quad_class) == (
        "Reject judicial cooperation",
        -4.0,
        "121",
        3,
    )


def test_descriptions(cb: Codebook) -> None:
    missing = {c for c, e in cb.events.items() if e.description is None}
    roots = {c for c in cb.events if len(c) == 2}
    assert missing == roots | DESCRIPTION_DROPPED
    for e in cb.events.values():
        if e.description:
            assert not re.search("[\x80-\x9f\ufffdÄÒÓ]|\u00ef\u00bf", e.description), e.code
            assert len(e.description) < 250 and not e.description.endswith(".")
            assert not re.search(r"[a-z]\. [A-Z]", e.description), "one sentence only"
    assert cb.events["195"].description == "Attack, bomb from air"
    assert cb.events["1711"].description is not None and "else's" in cb.events["1711"].description


def test_event_195(cb: Codebook) -> None:
    e = cb.event("195")
    assert e == EventCode(
        code="195",
        name="Employ aerial weapons",
        base_code="195",
        root_code="19",
        goldstein=-10.0,
        quad_class=4,
        description="Attack, bomb from air",
        icews_only=False,
    )
    assert e.quad_class_name == "material conflict"
    assert cb.root_name("195") == "FIGHT"
    assert cb.event("999") is None and cb.event("") is None


# -- the defective "current" GDELT lookup ----------------------------------------------


def test_parser_flags_the_merged_line_in_the_current_file(ref: Path, build: ModuleType) -> None:
    current = (ref / "cameo" / "CAMEO.eventcodes.gdelt-current.txt").read_text(encoding="utf-8")
    codes, problems = build.parse_eventcodes(current)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.line == 156
    assert problem.text.startswith("1056\t")
    assert "106:[-5.0]" in problem.reason and "merged" in problem.reason
    canonical, clean = build.parse_eventcodes(
        (ref / "cameo" / "CAMEO.eventcodes.gdelt-2013.txt").read_text(encoding="utf-8")
    )
    assert clean == []
    assert set(canonical) - set(codes) == {"106", "1056"}
    assert set(codes) <= set(canonical)


def test_packaged_table_has_106_and_1056(cb: Codebook) -> None:
    assert cb.events["106"].name == "Demand withdrawal"
    assert cb.events["106"].goldstein == -5.0
    assert cb.events["1056"].name == "Demand de-escalation of military engagement"
    assert all(not re.search(r"\d:\[", e.name) for e in cb.events.values())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("H\n01\tA\n01\tB\n", "repeats"),
        ("H\n1x\tA\n", "not 2-4 digits"),
        ("H\n01\n", "expected 2 fields"),
        ("H\n011\tA\n", "no root code"),
        ("H\n01\tA\n0111\tB\n", "no base code"),
        ("H\n01\tA\n010\tx 011:[-0.1] y\n", "two lines merged"),
    ],
)
def test_parser_problems(build: ModuleType, text: str, reason: str) -> None:
    _, problems = build.parse_eventcodes(text)
    assert any(reason in p.reason for p in problems)


# ======================================================================================
# Search
# ======================================================================================


@pytest.mark.parametrize(
    "query", ["air strike", "airstrike", "air strikes", "Airstrikes", "aerial", "aerial bombing"]
)
def test_search_finds_aerial_weapons(cb: Codebook, query: str) -> None:
    assert cb.search(query, limit=10)[0].code == "195"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("hunger strike", "142"),
        ("suicide bombing", "1831"),
        ("demand ceasefire", "107"),
        ("kidnap", "181"),
        ("shelling", "194"),
        ("small arms", "193"),
        ("mass killings", "202"),
        ("Employ aerial weapons", "195"),
    ],
)
def test_search_ranks(cb: Codebook, query: str, first: str) -> None:
    assert cb.search(query)[0].code == first


def test_search_edges(cb: Codebook) -> None:
    assert cb.search("") == [] and cb.search("   ") == [] and cb.search("the of") == []
    assert cb.search("zzzqqq") == []
    assert [e.code for e in cb.search("19", limit=3)] == ["19", "190", "191"]
    assert len(cb.search("protest", limit=3)) == 3
    assert cb.search("air strike", limit=0) == []


# ======================================================================================
# Countries
# ======================================================================================

# (CAMEO code, field): (crosswalk value, packaged value); "" means none.
README_LISTED_CORRECTIONS = {
    ("GTM", "iso3"): ("GLP", "GTM"),
    ("GIN", "fips"): ("PP", "GV"),
    ("ISR", "iso3"): ("IL", "ISR"),
    ("JPN", "iso3"): ("JON", "JPN"),
    ("MMR", "iso3"): ("MOZ", "MMR"),
    ("MMR", "fips"): ("MZ", "BM"),
}
EXPECTED_CROSSWALK_CORRECTIONS = {
    **README_LISTED_CORRECTIONS,
    # the same rows carry the other country's ISO alpha-2 too
    ("GTM", "iso2"): ("GP", "GT"),
    ("GTM", "fips"): ("GP", "GT"),
    ("GIN", "iso3"): ("PNG", "GIN"),
    ("GIN", "iso2"): ("PG", "GN"),
    ("ISR", "iso2"): ("IS", "IL"),
    ("MMR", "iso2"): ("MZ", "MM"),
    # found by us: FIPS codes another country holds, or that are not FIPS 10-4
    ("COG", "fips"): ("CG", "CF"),
    ("COK", "fips"): ("CK", "CW"),
    ("ZAF", "fips"): ("SA", "SF"),
    ("KGZ", "fips"): ("KY", "KG"),
    ("PCN", "fips"): ("PV", "PC"),
    ("TKL", "fips"): ("TK", "TL"),
    ("KSV", "iso3"): ("KSV", ""),
    ("KSV", "iso2"): ("KV", ""),
}
# UN-table codes the crosswalk has no codes for: iso3 is the CAMEO code, iso2/fips none.
NOT_IN_CROSSWALK = {"ALA", "ANT", "MAC", "MNP", "REU", "SJM", "SPM", "SRB", "TCA", "VAT"}
EXPECTED_COUNTRY_NAME_DIFFERENCES = {
    "CIV": ("Cte d'Ivoire (Ivory Coast)", "Côte d'Ivoire (Ivory Coast)"),
    "REU": ("Runion", "Réunion"),
    "COL": ("Columbia", "Colombia"),
}
SPECIAL = {"GGY", "KSV", "SSD", "TWN"}
ALIASES = {"ROU": "ROM", "MNE": "MTN"}
HISTORICAL = {"CZA", "FRY", "GME", "GMW", "SCG", "USR", "YMN", "YMS", "YUG"}


def _crosswalk_rows(ref: Path) -> list[dict[str, str]]:
    rows = read_tsv(ref / "cameo" / "country_crosswalk.countryinfo-120116.tsv")
    placeholders = {"", "-", "--", "---", "NOT_YET", "000"}
    for row in rows:
        for field in ("iso3", "iso2", "fips10"):
            row[field] = "" if row[field].strip() in placeholders else row[field].strip()
        found = re.findall(r"\[([A-Z]+)[^\]]*\]", row["cameo_code"])
        row["current"] = found[-1] if found else row["cameo_code"].strip()
    return rows


def test_un_table_is_packaged(ref: Path, cb: Codebook) -> None:
    un = read_tsv(ref / "cameo" / "country_codes_un.cameo-manual-1.1b3.tsv")
    assert {r["code"] for r in un} == {c for c, v in cb.countries.items() if v.kind == "un"}
    differences = {
        r["code"]: (r["country"], cb.countries[r["code"]].name)
        for r in un
        if r["country"] != cb.countries[r["code"]].name
    }
    assert differences == EXPECTED_COUNTRY_NAME_DIFFERENCES


def test_countries_beyond_the_un_table(cb: Codebook) -> None:
    kinds: dict[str, set[str]] = {}
    for code, country in cb.countries.items():
        kinds.setdefault(country.kind, set()).add(code)
    assert kinds["special"] == SPECIAL
    assert kinds["historical"] == HISTORICAL
    assert {c: cb.countries[c].alias_of for c in kinds["alias"]} == ALIASES
    for alias, target in ALIASES.items():
        assert cb.countries[alias].name == cb.countries[target].name
        assert cb.countries[alias].iso3 == cb.countries[target].iso3 == alias


# Crosswalk rows found by name where the CAMEO code does not find them.
CROSSWALK_ROW_BY_NAME = {
    "ROM": "ROMANIA",
    "ROU": "ROMANIA",
    "MTN": "MONTENEGRO",
    "MNE": "MONTENEGRO",
    "MYT": "MAYOTTE",
}


def _crosswalk_row(rows: list[dict[str, str]], code: str) -> dict[str, str]:
    if code in CROSSWALK_ROW_BY_NAME:
        return next(r for r in rows if r["name"] == CROSSWALK_ROW_BY_NAME[code])
    exact = [r for r in rows if r["current"] == code]
    if len(exact) > 1:
        exact = [r for r in exact if r["iso3"] == code]
    if not exact:
        exact = [r for r in rows if len(r["current"]) == 6 and r["current"].endswith(code)]
    assert len(exact) == 1, code
    return exact[0]


def test_crosswalk_values_carry_over_except_listed_corrections(ref: Path, cb: Codebook) -> None:
    """Each packaged iso3/iso2/fips is its crosswalk row's value, unless a listed correction."""
    rows = _crosswalk_rows(ref)
    changed: dict[tuple[str, str], tuple[str, str]] = {}
    for code, c in cb.countries.items():
        if c.kind == "historical" or code in NOT_IN_CROSSWALK:
            continue
        raw = _crosswalk_row(rows, code)
        for field, column in (("iso3", "iso3"), ("iso2", "iso2"), ("fips", "fips10")):
            value = getattr(c, field) or ""
            if raw[column] != value:
                changed[(code, field)] = (raw[column], value)
    assert changed == EXPECTED_CROSSWALK_CORRECTIONS


@pytest.mark.parametrize(("key", "values"), sorted(README_LISTED_CORRECTIONS.items()))
def test_readme_listed_crosswalk_error_is_corrected(
    ref: Path, cb: Codebook, key: tuple[str, str], values: tuple[str, str]
) -> None:
    code, field = key
    wrong, right = values
    raw = {row["cameo_code"]: row for row in _crosswalk_rows(ref)}[code]
    assert raw["fips10" if field == "fips" else field] == wrong
    assert getattr(cb.countries[code], field) == right


def test_countries_not_in_crosswalk(cb: Codebook) -> None:
    for code in NOT_IN_CROSSWALK:
        c = cb.countries[code]
        assert (c.iso3, c.iso2, c.fips) == (code, None, None)


def test_country_codes_are_unique(cb: Codebook) -> None:
    real = [c for c in cb.countries.values() if c.kind != "alias"]
    for field in ("iso3", "iso2", "fips"):
        values = [getattr(c, field) for c in real if getattr(c, field)]
        assert len(values) == len(set(values)), [v for v, n in Counter(values).items() if n > 1]
    for c in cb.countries.values():
        assert re.fullmatch(r"[A-Z]{3}", c.code)
        assert c.iso3 is None or re.fullmatch(r"[A-Z]{3}", c.iso3)
        assert c.iso2 is None or re.fullmatch(r"[A-Z]{2}", c.iso2)
        assert c.fips is None or re.fullmatch(r"[A-Z]{2}", c.fips)


def test_country_api(cb: Codebook) -> None:
    assert cb.country("PAK") == Country("PAK", "Pakistan", "PAK", "PK", "PK", "un")
    assert cb.country("TMP") == Country("TMP", "East Timor (Timor-Leste)", "TLS", "TL", "TT", "un")
    assert cb.is_country("IRN") and cb.is_country("TWN") and cb.is_country("USR")
    assert not cb.is_country("AFR") and not cb.is_country("pak") and not cb.is_country("")
    assert cb.country("XYZ") is None


# ======================================================================================
# Regions, roles, international codes, religions, ethnic codes, KEDS
# ======================================================================================


def test_regions(ref: Path, cb: Codebook) -> None:
    reference = {
        r["code"]: r["region"]
        for r in read_tsv(ref / "cameo" / "region_codes.cameo-manual-1.1b3.tsv")
    }
    packaged = {code: r.name for code, r in cb.regions.items()}
    differences = {c: (reference[c], packaged[c]) for c in reference if reference[c] != packaged[c]}
    assert set(reference) == set(packaged)
    assert differences == {"WST": ('"the West"', "the West")}
    assert not set(cb.regions) & set(cb.countries)


def test_roles(ref: Path, cb: Codebook) -> None:
    levels = {
        "primary": "primary",
        "secondary": "secondary",
        "tertiary": "tertiary",
        "international_generic": "international",
    }
    reference = {
        r["code"]: levels[r["tier"]]
        for r in read_tsv(ref / "cameo" / "actor_role_codes.cameo-manual-1.1b3.tsv")
    }
    manual = {code: r.level for code, r in cb.roles.items() if r.source == "manual"}
    assert manual == reference
    assert Counter(manual.values()) == {
        "primary": 10,
        "secondary": 14,
        "tertiary": 2,
        "international": 7,
    }
    extra = {code: (r.name, r.level) for code, r in cb.roles.items() if r.source != "manual"}
    assert extra == {"PTY": ("Political party", "secondary"), "REL": ("Religious", "secondary")}
    assert cb.roles["MIL"].name == "Military" and cb.roles["GOV"].name == "Government"
    assert all(r.name and len(r.name) < 50 for r in cb.roles.values())


EXPECTED_INTERNATIONAL_ALIASES = {
    "IGNONAT": "IGONAT",
    "IGNONON": "IGONON",
    "INGOFID": "NGOFID",
    "NGOIMOM": "NGOIOM",
}


def test_international_codes(ref: Path, cb: Codebook) -> None:
    rows = read_tsv(ref / "cameo" / "international_actor_codes.cameo-manual-1.1b3.tsv")
    reference_codes = {r["full_code"] for r in rows}
    assert reference_codes <= set(cb.international)
    aliases = {c: a.alias_of for c, a in cb.international.items() if a.alias_of}
    assert aliases == EXPECTED_INTERNATIONAL_ALIASES
    assert set(cb.international) - reference_codes == set(EXPECTED_INTERNATIONAL_ALIASES.values())
    for typo, fixed in EXPECTED_INTERNATIONAL_ALIASES.items():
        assert cb.international[typo].name == cb.international[fixed].name
        assert len(typo) == 7 and len(fixed) == 6
    assert Counter(r["full_code"] for r in rows)["IGOCEM"] == 2
    assert cb.international["IGOCEM"].name == (
        "Common Market for Eastern and Southern Africa / Monetary and Economic Community of Central Africa"
    )
    assert cb.international["IGOUNO"].name == "United Nations"
    assert cb.international["IGOWTO"].manual_group == "Global"  # the group column runs on


def test_religions(ref: Path, cb: Codebook) -> None:
    first = read_tsv(ref / "cameo" / "religion_codes_first_trio.cameo-manual-1.1b3.tsv")
    second = read_tsv(ref / "cameo" / "religion_codes_second_trio.cameo-manual-1.1b3.tsv")
    for row in first:
        assert "first" in cb.religions[row["code"]].positions
        assert cb.religions[row["code"]].name == row["religion"]
    blank = [row for row in second if not row["code"]]
    assert [row["group"] for row in blank] == ["named denominations"]
    renamed = {}
    for row in second:
        if row["code"]:
            assert "second" in cb.religions[row["code"]].positions
            if cb.religions[row["code"]].name != row["group"]:
                renamed[row["code"]] = (row["group"], cb.religions[row["code"]].name)
    assert renamed == {"UFO": ("extraterrificial", "extraterrestrial")}
    from_keds = {c for c, r in cb.religions.items() if r.source == "keds"}
    assert from_keds == {
        "ALE",
        "CPT",
        "CTH",
        "DOX",
        "DRZ",
        "HSD",
        "JHW",
        "LDS",
        "MRN",
        "PRO",
        "SFI",
        "SHI",
        "SUN",
        "UDX",
        "ZRO",
    }
    assert cb.religions["MOS"].priority == 1 and cb.religions["NRM"].positions == (
        "first",
        "second",
    )


IRREGULAR_ETHNIC = {"tw", "aw", "bm", "bq", "hman", "iban", "mdir", "mn", "ra", "uk", "zena"}


def test_ethnic_codes(ref: Path, cb: Codebook) -> None:
    rows = read_tsv(ref / "cameo" / "ethnic_codes.cameo-manual-1.1b3.tsv")
    damaged = [r for r in rows if not r["code"].islower()]
    assert [(r["code"], r["ethnic_group"]) for r in damaged] == [("Tibetan", "")]
    reference = Counter(r["code"] for r in rows if r["code"].islower())
    packaged = Counter({code: len(groups) for code, groups in cb.ethnic_groups.items()})
    assert reference - packaged == Counter({"zulu": 1})
    assert packaged - reference == Counter({"zul": 1})
    assert {c for c, n in packaged.items() if n > 1} == {"mn", "moh", "mon", "pan", "son"}
    irregular = {g.code for groups in cb.ethnic_groups.values() for g in groups if not g.regular}
    assert irregular == IRREGULAR_ETHNIC
    assert cb.ethnic("kur")[0].name == "Kurd" and "IRQ" in cb.ethnic("kur")[0].countries
    assert cb.ethnic("zul")[0].name == "Zulu" and cb.ethnic("zulu") == ()


KEDS_MALFORMED = {
    "ARBTH",
    "DZAREBGP",
    "EGYREMBR",
    "IGOASCIS",
    "IGOBUSPROC",
    "IGOMEAAACC",
    "IGOMEAMU",
    "KHMREBKMRA",
    "NGOHRIIIHF",
    "NGOREFIONM",
    "PSEREBAAIM",
    "TURGOVDP",
}


def test_keds_codes(ref: Path, cb: Codebook) -> None:
    rows = read_tsv(ref / "cameo" / "keds_actor_codes.cameo-manual-1.1b3.tsv")
    codes = Counter(r["code"] for r in rows)
    assert {c for c, n in codes.items() if n > 1} == {"AFG", "ISRGOVCMN"}
    malformed = {c for c in codes if not re.fullmatch(r"(?:[A-Z]{3})+", c)}
    assert malformed == KEDS_MALFORMED
    assert set(cb.known_codes) == set(codes) - malformed
    for code in cb.known_codes:
        cb.parse_actor(code)  # every known code parses


def test_group_trios_do_not_collide(cb: Codebook) -> None:
    other = set(cb.countries) | set(cb.regions) | set(cb.roles) | set(cb.religions)
    assert not set(cb.groups) & other
    assert all(re.fullmatch(r"[A-Z]{3}", trio) for trio in cb.groups)
    assert cb.groups["UNO"].meaning == "United Nations"
    assert cb.groups["NAT"].sources == ("IGONAT", "IGOWSTNAT")


# ======================================================================================
# Actor codes
# ======================================================================================


@pytest.mark.parametrize(
    ("code", "country", "roles", "groups", "kinds"),
    [
        ("PAKMIL", "PAK", ("MIL",), (), ("country", "role")),
        ("IRNGOV", "IRN", ("GOV",), (), ("country", "role")),
        ("USAGOVMIL", "USA", ("GOV", "MIL"), (), ("country", "role", "role")),
        ("IGOUNO", None, ("IGO",), ("UNO",), ("international", "group")),
        ("IRNREB", "IRN", ("REB",), (), ("country", "role")),
        ("PAK", "PAK", (), (), ("country",)),
        ("AFGREBTAL", "AFG", ("REB",), ("TAL",), ("country", "role", "group")),
        ("IGOUNOKID", None, ("IGO",), ("UNO", "KID"), ("international", "group", "group")),
        ("MIL", None, ("MIL",), (), ("role",)),
        ("AFR", None, (), (), ("region",)),
        ("MNCUSAMED", "USA", ("MNC", "MED"), (), ("international", "country", "role")),
        ("MOSSHI", None, (), (), ("religion", "religion")),
        ("IRNMOSSHI", "IRN", (), (), ("country", "religion", "religion")),
        ("kur", None, (), (), ("ethnic",)),
        ("catSEP", None, ("SEP",), (), ("ethnic", "role")),
        ("IGOWSTNAT", None, ("IGO",), ("NAT",), ("international", "region", "group")),
        ("SCGMTN", "SCG", (), (), ("country", "country")),  # a KEDS code
        ("USAREL", "USA", ("REL",), (), ("country", "role")),
        ("PAKRAD", "PAK", ("RAD",), (), ("country", "role")),
        ("TWNGOV", "TWN", ("GOV",), (), ("country", "role")),
    ],
)
def test_parse_valid_actor_codes(
    cb: Codebook,
    code: str,
    country: str | None,
    roles: tuple[str, ...],
    groups: tuple[str, ...],
    kinds: tuple[str, ...],
) -> None:
    actor = cb.parse_actor(code)
    assert (actor.code, actor.country, actor.roles, actor.groups) == (code, country, roles, groups)
    assert tuple(t.kind for t in actor.trios) == kinds
    assert "".join(t.trio for t in actor.trios) == code
    assert all(t.meaning for t in actor.trios)
    assert cb.check_actor(code) is None
    assert cb.actor_country(code) == country
    assert cb.actor_role(code) == (roles[0] if roles else None)


def test_parse_actor_meanings(cb: Codebook) -> None:
    assert cb.parse_actor("PAKMIL") == ActorCode(
        code="PAKMIL",
        country="PAK",
        roles=("MIL",),
        groups=(),
        trios=(Trio("PAK", "country", "Pakistan"), Trio("MIL", "role", "Military")),
        region=None,
    )
    assert cb.parse_actor("IGOWSTNAT").region == "WST"
    assert cb.parse_actor("ISRGOVLKD").trios[-1].meaning == "Likud Party"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("PAKXYZ", "unknown trio 2 'XYZ'"),
        ("PA", "has 2 letters"),
        ("pakmil", "lower case"),
        ("PAKMI", "has 5 letters"),
        ("", "empty actor code"),
        ("PaKMIL", "mixes upper and lower case"),
        ("PAK MIL", "contains spaces"),
        (" PAKMIL", "contains spaces"),
        ("PAK-MI", "letters A-Z"),
        ("PAKMİL", "letters A-Z"),
        ("XYZ", "unknown first trio 'XYZ'"),
        ("MILPAK", "'PAK' is a country"),
        ("PAKIND", "'IND' is a country"),
        ("IRNINSJAD", "unknown trio 3 'JAD'"),
        ("IGNONAT", "typo in the CAMEO manual for IGONAT"),
        ("---GOV", "letters A-Z"),
        ("PAKmil", "trio 2 'mil' is lower case"),
    ],
)
def test_parse_invalid_actor_codes(cb: Codebook, code: str, message: str) -> None:
    with pytest.raises(CodebookError) as info:
        cb.parse_actor(code)
    text = str(info.value)
    assert message in text
    assert "\n" not in text
    assert cb.check_actor(code) == text
    with pytest.raises(CodebookError):
        cb.actor_country(code)


def test_lowercase_hint(cb: Codebook) -> None:
    assert "did you mean 'PAKMIL'" in (cb.check_actor("pakmil") or "")
    assert "did you mean" not in (cb.check_actor("pakxyz") or "")


def test_parse_actor_not_a_string(cb: Codebook) -> None:
    with pytest.raises(CodebookError, match="must be a string"):
        cb.parse_actor(123)  # type: ignore[arg-type]


def test_extra_groups(cb: Codebook) -> None:
    assert cb.check_actor("IRNINSJAD", {"JAD": "Jaish al-Adl"}) is None
    actor = cb.parse_actor("IRNINSJAD", {"IRNINSJAD": "Jaish al-Adl"})
    assert actor.groups == ("JAD",) and actor.trios[-1] == Trio("JAD", "group", "Jaish al-Adl")
    assert cb.parse_actor("PAKSEPBLA", {"BLA": "Balochistan Liberation Army"}).roles == ("SEP",)
    assert cb.parse_actor("JAD", {"JAD": "Jaish al-Adl"}).trios[0].kind == "group"
    # the codebook's meaning wins over an extra name for a trio it knows
    assert cb.parse_actor("PAKMIL", {"MIL": "militia"}).trios[1].meaning == "Military"
    assert cb.check_actor("IRNINSJAD", {}) is not None


def test_example_dataset_codes_parse(cb: Codebook, example_dataset: Path) -> None:
    """The example dataset's codes parse, given the group trios its actors.yaml defines."""
    extra = {
        "JAD": "Jaish al-Adl",
        "BLA": "Balochistan Liberation Army",
        "BLF": "Balochistan Liberation Front",
        "ISI": "Islamic State",
    }
    for code in [
        "IRNGOV",
        "PAKGOV",
        "IRNMIL",
        "PAKMIL",
        "PAKSEP",
        "ISRSPY",
        "IRNCVL",
        "PAKCVL",
        "IRNINSJAD",
        "PAKSEPBLA",
        "PAKSEPBLF",
        "IMGMOSISI",
    ]:
        assert cb.check_actor(code, extra) is None, code


def test_parser_agrees_with_gdelt_on_a_real_export(ref: Path, cb: Codebook) -> None:
    """Every actor code in a GDELT 2.0 export parses to the country, types and groups GDELT gives."""
    path = ref / "gdelt" / "20191024143000.export.CSV"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    assert len(rows) == 2111
    checked = 0
    for row in rows:
        for offset in (5, 15):  # Actor1Code, Actor2Code
            code = row[offset]
            if not code:
                continue
            actor = cb.parse_actor(code)
            country, known_group, ethnic, religion1, religion2 = row[offset + 2 : offset + 7]
            types = [t for t in row[offset + 7 : offset + 10] if t]
            assert (actor.country or actor.region or "") == country, code
            assert [r for r in actor.roles if r not in ("REL", "PTY")][:3] == types, code
            if known_group:
                assert known_group in actor.groups, code
            kinds = {t.trio: t.kind for t in actor.trios}
            if ethnic:
                assert kinds.get(ethnic) == "ethnic", code
            for religion in (religion1, religion2):
                if religion:
                    assert kinds.get(religion) == "religion", code
            checked += 1
    assert checked == 3517


def test_gdelt_event_codes_are_known(ref: Path, cb: Codebook) -> None:
    path = ref / "gdelt" / "20191024143000.export.CSV"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            code, base, root, quad, goldstein = row[26], row[27], row[28], row[29], row[30]
            e = cb.events[code]
            assert (e.base_code, e.root_code, e.quad_class, e.goldstein) == (
                base,
                root,
                int(quad),
                float(goldstein),
            ), code
