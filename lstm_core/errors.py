"""The core's error types. This module imports nothing from the package, so that
every other module can raise them without depending on another."""


class WeightError(ValueError):
    """Weights that do not fit a model, or a file that is not a weight file this
    tool can run: the message names what was expected and what was found.

    ``str(err)`` is English (logs, tests, the command line). The common
    refusals also carry a ``key`` (a short name such as ``"not_weights"``)
    and ``params`` (the values the sentence names), so a user interface can
    say the same thing in its own language; ``key`` is ``""`` otherwise.

        >>> e = WeightError("the file is empty", key="empty")
        >>> str(e), e.key, e.params
        ('the file is empty', 'empty', {})
    """

    def __init__(self, message="", key="", **params):
        super().__init__(message)
        self.key = key
        self.params = params
