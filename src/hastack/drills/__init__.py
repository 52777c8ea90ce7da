"""Failure drills: inject a failure under live load, measure, heal, verify the ledgers."""
