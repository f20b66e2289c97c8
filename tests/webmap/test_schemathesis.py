"""Property-based API tests: schemathesis generates requests from both OpenAPI documents (the API's
/openapi.json and the OGC API's /ogc/openapi) — requests that fit the schema and requests it
forbids — and sends them to a live `zonemap serve` on the real data. No answer may be a server
error (5xx), and every answer must match the response schema its document declares for it.

A bounded number of examples per operation and mode, derandomized (a run is repeatable), without
shrinking; every failing operation is reported at once. (schemathesis's own pytest plugin does not
run under pytest 9 yet, hence the loop over operations.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES = 8  # per operation and mode
CHECKS = [not_a_server_error, response_schema_conformance]


def _failures(schema_url: str) -> tuple[int, int, list[str]]:
    schema = schemathesis.openapi.from_url(schema_url)
    failures, operations, sent = [], 0, [0]
    for result in schema.get_all_operations():
        op = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=op.as_strategy(generation_mode=mode))
            def check(case):
                sent[0] += 1
                case.call_and_validate(checks=CHECKS, timeout=120)

            try:
                check()
            except Unsatisfiable:
                pass  # nothing the schema forbids (no parameters, or free text only): no negative case
            except Exception as exc:  # noqa: BLE001 - every failing operation is reported
                text = " ".join(str(exc).split())
                failures.append(f"{op.label} [{mode.value}]: {text[:400]}")
    return operations, sent[0], failures


@pytest.mark.parametrize("document", ["/openapi.json", "/ogc/openapi"])
def test_no_5xx_and_every_answer_matches_its_schema(server, document):
    operations, sent, failures = _failures(f"{server}{document}")
    print(f"{document}: {operations} operations, {sent} requests, {len(failures)} failing")
    assert operations > 10 and sent > 4 * operations
    assert failures == [], f"{len(failures)} of {operations} operations fail:\n" + "\n".join(failures)
