"""What the use cases return to the pages, the API and the command line: plain JSON values, typed.

A deployment's outcome is services.deploy.Deployed, a dataclass. The API's OpenAPI schemas (server/api/openapi.py) describe these same shapes; a test holds
them together (a field added to one and not the other fails it). Moments are ISO 8601 texts
with their offset, dates ISO texts.
"""
from typing import NotRequired, TypedDict

from ..states import InstanceStatus


class Definition(TypedDict):
    process_id: str
    name: str
    version: int
    content_hash: str
    deployed_at: str
    deployed_by: str


class StartForm(TypedDict):
    process_id: str
    name: str
    version: int
    form: dict | None


class InstanceSummary(TypedDict):
    id: int
    process_id: str
    version: int | None
    title: str | None
    territory: str | None
    status: InstanceStatus
    error: str | None
    started_by: str
    started_at: str
    updated_at: str
    completed_at: str | None
    next_timer_at: str | None


class TaskLine(TypedDict):
    """A human task as lists show it (``claimed_by`` is added by who lists the claims)."""
    id: str
    instance_id: int
    process_id: str
    bpmn_id: str | None
    name: str
    lane: str | None
    role: str | None
    role_label: str | None
    state: str
    territory: str | None
    created_at: str
    due_at: str | None
    due_source: str | None      # the legal deadline the due date comes from, None for a processing time
    due_time_zone: str          # the territory's, in which the due date is a day
    claimed_by: NotRequired[str | None]


class TaskWithForm(TaskLine):
    form: dict | None
    data: dict
    instructions: str | None
    field_errors: dict      # {field: reason} of the model's checks that sent the step back
    field_rules: dict       # {field: {hint, min, max}} the model's checks apply (services/form_checks.py)


class WaitingTask(TypedDict):
    id: str
    name: str
    state: str
    bpmn_id: str | None
    process_id: str
    due_at: str | None


class JournalLine(TypedDict):
    at: str
    actor: str
    role: str | None
    action: str
    summary: str
    task_id: str | None


class CompletedTask(TypedDict):
    id: str
    name: str
    bpmn_id: str
    process_id: str


class InstanceState(InstanceSummary):
    open_tasks: list[TaskLine]
    waiting: list[WaitingTask]
    data: dict
    history: list[JournalLine]
    completed_tasks: list[CompletedTask]


class DocumentSummary(TypedDict):
    id: int
    instance_id: int
    template: str
    recipient: str | None
    title: str
    revision: int
    checksum: str
    template_version: str
    has_pdf: bool
    created_by: str
    created_at: str
    task_id: str | None
    reason: str | None


class TaskDraft(TypedDict):
    """The values of a task's form saved before completing it (as typed: they need not validate)."""
    task_id: str
    values: dict
    saved_by: str
    saved_by_name: str
    saved_at: str


class AttachmentSummary(TypedDict):
    id: int
    instance_id: int
    task_id: str
    task_name: str | None
    name: str
    media_type: str
    size: int
    size_text: str
    checksum: str
    created_by: str
    created_at: str


class GeneratedDocumentSummary(DocumentSummary):
    pdf_note: str | None


class DocumentError(TypedDict):
    template: str
    error: str


class NextTask(TypedDict):
    id: str
    name: str
    role: str | None


class Lateness(TypedDict):
    days: int
    due_at: str
    message: str


class SentBack(NextTask):
    field_errors: dict      # {field of its form: reason}, {} when the reasons name no field


class Completion(TypedDict):
    instance_id: int
    task_id: str
    status: InstanceStatus
    next_tasks: list[NextTask]
    your_tasks: list[TaskLine]      # the actor's ready tasks of the instance after the step
    sent_back: SentBack | None      # the task to take up again when the model's checks sent the step back
    late: Lateness | None
    documents: NotRequired[list[GeneratedDocumentSummary]]
    document_errors: NotRequired[list[DocumentError]]


class Claim(TypedDict):
    task_id: str
    claimed_by: str | None
    claimed_at: NotRequired[str]


class Colleague(TypedDict):
    username: str
    display_name: str


class AbsenceSummary(TypedDict):
    id: int
    username: str
    substitute: str
    starts_at: str
    ends_at: str
    declared_by: str
    declared_at: str


class UserSummary(TypedDict):
    username: str
    display_name: str
    roles: list[str]
    territories: list[str]
    active: bool
    organisation: str | None   # an outside partner's (services/partners.py)


class TerritorySummary(TypedDict):
    code: str
    name: str
    kind: str
    kind_label: str
    population: int | None
    population_year: int | None
    time_zone: str | None
    operator: str | None
    hubs: list[str]


class DashboardChain(TypedDict):
    instance_id: int
    title: str | None
    process_id: str
    territory: str | None
    status: InstanceStatus
    error: str | None
    phase: str
    phase_name: str
    phases_done: int
    phases_total: int
    progress_pct: int
    started_at: str
    updated_at: str
    overdue_tasks: NotRequired[int]    # in the portfolio's chains only
    blocked_tasks: NotRequired[int]


class DashboardTerritory(TypedDict):
    territory: str | None
    name: str | None
    instances: int
    running: int
    errors: int
    overdue: int
    blocked: int


class LateTask(TypedDict):
    task_id: str
    instance_id: int
    title: str | None
    territory: str | None
    name: str | None
    role: str | None
    role_label: str | None
    held_by: str | None
    since: str
    days: int
    due_at: str | None
    overdue: bool


class Deadline(TypedDict):
    territory: str | None
    instance_id: int | None
    what: str
    due_on: str


class FunnelLine(TypedDict):
    territory: str
    received: int
    with_prescribers: int
    handed: int
    redeemed: int
    credited: int
    lost: int
    in_stock: int
    usage_pct: float | None


class Dashboard(TypedDict):
    generated_at: str
    territory: str | None
    stale_days: int
    territories: list[DashboardTerritory]
    chains: list[DashboardChain]
    errors: list[DashboardChain]
    late_tasks: list[LateTask]
    deadlines: list[Deadline]
    funnel: list[FunnelLine]


class Money(TypedDict):
    """Euros as texts with two decimals (« 2500.00 »), None when unknown."""
    order_face_value: str | None
    issuer_fees: str | None
    issuer_fee_pct: float | None
    order_total: str | None
    paid_to_places: str | None
    state_share_owed: str | None
    state_max_pct: float | None
    terms_source: str | None
    terms_from: str | None


class Commitments(TypedDict):
    """A territory's passes and its ANCT commitments (the follow-up's line)."""
    territory: str
    name: str
    received: int
    handed: int
    pic_handed: int
    redeemed: int
    credited: int
    distribution_pct: float | None
    usage_pct: float | None
    pic_pct: float | None
    pic_min_pct: float | None
    pic_alert: bool
    beneficiaries: int                      # people holding booklets handed to them
    priority_area_beneficiaries: int        # of whom living in a priority neighbourhood (QPV)
    priority_area_pct: float | None
    money: Money


class FormatLine(TypedDict):
    size: int
    received: int
    with_prescribers: int
    handed: int
    passes_received: int
    passes_handed: int


class PrescriberLine(TypedDict):
    prescriber: str
    with_prescriber: int
    handed: int


class PublicLine(TypedDict):
    public: str
    pic: bool
    beneficiaries: int
    passes: int


class MonthLine(TypedDict):
    month: str
    handed: int
    redeemed: int


class CampaignLine(TypedDict):
    """One campaign of a multi-year deployment (a campaign a year), in passes."""
    campaign: int
    title: str
    opened_on: str
    received: int
    handed: int
    redeemed: int


class TerritoryDashboard(Commitments):
    campaigns: int
    by_campaign: list[CampaignLine]
    by_format: list[FormatLine]
    by_prescriber: list[PrescriberLine]
    by_public: list[PublicLine]
    by_month: list[MonthLine]


class FollowUp(TypedDict):
    code: str
    lines: list[Commitments]


class ElementTime(TypedDict):
    bpmn_id: str
    name: str
    completed: int
    median_hours: float | None
    p90_hours: float | None
    open: int
    open_median_hours: float | None
    oldest_open_hours: float | None
    wait_hours: float
    heat: int


class ElementTimes(TypedDict):
    process_id: str
    name: str
    xml: str
    elements: list[ElementTime]


# --- the ledger (its API speaks the ledger's French keys: Holdings) -------------------------


class Campaign(TypedDict):
    id: int
    territory: str
    title: str
    instance_id: int | None
    prescribers: list[str]
    mine: list[str]             # the prescribers the actor records for


class Move(TypedDict):
    """A move just recorded (a handout also names its beneficiary and public)."""
    move: int
    kind: str
    on: str
    booklets: list[str]
    passes: int
    beneficiary: NotRequired[str]
    public: NotRequired[str]


class RecentHandout(TypedDict):
    mouvement: int
    date: str
    beneficiaire: str
    public: str
    carnets: int
    passes: int


class Holdings(TypedDict):
    """What a prescriber holds now, by booklet size ("5", "10"), and its last handouts."""
    campagne: int
    territoire: str
    prescripteur: str
    carnets: dict[str, int]
    confies: dict[str, int]
    numeros: dict[str, list[str]]
    remises: list[RecentHandout]
