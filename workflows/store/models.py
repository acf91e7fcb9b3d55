"""SQLAlchemy 2 models: definitions, instances stored as headers and task rows, audit."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, Numeric, String, Text,
    UniqueConstraint, text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ProcessDefinition(Base):
    """One version of a process: stored once per content hash."""
    __tablename__ = "process_definition"
    __table_args__ = (
        UniqueConstraint("process_id", "version", name="uq_definition_version"),
        UniqueConstraint("process_id", "content_hash", name="uq_definition_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[str] = mapped_column(String(255), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(64))
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    forms_json: Mapped[str] = mapped_column(Text)
    sources_json: Mapped[str] = mapped_column(Text, deferred=True)
    deployed_at: Mapped[datetime] = mapped_column(DateTime)
    deployed_by: Mapped[str] = mapped_column(String(255))


class ProcessInstance(Base):
    __tablename__ = "process_instance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(255), index=True)
    territory: Mapped[str | None] = mapped_column(String(100), index=True)
    title: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), index=True)
    # Optimistic concurrency: every committed step increments it, and a step only
    # commits when the version it started from is still the stored one.
    version: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    next_timer_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    started_by: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)

    __mapper_args__ = {"version_id_col": version}


class WorkflowHeader(Base):
    """The small per-(sub)workflow part of an instance's state (data, events, root)."""
    __tablename__ = "workflow_header"

    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"),
                                             primary_key=True)
    workflow_key: Mapped[str] = mapped_column(String(36), primary_key=True)
    body: Mapped[str] = mapped_column(Text)


class TaskRecord(Base):
    """One task of an instance's tree, with the columns inbox queries need."""
    __tablename__ = "task_record"
    __table_args__ = (
        Index("ix_task_instance_seq", "instance_id", "seq"),
        Index("ix_task_inbox", "state", "manual", "role"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"))
    workflow_key: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12))
    manual: Mapped[bool] = mapped_column(Boolean)
    process_id: Mapped[str] = mapped_column(String(255))
    spec_name: Mapped[str] = mapped_column(String(255))
    bpmn_id: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(500))
    lane: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    body: Mapped[str] = mapped_column(Text)


class MessageSubscription(Base):
    """Which running instance waits for which BPMN message."""
    __tablename__ = "message_subscription"

    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"),
                                             primary_key=True)
    name: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)


class PendingMessage(Base):
    """A message thrown while no instance waited for it; delivered when one does."""
    __tablename__ = "pending_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    payload: Mapped[str] = mapped_column(Text)
    correlations: Mapped[str] = mapped_column(Text)
    sender_instance_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """Append-only journal; each entry's hash covers its content and the previous hash.

    `mac` seals the same content with the journal key, which the database does not hold
    (NULL only on the entries written before the key, all at the start of the journal)."""
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(255))
    role: Mapped[str | None] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(50), index=True)
    instance_id: Mapped[int | None] = mapped_column(Integer, index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    summary: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditHead(Base):
    """A single row locked by every append, so that the chain never forks."""
    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class UserAccount(Base):
    __tablename__ = "user_account"

    username: Mapped[str] = mapped_column(String(255), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(500))
    roles: Mapped[str] = mapped_column(Text)          # JSON list of role codes
    territories: Mapped[str] = mapped_column(Text)    # JSON list of territory codes
    password_hash: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(20), default="local")
    # An outside partner's organisation (the CCAS, a mediation place): whose tasks are theirs.
    organisation: Mapped[str | None] = mapped_column(String(500), nullable=True)


class TaskClaim(Base):
    """Who took a ready task from their role's queue; released or removed when done."""
    __tablename__ = "task_claim"

    task_id: Mapped[str] = mapped_column(ForeignKey("task_record.id", ondelete="CASCADE"), primary_key=True)
    username: Mapped[str] = mapped_column(String(255), index=True)
    claimed_at: Mapped[datetime] = mapped_column(DateTime)


class TaskDraft(Base):
    """The values of a ready task's form as last saved, before it is completed: one per task, kept
    on the server so that another browser or a colleague taking over finds them; removed with the
    task's completion or cancellation. Not journaled: a draft is not an act."""
    __tablename__ = "task_draft"

    task_id: Mapped[str] = mapped_column(ForeignKey("task_record.id", ondelete="CASCADE"), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    values_json: Mapped[str] = mapped_column(Text)
    saved_by: Mapped[str] = mapped_column(String(255))
    saved_at: Mapped[datetime] = mapped_column(DateTime)


class SittingTicks(Base):
    """Who was present, represented (and by whom) or absent at an instance's last sitting, as
    ticked on the roster in the pages: the extract of the register opens ticked the same way, on
    any computer. A summary of at most an assembly's size; the act itself is the sitting's data."""
    __tablename__ = "sitting_ticks"

    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"),
                                             primary_key=True)
    ticks_json: Mapped[str] = mapped_column(Text)
    saved_by: Mapped[str] = mapped_column(String(255))
    saved_at: Mapped[datetime] = mapped_column(DateTime)


class GeneratedDocument(Base):
    """A rendered document and what it was made from; every revision is kept. A template
    made one per recipient (a rejection letter per evicted candidate) counts its revisions
    per recipient; the index reads a missing recipient as "" so that two documents without
    one still cannot share a revision (NULLs never collide in a unique index)."""
    __tablename__ = "generated_document"
    __table_args__ = (Index("uq_document_recipient_revision", "instance_id", "template",
                            text("coalesce(recipient, '')"), "revision", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    template: Mapped[str] = mapped_column(String(100))
    recipient: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(2100))
    revision: Mapped[int] = mapped_column(Integer)
    template_version: Mapped[str] = mapped_column(String(64))
    checksum: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(1000))
    pdf_path: Mapped[str | None] = mapped_column(String(1000))
    pdf_checksum: Mapped[str | None] = mapped_column(String(64))   # None for PDFs made before 0010
    pdf_error: Mapped[str | None] = mapped_column(Text)     # why LibreOffice could not convert it
    data_json: Mapped[str] = mapped_column(Text, deferred=True)
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(String(1000))   # None for versions made before 0012


class TaskAttachment(Base):
    """A file a user attached to a task (a quote, a signed scan), kept in the document storage
    with its checksum; its type is the one its content shows, not its name's."""
    __tablename__ = "task_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    checksum: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(1000))
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime)


# --- background jobs (workflows/jobs) ------------------------------------------------


class JobRun(Base):
    """One background job, by its Celery task id (beat jobs: by their name), so failures stay visible."""
    __tablename__ = "job_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    arguments: Mapped[str] = mapped_column(Text)            # JSON {"args": [...], "kwargs": {...}}
    status: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class Notification(Base):
    """An e-mail sent at most once: its key names the event and the recipient."""
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)
    instance_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str] = mapped_column(String(255))
    recipient: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # A sender holds the notification until then; a crashed sender's hold simply expires.
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)


class TimerDispatch(Base):
    """A due instance handed to a job; not handed again before retry_at for the same due time."""
    __tablename__ = "timer_dispatch"

    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"),
                                             primary_key=True)
    due_at: Mapped[datetime] = mapped_column(DateTime)
    retry_at: Mapped[datetime] = mapped_column(DateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class IndicatorValue(Base):
    """A counter computed by the nightly job, per day and territory ("" when none)."""
    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("computed_on", "territory", "name", name="uq_indicator_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    computed_on: Mapped[date] = mapped_column(index=True)
    territory: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(50))
    value: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(DateTime)


# --- login: sessions and throttle shared by every server process (services/logins.py) --------


class LoginSession(Base):
    """A page session or an API token, known by the SHA-256 of its secret id (the secret itself
    lives only in the cookie or the token). Logging out deletes the row: a copy of the cookie
    taken before is refused after."""
    __tablename__ = "login_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(255), index=True)
    kind: Mapped[str] = mapped_column(String(10))          # "page" or "api"
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class LoginFailure(Base):
    """One failed login, counted per (user name, client address) over the throttle's window."""
    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_key", "username", "address", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(255))     # casefolded, as typed
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)


# --- the pass ledger (services/ledger.py): one campaign per territory's distribution -----------
# The process refers to its campaign; the booklets, moves and redemptions live here. Every
# move keeps who recorded it and when; a correction is a new move, never an edit. The rows
# of ledger_booklet and the counters are the current state the rules read, kept by the moves.


class LedgerCampaign(Base):
    __tablename__ = "ledger_campaign"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    territory: Mapped[str] = mapped_column(String(100), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id", ondelete="SET NULL"),
                                                    unique=True)
    title: Mapped[str] = mapped_column(String(500))
    redeemed_passes: Mapped[int] = mapped_column(Integer, default=0)   # the statements' total
    opened_by: Mapped[str] = mapped_column(String(255))
    opened_at: Mapped[datetime] = mapped_column(DateTime)


class LedgerPrescriber(Base):
    """A prescriber of the campaign and its convention de mandat (executory from `executory_on`)."""
    __tablename__ = "ledger_prescriber"
    __table_args__ = (UniqueConstraint("campaign_id", "name", name="uq_ledger_prescriber_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("ledger_campaign.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(500))
    executory_on: Mapped[date | None] = mapped_column()
    recorded_by: Mapped[str] = mapped_column(String(255))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class LedgerMandate(Base):
    """The booklets of one format a convention de mandat entrusts; `endowed` can never pass them."""
    __tablename__ = "ledger_mandate"
    __table_args__ = (CheckConstraint("endowed <= booklets", name="ck_ledger_mandate_within"),)

    prescriber_id: Mapped[int] = mapped_column(ForeignKey("ledger_prescriber.id", ondelete="CASCADE"),
                                               primary_key=True)
    booklet_size: Mapped[int] = mapped_column(Integer, primary_key=True)
    booklets: Mapped[int] = mapped_column(Integer)
    endowed: Mapped[int] = mapped_column(Integer, default=0)


class LedgerAgent(Base):
    """A user who records for a prescriber (its agents at the CCAS, the agency...)."""
    __tablename__ = "ledger_agent"

    prescriber_id: Mapped[int] = mapped_column(ForeignKey("ledger_prescriber.id", ondelete="CASCADE"),
                                               primary_key=True)
    username: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)


class LedgerReception(Base):
    """A range of booklets of one format delivered on an issuer's order."""
    __tablename__ = "ledger_reception"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("ledger_campaign.id", ondelete="CASCADE"), index=True)
    booklet_size: Mapped[int] = mapped_column(Integer)
    first_serial: Mapped[str] = mapped_column(String(100))
    last_serial: Mapped[str] = mapped_column(String(100))
    booklets: Mapped[int] = mapped_column(Integer)
    issuer: Mapped[str] = mapped_column(String(255))
    validity_year: Mapped[int] = mapped_column(Integer)
    order_reference: Mapped[str] = mapped_column(String(255))
    face_value: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    received_on: Mapped[date] = mapped_column()
    recorded_by: Mapped[str] = mapped_column(String(255))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class LedgerBeneficiary(Base):
    """A pseudonymous beneficiary: what the evaluation needs, no name nor address."""
    __tablename__ = "ledger_beneficiary"
    __table_args__ = (UniqueConstraint("campaign_id", "identifier", name="uq_ledger_beneficiary"),
                      Index("ix_ledger_beneficiary_public", "campaign_id", "public"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("ledger_campaign.id", ondelete="CASCADE"))
    identifier: Mapped[str] = mapped_column(String(100))
    public: Mapped[str] = mapped_column(String(100))
    age_band: Mapped[str | None] = mapped_column(String(20))
    commune: Mapped[str | None] = mapped_column(String(200))
    priority_area: Mapped[bool] = mapped_column(Boolean, default=False)
    booklets: Mapped[int] = mapped_column(Integer, default=0)   # received so far (allocation rule)
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class LedgerBooklet(Base):
    """One booklet, where it is now (`place`, `prescriber_id` or `beneficiary_id`) and how many
    moves it had (`seq`): the move that takes it next must claim seq + 1 (uq_ledger_booklet_seq)."""
    __tablename__ = "ledger_booklet"
    __table_args__ = (UniqueConstraint("campaign_id", "serial", name="uq_ledger_booklet_serial"),
                      Index("ix_ledger_booklet_place", "campaign_id", "place", "size"),
                      Index("ix_ledger_booklet_prescriber", "prescriber_id", "place", "size"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("ledger_campaign.id", ondelete="CASCADE"))
    reception_id: Mapped[int] = mapped_column(ForeignKey("ledger_reception.id", ondelete="CASCADE"), index=True)
    serial: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    validity_year: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(20))
    prescriber_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_prescriber.id"))
    beneficiary_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_beneficiary.id"), index=True)
    since: Mapped[date] = mapped_column()
    seq: Mapped[int] = mapped_column(Integer)


class LedgerMove(Base):
    """A dotation, handout, return, transfer, loss, destruction, or the correction of one."""
    __tablename__ = "ledger_move"
    __table_args__ = (Index("ix_ledger_move_campaign", "campaign_id", "kind", "happened_on"),
                      Index("ix_ledger_move_from", "from_prescriber_id", "kind", "happened_on"),
                      Index("ix_ledger_move_to", "to_prescriber_id", "kind", "happened_on"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("ledger_campaign.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    happened_on: Mapped[date] = mapped_column()
    from_prescriber_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_prescriber.id"))
    to_prescriber_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_prescriber.id"))
    beneficiary_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_beneficiary.id"), index=True)
    booklets: Mapped[int] = mapped_column(Integer)
    passes: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    # A move is corrected once: the unique index makes a second correction lose.
    corrects_move_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_move.id"), unique=True)
    recorded_by: Mapped[str] = mapped_column(String(255))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class LedgerMoveBooklet(Base):
    """A booklet a move took, as the booklet's `seq`-th move: two moves never claim the same one."""
    __tablename__ = "ledger_move_booklet"
    __table_args__ = (UniqueConstraint("booklet_id", "seq", name="uq_ledger_booklet_seq"),)

    move_id: Mapped[int] = mapped_column(ForeignKey("ledger_move.id", ondelete="CASCADE"), primary_key=True)
    booklet_id: Mapped[int] = mapped_column(ForeignKey("ledger_booklet.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)


class LedgerStatement(Base):
    """The issuer's statement of one mediation place for one month: passes redeemed there."""
    __tablename__ = "ledger_statement"
    __table_args__ = (UniqueConstraint("campaign_id", "place", "month", name="uq_ledger_statement"),
                      Index("ix_ledger_statement_month", "campaign_id", "month"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("ledger_campaign.id", ondelete="CASCADE"))
    place: Mapped[str] = mapped_column(String(500))
    month: Mapped[str] = mapped_column(String(7))          # "2027-03"
    passes: Mapped[int] = mapped_column(Integer)
    workshops: Mapped[int | None] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(255))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class LedgerRedemption(Base):
    """One pass of a statement that gives serials: a pass is redeemed once (primary key)."""
    __tablename__ = "ledger_redemption"

    booklet_id: Mapped[int] = mapped_column(ForeignKey("ledger_booklet.id", ondelete="CASCADE"), primary_key=True)
    pass_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("ledger_statement.id", ondelete="CASCADE"), index=True)


class LedgerCredit(Base):
    """The passes of one validity year left unused at expiry, refunded by the issuer's credit note."""
    __tablename__ = "ledger_credit"
    __table_args__ = (UniqueConstraint("campaign_id", "validity_year", name="uq_ledger_credit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("ledger_campaign.id", ondelete="CASCADE"))
    validity_year: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column()
    unused_passes: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    recorded_by: Mapped[str] = mapped_column(String(255))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class LedgerTally(Base):
    """How many booklets of one size are at one place (the stock, a prescriber, the people of one
    public a prescriber handed them to, lost, destroyed) and, in people's hands, how many people
    hold them: kept by every write of the ledger in its transaction (services/ledger_counts), so
    that a step reads its campaign's figures from a handful of rows. `prescriber_id` 0 and `public`
    "" stand for none: a primary key's columns cannot be NULL."""
    __tablename__ = "ledger_tally"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("ledger_campaign.id", ondelete="CASCADE"), primary_key=True)
    place: Mapped[str] = mapped_column(String(20), primary_key=True)
    prescriber_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public: Mapped[str] = mapped_column(String(100), primary_key=True)
    size: Mapped[int] = mapped_column(Integer, primary_key=True)
    booklets: Mapped[int] = mapped_column(Integer)
    people: Mapped[int] = mapped_column(Integer)


class LedgerPublicTally(Base):
    """How many people of one public received booklets (LedgerBeneficiary.booklets > 0), and how
    many of them live in a priority neighbourhood, kept with LedgerTally."""
    __tablename__ = "ledger_public_tally"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("ledger_campaign.id", ondelete="CASCADE"), primary_key=True)
    public: Mapped[str] = mapped_column(String(100), primary_key=True)
    people: Mapped[int] = mapped_column(Integer)
    priority_people: Mapped[int] = mapped_column(Integer)


# --- generated files kept in the database (store/files.py, CONVENTIO_DOCUMENT_STORAGE=database) --


class StoredFile(Base):
    """One file's bytes and checksum, when the installation keeps its documents in the database."""
    __tablename__ = "stored_file"

    key: Mapped[str] = mapped_column(String(1000), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    stored_at: Mapped[datetime] = mapped_column(DateTime)


# --- territories and their groupings (services/territories.py) ----------------------------------


class Territory(Base):
    """A collectivité, a State service or an association an installation works for, known by its
    INSEE or SIREN code where one exists. Its population (with the year of the census it comes from)
    sets the deliberation's convocation rules; its time zone is its local time (overseas)."""
    __tablename__ = "territory"
    __table_args__ = (CheckConstraint("population IS NULL OR population >= 0", name="ck_territory_population"),)

    code: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30))
    population: Mapped[int | None] = mapped_column(Integer)
    population_year: Mapped[int | None] = mapped_column(Integer)
    time_zone: Mapped[str] = mapped_column(String(64))
    updated_by: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class TerritoryLink(Base):
    """A grouping: `group_code` acts for `member_code` ("operator": its staff prepare, the member's
    own roles decide) or observes it ("hub": reads, acts on nothing)."""
    __tablename__ = "territory_link"

    group_code: Mapped[str] = mapped_column(ForeignKey("territory.code", ondelete="CASCADE"), primary_key=True)
    member_code: Mapped[str] = mapped_column(ForeignKey("territory.code", ondelete="CASCADE"), primary_key=True,
                                             index=True)
    relation: Mapped[str] = mapped_column(String(10))


class AssemblyMember(Base):
    """A member of one of a territory's assemblies (its conseil, its comité syndical…) over a
    period: `start_on` to `end_on` (either open). `position` keeps the order of the imported list."""
    __tablename__ = "assembly_member"
    __table_args__ = (CheckConstraint("end_on IS NULL OR start_on IS NULL OR end_on >= start_on",
                                      name="ck_assembly_member_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    territory_code: Mapped[str] = mapped_column(ForeignKey("territory.code", ondelete="CASCADE"), index=True)
    assembly: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str | None] = mapped_column(String(200))
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    updated_by: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


# --- absences and their substitutes (services/absences.py) --------------------------------------


class Absence(Base):
    """A user away from `starts_at` to `ends_at` (UTC, the end excluded): meanwhile `substitute`,
    who holds their roles in their territories, may take the tasks they had claimed. It ends by
    itself: no row changes at its end, the queries compare with the time of day."""
    __tablename__ = "absence"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ck_absence_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(255), index=True)
    substitute: Mapped[str] = mapped_column(String(255), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    declared_by: Mapped[str] = mapped_column(String(255))
    declared_at: Mapped[datetime] = mapped_column(DateTime)
