"""The fixed corpora every evaluation and promotion compares models on (`ordino eval`,
`ordino eval --learning`, `ordino model promote`, the retrain): their seeds and size, kept
light to import for the CLI."""

EVAL_SEED = 1001
EVAL_COUNT = 200
LEARNING_SEED = 11
"""The world and layout series `ordino eval --learning` measures by default."""
