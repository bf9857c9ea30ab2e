"""One TOML file per procedure (thủ tục hành chính); see docs/catalog.md."""
