# SPDX-License-Identifier: MIT
"""hlspp.aws.publish and `hlspp publish` against moto (server mode, real HTTP)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("boto3")
pytest.importorskip("moto.server")

from hlspp import cli  # noqa: E402
from hlspp.aws.publish import CONTENT_TYPE, PublishError, publish  # noqa: E402

from .support import (
    BUCKETS,
    KEY,
    MASTER,
    MASTER2,
    FaultProxy,
    Moto,
    client,
    contents,
    invalidations,
    make_buckets,
    make_distribution,
)  # noqa: E402


def test_first_publish_then_replace_invalidates_only_on_replace(aws: Moto) -> None:
    make_buckets(aws.url)
    dist = make_distribution(aws.url)

    first = publish(MASTER, BUCKETS, KEY, distribution_ids=[dist], cache_control="max-age=5")
    assert first.ok and first.changed
    assert [b.action for b in first.buckets] == ["created"] * 3
    assert first.invalidations == {}
    assert invalidations(aws.url, dist) == []
    for body in contents(aws.url).values():
        assert body == (MASTER.encode(), CONTENT_TYPE, "max-age=5")

    same = publish(MASTER, BUCKETS, KEY, distribution_ids=[dist], cache_control="max-age=5")
    assert same.ok and not same.changed
    assert [b.action for b in same.buckets] == ["unchanged"] * 3
    assert invalidations(aws.url, dist) == []

    second = publish(MASTER2, BUCKETS, KEY, distribution_ids=[dist], cache_control="max-age=5")
    assert second.ok and second.changed
    assert [b.action for b in second.buckets] == ["replaced"] * 3
    assert list(second.invalidations) == [dist]
    assert invalidations(aws.url, dist) == [second.invalidations[dist]]
    cf = client("cloudfront", aws.url)
    inv = cf.get_invalidation(DistributionId=dist, Id=second.invalidations[dist])
    assert inv["Invalidation"]["InvalidationBatch"]["Paths"]["Items"] == ["/" + KEY]
    for body in contents(aws.url).values():
        assert body[0] == MASTER2.encode()


def test_invalid_playlist_is_refused_and_nothing_is_written(aws: Moto) -> None:
    make_buckets(aws.url)
    bad = "#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=640x360\nv1.m3u8\n"  # no BANDWIDTH
    with pytest.raises(PublishError, match="does not validate"):
        publish(bad, BUCKETS, KEY)
    with pytest.raises(PublishError, match="does not parse|does not validate"):
        publish("hello\n", BUCKETS, KEY)
    assert all(v is None for v in contents(aws.url).values())


def test_nonexistent_bucket_stops_before_any_write(aws: Moto) -> None:
    make_buckets(aws.url, BUCKETS[:2])
    with pytest.raises(PublishError) as exc:
        publish(MASTER, BUCKETS, KEY)
    assert "bucket pl-eu@eu-west-1" in str(exc.value) and "NoSuchBucket" in str(exc.value)
    assert "nothing was written" in str(exc.value)
    assert exc.value.result is not None
    assert [b.action for b in exc.value.result.buckets] == ["skipped", "skipped", "failed"]
    assert contents(aws.url, BUCKETS[:2]) == {"pl-east": None, "pl-west": None}


def s3_put_fails(bucket: str) -> Any:
    def rule(method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        if method == "PUT" and path.startswith(f"/{bucket}/"):
            return (
                500,
                {"Content-Type": "application/xml"},
                (
                    b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>InternalError</Code>"
                    b"<Message>injected failure</Message></Error>"
                ),
            )
        return None

    return rule


def proxied_s3(proxy: FaultProxy) -> Any:
    def factory(region: str | None) -> Any:
        return client("s3", proxy.url, region or "us-east-1", retries={"max_attempts": 2, "mode": "standard"})

    return factory


def test_put_failure_mid_way_rolls_back_every_bucket(aws: Moto, fault_proxy: FaultProxy) -> None:
    make_buckets(aws.url)
    dist = make_distribution(aws.url)
    publish(MASTER, BUCKETS, KEY, cache_control="max-age=7")
    before = contents(aws.url)

    fault_proxy.rules.append(s3_put_fails("pl-eu"))  # the third bucket fails after two were written
    with pytest.raises(PublishError) as exc:
        publish(MASTER2, BUCKETS, KEY, distribution_ids=[dist], s3=proxied_s3(fault_proxy))
    msg = str(exc.value)
    assert msg.startswith("bucket pl-eu@eu-west-1: upload of s3://pl-eu/live/master.m3u8 failed")
    assert "rolled back" in msg
    assert exc.value.result is not None
    assert [b.action for b in exc.value.result.buckets] == ["restored", "restored", "failed"]
    assert fault_proxy.count("PUT", "/pl-east/") == 2  # the new playlist, then the old one back
    # every bucket holds the previous playlist (bytes and headers), no invalidation
    assert contents(aws.url) == before
    assert invalidations(aws.url, dist) == []


def test_put_failure_on_first_publish_deletes_what_was_written(aws: Moto, fault_proxy: FaultProxy) -> None:
    make_buckets(aws.url)
    fault_proxy.rules.append(s3_put_fails("pl-west"))
    with pytest.raises(PublishError, match="bucket pl-west@us-west-2"):
        publish(MASTER, BUCKETS, KEY, s3=proxied_s3(fault_proxy))
    assert contents(aws.url) == {"pl-east": None, "pl-west": None, "pl-eu": None}


def test_cli_publish(aws: Moto, tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    make_buckets(aws.url)
    dist = make_distribution(aws.url)
    f = tmp_path / "master.m3u8"
    f.write_text(MASTER)
    args = ["publish", str(f), "--key", KEY, "--distribution-id", dist]
    for b in BUCKETS:
        args += ["--bucket", b]
    assert cli.main(args) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "created" in out and "invalidation" not in out
    f.write_text(MASTER2)
    assert cli.main(args + ["--json"]) == cli.EXIT_OK
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["changed"] and dist in report["invalidations"]

    # a missing bucket: exit 3 (I/O), one line naming it
    assert cli.main(args + ["--bucket", "nope@us-west-1"]) == cli.EXIT_IO
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope@us-west-1" in err[0]

    # an invalid playlist: exit 1
    f.write_text("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\nv.m3u8\n")
    assert cli.main(args) == cli.EXIT_DATA
    assert "does not validate" in capsys.readouterr().err


def test_failed_invalidation_is_reported_with_buckets_consistent(aws: Moto) -> None:
    make_buckets(aws.url)
    publish(MASTER, BUCKETS, KEY)
    with pytest.raises(PublishError) as exc:
        publish(MASTER2, BUCKETS, KEY, distribution_ids=["ENOSUCHDIST"])
    assert str(exc.value).startswith("distribution ENOSUCHDIST: invalidation of /live/master.m3u8 failed")
    assert "every bucket holds the new playlist" in str(exc.value)
    assert {v[0] for v in contents(aws.url).values()} == {MASTER2.encode()}
