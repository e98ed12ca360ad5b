"""Eligibility rules as code over the dated parameters (`satupintu/parameters`): small named criteria,
one result per service.

`evaluate(service_code, facts, on)` gives a `RuleResult` a decision page and a letter can cite line
by line. Cases in `cases/*.toml` are run by one test (tests/catalogue/test_rule_cases.py).
"""

from .criteria import Criterion, RuleResult
from .services import evaluate, saraswati_coverage

__all__ = ["Criterion", "RuleResult", "evaluate", "saraswati_coverage"]
