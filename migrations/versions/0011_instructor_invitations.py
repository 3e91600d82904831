"""Add invitations to teach a class, which the invited instructor accepts or declines

Instructors already teaching a class by then keep teaching it: their memberships stand as accepted.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 15:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('instructor_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('invited_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classroom.id'], name=op.f('fk_instructor_invitation_classroom_id_classroom'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by'], ['user.id'], name=op.f('fk_instructor_invitation_invited_by_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_instructor_invitation_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instructor_invitation')),
    sa.UniqueConstraint('classroom_id', 'user_id', name=op.f('uq_instructor_invitation_classroom_id_user_id'))
    )
    with op.batch_alter_table('instructor_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instructor_invitation_user_id'), ['user_id'], unique=False)


def downgrade():
    # Invitations not yet answered are lost: the older schema has no place for them, and nobody was given
    # anything by them.
    with op.batch_alter_table('instructor_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instructor_invitation_user_id'))

    op.drop_table('instructor_invitation')
