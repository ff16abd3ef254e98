"""incentives: point rules, points journal and balances, love supermarkets, scorecards

Revision ID: 0601
Revises: 0002
Create Date: 2026-11-30 13:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fupin.migrations import columns as c

revision = '0601'
down_revision = '0002'
branch_labels = ('incentives',)
depends_on = None


def upgrade() -> None:
    c.create_table('love_shops',
    c.big_id(),
    c.county_code(),
    c.area_code(),
    c.string('name', 100),
    c.string('address', 200, nullable=True),
    c.boolean('active'),
    indexes=[c.index('ix_love_shops_area_code', 'area_code')],
    )
    c.create_table('point_rules',
    c.big_id(),
    c.county_code(),
    c.area_code(),
    c.string('name', 100),
    c.integer('points'),
    c.string('trigger', 24),
    c.string('award_level', 12),
    c.small_integer('limit_per_year', nullable=True),
    c.small_integer('valid_months', nullable=True),
    c.boolean('active'),
    sa.CheckConstraint('points > 0', name=op.f('ck_point_rules_points_positive')),
    indexes=[c.index('ix_point_rules_area_code', 'area_code')],
    )
    c.create_table('scorecards',
    c.big_id(),
    c.county_code(),
    c.area_code(),
    c.string('name', 100),
    c.string('subject_kind', 8),
    c.string('period', 20),
    c.string('veto_effect', 8),
    c.string('title', 12),
    c.small_integer('title_top_n', nullable=True),
    c.numeric('title_min_score', 5, 2, nullable=True),
    c.numeric('bonus_pool', 14, 2),
    c.string('status', 8),
    c.date('closed_on', nullable=True),
    indexes=[c.index('ix_scorecards_area_code', 'area_code', 'period')],
    )
    c.create_table('scorecard_items',
    c.big_id(),
    c.big_ref('scorecard_id'),
    c.string('name', 100),
    c.numeric('weight', 5, 2),
    c.boolean('is_veto'),
    c.foreign_key('scorecard_id', 'scorecards.id', ondelete='CASCADE'),
    indexes=[c.index('ix_scorecard_items_scorecard', 'scorecard_id')],
    )
    c.create_table('scorecard_subjects',
    c.big_id(),
    c.big_ref('scorecard_id'),
    c.area_code(),
    c.string('name', 100),
    c.foreign_key('scorecard_id', 'scorecards.id', ondelete='CASCADE'),
    indexes=[c.index('uq_scorecard_subjects_name', 'scorecard_id', 'name', unique=True)],
    )
    c.create_table('shop_goods',
    c.big_id(),
    c.big_ref('shop_id'),
    c.area_code(),
    c.string('name', 100),
    c.string('unit', 10),
    c.integer('price_points'),
    c.integer('stock'),
    c.boolean('active'),
    sa.CheckConstraint('price_points > 0', name=op.f('ck_shop_goods_price_positive')),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_shop_goods_stock_not_negative')),
    c.foreign_key('shop_id', 'love_shops.id', ondelete='CASCADE'),
    indexes=[c.index('ix_shop_goods_shop_id', 'shop_id')],
    )
    c.create_table('point_accounts',
    *c.household_scope(),
    c.integer('balance'),
    c.integer('earned'),
    c.integer('spent'),
    c.integer('expired'),
    c.integer('corrected'),
    sa.CheckConstraint('balance >= 0', name=op.f('ck_point_accounts_balance_not_negative')),
    c.household_key(),
    primary_key=('household_id',),
    indexes=[c.index('ix_point_accounts_area_code', 'area_code')],
    )
    c.create_table('point_transactions',
    c.big_id(),
    c.string('kind', 12),
    *c.household_scope(),
    c.integer('points'),
    c.big_ref('rule_id', nullable=True),
    c.integer('shop_id', nullable=True),
    c.integer('redemption_id', nullable=True),
    c.date('occurred_on'),
    c.date('expires_on', nullable=True),
    c.string('note', 500, nullable=True),
    c.string('evidence', 300, nullable=True),
    c.string('source_ref', 80, nullable=True),
    c.string('actor_name', 60),
    c.created_at(),
    c.household_key(),
    c.foreign_key('rule_id', 'point_rules.id', ondelete='SET NULL'),
    indexes=[
        c.index('ix_point_transactions_area', 'area_code', 'kind', 'occurred_on'),
        c.index('ix_point_transactions_household', 'household_id', 'id'),
        c.index('uq_point_transactions_source_ref', 'source_ref', unique=True),
    ],
    )
    c.create_table('redemptions',
    c.big_id(),
    c.big_ref('shop_id'),
    c.big_ref('household_id'),
    c.area_code(),
    c.integer('total_points'),
    c.integer('balance_after'),
    c.date('redeemed_on'),
    c.string('clerk_name', 60),
    c.created_at(),
    c.household_key(),
    c.foreign_key('shop_id', 'love_shops.id', ondelete='CASCADE'),
    indexes=[
        c.index('ix_redemptions_household_id', 'household_id'),
        c.index('ix_redemptions_shop_id', 'shop_id', 'id'),
    ],
    )
    c.create_table('scorecard_results',
    c.big_id(),
    c.big_ref('scorecard_id'),
    c.big_ref('subject_id'),
    c.numeric('score', 14, 7),
    c.integer('rank'),
    c.boolean('vetoed'),
    c.small_integer('stars'),
    c.boolean('titled'),
    c.numeric('bonus', 14, 2),
    c.foreign_key('scorecard_id', 'scorecards.id', ondelete='CASCADE'),
    c.foreign_key('subject_id', 'scorecard_subjects.id', ondelete='CASCADE'),
    indexes=[c.index('uq_scorecard_results_subject', 'scorecard_id', 'subject_id', unique=True)],
    )
    c.create_table('scorecard_scores',
    c.big_id(),
    c.big_ref('subject_id'),
    c.big_ref('item_id'),
    c.numeric('score', 5, 2, nullable=True),
    c.boolean('vetoed'),
    c.string('evidence', 500, nullable=True),
    c.string('actor_name', 60),
    c.foreign_key('item_id', 'scorecard_items.id', ondelete='CASCADE'),
    c.foreign_key('subject_id', 'scorecard_subjects.id', ondelete='CASCADE'),
    indexes=[c.index('uq_scorecard_scores_subject_item', 'subject_id', 'item_id', unique=True)],
    )
    c.create_table('shop_donations',
    c.big_id(),
    c.big_ref('shop_id'),
    c.area_code(),
    c.string('donor', 100),
    c.string('kind', 8),
    c.numeric('amount', 14, 2, nullable=True),
    c.big_ref('goods_id', nullable=True),
    c.integer('quantity', nullable=True),
    c.date('received_on'),
    c.string('note', 300, nullable=True),
    c.foreign_key('goods_id', 'shop_goods.id', ondelete='SET NULL'),
    c.foreign_key('shop_id', 'love_shops.id', ondelete='CASCADE'),
    indexes=[c.index('ix_shop_donations_shop_id', 'shop_id', 'received_on')],
    )
    c.create_table('point_postings',
    c.big_id(),
    c.big_ref('transaction_id'),
    c.string('account', 40),
    c.integer('points'),
    c.foreign_key('transaction_id', 'point_transactions.id', ondelete='CASCADE'),
    indexes=[
        c.index('ix_point_postings_account', 'account'),
        c.index('ix_point_postings_transaction', 'transaction_id'),
    ],
    )
    c.create_table('redemption_lines',
    c.big_id(),
    c.big_ref('redemption_id'),
    c.big_ref('goods_id'),
    c.string('name', 100),
    c.integer('quantity'),
    c.integer('price_points'),
    c.foreign_key('goods_id', 'shop_goods.id', ondelete='CASCADE'),
    c.foreign_key('redemption_id', 'redemptions.id', ondelete='CASCADE'),
    indexes=[c.index('ix_redemption_lines_redemption', 'redemption_id')],
    )


def downgrade() -> None:
    for table in ('scorecard_results', 'scorecard_scores', 'scorecard_subjects', 'scorecard_items', 'scorecards',
                  'redemption_lines', 'redemptions', 'shop_donations', 'shop_goods', 'love_shops', 'point_postings',
                  'point_transactions', 'point_accounts', 'point_rules'):
        op.drop_table(table)
