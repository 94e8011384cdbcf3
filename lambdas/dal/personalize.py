"""Amazon Personalize: record what the visitor gave (PutEvents, PutUsers), then ask the campaign.

Every request gets a fresh user id (never one shared id): the 5 chosen products are recorded
as events of an anonymous session with that id, the customer details as a new user with that
id, and GetRecommendations asks for that id through the filter that drops the chosen products
(and, when a category is asked for, every other category). Personalize gives no reasons, so
each result says where it came from; the score is the one Personalize returned.
"""
from __future__ import annotations

import json
import time
from typing import Any, Callable

from botocore.exceptions import BotoCoreError, ClientError

from lambdas.errors import ModelUnavailable

#: The event type of a chosen product; the filter devtasks/personalize_resources.py creates excludes it.
CHOSEN_EVENT = "chosen"


def property_key(field: str) -> str:
    """PutUsers wants camelCase keys for the schema's fields: ``CUSTOMER_TENURE`` → ``customerTenure``."""
    head, *rest = field.lower().split("_")
    return head + "".join(part.capitalize() for part in rest)


def _reason(items: list[str] | None, metadata: dict | None) -> str:
    given = " and ".join(part for part, present in (("the products chosen", items), ("the customer's details",
                                                                                      metadata)) if present)
    return f"Amazon Personalize's pick for {given or 'all customers'} (it gives no reasons)"


class PersonalizeRanker:
    """Ranks like the builtin model (``recommend(items=, metadata=, k=, category=)``) by asking a campaign.

    Parameters
    ----------
    runtime, events : botocore clients
        ``personalize-runtime`` and ``personalize-events``.
    settings : lambdas.config.Settings
        Campaign, tracking id, users dataset and filter ARNs.
    catalogue : object
        The builtin model, which knows the catalogue and the metadata schema.
    new_id : callable
        A fresh visitor id per request.
    """

    def __init__(self, runtime: Any, events: Any, settings: Any, catalogue: Any, new_id: Callable[[], str]):
        self.runtime, self.events, self.settings, self.model, self.new_id = runtime, events, settings, catalogue, new_id

    def catalogue(self) -> list[dict]:
        return self.model.catalogue()

    def metadata_schema(self) -> list[dict]:
        return self.model.metadata_schema()

    def recommend(self, items=None, metadata=None, k: int = 10, exclude=None, category=None) -> list[dict]:
        """Best ``k`` items from Personalize for this input: ``{"item_id", "score", "reason"}``."""
        visitor = self.new_id()
        s = self.settings
        try:
            if metadata:
                properties = {property_key(name): value for name, value in metadata.items()}
                self.events.put_users(datasetArn=s.personalize_users_dataset_arn,
                                      users=[{"userId": visitor, "properties": json.dumps(properties)}])
            if items:
                now = time.time()
                identity = {"userId": visitor} if metadata else {}
                self.events.put_events(trackingId=s.personalize_tracking_id, sessionId=visitor, **identity,
                                       eventList=[{"eventType": CHOSEN_EVENT, "itemId": item, "sentAt": now}
                                                  for item in items])
            dropped = set(exclude or [])
            request = {"campaignArn": s.personalize_campaign_arn, "userId": visitor, "numResults": k + len(dropped),
                       "filterArn": s.personalize_filter_arn}
            if category:
                request["filterValues"] = {"CATEGORY": json.dumps(category)}
            answer = self.runtime.get_recommendations(**request)
        except (ClientError, BotoCoreError) as error:
            raise ModelUnavailable(f"Amazon Personalize could not answer: {error}") from None
        reason = _reason(items, metadata)
        ranked = [{"item_id": row["itemId"], "score": row.get("score"), "reason": reason}
                  for row in answer.get("itemList", []) if row["itemId"] not in dropped]
        return ranked[:k]
