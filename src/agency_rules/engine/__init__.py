"""The rule engine: rule files (rulebook), the closed check vocabulary, dated parameters, evaluation."""
