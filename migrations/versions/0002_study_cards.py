"""Add spaced-repetition cards, review logs, study settings and an index for activity by day

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:46:43.801371

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('card',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=True),
    sa.Column('stability', sa.Double(), nullable=True),
    sa.Column('difficulty', sa.Double(), nullable=True),
    sa.Column('due', sa.DateTime(), nullable=False),
    sa.Column('last_review', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_card_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_card_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card')),
    sa.UniqueConstraint('user_id', 'question_id', name=op.f('uq_card_user_id_question_id'))
    )
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.create_index('ix_card_user_created', ['user_id', 'created_at'], unique=False)
        batch_op.create_index('ix_card_user_due', ['user_id', 'due'], unique=False)

    op.create_table('review_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('state_before', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['card_id'], ['card.id'], name=op.f('fk_review_log_card_id_card'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_review_log_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['question_revision.id'], name=op.f('fk_review_log_revision_id_question_revision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_review_log_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_log'))
    )
    with op.batch_alter_table('review_log', schema=None) as batch_op:
        batch_op.create_index('ix_review_log_card', ['card_id'], unique=False)
        batch_op.create_index('ix_review_log_user_time', ['user_id', 'reviewed_at'], unique=False)

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index('ix_response_user_time', ['user_id', 'answered_at'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), server_default='UTC', nullable=False))
        batch_op.add_column(sa.Column('new_cards_per_day', sa.Integer(), server_default='20', nullable=False))
        batch_op.add_column(sa.Column('desired_retention', sa.Double(), server_default='0.9', nullable=False))
        batch_op.add_column(sa.Column('again_good_only', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('fsrs_parameters', sa.JSON(), nullable=True))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('fsrs_parameters')
        batch_op.drop_column('again_good_only')
        batch_op.drop_column('desired_retention')
        batch_op.drop_column('new_cards_per_day')
        batch_op.drop_column('timezone')

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_user_time')

    with op.batch_alter_table('review_log', schema=None) as batch_op:
        batch_op.drop_index('ix_review_log_user_time')
        batch_op.drop_index('ix_review_log_card')

    op.drop_table('review_log')
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.drop_index('ix_card_user_due')
        batch_op.drop_index('ix_card_user_created')

    op.drop_table('card')
