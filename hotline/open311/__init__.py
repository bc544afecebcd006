"""Open311 GeoReport v2: the standard API city-reporting apps speak."""
