"""The Supporting Families claim list: families whose outcomes are evidenced, and the evidence
each rests on (docs/supporting-families.md). Reads engagement, riskassessment and cases."""
