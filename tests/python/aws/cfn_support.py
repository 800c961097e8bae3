# SPDX-License-Identifier: MIT
"""The deploy templates as data: decoded with cfn-lint, and the environment a
template gives a Lambda handler, resolved for given parameter values (the few
intrinsic functions the templates use in Environment)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any, Mapping

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
# What build-s3-dist.sh fills in.
PLACEHOLDERS = {"%%BUCKET_NAME%%": "hlspp-dist", "%%SOLUTION_NAME%%": "cvs", "%%VERSION%%": "v1.2.3"}
# Handler -> (template, function resource) of every packaged Lambda with an environment.
HANDLER_FUNCTIONS = {
    "hlspp.aws.detector.handler": ("stale-playlist-detector", "DetectorFunction"),
    "hlspp.aws.regenerate.handler": ("clustered-video-stream", "RegenerateFunction"),
    "hlspp.aws.steering.handler": ("clustered-video-stream", "SteeringFunction"),
}


def load(name: str) -> dict[str, Any]:
    decode_str = importlib.import_module("cfnlint.decode").decode_str  # untyped
    text = (DEPLOY / f"{name}.yaml").read_text(encoding="utf-8")
    for key, value in PLACEHOLDERS.items():
        text = text.replace(key, value)
    template, errors = decode_str(text)
    assert not errors, errors
    assert isinstance(template, dict)
    return template


def resources(template: Mapping[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def environment(template: Mapping[str, Any], function: str) -> dict[str, Any]:
    """The unresolved Environment.Variables of a function resource."""
    props = template["Resources"][function]["Properties"]
    return dict(props.get("Environment", {}).get("Variables", {}))


NO_VALUE = object()  # AWS::NoValue: dropped from lists


class Resolver:
    """Resolves Ref, Fn::Sub, Fn::Select, Fn::Split, Fn::If, Fn::GetAtt, Fn::Equals,
    Fn::And, Fn::Not, Condition for the parameter values given; ``refs`` gives the
    value of a resource's Ref or GetAtt ("Name" or "Name.Attr")."""

    def __init__(self, template: Mapping[str, Any], params: Mapping[str, str], refs: Mapping[str, str]) -> None:
        self.t = template
        self.values = {"AWS::Region": "eu-west-1", "AWS::Partition": "aws", "AWS::AccountId": "123456789012"}
        self.values.update({k: str(v.get("Default", "")) for k, v in template.get("Parameters", {}).items()})
        self.values.update(params)  # pseudo parameters too ("AWS::Region")
        self.refs = dict(refs)

    def ref(self, name: str) -> str:
        if name in self.values:
            return self.values[name]
        if name in self.refs:
            return self.refs[name]
        raise KeyError(f"no value for {name} (add it to refs)")

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.t["Conditions"][name]))

    def resolve(self, v: Any) -> Any:
        if isinstance(v, (str, int, float, bool)):
            return v
        if isinstance(v, list):
            return [x for x in (self.resolve(x) for x in v) if x is not NO_VALUE]
        assert isinstance(v, dict), v
        if len(v) != 1 or not next(iter(v)).startswith(("Fn::", "Ref", "Condition")):
            return {k: self.resolve(x) for k, x in v.items()}  # a plain mapping
        ((fn, arg),) = v.items()
        if fn == "Ref":
            return NO_VALUE if arg == "AWS::NoValue" else self.ref(arg)
        if fn == "Fn::GetAtt":
            return self.ref(".".join(arg) if isinstance(arg, list) else arg)
        if fn == "Fn::Sub":
            assert isinstance(arg, str)
            return re.sub(r"\$\{([^}]+)\}", lambda m: self.ref(m.group(1)), arg)
        if fn == "Fn::Select":
            return self.resolve(arg[1])[int(arg[0])]
        if fn == "Fn::Split":
            return str(self.resolve(arg[1])).split(arg[0])
        if fn == "Fn::If":
            return self.resolve(arg[1] if self.condition(arg[0]) else arg[2])
        if fn == "Fn::Equals":
            return self.resolve(arg[0]) == self.resolve(arg[1])
        if fn == "Fn::Not":
            return not self.resolve(arg[0])
        if fn == "Fn::And":
            return all(self.resolve(x) for x in arg)
        if fn == "Condition":
            return self.condition(arg)
        raise AssertionError(f"unsupported intrinsic {fn}")

    def environment(self, function: str) -> dict[str, str]:
        return {k: str(self.resolve(v)) for k, v in environment(self.t, function).items()}
