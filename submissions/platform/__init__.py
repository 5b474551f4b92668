"""The platform layer: what every area uses and none owns (docs/architecture.md). It imports no area and not the workflow."""
