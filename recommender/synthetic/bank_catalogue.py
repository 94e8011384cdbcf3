"""The retail-bank product catalogue of the default dataset.

One row per product: (ITEM_ID, NAME, CATEGORY, DESCRIPTION, base logit). The
base logit sets the product's popularity before persona, age, income and
tenure effects (see `recommender.synthetic.personas`); together they give the long tail,
from the current account (most customers) to guarantees (a few in a thousand).
"""

PRODUCTS = (
    ("current_account", "Current account", "Accounts",
     "Everyday account for payments, transfers and a debit card.", 0.8),
    ("payroll_account", "Payroll account", "Accounts",
     "Account that rewards having your salary paid into it.", -2.5),
    ("junior_account", "Junior account", "Accounts",
     "Savings account for customers under 18, opened with a parent or guardian.", -6.0),
    ("particular_account", "Particular account", "Accounts",
     "Account with fee waivers for customers who bank with us regularly.", -2.2),
    ("particular_plus_account", "Particular Plus account", "Accounts",
     "Particular account with interest and travel insurance for higher balances.", -3.0),
    ("mas_particular_account", "Mas Particular account", "Accounts",
     "Particular account with a preferential rate for long-standing customers.", -4.5),
    ("e_account", "e-account", "Accounts", "Online-only account with no fees and instant transfers.", -2.6),
    ("savings_account", "Savings account", "Accounts", "Instant-access savings with a variable rate.", -4.5),
    ("home_account", "Home account", "Accounts",
     "Account for saving towards a first home, with tax advantages.", -5.5),
    ("short_term_deposit", "Short-term deposit", "Deposits", "Fixed-rate deposit for up to 6 months.", -4.8),
    ("medium_term_deposit", "Medium-term deposit", "Deposits",
     "Fixed-rate deposit for 6 months to 2 years.", -5.2),
    ("long_term_deposit", "Long-term deposit", "Deposits", "Fixed-rate deposit for more than 2 years.", -3.3),
    ("funds", "Investment funds", "Investments", "Managed funds from money-market to equity.", -3.4),
    ("securities", "Securities account", "Investments", "Brokerage account to buy and hold shares and bonds.",
     -3.6),
    ("derivatives", "Derivatives account", "Investments",
     "Account for trading options and futures (experienced investors).", -6.5),
    ("pension_plan", "Pension plan", "Pensions", "Private pension plan with tax relief on contributions.", -3.8),
    ("pension_payments", "Pension payments", "Pensions",
     "Your state or private pension paid into your account.", -5.0),
    ("mortgage", "Mortgage", "Lending", "Home loan at a fixed or variable rate.", -4.5),
    ("loans", "Personal loan", "Lending", "Unsecured loan for a car, studies or home improvements.", -5.0),
    ("guarantees", "Bank guarantee", "Lending", "Guarantee backing a rental, tender or business contract.",
     -7.5),
    ("credit_card", "Credit card", "Cards", "Credit card with a monthly or deferred payment option.", -2.6),
    ("payroll", "Payroll", "Services", "Salary paid in by your employer.", -2.5),
    ("taxes", "Tax payments", "Services", "Tax payments and refunds through the bank.", -3.4),
    ("direct_debit", "Direct debit", "Services", "Bills and utilities paid automatically from your account.",
     -2.0),
)
