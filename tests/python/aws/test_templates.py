# SPDX-License-Identifier: MIT
"""CloudFormation templates in deploy/: cfn-lint clean, seed parameters/outputs, wiring, IAM."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

cfnlint_api = pytest.importorskip("cfnlint.api")
cfnlint_decode = pytest.importorskip("cfnlint.decode")

from .cfn_support import Resolver  # noqa: E402

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
TEMPLATES = [
    "stale-playlist-detector",
    "copilot",
    "clustered-video-stream-instance",
    "clustered-video-stream",
]
# What build-s3-dist.sh fills in.
PLACEHOLDERS = {"%%BUCKET_NAME%%": "hlspp-dist", "%%SOLUTION_NAME%%": "cvs", "%%VERSION%%": "v1.2.3"}

# Parameters and outputs the seed's INSTALL names (Fargate-only inputs of the old
# detector are gone with Fargate; the dashboard output is gone with the dashboard).
SEED_PARAMETERS = {
    "stale-playlist-detector": {"DistributionPlaylistUrl", "OriginPlaylistUrl"},
    "copilot": {
        "ClusteredVideoStreamName",
        "RegionOne",
        "RegionOneDistributionDomain",
        "RegionTwo",
        "RegionTwoDistributionDomain",
    },
    "clustered-video-stream-instance": {
        "ClusteredVideoStreamName",
        "RegionOne",
        "RegionTwo",
        "CloudfrontDistributionId",
        "CopilotLambdaArn",
        "CopilotLambdaVersion",
    },
    "clustered-video-stream": {
        "ClusteredVideoStreamName",
        "RegionOne",
        "RegionOneCloudfrontDistributionId",
        "RegionOneOriginAccessIdentity",
        "RegionOneMasterPlaylistBucket",
        "RegionTwo",
        "RegionTwoCloudfrontDistributionId",
        "RegionTwoOriginAccessIdentity",
        "RegionTwoMasterPlaylistBucket",
    },
}
SEED_OUTPUTS = {
    "stale-playlist-detector": {"TopicArn", "QueueArn", "QueueUrl", "ModuleId", "ModuleVersion", "StackName"},
    "copilot": {"CopilotLambdaArn", "CopilotLambdaVersion"},
    "clustered-video-stream-instance": {"MasterPlaylistBucket", "OriginAccessIdentity", "CloudfrontDistributionId"},
    "clustered-video-stream": {"MasterPlaylistCloudfrontDomain", "MasterPlaylistCloudfrontDistribution"},
}
HANDLERS = {
    "stale-playlist-detector": {"hlspp.aws.detector.handler"},
    "copilot": {"hlspp.aws.copilot.handler"},
    "clustered-video-stream-instance": set(),
    "clustered-video-stream": {"hlspp.aws.steering.handler", "hlspp.aws.regenerate.handler"},
}


def filled(name: str) -> str:
    text = (DEPLOY / f"{name}.yaml").read_text(encoding="utf-8")
    for key, value in PLACEHOLDERS.items():
        text = text.replace(key, value)
    assert "%%" not in text
    return text


def load(name: str) -> dict[str, Any]:
    template, errors = cfnlint_decode.decode_str(filled(name))
    assert not errors, errors
    assert isinstance(template, dict)
    return template


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


@pytest.mark.parametrize("name", TEMPLATES)
def test_cfn_lint_clean(name: str) -> None:
    matches = cfnlint_api.lint(filled(name), regions=["us-east-1", "eu-west-1", "eu-west-2"])
    assert [f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches] == []


@pytest.mark.parametrize("name", TEMPLATES)
def test_seed_parameters_outputs_and_handlers(name: str) -> None:
    t = load(name)
    assert SEED_PARAMETERS[name] <= set(t.get("Parameters", {}))
    assert SEED_OUTPUTS[name] <= set(t.get("Outputs", {}))
    assert not any("Dashboard" in o for o in t.get("Outputs", {})), "no dashboard"
    functions = resources(t, "AWS::Lambda::Function")
    packaged = {f["Properties"]["Handler"] for f in functions.values() if "S3Key" in f["Properties"]["Code"]}
    assert packaged == HANDLERS[name]
    for fn in functions.values():
        assert fn["Properties"]["Runtime"] == "python3.12"
    for res in t["Resources"].values():
        assert res["Type"] not in ("AWS::IAM::User", "AWS::IAM::AccessKey"), "no long-lived keys"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("name", TEMPLATES)
def test_least_privilege(name: str) -> None:
    t = load(name)
    for rname, role in resources(t, "AWS::IAM::Role").items():
        assert "ManagedPolicyArns" not in role["Properties"], rname
        for policy in role["Properties"].get("Policies", []):
            for st in policy["PolicyDocument"]["Statement"]:
                if st["Effect"] != "Allow":
                    continue
                for action in _as_list(st["Action"]):
                    assert action != "*" and not action.endswith(":*"), f"{rname}: {action}"
                for res in _as_list(st["Resource"]):
                    if res == "*" and _as_list(st["Action"]) == ["cloudwatch:PutMetricData"]:
                        # no resource-level permissions for it: scoped by namespace
                        assert "cloudwatch:namespace" in str(st["Condition"]["StringEquals"]), rname
                        continue
                    assert res != "*", f"{rname}: Resource *"
    for pname, pol in resources(t, "AWS::S3::BucketPolicy").items():
        for st in pol["Properties"]["PolicyDocument"]["Statement"]:
            if st["Effect"] == "Allow":
                assert _as_list(st["Action"]) == ["s3:GetObject"], pname


def test_copilot_is_a_lambda_at_edge() -> None:
    t = load("copilot")
    (fn,) = resources(t, "AWS::Lambda::Function").values()
    assert "Environment" not in fn["Properties"], "Lambda@Edge has no environment variables"
    assert fn["Properties"]["Timeout"] <= 30
    (role,) = resources(t, "AWS::IAM::Role").values()
    principals = role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"]
    assert "edgelambda.amazonaws.com" in principals
    assert resources(t, "AWS::Lambda::Version")
    assert "us-east-1" in str(t["Rules"])


@pytest.mark.parametrize("third", ["", "us-east-1"])
def test_copilot_may_read_every_stream_region_replica(third: str) -> None:
    """The copilot reads table_region, then fallback_regions: any stream region's
    replica, the optional third one included, and no other."""
    t = load("copilot")
    params = {"RegionOneDistributionDomain": "d1.cloudfront.net", "RegionTwoDistributionDomain": "d2.cloudfront.net"}
    if third:
        params["RegionThree"] = third
    r = Resolver(t, {**params, "AWS::Region": "us-east-1"}, {})
    (role,) = resources(t, "AWS::IAM::Role").values()
    reads = [
        st
        for pol in role["Properties"]["Policies"]
        for st in pol["PolicyDocument"]["Statement"]
        if "dynamodb:GetItem" in _as_list(st["Action"])
    ]
    assert len(reads) == 1
    tables = r.resolve(reads[0]["Resource"])
    regions = ["eu-west-1", "eu-west-2"] + ([third] if third else [])
    assert tables == [f"arn:aws:dynamodb:{g}:123456789012:table/cvs" for g in regions]


def test_instance_attaches_copilot_as_origin_request() -> None:
    t = load("clustered-video-stream-instance")
    (fn,) = resources(t, "AWS::Lambda::Function").values()
    code = fn["Properties"]["Code"]["ZipFile"]
    assert '"EventType": "origin-request"' in code and "SmoothStreaming" in code
    (cr,) = resources(t, "AWS::CloudFormation::CustomResource").values()
    assert cr["Properties"]["FunctionVersion"] == {"Ref": "CopilotLambdaVersion"}


def test_state_table_is_a_global_table_keyed_by_domain() -> None:
    t = load("clustered-video-stream")
    (table,) = resources(t, "AWS::DynamoDB::GlobalTable").values()
    p = table["Properties"]
    assert p["TableName"] == {"Ref": "ClusteredVideoStreamName"}
    assert p["KeySchema"] == [{"AttributeName": "domain", "KeyType": "HASH"}]
    assert p["AttributeDefinitions"] == [{"AttributeName": "domain", "AttributeType": "S"}]
    regions = [r["Region"] for r in p["Replicas"] if isinstance(r, dict) and "Region" in r]
    assert {"Ref": "RegionOne"} in regions and {"Ref": "RegionTwo"} in regions
    assert "Fn::If" in str(p["Replicas"]), "optional third region"
    steering = t["Resources"]["SteeringFunction"]["Properties"]["Environment"]["Variables"]
    assert set(steering) >= {"HLSPP_STATE_TABLE", "HLSPP_PATHWAYS", "HLSPP_STEERING_TTL"}
    (url,) = resources(t, "AWS::Lambda::Url").values()
    assert url["Properties"]["AuthType"] == "NONE"
    # public function URL: InvokeFunctionUrl, and (since 2025-10) InvokeFunction via the URL only
    perms = [p["Properties"] for p in resources(t, "AWS::Lambda::Permission").values()]
    assert {"Action": "lambda:InvokeFunctionUrl", "FunctionUrlAuthType": "NONE"}.items() <= {
        k: v for p in perms if p["Action"] == "lambda:InvokeFunctionUrl" for k, v in p.items()
    }.items()
    assert any(p["Action"] == "lambda:InvokeFunction" and p.get("InvokedViaFunctionUrl") is True for p in perms)


def test_master_distribution_default_behaviour_uses_the_origin_group() -> None:
    t = load("clustered-video-stream")
    (dist,) = resources(t, "AWS::CloudFront::Distribution").values()
    cfg = dist["Properties"]["DistributionConfig"]
    groups = {g["Id"]: g for g in cfg["OriginGroups"]["Items"]}
    target = cfg["DefaultCacheBehavior"]["TargetOriginId"]
    assert target in groups, "default behaviour must target the origin group"
    group = groups[target]
    assert sorted(group["FailoverCriteria"]["StatusCodes"]["Items"]) == [403, 404, 500, 502, 503, 504]
    members = [m["OriginId"] for m in group["Members"]["Items"]]
    origins = {o["Id"]: o for o in cfg["Origins"]}
    assert len(members) == 2 and len(set(members)) == 2 and set(members) <= set(origins)
    buckets = {str(origins[m]["DomainName"]) for m in members}
    assert any("RegionOneMasterPlaylistBucket" in b for b in buckets)
    assert any("RegionTwoMasterPlaylistBucket" in b for b in buckets)
    assert set(cfg["DefaultCacheBehavior"]["AllowedMethods"]) <= {"GET", "HEAD", "OPTIONS"}
