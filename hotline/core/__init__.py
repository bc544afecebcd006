"""Infrastructure every domain package shares: settings, stores, time, phones, errors."""
