"""String catalogues, one module per area of the app, each with EN and ZH dicts."""
