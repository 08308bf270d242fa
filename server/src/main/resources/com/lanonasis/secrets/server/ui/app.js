// The dashboard: replaced by the full front end.
