"""Peers for `invoke bench --suite quality`, each with its tuning grid (tuned on training users only)."""
from bench.peers.autoencoders import EASE, EDLAE
from bench.peers.demographic import RidgeDemographics
from bench.peers.factorization import ALS, BPR, LightFMWarp
from bench.peers.neighbourhood import ItemKNN
from bench.peers.popularity import MostPopular, SegmentPopularity


def catalogue(n_fields: int, n_items: int) -> list[tuple]:
    """(name, factory, grid, tuning mode) for every peer; grids are small to keep a run in minutes."""
    scale = max(n_items / 1682, 0.01)
    return [
        ("MostPop", MostPopular, [{}], "items"),
        ("SegmentPop", SegmentPopularity, [{"field": f} for f in range(n_fields)], "meta"),
        ("ItemKNN", ItemKNN, [{"neighbours": k} for k in (50, 200, n_items)], "items"),
        ("EASE", EASE, [{"lam": lam * scale} for lam in (200.0, 800.0, 3000.0, 12000.0, 30000.0)], "items"),
        ("EDLAE", EDLAE, [{"p": p, "lam": 400.0 * scale} for p in (0.9, 0.98)], "items"),
        ("ALS", ALS, [{"regularization": r, "alpha": a} for r in (0.1, 10.0) for a in (5.0, 40.0)], "items"),
        ("BPR", BPR, [{}, {"factors": 128, "learning_rate": 0.01, "regularization": 0.001, "iterations": 300}],
         "items"),
        ("LightFM", LightFMWarp, [{"epochs": e} for e in (30, 80)], "items"),
        ("LightFM+feat", LightFMWarp, [{"features": True, "epochs": e} for e in (30, 80)], "meta"),
        ("RidgeDemo", RidgeDemographics, [{"lam": lam} for lam in (1.0, 10.0, 100.0)], "meta"),
    ]
