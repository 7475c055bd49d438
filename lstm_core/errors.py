"""The core's error types. This module imports nothing from the package, so that
every other module can raise them without depending on another."""


class WeightError(ValueError):
    """Weights that do not fit a model, or a file that is not a weight file this
    tool can run: the message names what was expected and what was found."""
