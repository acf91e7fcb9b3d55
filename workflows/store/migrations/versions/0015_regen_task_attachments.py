"""files attached to a task (quotes, signed scans), stored like generated documents (issue 15)

Revision ID: 0015_regen_attachments
Revises: 0014_regen
Create Date: 2026-12-06 02:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0015_regen_attachments'
down_revision = '0014_regen'
branch_labels = None
depends_on = None


# A new table only: plain CREATE TABLE and CREATE INDEX, no batch (see 0006).
def upgrade():
    op.create_table(
        'task_attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('checksum', sa.String(length=64), nullable=False),
        sa.Column('path', sa.String(length=1000), nullable=False),
        sa.Column('created_by', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_task_attachment_instance_id', 'task_attachment', ['instance_id'], unique=False)
    op.create_index('ix_task_attachment_task_id', 'task_attachment', ['task_id'], unique=False)


def downgrade():
    op.drop_index('ix_task_attachment_task_id', table_name='task_attachment')
    op.drop_index('ix_task_attachment_instance_id', table_name='task_attachment')
    op.drop_table('task_attachment')
