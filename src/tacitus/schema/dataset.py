"""Models of a dataset folder's own files: ``dataset.toml`` and ``actors.yaml``.

``dataset.toml`` names the dataset, its version and licence, and where and in which format
its sources are; ``actors.yaml`` defines actor codes (and group trios) the codebook lacks,
with the aliases articles use for them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SourceFormat = Literal["native", "brat", "labelstudio", "inception"]


class DatasetInfo(BaseModel):
    """The ``[dataset]`` table of dataset.toml."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    version: str = Field(min_length=1)
    title: str | None = None
    description: str | None = None
    licence: str = Field(min_length=1, description="SPDX id, e.g. CC-BY-4.0")
    text_redistributable: bool = Field(
        default=False, description="May releases include the article text?"
    )
    date_floor: dt.date | None = Field(
        default=None, description="Events dated before this are reported (rule D003)."
    )
    homepage: str | None = None
    authors: list[str] = Field(default_factory=list)


class SourcesInfo(BaseModel):
    """The ``[sources]`` table: where the annotation files are and in which format."""

    model_config = ConfigDict(extra="forbid")

    format: SourceFormat = "native"
    path: str = "articles"


class DatasetConfig(BaseModel):
    """A whole dataset.toml.

    Example:
        >>> DatasetConfig.model_validate({"dataset": {"name": "x", "version": "1",
        ...     "licence": "CC-BY-4.0"}}).sources.format
        'native'
    """

    model_config = ConfigDict(extra="forbid")

    dataset: DatasetInfo
    sources: SourcesInfo = Field(default_factory=SourcesInfo)


class ActorDefinition(BaseModel):
    """One actor code a dataset defines (a group the codebook lacks, a named person...)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[A-Z]{3}([A-Z]{3})*$")
    name: str = Field(min_length=1)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    roles: list[str] = Field(default_factory=list)
    group: str | None = Field(
        default=None, pattern=r"^[A-Z]{3}$", description="A new trio this dataset adds."
    )
    aliases: list[str] = Field(default_factory=list)
    note: str | None = None

    _line: int | None = PrivateAttr(default=None)

    @property
    def line(self) -> int | None:
        """Line in actors.yaml where this definition starts."""
        return self._line


class ActorsFile(BaseModel):
    """A whole actors.yaml."""

    model_config = ConfigDict(extra="forbid")

    actors: list[ActorDefinition] = Field(default_factory=list)
