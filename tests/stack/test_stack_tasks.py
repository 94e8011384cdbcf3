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


def test_every_site_object_is_uploaded_with_its_cache_control(bucket, tmp_path):
    (tmp_path / "js").mkdir()
    for name in ("index.html", "js/app.js", "css.css", "logo.svg"):
        (tmp_path / name).write_text("x")
    site.sync(bucket, tmp_path, "site")
    heads = {key: bucket.head_object(Bucket="site", Key=key)["CacheControl"]
             for key in ("index.html", "js/app.js", "css.css", "logo.svg")}
    assert heads["index.html"] == "no-cache"
    assert {heads[k] for k in ("js/app.js", "css.css", "logo.svg")} == {site.ASSET_CACHE}
    assert "max-age=0" in site.ASSET_CACHE and "must-revalidate" in site.ASSET_CACHE


def test_an_object_uploaded_without_cache_control_is_uploaded_again(bucket, tmp_path):
    (tmp_path / "app.js").write_text("export {};")
    bucket.put_object(Bucket="site", Key="app.js", Body=b"export {};")  # same bytes, no headers
    assert site.sync(bucket, tmp_path, "site")["uploaded"] == ["app.js"]
    assert bucket.head_object(Bucket="site", Key="app.js")["CacheControl"] == site.ASSET_CACHE


def test_a_changed_site_invalidates_cloudfront_once_and_an_unchanged_one_not_at_all():
    from botocore.stub import ANY, Stubber

    cloudfront = boto3.client("cloudfront", region_name="us-east-1")
    with Stubber(cloudfront) as stub:
        stub.add_response("create_invalidation", {"Location": "x", "Invalidation": {
            "Id": "I2J3", "Status": "InProgress", "CreateTime": "2026-12-01T00:00:00Z",
            "InvalidationBatch": {"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": "r"}}},
            {"DistributionId": "E123", "InvalidationBatch": {"Paths": {"Quantity": 1, "Items": ["/*"]},
                                                             "CallerReference": ANY}})
        assert site.invalidate(cloudfront, "E123", {"uploaded": ["index.html"], "deleted": [], "unchanged": 3}) == "I2J3"
        assert site.invalidate(cloudfront, "E123", {"uploaded": [], "deleted": [], "unchanged": 4}) is None
        stub.assert_no_pending_responses()


def test_the_stacks_region_reaches_terraform_and_every_client(tmp_path, monkeypatch):
    from devtasks import clients, stack_deploy
    from devtasks.terraform import Stack

    state = tmp_path / "aws" / "terraform.tfstate"
    state.parent.mkdir()
    state.write_text('{"resources": [{"mode": "managed", "type": "aws_s3_bucket", "name": "x", "instances": []}],'
                     ' "outputs": {"region": {"value": "eu-west-1"}}}')
    deployed = Stack("aws", tmp_path)
    assert stack_deploy.region_for(deployed, None) == "eu-west-1"        # the stack's own region by default
    assert stack_deploy.region_for(deployed, "eu-west-1") == "eu-west-1"
    with pytest.raises(stack_deploy.DeployError, match="lives in eu-west-1.*--region eu-west-1"):
        stack_deploy.region_for(deployed, "us-west-2")                   # never a second copy elsewhere
    assert stack_deploy.region_for(Stack("aws", tmp_path / "none"), "ap-south-1") == "ap-south-1"
    assert Stack("aws", tmp_path)._vars({"region": "eu-west-1", "local_endpoint": None}) == {
        "target": "aws", "region": "eu-west-1"}
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    assert clients.client("logs", "eu-west-1").meta.region_name == "eu-west-1"
    assert clients.client("s3", "eu-west-1", "http://127.0.0.1:1").meta.region_name == "eu-west-1"
    with pytest.raises(ValueError, match="pass --region"):
        clients.client("logs", "")


def test_publish_refuses_a_stack_whose_model_is_missing(bucket, tmp_path):
    from devtasks.publish import PublishError, publish

    bucket.create_bucket(Bucket="models")
    outputs = {"site_bucket": "site", "models_bucket": "models", "model_prefix": "models/abc/",
               "model_keys": ["models/abc/manifest.json"], "region": "us-east-1", "api_url": "http://x",
               "endpoint": ""}
    with pytest.raises(PublishError, match="missing .* run `invoke deploy`"):
        publish(outputs, site_dir=tmp_path / "site")
