"""The emulator's HTTP layer: interim answers (``Expect: 100-continue``) and connection reuse."""
from __future__ import annotations

import http.client
import io
import json
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


def test_connections_are_kept_alive_and_unread_bodies_skipped_exactly(cloud):
    """Keep-alive: a body the route never reads is skipped by its length, so the next request on
    the same connection (even one already sent, pipelined) is read from the right byte."""
    conn = http.client.HTTPConnection("127.0.0.1", cloud.port, timeout=5)
    conn.request("GET", "/_localcloud/health")
    first = conn.getresponse()
    assert first.status == 200 and first.getheader("Connection") != "close"
    first.read()
    sock = conn.sock
    body = b'{"ignored": "' + b"x" * 70000 + b'"}'  # the health route reads no body
    head = (f"POST /_localcloud/health HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    sock.sendall(head + body + b"GET /_localcloud/health HTTP/1.1\r\nHost: x\r\n\r\n")
    reader = sock.makefile("rb")
    for _ in range(2):
        status = reader.readline()
        assert status.startswith(b"HTTP/1.1 200"), status
        length = 0
        while (line := reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        assert json.loads(reader.read(length))["status"] == "ok"
    conn.close()


def test_a_client_asking_to_close_gets_its_connection_closed(cloud):
    conn = http.client.HTTPConnection("127.0.0.1", cloud.port, timeout=5)
    conn.request("GET", "/_localcloud/health", headers={"Connection": "close"})
    answer = conn.getresponse()
    assert answer.getheader("Connection") == "close"
    answer.read()
    assert conn.sock is None or conn.sock.recv(1) == b""  # the server hung up
    conn.close()
