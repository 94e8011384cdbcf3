"""A development server for the website: serves frontend/ and answers the HTTP API contract in-process.

For developing and looking at the page before (or without) the deployed stack; the browser tests
run against the real deployed stack (`deployed_stack`), not this. Products come from
data/train/Items.csv when it exists, otherwise from a small built-in catalogue; ``--products N``
makes a synthetic catalogue of N items (1682 mimics MovieLens). Scores are toy arithmetic.

Usage::

    .venv/bin/python tests/browser/devserver.py --port 8765 [--products 1682] [--delay 0]
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
BANK = [
    ("current_account", "Current account", "Accounts", "Everyday account for payments and transfers."),
    ("payroll_account", "Payroll account", "Accounts", "Salary paid in, with fee waivers."),
    ("junior_account", "Junior account", "Accounts", "An account for customers under 18."),
    ("particular_account", "Particular account", "Accounts", "Account with preferential conditions."),
    ("particular_plus", "Particular Plus account", "Accounts", "Premium account for high balances."),
    ("e_account", "e-account", "Accounts", "Online-only account with no fees."),
    ("savings_account", "Savings account", "Savings", "Easy-access savings with interest."),
    ("short_deposit", "Short-term deposit", "Deposits", "Fixed rate for up to 6 months."),
    ("medium_deposit", "Medium-term deposit", "Deposits", "Fixed rate for 6 to 24 months."),
    ("long_deposit", "Long-term deposit", "Deposits", "Fixed rate for over 2 years."),
    ("funds", "Investment funds", "Investments", "Diversified funds managed for you."),
    ("securities", "Securities", "Investments", "Buy and hold shares and bonds."),
    ("derivatives", "Derivatives account", "Investments", "Options and futures for experienced investors."),
    ("mortgage", "Mortgage", "Loans", "A loan to buy a home."),
    ("loans", "Personal loan", "Loans", "Borrow for a car, studies or a project."),
    ("credit_card", "Credit card", "Cards", "Pay now, settle monthly."),
    ("pensions", "Pension plan", "Pensions", "Save for retirement with tax relief."),
    ("pension_payments", "Pension payments", "Pensions", "Receive your pension into the bank."),
    ("payroll", "Payroll service", "Services", "Employers pay salaries through the bank."),
    ("taxes", "Tax payments", "Services", "Pay taxes directly from your account."),
    ("direct_debit", "Direct debit", "Services", "Pay bills automatically."),
    ("home_account", "Home account", "Accounts", "Shared account for household bills."),
    ("guarantees", "Guarantees", "Services", "Bank guarantees for rent and contracts."),
]
SCHEMA = [
    {"name": "AGE", "type": "integer", "minimum": 18, "maximum": 95, "values": None,
     "label": "Age", "description": "Age in years"},
    {"name": "CUSTOMER_TENURE", "type": "integer", "minimum": 0, "maximum": 600, "values": None,
     "label": "Customer tenure", "description": "Months as a customer"},
    {"name": "INCOME", "type": "number", "minimum": 0, "maximum": 1_000_000, "values": None,
     "label": "Income", "description": "Gross yearly household income"},
    {"name": "SEX", "type": "categorical", "values": ["H", "V"], "minimum": None, "maximum": None,
     "label": "Sex", "description": "As recorded by the bank"},
    {"name": "SEGMENT", "type": "categorical", "values": ["individual", "university", "vip"],
     "minimum": None, "maximum": None, "label": "Segment", "description": "Customer segment"},
]


def load_products(n_synthetic: int | None) -> list[dict]:
    """Products for the catalogue: synthetic, from data/train, or the built-in bank list."""
    if n_synthetic:
        genres = ["Drama", "Comedy", "Action", "Thriller", "Romance", "Adventure", "Sci-Fi", "Horror",
                  "Children's", "Crime", "War", "Documentary", "Musical", "Mystery", "Animation"]
        return [{"item_id": str(i + 1), "name": f"Film number {i + 1} ({1930 + i % 68})",
                 "category": genres[i % len(genres)], "description": f"{1930 + i % 68} · {genres[i % len(genres)]}"}
                for i in range(n_synthetic)]
    for name in ("Items.csv", "Items.csv.gz"):
        path = ROOT / "data" / "train" / name
        if path.exists():
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rt", newline="") as handle:
                rows = list(csv.DictReader(handle))
            if rows and {"NAME", "CATEGORY"} <= set(rows[0]):
                return [{"item_id": r["ITEM_ID"], "name": r["NAME"], "category": r["CATEGORY"],
                         "description": r.get("DESCRIPTION", "")} for r in rows]
    return [{"item_id": i, "name": n, "category": c, "description": d} for i, n, c, d in BANK]


class Api:
    """The API contract answered in memory."""

    def __init__(self, products: list[dict]):
        self.products = products
        self.by_id = {p["item_id"]: p for p in products}
        self.results: dict[str, dict] = {}

    def list_products(self, query: dict) -> tuple[int, dict]:
        search = query.get("search", [""])[0].lower()
        category = query.get("category", [""])[0]
        try:
            offset = int(query.get("offset", ["0"])[0])
            limit = int(query.get("limit", ["50"])[0])
        except ValueError:
            return 400, {"message": "offset and limit must be whole numbers"}
        if not 1 <= limit <= 200 or offset < 0:
            return 400, {"message": "limit must be between 1 and 200 and offset at least 0"}
        hits = [p for p in self.products
                if (not category or p["category"] == category)
                and (not search or search in p["name"].lower() or search in p["description"].lower())]
        return 200, {"items": hits[offset:offset + limit], "total": len(hits), "offset": offset, "limit": limit,
                     "categories": sorted({p["category"] for p in self.products})}

    def recommend(self, body: dict) -> tuple[int, dict]:
        mode = body.get("mode")
        if mode not in ("products", "metadata", "both"):
            return 400, {"message": "mode must be one of products, metadata, both"}
        items = body.get("items") or []
        metadata = body.get("metadata") or {}
        if mode != "metadata":
            if len(set(items)) != 5:
                return 400, {"message": f"choose exactly 5 products; you sent {len(set(items))}"}
            unknown = [i for i in items if i not in self.by_id]
            if unknown:
                return 400, {"message": f"unknown product id {unknown[0]!r}"}
        if mode != "products":
            if not metadata:
                return 400, {"message": "give at least one metadata field"}
            fields = {f["name"]: f for f in SCHEMA}
            for name, value in metadata.items():
                field = fields.get(name)
                if field is None:
                    return 400, {"message": f"unknown metadata field {name!r}"}
                if field["type"] == "categorical" and not isinstance(value, str):
                    return 422, {"message": f"{name} takes text"}
                if field["type"] != "categorical" and not isinstance(value, (int, float)):
                    return 422, {"message": f"{name} must be a number"}
        chosen = [self.by_id[i] for i in items] if mode != "metadata" else []
        recs = []
        for rank, product in enumerate(self.products):
            if product["item_id"] in items:
                continue
            score = 1.0 / (1 + rank * 0.15)
            reason = "popular with all customers"
            same = [c for c in chosen if c["category"] == product["category"]]
            if same:
                score += 0.4 * len(same)
                reason = f"because you picked {same[0]['name']}"
            elif "AGE" in metadata:
                low = metadata["AGE"] // 10 * 10
                score += 0.1 * ((rank + low) % 5)
                reason = f"popular with customers aged {low}-{low + 9}"
            recs.append({"item_id": product["item_id"], "name": product["name"], "category": product["category"],
                         "score": round(score, 4), "reason": reason})
        recs.sort(key=lambda r: -r["score"])
        result = {"request_id": str(uuid.uuid4()), "mode": mode,
                  "created_at": datetime.now(timezone.utc).isoformat(), "items": items, "metadata": metadata,
                  "recommendations": recs[: int(body.get("k", 10))]}
        self.results[result["request_id"]] = result
        return 200, result


def make_handler(api: Api, delay: float):
    """A request handler class bound to one Api."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(FRONTEND), **kwargs)

        def log_message(self, *args):  # quiet
            pass

        def send_json(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urlparse(self.path)
            if url.path.startswith("/api/"):
                time.sleep(delay)
                if url.path == "/api/products":
                    return self.send_json(*api.list_products(parse_qs(url.query)))
                if url.path == "/api/metadata-schema":
                    return self.send_json(200, {"fields": SCHEMA})
                if url.path.startswith("/api/recommendations/"):
                    found = api.results.get(url.path.rsplit("/", 1)[1])
                    return self.send_json(200, found) if found else self.send_json(404, {"message": "no such request"})
                return self.send_json(404, {"message": "unknown route"})
            if url.path in ("/", "/index.html"):
                host = self.headers.get("Host")
                html = (FRONTEND / "index.html").read_text().replace("__API_URL__", f"http://{host}/api")
                data = html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return None
            return super().do_GET()

        def do_POST(self):
            time.sleep(delay)
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError:
                return self.send_json(400, {"message": "the body is not valid JSON"})
            path = urlparse(self.path).path
            if path == "/api/recommendations":
                return self.send_json(*api.recommend(body))
            if path == "/api/events":
                return self.send_json(202, {"event_id": str(uuid.uuid4())})
            return self.send_json(404, {"message": "unknown route"})

    return Handler


def start(port: int = 0, products: int | None = None, delay: float = 0.0) -> tuple[ThreadingHTTPServer, str]:
    """Start the server in a daemon thread; return it and the site URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(Api(load_products(products)), delay))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/index.html"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--products", type=int, default=None, help="synthetic catalogue size, e.g. 1682")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds added to every API answer")
    args = parser.parse_args()
    server, url = start(args.port, args.products, args.delay)
    print(f"Serving the site at {url} (Ctrl-C stops)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
