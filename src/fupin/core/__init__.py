"""Shared kernel: settings, database, unit of work, audit, scoping, i18n."""
