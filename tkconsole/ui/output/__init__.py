"""Drawing what the output model says: the batched writer, rich MIME output, folds and
squeezes, the tag pool, HTML grids, typeset math, the jump-to-bottom button."""
