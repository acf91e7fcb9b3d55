"""Every operation of /api/v1/openapi.json driven by schemathesis, authenticated with a token:
valid and invalid requests alike must never get a 5xx, and every response must be what the
document says (status code, content type, headers, body schema).

Bounded and reproducible: a fixed number of examples per operation and mode, derandomized.
The generated identifiers are mixed with real ones (an instance with a ready task of the
caller, a stored document), so that the operations are also fuzzed past their 404.
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from ledger_campaign import SPRING, campaign_in_cap_nord
from web_helpers import web_settings
from server import create_app
from server.api.openapi import PATHS
from start_data import CAP_NORD
from web_helpers import PASSWORD, actor, api_token
from workflows.services.absences import declare_absence
from workflows.documents.examples import EXAMPLES
from workflows.services.attachments import attach_file
from workflows.services.documents import generate_documents
from workflows.services import ledger
from workflows.services.instances import start_instance
from workflows.services.tasks import list_tasks
from workflows.services.users import add_user

MAX_EXAMPLES = 40
OPERATIONS = [f"{method.upper()} {path}" for path, methods in PATHS.items() for method in methods]
# Invalid requests need something to make invalid: a parameter or a body.
WITH_INPUT = [f"{method.upper()} {path}" for path, methods in PATHS.items() for method, op in methods.items()
              if op.get("parameters") or op.get("requestBody")]
# Their body is checked beyond the document, by the process's own forms (a start form, a task's
# form) or by the template's needs (the instance's data lacks what it asks): a schema-valid body
# may still be a 422, which the document says.
CHECKED_BEYOND_THE_DOCUMENT = {"POST /processes/{process_id}/instances", "POST /tasks/{task_id}/complete",
                               "POST /instances/{instance_id}/documents",
                               # a file's type is read from its content: random bytes are not a PDF
                               "POST /tasks/{task_id}/attachments",
                               "GET /dashboard/exports/{table}",   # some tables are of one territory: name it
                               # a colleague, a substitute: an account holding the roles, in the territory
                               "POST /tasks/{task_id}/reassign", "POST /absences",
                               # a new last day brings the absence's forward, to a day not past
                               "PATCH /absences/{absence_id}",
                               # the ledger's records and imports: checked by its rules against the ledger
                               *(f"POST /campaigns/{{campaign_id}}/{what}" for what in (
                                   "handouts", "returns", "transfers", "imports/handouts", "imports/statements"))}
CASES = [(label, GenerationMode.POSITIVE) for label in OPERATIONS] + \
        [(label, GenerationMode.NEGATIVE) for label in WITH_INPUT]


@pytest.fixture
def fuzzed(conventio):
    """The app (TESTING off, as in production: an unexpected error comes back as the 500 the
    checks look for), a token, and real identifiers for the path parameters."""
    legal = actor(conventio, "juriste")
    # the start data of a rejection letter, as the documents' tests give it
    fresh = start_instance(conventio, "convention_anct", dict(EXAMPLES["lettre_rejet"], **CAP_NORD), legal,
                           territory="cap-nord")
    [document] = generate_documents(conventio, fresh["id"], "lettre_rejet", legal)[:1]
    [ready] = list_tasks(conventio, legal, instance_id=fresh["id"])
    attached = attach_file(conventio, ready["id"], "devis.pdf", b"%PDF-1.7\n%%EOF\n", legal)
    campaign = campaign_in_cap_nord(conventio)
    handout = ledger.hand_out(conventio, campaign, actor(conventio, "prescripteur"), prescriber="CCAS", public="senior",
                              on=SPRING, serials=["CAPN05-000001"])
    add_user(conventio, "juriste2", ["legal"], ["cap-nord"], PASSWORD, "Julie Seconde")
    absence = declare_absence(conventio, "juriste", "juriste2", "2030-01-02", "2030-01-20", legal)
    app = create_app(conventio=conventio, test_config={"TESTING": False, "WEB_SETTINGS": web_settings()})
    real = {"absence_id": absence["id"], "instance_id": fresh["id"], "document_id": document["id"], "task_id": ready["id"],
            "process_id": "convention_anct", "username": "juriste", "code": "cap-nord", "table": "formats",
            "campaign_id": campaign, "move_id": handout["move"], "attachment_id": attached["id"]}
    return app, api_token(app.test_client(), "juriste"), real


def strategy(operation, mode, real):
    names = [p.name for p in operation.path_parameters]
    generated = operation.as_strategy(generation_mode=mode)
    if not names:
        return generated
    return st.one_of(generated, operation.as_strategy(
        generation_mode=mode, path_parameters={name: real[name] for name in names}))


@pytest.mark.parametrize("label, mode", CASES, ids=[f"{label} {mode.value}" for label, mode in CASES])
def test_every_operation_answers_as_documented(fuzzed, label, mode):
    app, token, real = fuzzed
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # A NUL in a text is refused by design (400 or 422, tests/web/test_hostile_input.py): not generated.
    schema.config.generation.update(allow_x00=False)
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    excluded = [positive_data_acceptance] if label in CHECKED_BEYOND_THE_DOCUMENT else []

    @given(case=strategy(operation, mode, real))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_as_documented(case):
        case.call_and_validate(headers=token, excluded_checks=excluded)

    answers_as_documented()
