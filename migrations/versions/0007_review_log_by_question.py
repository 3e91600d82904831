"""Add an index of each student's reviews by question, for accuracy by topic

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 07:31:10.594153

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('review_log', schema=None) as batch_op:
        batch_op.create_index('ix_review_log_user_question', ['user_id', 'question_id', 'rating'], unique=False)



def downgrade():
    with op.batch_alter_table('review_log', schema=None) as batch_op:
        batch_op.drop_index('ix_review_log_user_question')

