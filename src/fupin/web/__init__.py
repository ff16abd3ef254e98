"""Web shell: app factory, layout, static assets, authentication dependencies."""
