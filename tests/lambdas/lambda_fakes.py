"""Test helpers for the Lambda unit tests: a tiny model with known answers, a test environment."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the lambdas package lives at the repository root
    sys.path.insert(0, str(ROOT))


class TinyModel:
    """Six products in two categories and two metadata fields; recommends by a fixed order."""

    ITEMS = [
        ("acc-current", "Current account", "accounts", "Everyday banking"),
        ("acc-savings", "Savings account", "accounts", "Interest on savings"),
        ("card-credit", "Credit card", "cards", "Pay later"),
        ("loan-home", "Mortgage", "loans", "Buy a home"),
        ("loan-personal", "Personal loan", "loans", "Borrow for anything"),
        ("pension", "Pension plan", "pensions", "Save for retirement"),
        ("funds", "Investment funds", "investments", "Grow your savings"),
    ]

    def catalogue(self):
        return [{"item_id": i, "name": n, "category": c, "description": d} for i, n, c, d in self.ITEMS]

    def metadata_schema(self):
        return [
            {"name": "AGE", "type": "integer", "minimum": 18, "maximum": 100, "label": "Age", "description": "years"},
            {"name": "SEX", "type": "categorical", "values": ["F", "M"], "label": "Sex", "description": ""},
        ]

    def recommend(self, items=None, metadata=None, k=10, exclude=None, category=None):
        given = set(items or [])
        ranked = [i for i, *_ in self.ITEMS if i not in given]
        reason = "because you picked " + items[0] if items else "popular with customers like you"
        return [{"item_id": i, "score": round(1.0 - 0.1 * n, 3), "reason": reason} for n, i in enumerate(ranked[:k])]


FIVE = ["acc-current", "acc-savings", "card-credit", "loan-home", "loan-personal"]

ENV = {
    "RESULTS_TABLE": "test-results", "EVENTS_TABLE": "test-events", "MODELS_BUCKET": "test-models",
    "MODEL_PREFIX": "default/", "CORS_ORIGIN": "http://site.example", "RESULT_TTL_DAYS": "7",
    "RECOMMENDER_BACKEND": "builtin", "STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:t",
    "MAX_BODY_BYTES": "2048",
}
