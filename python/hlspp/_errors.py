# SPDX-License-Identifier: MIT
"""The exceptions hlspp raises (the C++ core raises these too)."""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing it would double `import hlspp`'s time
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._core import Diagnostic

__all__ = ["Error", "FetchError", "MergeError", "ParseError", "RebaseError", "SerializeError"]


class Error(Exception):
    """Base class of every exception hlspp raises."""


class _DiagnosticError(Error, ValueError):
    """An error described by a diagnostic: position, stable code, message."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        line: int = 0,
        column: int = 0,
        severity: str = "error",
        diagnostic: Diagnostic | None = None,
        diagnostics: Sequence[Diagnostic] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.line = line
        self.column = column
        self.severity = severity
        self.diagnostic = diagnostic
        self.diagnostics = list(diagnostics)

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.severity}: {self.code}: {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild,
            (
                type(self),
                self.message,
                self.code,
                self.line,
                self.column,
                self.severity,
                self.diagnostic,
                self.diagnostics,
            ),
        )


def _rebuild(
    cls: type[_DiagnosticError],
    message: str,
    code: str,
    line: int,
    column: int,
    severity: str,
    diagnostic: Diagnostic | None,
    diagnostics: list[Diagnostic],
) -> _DiagnosticError:
    return cls(
        message,
        code=code,
        line=line,
        column=column,
        severity=severity,
        diagnostic=diagnostic,
        diagnostics=diagnostics,
    )


class ParseError(_DiagnosticError):
    """The text cannot be parsed at the requested strictness.

    ``.line`` and ``.column`` (1-based; line 0 means the whole input) say where,
    ``.code`` says why as a stable kebab-case string (e.g. ``"missing-extm3u"``),
    ``.diagnostics`` lists everything found up to there. ``str()`` gives
    ``"LINE:COLUMN: error: CODE: message"``.
    """


class SerializeError(_DiagnosticError):
    """The playlist holds a value that would change the text's meaning if written
    (``.code == "unsafe-value"``): a quote, CR or LF in a quoted string or URI, a
    URI line starting with ``#``, ..."""


class MergeError(_DiagnosticError):
    """merge() cannot merge these origins: ``.code`` is ``"merge-input"`` (fewer than
    two origins, a base URI that is not absolute, bad ids, steering mode without a
    steering URI) or ``"ladder-mismatch"`` (a variant with no equivalent in another
    origin, unless allow_partial); ``.diagnostics`` lists every problem found."""


class RebaseError(_DiagnosticError):
    """rebase() or relativize() got a base URI that is not an absolute URI
    (``.code == "invalid-base-uri"``); the playlist was left unchanged."""


class FetchError(Error, OSError):
    """hlspp.load() could not get a playlist from a path or URL: HTTP error,
    timeout, too large, not a playlist, unreadable file, ...

    ``.source`` is what was asked for, ``.url`` the last URL tried (after
    redirects; None for files), ``.status`` the HTTP status when there was one.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str,
        url: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.url = url
        self.status = status

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_fetch, (self.message, self.source, self.url, self.status))


def _rebuild_fetch(message: str, source: str, url: str | None, status: int | None) -> FetchError:
    return FetchError(message, source=source, url=url, status=status)
