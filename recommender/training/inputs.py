"""What training reads: users and items in full, interactions as a binary users x items matrix.

From a folder the interactions stream in batches (recommender.data.reader): each batch is checked,
filtered (event types, minimum event value) and reduced to int32 (user, item) rows, so memory holds
8 bytes per kept interaction and the users and items tables, never the file's text.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommender.data.dataset import Dataset, EventFilter, event_mask, interaction_batches, read_entities
from recommender.data.matrices import user_item_matrix
from recommender.data.reader import Folder


@dataclass
class TrainingData:
    """Users (ids, metadata columns and schema), items (same) and who holds what.

    Attributes
    ----------
    a : csr_matrix (n_users, n_items)
        1 where a user has at least one kept interaction with an item.
    n_events : int
        Interactions kept by the event filter (before duplicates collapse).
    events : EventFilter
    """

    user_ids: np.ndarray
    user_fields: dict
    user_schema: dict
    item_ids: np.ndarray
    item_fields: dict
    item_schema: dict
    a: sp.csr_matrix
    n_events: int
    events: EventFilter

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    @classmethod
    def from_dataset(cls, ds: Dataset, events: EventFilter | None = None) -> "TrainingData":
        events = events or EventFilter()
        keep = event_mask(events, np.asarray(ds.inter_event_type), ds.inter_event_value)
        if events.min_value is not None and ds.inter_event_value is None:
            raise ValueError("a minimum event value needs EVENT_VALUE in the interactions; train without it")
        a = user_item_matrix(ds.inter_user[keep], ds.inter_item[keep], ds.n_users, ds.n_items)
        return cls(ds.user_ids, ds.user_fields, ds.user_schema, ds.item_ids, ds.item_fields, ds.item_schema, a,
                   int(keep.sum()), events)

    @classmethod
    def from_folder(cls, path, events: EventFilter | None = None) -> "TrainingData":
        """Read a Personalize folder (local or ``s3://``), streaming the interactions."""
        events = events or EventFilter()
        folder = Folder(path)
        user_ids, user_fields, user_schema = read_entities(folder, "Users", "USER_ID", numeric_arrays=True)
        item_ids, item_fields, item_schema = read_entities(folder, "Items", "ITEM_ID", numeric_arrays=False)
        users, items = [], []
        for batch in interaction_batches(folder.table("Interactions"), user_ids, item_ids, events):
            users.append(batch["user"])
            items.append(batch["item"])
        u = np.concatenate(users) if users else np.zeros(0, dtype=np.int32)
        i = np.concatenate(items) if items else np.zeros(0, dtype=np.int32)
        a = user_item_matrix(u, i, len(user_ids), len(item_ids))
        return cls(user_ids, user_fields, user_schema, item_ids, item_fields, item_schema, a, len(u), events)
