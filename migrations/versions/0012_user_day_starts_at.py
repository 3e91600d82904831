"""Let each account choose the hour its study day starts at, 4:00 for everyone to begin with

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 15:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # Existing accounts get 4:00 too: a day that turned at midnight split late sessions in two, which is what
    # this column is for; each student can set midnight back in their study settings.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day_starts_at', sa.Integer(), server_default='4', nullable=False))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('day_starts_at')
