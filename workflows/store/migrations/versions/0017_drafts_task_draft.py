"""task drafts: the values of a ready task's form saved on the server, one per task (issue 15)

Revision ID: 0017_drafts
Revises: 0016_ledger_speed
Create Date: 2026-12-06 04:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_drafts'
down_revision = '0016_ledger_speed'
branch_labels = None
depends_on = None


# A new table only: plain CREATE TABLE and CREATE INDEX, no batch (see 0006).
def upgrade():
    op.create_table(
        'task_draft',
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('values_json', sa.Text(), nullable=False),
        sa.Column('saved_by', sa.String(length=255), nullable=False),
        sa.Column('saved_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['task_record.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('task_id'),
    )
    op.create_index('ix_task_draft_instance_id', 'task_draft', ['instance_id'], unique=False)


def downgrade():
    op.drop_index('ix_task_draft_instance_id', table_name='task_draft')
    op.drop_table('task_draft')
