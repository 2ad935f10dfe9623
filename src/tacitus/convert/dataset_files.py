"""Read a dataset folder's ``dataset.toml`` and ``actors.yaml`` (problems as findings).

A missing or unreadable dataset.toml stops a command (``InputError``): without it we do not
know the dataset's name, version or sources. Problems *inside* the files are findings.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

from pydantic import ValidationError

from tacitus.convert.yamlmarks import load_marked
from tacitus.errors import InputError, UsageError
from tacitus.schema.dataset import ActorDefinition, ActorsFile, DatasetConfig
from tacitus.schema.rules import S001, S002, S003, S004, Finding

DATASET_FILE = "dataset.toml"
ACTORS_FILE = "actors.yaml"


@dataclasses.dataclass
class ActorsResult:
    """The actor definitions of a dataset, and problems met reading them."""

    actors: list[ActorDefinition]
    problems: list[Finding]
    source_file: str | None

    def groups(self) -> dict[str, str]:
        """Group trios this dataset adds → name, for the actor-code parser.

        Example:
            >>> ActorsResult([ActorDefinition(code="IRNINSJAD", name="Jaish al-Adl",
            ...     group="JAD")], [], None).groups()
            {'JAD': 'Jaish al-Adl'}
        """
        return {a.group: a.name for a in self.actors if a.group}


def load_dataset_config(dataset_dir: Path) -> DatasetConfig:
    """Read ``DATASET_DIR/dataset.toml``; raises UsageError/InputError when unusable.

    Example:
        >>> load_dataset_config(Path("datasets/iran-pakistan-2024")).dataset.name
        'iran-pakistan-2024'
    """
    if not dataset_dir.exists():
        raise UsageError(f"dataset folder {dataset_dir} does not exist")
    if not dataset_dir.is_dir():
        raise UsageError(f"{dataset_dir} is not a folder (expected a dataset folder)")
    path = dataset_dir / DATASET_FILE
    try:
        raw = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise UsageError(f"{dataset_dir} has no {DATASET_FILE}: not a dataset folder") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: {exc}") from None
    try:
        return DatasetConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: {where}: {first['msg']}") from None


def load_actors(path: Path, *, display_path: str | None = None) -> ActorsResult:
    """Read an actors.yaml; a missing file is an empty list, problems are findings.

    Example:
        >>> r = load_actors(Path("datasets/iran-pakistan-2024/actors.yaml"))
        >>> r.problems
        []
    """
    name = display_path or str(path)
    if not path.exists():
        return ActorsResult([], [], None)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return ActorsResult([], [S001.finding(source_file=name, detail=f"not UTF-8 ({exc})")], name)
    except OSError as exc:  # a folder, no permission ...
        detail = exc.strerror or str(exc)
        return ActorsResult([], [S001.finding(source_file=name, detail=detail)], name)
    marked = load_marked(text)
    problems = [
        S001.finding(source_file=name, source_line=p.line, detail=p.message)
        for p in marked.problems
    ]
    if marked.data is None:
        return ActorsResult([], problems, name)
    try:
        parsed = ActorsFile.model_validate(marked.data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            field = ".".join(str(p) for p in loc)
            rule = {"missing": S002, "extra_forbidden": S004}.get(error["type"], S003)
            line = marked.line_of(loc[:-1] if error["type"] == "missing" else loc)
            problems.append(
                rule.finding(
                    source_file=name,
                    source_line=line,
                    table="actors",
                    field=field,
                    detail=error["msg"],
                )
            )
        return ActorsResult([], problems, name)
    for i, actor in enumerate(parsed.actors):
        actor._line = marked.line_of(("actors", i))
    return ActorsResult(parsed.actors, problems, name)
