# SPDX-License-Identifier: MIT
"""hlspp: HLS playlists parsed losslessly, written back exactly, explained line by line.

    import hlspp
    pl = hlspp.parse(text)                  # or hlspp.load("https://.../master.m3u8")
    if isinstance(pl, hlspp.MediaPlaylist):
        pl.segments[0].uri = "https://cdn.example/0.ts"
    print(pl.dumps())                       # unchanged lines keep their exact bytes

The C++ core lives in ``hlspp._core``; this package adds ``load()`` and the
exception classes, and re-exports everything under its public name.
"""

from __future__ import annotations

# `typing` costs as much to import as the C++ core: the two aliases below are made on
# first use (PEP 562), and type checkers see them here.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal, Union

from ._errors import Error, FetchError, MergeError, ParseError, RebaseError, SerializeError
from ._core import (
    AlignResult,
    ContentSteering,
    DateRange,
    Define,
    DefineList,
    Diagnostic,
    ExtraLine,
    ExtraLineList,
    IFrameVariant,
    IFrameVariantList,
    InitSection,
    Key,
    KeyList,
    LagResult,
    LiveDiff,
    MasterPlaylist,
    MediaPlaylist,
    Part,
    PartInf,
    PartList,
    PreloadHint,
    PreloadHintList,
    RebaseResult,
    Rendition,
    RenditionList,
    RenditionReport,
    RenditionReportList,
    Segment,
    SegmentList,
    ServerControl,
    SessionData,
    SessionDataList,
    SessionKey,
    SessionKeyList,
    Skip,
    Start,
    Substitution,
    Variant,
    VariantList,
    __version__,
    align,
    diff,
    is_absolute_uri,
    lag,
    merge,
    parse,
    rebase,
    relativize,
    relativize_uri,
    resolve_uri,
    substitute_variables,
    validate,
)
from ._fetch import DEFAULT_MAX_BYTES, load

if TYPE_CHECKING:
    #: A parsed playlist of either kind.
    Playlist = Union[MasterPlaylist, MediaPlaylist]
    #: The strictness levels of parse() and load().
    Strictness = Literal["lenient", "default", "strict"]
else:

    def __getattr__(name: str) -> object:
        if name == "Playlist":
            from typing import Union

            value: object = Union[MasterPlaylist, MediaPlaylist]
        elif name == "Strictness":
            from typing import Literal

            value = Literal["lenient", "default", "strict"]
        else:
            raise AttributeError(f"module 'hlspp' has no attribute {name!r}")
        globals()[name] = value
        return value

__all__ = [
    "DEFAULT_MAX_BYTES",
    "AlignResult",
    "ContentSteering",
    "DateRange",
    "Define",
    "DefineList",
    "Diagnostic",
    "Error",
    "ExtraLine",
    "ExtraLineList",
    "FetchError",
    "IFrameVariant",
    "IFrameVariantList",
    "InitSection",
    "Key",
    "KeyList",
    "LagResult",
    "LiveDiff",
    "MasterPlaylist",
    "MediaPlaylist",
    "MergeError",
    "ParseError",
    "Part",
    "PartInf",
    "PartList",
    "Playlist",
    "PreloadHint",
    "PreloadHintList",
    "RebaseError",
    "RebaseResult",
    "Rendition",
    "RenditionList",
    "RenditionReport",
    "RenditionReportList",
    "Segment",
    "SegmentList",
    "SerializeError",
    "ServerControl",
    "SessionData",
    "SessionDataList",
    "SessionKey",
    "SessionKeyList",
    "Skip",
    "Start",
    "Strictness",
    "Substitution",
    "Variant",
    "VariantList",
    "__version__",
    "align",
    "diff",
    "is_absolute_uri",
    "lag",
    "load",
    "merge",
    "parse",
    "rebase",
    "relativize",
    "relativize_uri",
    "resolve_uri",
    "substitute_variables",
    "validate",
]
