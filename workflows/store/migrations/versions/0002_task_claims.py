"""task claims

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 05:44:35.940845
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('task_claim',
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=255), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['task_record.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id')
    )
    with op.batch_alter_table('task_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_claim_username'), ['username'], unique=False)



def downgrade():
    with op.batch_alter_table('task_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_claim_username'))

    op.drop_table('task_claim')
