"""Add classes, memberships and assignments; attempts at assignments; unpublished banks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:32:53.178142

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('classroom',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('join_code', sa.String(length=16), nullable=False),
    sa.Column('joining_open', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classroom')),
    sa.UniqueConstraint('join_code', name=op.f('uq_classroom_join_code'))
    )
    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classroom.id'], name=op.f('fk_membership_classroom_id_classroom'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_membership_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
    sa.UniqueConstraint('classroom_id', 'user_id', name=op.f('uq_membership_classroom_id_user_id'))
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_user_id'), ['user_id'], unique=False)

    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('selection', sa.String(length=20), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('question_ids', sa.JSON(), nullable=False),
    sa.Column('draw_count', sa.Integer(), nullable=True),
    sa.Column('shuffle_choices', sa.Boolean(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('attempt_limit', sa.Integer(), nullable=True),
    sa.Column('time_limit_minutes', sa.Integer(), nullable=True),
    sa.Column('feedback_policy', sa.String(length=20), nullable=False),
    sa.Column('late_policy', sa.String(length=20), nullable=False),
    sa.Column('grading', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['bank_id'], ['bank.id'], name=op.f('fk_assignment_bank_id_bank'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['classroom_id'], ['classroom.id'], name=op.f('fk_assignment_classroom_id_classroom'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_assignment_created_by_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_classroom_id'), ['classroom_id'], unique=False)

    with op.batch_alter_table('bank', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_published', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('practice_open', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('deadline_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('is_late', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_quiz_attempt_assignment_user', ['assignment_id', 'user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_quiz_attempt_assignment_id_assignment'), 'assignment', ['assignment_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_quiz_attempt_assignment_id_assignment'), type_='foreignkey')
        batch_op.drop_index('ix_quiz_attempt_assignment_user')
        batch_op.drop_column('is_late')
        batch_op.drop_column('deadline_at')
        batch_op.drop_column('number')
        batch_op.drop_column('assignment_id')

    with op.batch_alter_table('bank', schema=None) as batch_op:
        batch_op.drop_column('practice_open')
        batch_op.drop_column('is_published')

    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_classroom_id'))

    op.drop_table('assignment')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_user_id'))

    op.drop_table('membership')
    op.drop_table('classroom')
