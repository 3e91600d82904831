"""Tell a review given in study from a lapse recorded when a quiz answer missed a learned card

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 15:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # Every review logged so far was given in study.
    with op.batch_alter_table('review_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=10), server_default='study', nullable=False))
        # Accuracy by topic counts study reviews per question from this index alone: it carries the source too.
        batch_op.drop_index('ix_review_log_user_question')
        batch_op.create_index('ix_review_log_user_question', ['user_id', 'question_id', 'rating', 'source'],
                              unique=False)


def downgrade():
    # Quiz lapses are kept (the cards' schedules rest on them); without the column they read as study reviews.
    with op.batch_alter_table('review_log', schema=None) as batch_op:
        batch_op.drop_index('ix_review_log_user_question')
        batch_op.create_index('ix_review_log_user_question', ['user_id', 'question_id', 'rating'], unique=False)
        batch_op.drop_column('source')
