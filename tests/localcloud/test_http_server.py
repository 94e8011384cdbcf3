"""The emulator's HTTP layer: interim answers (``Expect: 100-continue``) and connection reuse."""
from __future__ import annotations

import http.client
import io
import statistics
import time
import uuid

import pytest

pytestmark = [pytest.mark.cloud]


def test_expect_100_continue_is_answered_before_the_body(cloud):
    conn = http.client.HTTPConnection("127.0.0.1", cloud.port, timeout=5)
    conn.putrequest("PUT", f"/no-such-bucket-{uuid.uuid4().hex[:8]}/key")
    conn.putheader("Expect", "100-continue")
    conn.putheader("Content-Length", "5")
    conn.endheaders()
    conn.sock.settimeout(0.5)  # the interim answer must come without the body having been sent
    interim = conn.sock.recv(64)
    assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
    conn.sock.settimeout(5)
    conn.send(b"hello")
    answer = conn.getresponse()
    assert answer.status == 404  # one final answer follows, not a second 100
    answer.read()
    conn.close()


def test_boto3_uploads_do_not_wait_for_the_continue_timeout(cloud):
    s3 = cloud.client("s3")
    bucket = f"upload-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    durations = []
    for i, body in enumerate([b"small", io.BytesIO(b"file-like"), b"x" * 4096, io.BytesIO(b"y" * 2048)]):
        start = time.perf_counter()
        s3.put_object(Bucket=bucket, Key=f"k{i}", Body=body)
        durations.append(time.perf_counter() - start)
    assert statistics.median(durations) < 0.3, durations  # was ~1.0 s each (botocore's continue timeout)
    assert s3.get_object(Bucket=bucket, Key="k1")["Body"].read() == b"file-like"
    assert s3.get_object(Bucket=bucket, Key="k2")["Body"].read() == b"x" * 4096
