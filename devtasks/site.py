"""The site's build copy (API URL written in), its S3 sync with content types and cache headers, and
the CloudFront invalidation after a change."""
from __future__ import annotations

import hashlib
import html
import mimetypes
import re
import shutil
import time
from pathlib import Path

from devtasks.paths import BUILD, ROOT

FRONTEND = ROOT / "frontend"
SITE = BUILD / "site"
API_URL_META = re.compile(r'(<meta\s+name="api-url"\s+content=")[^"]*(")')
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon",
         ".txt": "text/plain; charset=utf-8", ".webmanifest": "application/manifest+json"}


# Pages name the API URL and the module graph: browsers and CloudFront ask again every time.
PAGE_CACHE = "no-cache"
# ES modules and styles keep their names across releases (no build step): browsers revalidate on
# every load (a 304 when unchanged), CloudFront keeps them a day, and a publish invalidates them.
ASSET_CACHE = "public, max-age=0, s-maxage=86400, must-revalidate"


class SiteError(RuntimeError):
    """The site cannot be prepared or synced; the message says what to do."""


def prepare(api_url: str, source: Path = FRONTEND, target: Path = SITE) -> Path:
    """Copy the frontend into ``target`` with the API URL in index.html's ``<meta name="api-url">``."""
    index = source / "index.html"
    if not index.exists():
        raise SiteError(f"{index} does not exist; the site needs it")
    text = index.read_text(encoding="utf-8")
    if not API_URL_META.search(text):
        raise SiteError(f'{index} has no <meta name="api-url" content="..."> tag; the deploy writes the API URL there')
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("README.md", "*.test.*", "node_modules"))
    written = API_URL_META.sub(lambda m: m.group(1) + html.escape(api_url, quote=True) + m.group(2), text, count=1)
    (target / "index.html").write_text(written, encoding="utf-8")
    return target


def content_type(path: Path) -> str:
    """The Content-Type a browser needs for ``path``."""
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def cache_control(path: Path) -> str:
    """The Cache-Control a site object is uploaded with."""
    return PAGE_CACHE if path.suffix.lower() in (".html", ".htm") else ASSET_CACHE


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def sync(s3, folder: Path, bucket: str, prefix: str = "", delete: bool = True) -> dict:
    """Make ``s3://bucket/prefix`` hold exactly the files of ``folder`` (unchanged ones are skipped), each
    with its Content-Type and Cache-Control (an object whose headers changed is uploaded again).

    Returns
    -------
    dict
        ``{"uploaded": [...], "unchanged": int, "deleted": [...]}``.
    """
    remote = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            remote[obj["Key"]] = obj["ETag"].strip('"')
    uploaded, unchanged = [], 0
    local_keys = set()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        key = prefix + path.relative_to(folder).as_posix()
        local_keys.add(key)
        data = path.read_bytes()
        headers = {"ContentType": content_type(path), "CacheControl": cache_control(path)}
        if remote.get(key) == _md5(data) and _headers(s3, bucket, key) == headers:
            unchanged += 1
            continue
        s3.put_object(Bucket=bucket, Key=key, Body=data, **headers)
        uploaded.append(key)
    stale = sorted(set(remote) - local_keys) if delete else []
    for start in range(0, len(stale), 1000):
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in stale[start:start + 1000]]})
    return {"uploaded": uploaded, "unchanged": unchanged, "deleted": stale}


def _headers(s3, bucket: str, key: str) -> dict:
    head = s3.head_object(Bucket=bucket, Key=key)
    return {"ContentType": head.get("ContentType"), "CacheControl": head.get("CacheControl")}


def invalidate(cloudfront, distribution_id: str, changes: dict) -> str | None:
    """Ask CloudFront to drop every cached copy after a sync that changed something; returns the
    invalidation id (None when nothing changed). One wildcard path: it counts as a single path."""
    changed = sorted(changes["uploaded"]) + sorted(changes["deleted"])
    if not changed:
        return None
    digest = hashlib.sha256("\n".join(changed).encode()).hexdigest()[:16]
    reference = f"publish-{time.time_ns()}-{digest}"  # unique per publish: an old reference would be a no-op
    answer = cloudfront.create_invalidation(DistributionId=distribution_id, InvalidationBatch={
        "Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": reference})
    return answer["Invalidation"]["Id"]
