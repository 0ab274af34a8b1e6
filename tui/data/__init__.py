"""The data layer: article model, loading, the index. Never imports Textual."""
