"""generated documents: one per recipient (rejection letter per evicted candidate)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 08:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

RECIPIENT_KEY = sa.text("coalesce(recipient, '')")


def upgrade():
    with op.batch_alter_table('generated_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient', sa.String(length=2000), nullable=True))
        batch_op.alter_column('title', existing_type=sa.String(length=500), type_=sa.String(length=2100),
                              existing_nullable=False)
        batch_op.drop_constraint('uq_document_revision', type_='unique')
    op.create_index('uq_document_recipient_revision', 'generated_document',
                    ['instance_id', 'template', RECIPIENT_KEY, 'revision'], unique=True)


def downgrade():
    op.drop_index('uq_document_recipient_revision', table_name='generated_document')
    # the old schema counts revisions per template only: the per-recipient documents cannot
    # stay (their files remain in the documents folder)
    op.execute("DELETE FROM generated_document WHERE recipient IS NOT NULL")
    with op.batch_alter_table('generated_document', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_document_revision', ['instance_id', 'template', 'revision'])
        batch_op.alter_column('title', existing_type=sa.String(length=2100), type_=sa.String(length=500),
                              existing_nullable=False)
        batch_op.drop_column('recipient')
