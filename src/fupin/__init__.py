"""fupin (扶贫): Party-building-led targeted poverty alleviation and return-to-poverty monitoring."""

__version__ = "0.1.0"
