"""Models for riskassessment."""
