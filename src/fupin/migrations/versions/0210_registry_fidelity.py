"""registry fidelity (issue 17): the national form's household and member fields, a 15-digit ID number as typed,
transfer income in parts, members' pinyin initials for the search (backfilled here)

Revision ID: 0210
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0210"
down_revision = "0002"
branch_labels = None
depends_on = None

AREA = sa.Numeric(precision=12, scale=2)
MONEY = sa.Numeric(precision=14, scale=2)
HOUSEHOLD_COLUMNS = [
    ("identification_standard", sa.String(length=16)),
    ("military_martyr_family", sa.Boolean()),
    ("only_child_family", sa.Boolean()),
    ("two_daughters_family", sa.Boolean()),
    ("arable_land_mu", AREA),
    ("irrigated_land_mu", AREA),
    ("forest_land_mu", AREA),
    ("returned_farmland_mu", AREA),
    ("fruit_forest_mu", AREA),
    ("grassland_mu", AREA),
    ("water_surface_mu", AREA),
    ("domestic_power", sa.Boolean()),
    ("production_power", sa.Boolean()),
    ("road_distance_km", AREA),
    ("access_road_type", sa.String(length=16)),
    ("housing_area_m2", AREA),
    ("dilapidation_grade", sa.String(length=4)),
    ("house_built_year", sa.SmallInteger()),
    ("main_fuel", sa.String(length=16)),
    ("sanitary_toilet", sa.Boolean()),
]
PERSON_COLUMNS = [
    ("id_number_original", sa.String(length=15)),
    ("name_initials", sa.String(length=60)),
    ("political_status", sa.String(length=20)),
    ("disability_category", sa.String(length=16)),
    ("disability_certificate_no", sa.String(length=24)),
    ("serious_illness_insurance", sa.Boolean()),
    ("commercial_medical_insurance", sa.Boolean()),
    ("medical_assistance", sa.Boolean()),
    ("active_serviceman", sa.Boolean()),
]
TRANSFER_PARTS = ["transfer_dibao", "transfer_tekun", "transfer_pension", "transfer_ecological", "transfer_other"]
BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("households", schema=None) as batch_op:
        for name, type_ in HOUSEHOLD_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("persons", schema=None) as batch_op:
        for name, type_ in PERSON_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("household_incomes", schema=None) as batch_op:
        for name in TRANSFER_PARTS:
            batch_op.add_column(sa.Column(name, MONEY, nullable=False, server_default="0"))
    # An unsplit total is "other" (registry.rules.split_transfer).
    op.execute("UPDATE household_incomes SET transfer_other = transfer_income")
    with op.batch_alter_table("household_incomes", schema=None) as batch_op:
        for name in TRANSFER_PARTS:
            batch_op.alter_column(name, server_default=None)
    _backfill_initials()
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index("ix_persons_name_initials", ["name_initials"], unique=False)


def _backfill_initials() -> None:
    from fupin.registry.rules import name_initials

    connection = op.get_bind()
    persons = sa.table("persons", sa.column("id", sa.BigInteger()), sa.column("name", sa.String()),
                       sa.column("name_initials", sa.String()))
    statement = (sa.update(persons).where(persons.c.id == sa.bindparam("b_id"))
                 .values(name_initials=sa.bindparam("b_initials")))
    last = 0
    while True:
        rows = connection.execute(sa.select(persons.c.id, persons.c.name).where(persons.c.id > last)
                                  .order_by(persons.c.id).limit(BATCH)).all()
        if not rows:
            return
        connection.execute(statement, [{"b_id": pid, "b_initials": name_initials(name)} for pid, name in rows])
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index("ix_persons_name_initials")
        for name, _type in reversed(PERSON_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table("household_incomes", schema=None) as batch_op:
        for name in reversed(TRANSFER_PARTS):
            batch_op.drop_column(name)
    with op.batch_alter_table("households", schema=None) as batch_op:
        for name, _type in reversed(HOUSEHOLD_COLUMNS):
            batch_op.drop_column(name)
