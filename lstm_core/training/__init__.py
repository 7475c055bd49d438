"""Training small models on toy tasks, in NumPy, and what is learned from them.

==================  ==========================================================
module              holds
==================  ==========================================================
``tasks``           six toy tasks (``make_task(name, **params)``): batches of
                    inputs, targets, a mask of scored steps and a latent
``losses``          masked cross-entropy and MSE, each with ∂L/∂logits
``optim``           Adam and clipping by the global gradient norm
``trainer``         ``Trainer`` (batch → forward → loss → backward → clip →
                    Adam) and its event stream, ``blas_threads``
``units``           the interpretable-unit finder (which unit tracks the latent)
``experiments``     experiments that train to measure memory (recall vs gap)
==================  ==========================================================

The command line is ``python -m lstm_core.train`` (``lstm_core/train.py``).
"""
