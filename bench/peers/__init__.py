"""Peers for `invoke bench --suite quality`, each with its tuning grids (tuned on training users only).

The grids were laid out on validation users of MovieLens' first two folds and of the bank's
training users (never on held-out users) so that each best point lies inside, not on an edge;
each split then tunes every peer afresh on its own validation users. Axes that never moved the
validation winner were fixed at their best: BPR's learning rate 0.01 (0.05 lost), regularisation
0.01 (0.001 and 0.03 lost) and 100 iterations (50, 200 and 300 lost); LightFM's 20 epochs (5, 10,
60 lost) and alpha (1e-6 to 3e-3 tried); ALS's factors (32 to 128 within noise) and regularisation
(10 and 1000 never won on either dataset).
"""
from itertools import combinations

from bench.peers.autoencoders import EASE, EDLAE
from bench.peers.base import Entry, FieldSlice, grid
from bench.peers.demographic import RidgeDemographics
from bench.peers.higher_order import HigherEASE
from bench.peers.implicit_models import ALS, BPR
from bench.peers.lightfm_model import LightFMWarp
from bench.peers.neighbourhood import ItemKNN, RP3beta
from bench.peers.popularity import MostPopular, SegmentPopularity

__all__ = ["catalogue"]


def catalogue(fields: list[FieldSlice], n_items: int) -> list[Entry]:
    """Every peer with its grids; ``fields`` are the user fields as `meta_one_hot` lays them out."""
    neighbours = sorted({min(k, n_items) for k in (50, 200, n_items)})
    warp_fold = grid(fold_epochs=(30, 60, 120), fold_lr=(0.0005, 0.001, 0.002, 0.004), fold_reg=(0.3,))
    return [
        Entry("MostPop", MostPopular),
        Entry("SegmentPop", SegmentPopularity,
              grid(fields=[(f,) for f in fields] + list(combinations(fields, 2)), shrink=(3.0, 10.0, 30.0, 100.0))),
        Entry("RidgeDemo", RidgeDemographics, grid(lam=(0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0))),
        Entry("ItemKNN", ItemKNN, grid(neighbours=neighbours, shrink=(0.0, 10.0, 50.0, 200.0))),
        Entry("RP3beta", RP3beta, grid(alpha=(0.3, 0.5, 0.8, 1.1), beta=(0.2, 0.35, 0.5, 0.7, 0.9),
                                       neighbours=sorted({min(k, n_items) for k in (100, n_items)}))),
        Entry("EASE", EASE, grid(lam=(1.0, 10.0, 100.0, 1000.0, 3000.0, 10000.0, 30000.0))),
        Entry("EDLAE", EDLAE, grid(p=(0.25, 0.5, 0.9, 0.95, 0.98, 0.99, 0.995), lam=(10.0, 100.0, 400.0))),
        Entry("HigherEASE", HigherEASE, grid(lam=(1000.0, 10000.0), lam_pairs=(1e3, 1e5), pairs=(500,))),
        Entry("ALS", ALS, grid(factors=(64,), regularization=(30.0, 100.0, 300.0), alpha=(3.0, 10.0, 30.0))),
        Entry("BPR", BPR, grid(factors=(32, 48), learning_rate=(0.01,), regularization=(0.01,), iterations=(100,)),
              grid(fold_epochs=(30, 100, 300), fold_lr=(0.003, 0.008, 0.02), fold_reg=(0.03, 0.1))),
        Entry("LightFM", LightFMWarp, grid(components=(32, 64), epochs=(20,), alpha=(1e-3,)), warp_fold),
        Entry("LightFM+feat", LightFMWarp, grid(features=(True,), identity=(True, False), components=(64,),
                                                epochs=(20,), alpha=(1e-4,)), warp_fold),
    ]
