"""incentives: point rules, points journal and balances, love supermarkets, scorecards

Revision ID: 0601
Revises: 0002
Create Date: 2026-11-30 13:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fupin.core.db

revision = '0601'
down_revision = '0002'
branch_labels = ('incentives',)
depends_on = None


def upgrade() -> None:
    op.create_table('love_shops',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_love_shops'))
    )
    op.create_index('ix_love_shops_area_code', 'love_shops', ['area_code'], unique=False)
    op.create_table('point_rules',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=24), nullable=False),
    sa.Column('award_level', sa.String(length=12), nullable=False),
    sa.Column('limit_per_year', sa.SmallInteger(), nullable=True),
    sa.Column('valid_months', sa.SmallInteger(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('points > 0', name=op.f('ck_point_rules_points_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_point_rules'))
    )
    op.create_index('ix_point_rules_area_code', 'point_rules', ['area_code'], unique=False)
    op.create_table('scorecards',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('subject_kind', sa.String(length=8), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('veto_effect', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=12), nullable=False),
    sa.Column('title_top_n', sa.SmallInteger(), nullable=True),
    sa.Column('title_min_score', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('bonus_pool', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecards'))
    )
    op.create_index('ix_scorecards_area_code', 'scorecards', ['area_code', 'period'], unique=False)
    op.create_table('scorecard_items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('scorecard_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('weight', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('is_veto', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['scorecard_id'], ['scorecards.id'], name=op.f('fk_scorecard_items_scorecard_id_scorecards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecard_items'))
    )
    op.create_index('ix_scorecard_items_scorecard', 'scorecard_items', ['scorecard_id'], unique=False)
    op.create_table('scorecard_subjects',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('scorecard_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['scorecard_id'], ['scorecards.id'], name=op.f('fk_scorecard_subjects_scorecard_id_scorecards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecard_subjects'))
    )
    op.create_index('uq_scorecard_subjects_name', 'scorecard_subjects', ['scorecard_id', 'name'], unique=True)
    op.create_table('shop_goods',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('shop_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('price_points', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('price_points > 0', name=op.f('ck_shop_goods_price_positive')),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_shop_goods_stock_not_negative')),
    sa.ForeignKeyConstraint(['shop_id'], ['love_shops.id'], name=op.f('fk_shop_goods_shop_id_love_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_goods'))
    )
    op.create_index('ix_shop_goods_shop_id', 'shop_goods', ['shop_id'], unique=False)
    op.create_table('point_accounts',
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('balance', sa.Integer(), nullable=False),
    sa.Column('earned', sa.Integer(), nullable=False),
    sa.Column('spent', sa.Integer(), nullable=False),
    sa.Column('expired', sa.Integer(), nullable=False),
    sa.Column('corrected', sa.Integer(), nullable=False),
    sa.CheckConstraint('balance >= 0', name=op.f('ck_point_accounts_balance_not_negative')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_point_accounts_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('household_id', name=op.f('pk_point_accounts'))
    )
    op.create_index('ix_point_accounts_area_code', 'point_accounts', ['area_code'], unique=False)
    op.create_table('point_transactions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('redemption_id', sa.Integer(), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('evidence', sa.String(length=300), nullable=True),
    sa.Column('source_ref', sa.String(length=80), nullable=True),
    sa.Column('actor_name', sa.String(length=60), nullable=False),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_point_transactions_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_id'], ['point_rules.id'], name=op.f('fk_point_transactions_rule_id_point_rules'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_point_transactions'))
    )
    op.create_index('ix_point_transactions_area', 'point_transactions', ['area_code', 'kind', 'occurred_on'], unique=False)
    op.create_index('ix_point_transactions_household', 'point_transactions', ['household_id', 'id'], unique=False)
    op.create_index('uq_point_transactions_source_ref', 'point_transactions', ['source_ref'], unique=True)
    op.create_table('redemptions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('shop_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('household_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('total_points', sa.Integer(), nullable=False),
    sa.Column('balance_after', sa.Integer(), nullable=False),
    sa.Column('redeemed_on', sa.Date(), nullable=False),
    sa.Column('clerk_name', sa.String(length=60), nullable=False),
    sa.Column('created_at', fupin.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_redemptions_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['love_shops.id'], name=op.f('fk_redemptions_shop_id_love_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemptions'))
    )
    op.create_index('ix_redemptions_household_id', 'redemptions', ['household_id'], unique=False)
    op.create_index('ix_redemptions_shop_id', 'redemptions', ['shop_id', 'id'], unique=False)
    op.create_table('scorecard_results',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('scorecard_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('subject_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('score', sa.Numeric(precision=14, scale=7), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('vetoed', sa.Boolean(), nullable=False),
    sa.Column('stars', sa.SmallInteger(), nullable=False),
    sa.Column('titled', sa.Boolean(), nullable=False),
    sa.Column('bonus', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['scorecard_id'], ['scorecards.id'], name=op.f('fk_scorecard_results_scorecard_id_scorecards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['scorecard_subjects.id'], name=op.f('fk_scorecard_results_subject_id_scorecard_subjects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecard_results'))
    )
    op.create_index('uq_scorecard_results_subject', 'scorecard_results', ['scorecard_id', 'subject_id'], unique=True)
    op.create_table('scorecard_scores',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('subject_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('vetoed', sa.Boolean(), nullable=False),
    sa.Column('evidence', sa.String(length=500), nullable=True),
    sa.Column('actor_name', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['scorecard_items.id'], name=op.f('fk_scorecard_scores_item_id_scorecard_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['scorecard_subjects.id'], name=op.f('fk_scorecard_scores_subject_id_scorecard_subjects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecard_scores'))
    )
    op.create_index('uq_scorecard_scores_subject_item', 'scorecard_scores', ['subject_id', 'item_id'], unique=True)
    op.create_table('shop_donations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('shop_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('area_code', sa.String(length=15), nullable=False),
    sa.Column('donor', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('goods_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['goods_id'], ['shop_goods.id'], name=op.f('fk_shop_donations_goods_id_shop_goods'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shop_id'], ['love_shops.id'], name=op.f('fk_shop_donations_shop_id_love_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_donations'))
    )
    op.create_index('ix_shop_donations_shop_id', 'shop_donations', ['shop_id', 'received_on'], unique=False)
    op.create_table('point_postings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('account', sa.String(length=40), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['transaction_id'], ['point_transactions.id'], name=op.f('fk_point_postings_transaction_id_point_transactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_point_postings'))
    )
    op.create_index('ix_point_postings_account', 'point_postings', ['account'], unique=False)
    op.create_index('ix_point_postings_transaction', 'point_postings', ['transaction_id'], unique=False)
    op.create_table('redemption_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('redemption_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('goods_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('price_points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['goods_id'], ['shop_goods.id'], name=op.f('fk_redemption_lines_goods_id_shop_goods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemptions.id'], name=op.f('fk_redemption_lines_redemption_id_redemptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption_lines'))
    )
    op.create_index('ix_redemption_lines_redemption', 'redemption_lines', ['redemption_id'], unique=False)


def downgrade() -> None:
    for table in ('scorecard_results', 'scorecard_scores', 'scorecard_subjects', 'scorecard_items', 'scorecards',
                  'redemption_lines', 'redemptions', 'shop_donations', 'shop_goods', 'love_shops', 'point_postings',
                  'point_transactions', 'point_accounts', 'point_rules'):
        op.drop_table(table)
