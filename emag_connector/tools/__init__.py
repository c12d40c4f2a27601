from .pg_rate_budget import PgRateBudget
