"""S3 static website hosting at ``/_website/<bucket>/<key>`` (same origin as the API)."""
from __future__ import annotations

import functools
import json
import mimetypes
import re
import urllib.parse

from localcloud import settings
from localcloud.wsgi import Reply, account_of

_INDEX = re.compile(rb"<IndexDocument>\s*<Suffix>([^<]+)</Suffix>", re.S)
_ERROR = re.compile(rb"<ErrorDocument>\s*<Key>([^<]+)</Key>", re.S)


def _bucket(account: str, name: str):
    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import s3_backends

    try:
        return s3_backends[account]["aws"].get_bucket(name)
    except MissingBucket:
        return None


def serve_website(environ: dict, rest: str) -> Reply:
    """Answer GET/HEAD for a website object: index document for folders, content types kept."""
    if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
        return _page(405, "Method Not Allowed", "a website answers GET and HEAD only")
    name, _, key = rest.partition("/")
    if not name:
        return _page(404, "Not Found", "name a bucket: /_website/<bucket>/")
    bucket = _bucket(account_of(environ), name)
    if bucket is None:
        return _page(404, "Not Found", f"NoSuchBucket: the bucket {name!r} does not exist")
    if not rest.endswith("/") and key == "" :
        return Reply(302, b"", {"Location": f"/_website/{name}/"}, "text/plain")
    config = bucket.website_configuration or b""
    index = (_INDEX.search(config).group(1).decode().strip() if _INDEX.search(config) else "index.html")
    key = urllib.parse.unquote(key)
    if key == "" or key.endswith("/"):
        key += index
    obj = bucket.keys.get(key)
    if obj is None and "." not in key.rsplit("/", 1)[-1] and bucket.keys.get(f"{key}/{index}") is not None:
        return Reply(302, b"", {"Location": f"/_website/{name}/{key}/"}, "text/plain")
    if obj is None:
        error_key = _ERROR.search(config)
        if error_key and bucket.keys.get(error_key.group(1).decode()) is not None:
            page = bucket.keys.get(error_key.group(1).decode())
            return Reply(404, page.value, security_headers(_origin(environ)),
                         _content_type(page, error_key.group(1).decode()))
        return _page(404, "Not Found", f"NoSuchKey: {key}")
    headers = {"ETag": obj.etag, "Last-Modified": obj.last_modified_RFC1123, "Cache-Control": "no-cache",
               **security_headers(_origin(environ))}
    return Reply(200, obj.value, headers, _content_type(obj, key))


def _origin(environ: dict) -> str:
    """The API's origin: this server's endpoint (the URL deploy writes into the page)."""
    return f"http://{settings.HOST}:{environ.get('SERVER_PORT', settings.DEFAULT_PORT)}"


def security_headers(api_origin: str) -> dict[str, str]:
    """The headers CloudFront's response headers policy adds, from the same file.

    Locally the API is this server, so ``{api_origin}`` is its endpoint.
    """
    spec = _security_spec()
    if not spec:
        return {}
    hsts = spec["strict_transport_security"]
    return {
        "Content-Security-Policy": spec["content_security_policy"].replace("{api_origin}", api_origin),
        "Strict-Transport-Security": f"max-age={hsts['max_age_seconds']}"
                                     + ("; includeSubDomains" if hsts.get("include_subdomains") else "")
                                     + ("; preload" if hsts.get("preload") else ""),
        "X-Content-Type-Options": spec["content_type_options"],
        "X-Frame-Options": spec["frame_options"],
        "Referrer-Policy": spec["referrer_policy"],
    }


@functools.lru_cache(maxsize=1)
def _security_spec() -> dict:
    try:
        return json.loads(settings.website_headers_file().read_text())
    except (OSError, ValueError):  # a local cloud used outside this project serves none
        return {}


def _content_type(obj, key: str) -> str:
    stored = obj.metadata.get("Content-Type") or obj.metadata.get("content-type")
    if stored and stored != "binary/octet-stream":
        return stored
    guessed, _ = mimetypes.guess_type(key)
    return guessed or "application/octet-stream"


def _page(status: int, title: str, detail: str) -> Reply:
    html = f"<html><head><title>{status} {title}</title></head><body><h1>{status} {title}</h1><p>{detail}</p></body></html>"
    return Reply(status, html, {}, "text/html; charset=utf-8")
