"""What ``tacitus validate`` and ``tacitus publish`` validate: a dataset folder built in
memory with the build (and its cache), or anything else as the validators read it.

``tacitus.validators.loading.load_path`` reads a dataset folder too, through the convert
layer and with no cache (validators may not depend on the datasets layer). The CLI
prefers a build: unchanged files come from the build cache, so validating a large
dataset again is fast, and the tables are the very ones ``tacitus build`` writes. Both
give the same tables and findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tacitus.convert.dataset_files import DATASET_FILE
from tacitus.validators.loading import Loaded, dataset_loaded, load_path

if TYPE_CHECKING:
    from tacitus.datasets.build import BuildResult


def load_for_validation(path: Path) -> Loaded:
    """Read what ``tacitus validate PATH`` was given: a dataset folder is built in memory
    (``build_tables``, with its cache), anything else is read by ``load_path``.

    Example:
        >>> import shutil, tempfile
        >>> folder = Path(tempfile.mkdtemp()) / "labelstudio"  # the build cache goes in it
        >>> _ = shutil.copytree("tests/data/build/labelstudio", folder)
        >>> loaded = load_for_validation(folder)
        >>> loaded.context.input_events, loaded.findings.height
        (5, 6)
        >>> load_for_validation(Path("no/such/place"))
        Traceback (most recent call last):
        ...
        tacitus.errors.UsageError: no/such/place does not exist
    """
    if path.is_dir() and (path / DATASET_FILE).exists():
        # Imported here: validating built Parquet tables should not pay for the build.
        from tacitus.datasets.build import build_tables

        return loaded_from_build(build_tables(path), path)
    return load_path(path)


def loaded_from_build(result: BuildResult, dataset_dir: Path) -> Loaded:
    """What validation needs from a dataset built in memory (``build_tables``' result).

    Lets a caller that has just built a dataset (``tacitus publish``) validate exactly the
    tables it built, instead of building them a second time. The build's findings are the
    loading findings, its report's ``events_in`` the input event count (rule I004), and
    dataset.toml's ``date_floor`` the date floor.

    Example:
        >>> from tacitus.datasets.build import build_tables
        >>> folder = Path("tests/data/build/brat")
        >>> loaded = loaded_from_build(build_tables(folder, cache=False), folder)
        >>> loaded.tables["articles"].height, loaded.context.input_events
        (1, 2)
    """
    return dataset_loaded(
        dataset_dir,
        result.tables,
        result.findings,
        input_events=result.report.events_in,
        date_floor=result.config.dataset.date_floor,
    )
