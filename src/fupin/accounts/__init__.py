"""Users, roles, area scope, sessions and API tokens, and the audit log pages."""
