"""Hold the hour a study day starts at to 0-23 in the database too, as the study settings form does

Every account has such an hour already: 4 unless its owner chose another on that form.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 18:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    # On SQLite batch mode rebuilds the table with the constraint; the name is the one the models' naming
    # convention gives it (ck_<table>_<name>), so later batch operations can find it again.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_user_day_starts_at_hour'),
                                         sa.text('day_starts_at >= 0 AND day_starts_at <= 23'))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_user_day_starts_at_hour'), type_='check')
