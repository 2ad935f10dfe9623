"""tacitus.load: verified reading of a release folder or URL."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import tacitus
from tacitus.datasets.checksums import SUMS_FILE, read_sums, write_sums
from tacitus.datasets.load import load
from tacitus.datasets.publish import PublishResult
from tacitus.errors import IntegrityError, UsageError
from tacitus.schema.tables import ALL_SCHEMAS, polars_schema

TABLES = ["articles", "events", "casualties", "evidence", "actors", "rejected"]


def test_load_returns_verified_lazy_frames(release: PublishResult) -> None:
    tables = load(release.path)
    assert list(tables) == TABLES
    for name, frame in tables.items():
        assert isinstance(frame, pl.LazyFrame)
        assert frame.collect_schema() == polars_schema(ALL_SCHEMAS[name])
        assert frame.collect().height == release.rows[name]


def test_tacitus_load_is_the_same_function(release: PublishResult) -> None:
    assert tacitus.load is load
    events = tacitus.load(str(release.path), tables=["events"])["events"].collect()
    assert sorted(events["event_id"]) == ["paper-b/e1", "paper-b/e2", "wire-a/e1", "wire-a/e2"]


def test_import_tacitus_stays_cheap() -> None:
    code = "import sys, tacitus; print('polars' in sys.modules, 'pyarrow' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_tables_and_pandas_options(release: PublishResult) -> None:
    tables = load(release.path, tables=["events", "actors"], pandas=True)
    assert list(tables) == ["events", "actors"]
    assert isinstance(tables["events"], pd.DataFrame)
    assert len(tables["events"]) == 4
    with pytest.raises(UsageError, match="no table nope"):
        load(release.path, tables=["nope"])


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    ["flip", "truncate", "delete"],
)
def test_a_damaged_file_is_refused_by_name(release_copy: Path, damage: str) -> None:
    target = release_copy / "events/year=2024/part-0.parquet"
    if damage == "flip":
        _flip_a_byte(target)
    elif damage == "truncate":
        target.write_bytes(target.read_bytes()[:-100])
    else:
        target.unlink()
    with pytest.raises(IntegrityError, match=r"events/year=2024/part-0\.parquet"):
        load(release_copy)
    # Even when asking only for another table, nothing of a damaged release is returned.
    with pytest.raises(IntegrityError, match=r"events/year=2024/part-0\.parquet"):
        load(release_copy, tables=["actors"])


def test_a_damaged_page_is_refused_too(release_copy: Path) -> None:
    _flip_a_byte(release_copy / "index.html")
    with pytest.raises(IntegrityError, match=r"index\.html"):
        load(release_copy)


def test_consistent_but_invalid_table_is_refused(release_copy: Path) -> None:
    # Replace a file and its checksum (a tampered release): the model check still refuses.
    events = pl.read_parquet(release_copy / "events/year=2024/part-0.parquet")
    events.with_columns(pl.lit(99.0).alias("latitude")).write_parquet(
        release_copy / "events/year=2024/part-0.parquet"
    )
    sums = read_sums(release_copy)
    write_sums(release_copy, sums)
    package = release_copy / "datapackage.json"
    assert package.exists()
    with pytest.raises(IntegrityError, match="events table fails its model"):
        load(release_copy, tables=["events"])


def test_missing_or_bad_sums(release_copy: Path) -> None:
    (release_copy / SUMS_FILE).write_text("not a checksum line\n")
    with pytest.raises(IntegrityError, match="not a sha256sum line"):
        load(release_copy)
    (release_copy / SUMS_FILE).unlink()
    with pytest.raises(IntegrityError, match="SHA256SUMS: missing"):
        load(release_copy)
    with pytest.raises(UsageError):
        load(release_copy / "nowhere")


class _Handler(http.server.SimpleHTTPRequestHandler):
    requested: list[str]

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.requested.append(self.path)
        super().do_GET()


@pytest.fixture
def served(release_copy: Path) -> Iterator[tuple[str, list[str], Path]]:
    """The release copy served on 127.0.0.1: (URL of the release, requested paths, folder)."""
    requested: list[str] = []
    handler = type("Handler", (_Handler,), {"requested": requested})
    root = release_copy.parent.parent
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/demo/0.1.0/"
        yield url, requested, release_copy
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_load_from_a_url_downloads_into_the_cache(
    served: tuple[str, list[str], Path], tmp_path: Path
) -> None:
    url, requested, _ = served
    cache = tmp_path / "cache"
    tables = load(url, cache_dir=cache)
    assert {n: f.collect().height for n, f in tables.items()} == {
        "articles": 2,
        "events": 4,
        "casualties": 2,
        "evidence": 18,
        "actors": 2,
        "rejected": 0,
    }
    fetched = set(requested)
    assert "/demo/0.1.0/SHA256SUMS" in fetched
    assert "/demo/0.1.0/events/year=2024/part-0.parquet" in fetched
    assert not any(p.endswith(".html") for p in fetched)  # pages are not downloaded
    # Again: only SHA256SUMS is fetched; the cached files are checked and reused.
    requested.clear()
    assert load(url.rstrip("/"), cache_dir=cache, tables=["events"])["events"].collect().height == 4
    assert requested == ["/demo/0.1.0/SHA256SUMS"]


def test_a_corrupted_download_is_refused_and_not_cached(
    served: tuple[str, list[str], Path], tmp_path: Path
) -> None:
    url, _, folder = served
    _flip_a_byte(folder / "casualties.parquet")
    cache = tmp_path / "cache"
    with pytest.raises(IntegrityError, match=r"casualties\.parquet: checksum mismatch"):
        load(url, cache_dir=cache)
    assert not list(cache.rglob("casualties.parquet"))
    # The other tables can still be had.
    assert load(url, cache_dir=cache, tables=["events"])["events"].collect().height == 4


def test_a_missing_download_is_refused(served: tuple[str, list[str], Path], tmp_path: Path) -> None:
    url, _, folder = served
    (folder / "actors.parquet").unlink()
    with pytest.raises(IntegrityError, match=r"actors\.parquet: listed in SHA256SUMS but missing"):
        load(url, cache_dir=tmp_path / "cache", tables=["actors"])
