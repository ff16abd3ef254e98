"""Registry of registered poor households and their members (建档立卡) and the household ledger (扶贫台账)."""
