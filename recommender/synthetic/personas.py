"""Parameters of the retail-bank persona mixture (the default dataset's model).

Everything here is a readable table; `bank_model()` assembles them into a
`recommender.synthetic.mixture.MixtureModel`. The hold probability of product j for state
(z, a, i, t) is ``sigmoid(base[j] + persona[z, j] + age[a, j] + income[i, j] +
tenure[t])``, with ``-inf`` where a product is impossible (junior accounts only
for minors; no lending, cards, payroll or investment products for minors).
"""
from __future__ import annotations

import numpy as np

from recommender.synthetic.bank_catalogue import PRODUCTS
from recommender.synthetic.mixture import CategoricalField, MixtureModel, NumericField, normalise, softmax

NO = -np.inf

PERSONAS = ("minor", "student", "young_professional", "family", "affluent", "self_employed",
            "retiree", "basic")
WEIGHTS = [0.07, 0.08, 0.17, 0.20, 0.08, 0.08, 0.14, 0.18]

AGE_BANDS = ((6, 18), (18, 25), (25, 35), (35, 45), (45, 55), (55, 65), (65, 75), (75, 91))
P_AGE = [  # 6-17 18-24 25-34 35-44 45-54 55-64 65-74 75-90
    [1.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],  # minor
    [0.00, 0.75, 0.25, 0.00, 0.00, 0.00, 0.00, 0.00],  # student
    [0.00, 0.15, 0.55, 0.25, 0.05, 0.00, 0.00, 0.00],  # young_professional
    [0.00, 0.00, 0.15, 0.40, 0.35, 0.10, 0.00, 0.00],  # family
    [0.00, 0.00, 0.03, 0.15, 0.30, 0.32, 0.15, 0.05],  # affluent
    [0.00, 0.02, 0.13, 0.28, 0.30, 0.20, 0.06, 0.01],  # self_employed
    [0.00, 0.00, 0.00, 0.00, 0.00, 0.12, 0.50, 0.38],  # retiree
    [0.00, 0.12, 0.18, 0.18, 0.17, 0.15, 0.12, 0.08],  # basic
]

INCOME_BANDS = ((5_000, 15_000), (15_000, 30_000), (30_000, 60_000), (60_000, 120_000), (120_000, 300_000))
P_INCOME = [  # <15k 15-30k 30-60k 60-120k 120k+   (household, EUR a year)
    [0.15, 0.30, 0.32, 0.18, 0.05],
    [0.40, 0.35, 0.18, 0.06, 0.01],
    [0.08, 0.35, 0.40, 0.15, 0.02],
    [0.05, 0.22, 0.43, 0.25, 0.05],
    [0.00, 0.03, 0.17, 0.45, 0.35],
    [0.10, 0.22, 0.33, 0.25, 0.10],
    [0.25, 0.38, 0.25, 0.10, 0.02],
    [0.30, 0.35, 0.25, 0.08, 0.02],
]

TENURE_BANDS = ((0, 12), (12, 36), (36, 72), (72, 144), (144, 240), (240, 420))  # months
P_TENURE = [
    [0.30, 0.35, 0.35, 0.00, 0.00, 0.00],
    [0.35, 0.35, 0.20, 0.10, 0.00, 0.00],
    [0.15, 0.25, 0.30, 0.20, 0.10, 0.00],
    [0.05, 0.10, 0.20, 0.30, 0.25, 0.10],
    [0.03, 0.07, 0.15, 0.25, 0.30, 0.20],
    [0.08, 0.12, 0.20, 0.25, 0.20, 0.15],
    [0.02, 0.05, 0.10, 0.20, 0.30, 0.33],
    [0.20, 0.20, 0.20, 0.20, 0.12, 0.08],
]
TENURE_SHIFT = [-0.5, -0.1, 0.2, 0.5, 0.7, 0.9]  # longer customers hold more

P_FEMALE = [0.49, 0.52, 0.50, 0.50, 0.42, 0.38, 0.56, 0.50]

SEGMENTS = ("INDIVIDUAL", "PREMIUM", "UNIVERSITY")
SEGMENT_LOGITS = [[2.0, -3.0, -5.0], [0.0, -4.0, 2.0], [1.5, -2.0, -0.5], [1.5, -1.5, -4.0],
                  [0.0, 0.8, -5.0], [1.0, -1.0, -5.0], [1.5, -1.5, -6.0], [2.0, -3.0, -4.0]]
PREMIUM_BY_INCOME = [-2.0, -1.0, 0.0, 1.0, 2.0]

PROVINCES = ("A CORUNA", "ALICANTE", "ASTURIAS", "BALEARES", "BARCELONA", "MADRID", "MALAGA",
             "MURCIA", "SEVILLA", "VALENCIA", "VIZCAYA", "ZARAGOZA")
PROVINCE_BASE = [0.06, 0.07, 0.05, 0.05, 0.19, 0.22, 0.06, 0.06, 0.07, 0.08, 0.05, 0.04]
PROVINCE_TILT = {  # persona -> {province: multiplier}
    "student": {"SEVILLA": 1.6, "VALENCIA": 1.5, "ZARAGOZA": 1.3},
    "young_professional": {"MADRID": 1.6, "BARCELONA": 1.5},
    "affluent": {"MADRID": 1.8, "BARCELONA": 1.4, "VIZCAYA": 1.5, "BALEARES": 1.3},
    "retiree": {"ASTURIAS": 1.9, "A CORUNA": 1.8, "ALICANTE": 1.6, "MALAGA": 1.6, "MADRID": 0.7},
    "basic": {"MURCIA": 1.4, "SEVILLA": 1.3, "MALAGA": 1.2},
}

# persona -> {product: logit added to its base}; "*" applies to every product not named
PERSONA_EFFECT = {
    "minor": {"junior_account": 6.0, "savings_account": 2.5},
    "student": {"e_account": 1.5, "current_account": 0.3, "credit_card": 0.5, "payroll_account": 0.5,
                "particular_account": 0.5, "direct_debit": 0.3},
    "young_professional": {"payroll": 2.2, "payroll_account": 2.2, "credit_card": 1.5, "e_account": 1.3,
                           "direct_debit": 1.8, "particular_plus_account": 1.0, "taxes": 0.5, "loans": 0.8,
                           "mortgage": 0.6, "particular_account": 0.5},
    "family": {"mortgage": 2.5, "home_account": 2.0, "direct_debit": 2.6, "taxes": 1.6, "payroll": 1.8,
               "payroll_account": 1.7, "credit_card": 1.6, "loans": 1.5, "particular_account": 0.6,
               "pension_plan": 1.0, "long_term_deposit": 0.3, "particular_plus_account": 0.8},
    "affluent": {"funds": 2.8, "securities": 3.0, "long_term_deposit": 2.2, "pension_plan": 1.8,
                 "particular_plus_account": 2.0, "derivatives": 2.5, "medium_term_deposit": 1.5,
                 "short_term_deposit": 1.0, "credit_card": 1.3, "direct_debit": 1.2, "taxes": 1.0,
                 "e_account": 0.8, "mas_particular_account": 1.0},
    "self_employed": {"taxes": 2.6, "guarantees": 3.5, "loans": 1.8, "credit_card": 1.4, "direct_debit": 2.0,
                      "particular_account": 1.0, "current_account": 0.5, "e_account": 1.0, "securities": 0.5},
    "retiree": {"pension_payments": 3.0, "savings_account": 1.5, "long_term_deposit": 1.7,
                "medium_term_deposit": 1.5, "short_term_deposit": 1.0, "direct_debit": 1.5, "taxes": 0.6,
                "particular_account": 1.0, "mas_particular_account": 1.5, "funds": 0.8, "credit_card": -0.8},
    "basic": {"current_account": 0.8, "*": -1.0},
}

# product -> logit by age band (6-17, 18-24, 25-34, 35-44, 45-54, 55-64, 65-74, 75-90)
AGE_EFFECT = {
    "junior_account": [0.0, NO, NO, NO, NO, NO, NO, NO],
    "current_account": [-1.0, 0, 0, 0, 0, 0, 0, 0],
    "pension_plan": [NO, -2.0, -1.0, 0.0, 0.6, 1.0, -0.2, -1.5],
    "pension_payments": [NO, NO, -4.0, -3.0, -2.0, -0.5, 1.5, 1.8],
    "mortgage": [NO, -1.5, 0.5, 1.0, 0.6, -0.2, -1.5, -3.0],
    "loans": [NO, -0.5, 0.3, 0.4, 0.2, 0.0, -0.6, -1.5],
    "credit_card": [NO, -0.5, 0.2, 0.3, 0.2, 0.0, -0.3, -0.8],
    "payroll": [NO, -0.3, 0.3, 0.3, 0.2, 0.0, -2.0, -3.0],
    "payroll_account": [NO, -0.3, 0.3, 0.3, 0.2, 0.0, -2.0, -3.0],
}
MINORS_MAY_HOLD = {"junior_account", "current_account", "savings_account", "short_term_deposit",
                   "medium_term_deposit", "long_term_deposit", "funds"}

# product -> logit by income band (<15k, 15-30k, 30-60k, 60-120k, 120k+)
INCOME_EFFECT = {
    "mortgage": [-1.5, -0.5, 0.2, 0.7, 0.9],
    "funds": [-1.2, -0.5, 0.0, 0.6, 1.2],
    "securities": [-1.2, -0.5, 0.0, 0.6, 1.3],
    "derivatives": [-1.5, -0.8, 0.0, 0.7, 1.5],
    "long_term_deposit": [-0.8, -0.3, 0.0, 0.3, 0.6],
    "particular_plus_account": [-1.0, -0.4, 0.0, 0.4, 0.8],
    "pension_plan": [-1.0, -0.4, 0.0, 0.4, 0.7],
    "credit_card": [-0.6, -0.2, 0.0, 0.2, 0.4],
    "loans": [0.2, 0.2, 0.0, -0.2, -0.6],
    "payroll": [-0.5, 0.0, 0.1, 0.1, 0.0],
}


def hold_logits(base: np.ndarray, item_ids: tuple[str, ...]) -> np.ndarray:
    """Logits of holding each product, shape (K, A, I, T, J)."""
    K, A, I, J = len(PERSONAS), len(AGE_BANDS), len(INCOME_BANDS), len(item_ids)
    persona = np.zeros((K, J))
    for k, name in enumerate(PERSONAS):
        effects = PERSONA_EFFECT[name]
        persona[k] = [effects.get(item, effects.get("*", 0.0)) for item in item_ids]
    age = np.zeros((A, J))
    income = np.zeros((I, J))
    for j, item in enumerate(item_ids):
        if item in AGE_EFFECT:
            age[:, j] = AGE_EFFECT[item]
        if item not in MINORS_MAY_HOLD:
            age[0, j] = NO
        if item in INCOME_EFFECT:
            income[:, j] = INCOME_EFFECT[item]
    tenure = np.asarray(TENURE_SHIFT)
    return (base[None, None, None, None, :] + persona[:, None, None, None, :] + age[None, :, None, None, :]
            + income[None, None, :, None, :] + tenure[None, None, None, :, None])


def demographics() -> dict:
    """Everything of the model except the catalogue (shared with the retail catalogue)."""
    K = len(PERSONAS)
    p_tenure = np.asarray(P_TENURE)[:, None, :] * _tenure_possible()[None, :, :]
    segment = np.asarray(SEGMENT_LOGITS)[:, None, :] + np.zeros((K, len(INCOME_BANDS), len(SEGMENTS)))
    segment[:, :, SEGMENTS.index("PREMIUM")] += np.asarray(PREMIUM_BY_INCOME)[None, :]
    province = np.tile(np.asarray(PROVINCE_BASE), (K, 1))
    for persona, tilt in PROVINCE_TILT.items():
        for name, factor in tilt.items():
            province[PERSONAS.index(persona), PROVINCES.index(name)] *= factor
    female = np.asarray(P_FEMALE)
    return dict(
        persona_names=PERSONAS, weights=normalise(WEIGHTS), p_age=normalise(P_AGE),
        p_income=normalise(P_INCOME), p_tenure=normalise(p_tenure),
        numeric=(
            NumericField("AGE", 1, AGE_BANDS, description="age in years"),
            NumericField("INCOME", 2, INCOME_BANDS, log_scale=True,
                         description="gross household income, EUR a year"),
            NumericField("CUSTOMER_TENURE", 3, TENURE_BANDS, description="months as a customer"),
        ),
        categorical=(
            CategoricalField("SEX", ("F", "M"), np.stack([female, 1 - female], 1)[:, None, None, None, :],
                             "F or M"),
            CategoricalField("SEGMENT", SEGMENTS, softmax(segment)[:, None, :, None, :],
                             "customer segment"),
            CategoricalField("PROVINCE", PROVINCES, normalise(province)[:, None, None, None, :],
                             "province of residence"),
        ),
    )


def _tenure_possible() -> np.ndarray:
    """(A, T) mask: a tenure band is possible when it ends before the youngest age of the band."""
    return np.array([[hi <= age_lo * 12 for _, hi in TENURE_BANDS] for age_lo, _ in AGE_BANDS], dtype=float)


def bank_model() -> MixtureModel:
    """The default dataset's model: ~two dozen retail-bank products, 8 personas."""
    item_ids = tuple(p[0] for p in PRODUCTS)
    base = np.array([p[4] for p in PRODUCTS])
    logits = hold_logits(base, item_ids)
    with np.errstate(over="ignore"):
        hold = 1.0 / (1.0 + np.exp(-logits))
    K, A, I, T, J = hold.shape
    return MixtureModel(
        **demographics(),
        item_ids=item_ids, item_names=tuple(p[1] for p in PRODUCTS),
        item_categories=tuple(p[2] for p in PRODUCTS), item_descriptions=tuple(p[3] for p in PRODUCTS),
        hold=hold.reshape(K * A * I * T, J), row=np.arange(K * A * I * T).reshape(K, A, I, T),
    )
