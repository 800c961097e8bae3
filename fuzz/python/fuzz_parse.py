# SPDX-License-Identifier: MIT
"""atheris target for hlspp.parse (the Python binding layer).

The C++ parser itself is fuzzed with coverage by the libFuzzer targets of fuzz/;
this target drives the same parser through the bindings: bytes and str inputs,
every strictness, ParseError's fields, the lossless and canonical writers and
to_dict(). Any other exception, a crash or a hang is a finding.

    python fuzz/python/fuzz_parse.py -max_total_time=60 [corpus_dir...]
"""

from __future__ import annotations

import sys
from typing import Any

import atheris

with atheris.instrument_imports():
    import hlspp

STRICTNESS = ("lenient", "default", "strict")


def typed_only(value: Any) -> Any:
    """to_dict() without kept lines (comments, blank lines, unknown tags): canonical
    output may attach those to a neighbour, as fuzz/invariants.hpp's typed_only()
    allows for the C++ targets."""
    if isinstance(value, dict):
        return {k: typed_only(v) for k, v in value.items() if k != "extras"}
    if isinstance(value, list):
        return [typed_only(v) for v in value]
    return value


def test_one_input(data: bytes) -> None:
    inputs: list[str | bytes] = [data]
    try:
        inputs.append(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    for text in inputs:
        raw = text if isinstance(text, bytes) else text.encode()
        for strictness in STRICTNESS:
            try:
                pl = hlspp.parse(text, strictness=strictness)
            except hlspp.ParseError as e:
                if not (isinstance(e.line, int) and isinstance(e.column, int) and e.code):
                    raise AssertionError(f"ParseError without a position or code: {e!r}") from e
                continue
            if pl.to_bytes() != raw:
                raise AssertionError("lossless write differs from the input")
            errors = any(d.severity == "error" for d in pl.diagnostics)
            try:
                canonical = pl.dumps(canonical=True)
            except hlspp.SerializeError:
                if not errors:
                    raise
                continue
            again = hlspp.parse(canonical, strictness="lenient")
            if not errors and typed_only(again.to_dict()) != typed_only(pl.to_dict()):
                raise AssertionError("canonical text re-parses to a different model")
            pl.to_dict()


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
