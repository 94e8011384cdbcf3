"""A retail-like synthetic catalogue of many items, for benchmarks at scale.

Same users and personas as the bank model (`recommender.synthetic.personas.demographics`);
the catalogue is drawn from the seed: items fall in categories, popularity is
Zipf-like (a long tail), and each persona and age band likes some categories
more than others::

    P(item j held | z, a) = sigmoid(base[j] + persona[z, c(j)] + age[a, c(j)])

capped at 0.5. Holdings depend on (persona, age band) only, so the model has
K * A rows of hold probabilities.
"""
from __future__ import annotations

import numpy as np

from recommender.synthetic.mixture import MixtureModel
from recommender.synthetic.personas import demographics

CATEGORIES = ("Apparel", "Baby", "Beauty", "Books", "Camping", "Cleaning", "Coffee & Tea", "Computers",
              "Cookware", "Crafts", "Cycling", "Dairy", "Fitness", "Frozen", "Furniture", "Games", "Garden",
              "Groceries", "Health", "Home Decor", "Jewellery", "Kitchen", "Lighting", "Luggage", "Music",
              "Office", "Outdoor", "Pets", "Phones", "Pharmacy", "Shoes", "Snacks", "Sports", "Stationery",
              "Tools", "Toys", "TV & Audio", "Video", "Watches", "Wine")
MEAN_ITEMS = 4.5  # scales popularity: about 8 items per user once persona effects are added
MAX_HOLD = 0.5


def retail_model(n_items: int, seed: int) -> MixtureModel:
    """Model with ``n_items`` items in `CATEGORIES`, drawn deterministically from ``seed``."""
    if n_items < len(CATEGORIES):
        raise ValueError(f"n_items must be at least {len(CATEGORIES)} for the retail catalogue; got {n_items}")
    rng = np.random.default_rng([seed, n_items])
    demo = demographics()
    K, A = demo["p_age"].shape
    C = len(CATEGORIES)
    category = np.concatenate([np.arange(C), rng.integers(0, C, n_items - C)])
    rank = rng.permutation(n_items)
    weight = 1.0 / (rank + 10.0) ** 0.9
    base = np.log(MEAN_ITEMS * weight / weight.sum())
    persona = rng.normal(0.0, 1.0, (K, C))
    age = rng.normal(0.0, 0.5, (A, C))
    logits = base[None, None, :] + persona[:, None, category] + age[None, :, category]
    hold = np.minimum(1.0 / (1.0 + np.exp(-logits)), MAX_HOLD).reshape(K * A, n_items)
    I, T = demo["p_income"].shape[1], demo["p_tenure"].shape[2]
    row = np.broadcast_to(np.arange(K * A).reshape(K, A, 1, 1), (K, A, I, T)).copy()
    width = len(str(n_items))
    ids = tuple(f"P{j:0{width}d}" for j in range(n_items))
    names = tuple(f"{CATEGORIES[c]} item {j}" for j, c in enumerate(category))
    categories = tuple(CATEGORIES[c] for c in category)
    descriptions = tuple(f"A {CATEGORIES[c].lower()} product (synthetic)." for c in category)
    return MixtureModel(**demo, item_ids=ids, item_names=names, item_categories=categories,
                        item_descriptions=descriptions, hold=hold, row=row)
