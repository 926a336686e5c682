"""From a question to passages: the question analysed into a Query, a follow-up made standalone,
and the hybrid retrieval (dense and BM25) over the live snapshot."""
