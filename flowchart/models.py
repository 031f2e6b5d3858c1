"""Models for flowchart."""
