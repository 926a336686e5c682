"""User-facing sentences that are not prompt templates, in one place (Russian first)."""

EMPTY_QUESTION = "Задайте вопрос, например: «Какой телефон у поддержки Ozon Card?»"
NOT_IN_SOURCES = "В источниках нет ответа на этот вопрос."
SOURCES = "Источники:"
INDEX_UNAVAILABLE = "База знаний сейчас недоступна: {reason}"
