"""The index: the passage record, the Chroma store and its committed snapshots, the snapshot held in
memory, BM25 over it, and the sentence encoder that embeds it."""
