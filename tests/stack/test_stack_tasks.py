"""The deploy's own pieces, in-process: target checks, the site's API URL, S3 syncs (moto)."""
import sys
from pathlib import Path

import boto3
import pytest
from invoke import Context, Exit
from moto import mock_aws

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devtasks import site, stack  # noqa: E402


def test_unknown_target_is_refused_with_what_to_type():
    with pytest.raises(Exit, match="use --target local or --target aws"):
        stack.deploy(Context(), target="mars")


def test_site_copy_gets_the_api_url_in_its_one_place(tmp_path):
    source = tmp_path / "frontend"
    (source / "js").mkdir(parents=True)
    (source / "index.html").write_text('<head><meta name="api-url" content="__API_URL__"></head>')
    (source / "js" / "app.js").write_text("export {};")
    built = site.prepare('http://x/api?a="b"', source=source, target=tmp_path / "site")
    assert '<meta name="api-url" content="http://x/api?a=&quot;b&quot;">' in (built / "index.html").read_text()
    assert (built / "js" / "app.js").read_text() == "export {};"
    assert "__API_URL__" in (source / "index.html").read_text()  # the source stays a template


def test_site_without_the_meta_tag_is_refused(tmp_path):
    (tmp_path / "index.html").write_text("<head></head>")
    with pytest.raises(site.SiteError, match='no <meta name="api-url"'):
        site.prepare("http://x", source=tmp_path, target=tmp_path / "out")


@pytest.fixture
def bucket():
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="site")
        yield s3


def test_sync_sets_content_types_skips_unchanged_and_deletes_stale(bucket, tmp_path):
    (tmp_path / "index.html").write_text("<html></html>")
    (tmp_path / "app.js").write_text("export {};")
    bucket.put_object(Bucket="site", Key="old.css", Body=b"x")
    first = site.sync(bucket, tmp_path, "site")
    assert sorted(first["uploaded"]) == ["app.js", "index.html"] and first["deleted"] == ["old.css"]
    head = bucket.head_object(Bucket="site", Key="app.js")
    assert head["ContentType"] == "text/javascript; charset=utf-8"
    assert bucket.head_object(Bucket="site", Key="index.html")["CacheControl"] == "no-cache"
    again = site.sync(bucket, tmp_path, "site")
    assert again == {"uploaded": [], "unchanged": 2, "deleted": []}


def test_empty_bucket_removes_every_version(bucket):
    bucket.put_bucket_versioning(Bucket="site", VersioningConfiguration={"Status": "Enabled"})
    for body in (b"1", b"2"):
        bucket.put_object(Bucket="site", Key="model.npz", Body=body)
    bucket.delete_object(Bucket="site", Key="model.npz")
    assert site.empty_bucket(bucket, "site") == 3
    assert "Versions" not in bucket.list_object_versions(Bucket="site")
