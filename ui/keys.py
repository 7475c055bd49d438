"""Every session-state key of the app, in one list.

Widget keys start with ``w_`` (``ui.app`` carries them from page to page);
the others hold what a session computed or chose. A page-local widget keeps a
prefix of its page (``w_mem_``, ``w_gates_`` …) so no two pages share a key
by accident.
"""

# ---- what the session holds (not widgets)
VIEW = "view"                        # ui.state.View: the screen, mirrored in the URL
URL_PROBLEMS = "url_problems"        # list of ui.errors.Problem repaired in the link
ENC_WARNED = "enc_warned"            # the link's encoding was refused once already
APPLIED_MODEL = "applied_model"      # the trained model whose example was put in the sequence box
GOOD_UPLOAD = "good_upload"          # (sha256, model, file name) of the last weight file that loaded
GOOD_RUN = "good_run"                # the explorer's last run that worked (shown again under an error)
TRAINED = "trained_model"            # the model trained on the Train page: {id, model, task, cell, …}
TRAIN_JOB = "train_job"              # ui.train_view.Job of the Train page
TRAIN_ERROR = "train_error"          # the Train page's last refusal, translated
COLOR_HINT = "color_hint"            # the value a picked trained model's hint names (cell, hidden …): the trace
                                     # player's token strip starts coloured by it; the player's own select changes it

# ---- sidebar (every page)
LANG = "w_lang"
SOURCE = "w_source"                  # generated | upload | preset | trained
PRESET = "w_preset"
UPLOAD = "w_upload"
CELL = "w_cell"                      # the cell kind of generated weights
HIDDEN = "w_hidden"
LAYERS = "w_layers"
SEED = "w_seed"
FORGET_BIAS = "w_fb"
ENCODING = "w_enc"
UPLOAD_VOCAB = "w_upload_vocab"      # the vocabulary file uploaded beside the weights
VOCAB_TYPED = "w_vocab_typed"        # the alphabet typed on the page for a model that came without one
VOCAB_PROBLEM = "vocab_problem"      # why the typed alphabet does not fit (a ui.errors.Problem), or None

# ---- corpus page
CORPUS_UPLOAD = "w_corpus_upload"
CORPUS_TEXT = "w_corpus_text"
CORPUS_LAYER = "w_corpus_layer"
CORPUS_RESET = "w_corpus_reset"      # each line on its own (states start from zero at every line)
CORPUS_UNIT = "w_corpus_unit"
CORPUS_SPAN = "w_corpus_span"
CORPUS_THRESHOLD = "w_corpus_thr"
CORPUS_RUN = "corpus_run"            # lstm_core.corpus.States of this session (the one corpus it keeps)

# ---- the sequence box (every page that runs a sequence)
SEQ = "w_seq"
MODE = "w_mode"
EXAMPLE = "w_example"

# ---- explorer
UNIT = "w_unit"
LAYER = "w_layer"
TOPK_ON = "w_topk_on"
TOPK_K = "w_topk_k"
TOPK_BY = "w_topk_by"

# ---- teaching pages
RNN_UNIT = "w_rnn_unit"
CELLPAGE_UNITS = "w_cellpage_units"
CELLPAGE_X = "w_cellpage_x"
CELLPAGE_DRAW = "w_cellpage_draw"
GRU_INPUTS = "w_gru_inputs"
GRU_HIDDEN = "w_gru_hidden"
MEM_SCALE = "w_mem_scale"
MEM_INTERVENTION = "w_mem_iv"
MEM_UNIT = "w_mem_unit"
MEM_STEPS = "w_mem_steps"
MEM_CLIP = "w_mem_clip"              # the gradient view's clipping switch (weight scale > 1)
GATES_LOW = "w_gates_low"
GATES_HIGH = "w_gates_high"
GATES_LAYER = "w_gates_layer"
GATES_WEIGHTS = "w_gates_weights"    # trained example (default while the sidebar is random) | the sidebar's random
MEM_WEIGHTS = "w_mem_weights"        # the same switch on the Long-term memory page

# ---- causal lab (pages/lab.py)
LAB_STEP = "w_lab_step"              # the step whose predictions are listed, 1-based
LAB_EXPERIMENT = "w_lab_exp"         # edit | rank | intervene | patch
LAB_EDIT_KIND = "w_lab_edit_kind"    # change | insert | delete
LAB_EDIT_POS = "w_lab_edit_pos"      # 1-based
LAB_EDIT_TOKEN = "w_lab_edit_token"
LAB_RANK_STEPS = "w_lab_rank_steps"  # (first, last), 1-based, of the held-out sequences
LAB_IV_KIND = "w_lab_iv_kind"
LAB_IV_UNITS = "w_lab_iv_units"
LAB_IV_ALL = "w_lab_iv_all"
LAB_IV_STEPS = "w_lab_iv_steps"
LAB_PATCH_DONOR = "w_lab_donor"
LAB_PATCH_STEP = "w_lab_patch_step"
LAB_PATCH_UNITS = "w_lab_patch_units"
LAB_PATCH_ALL = "w_lab_patch_all"
LAB_PATCH_WHAT = "w_lab_patch_what"
# ---- first lesson (pages/lesson.py)
LESSON_GATES = "lesson_gates"        # {"setting", "dots", "gates": {forget, input, output}} the student set
LESSON_SHOWN = "lesson_shown"        # ids of the questions whose answer was revealed
LESSON_EDITED = "lesson_edited"      # (setting, dots, step) the gate sliders were last filled for
LESSON_SETTING = "w_lesson_setting"
LESSON_DOTS = "w_lesson_dots"
LESSON_STEP = "w_lesson_step"
LESSON_EVERY_DOT = "w_lesson_every_dot"


def lesson_gate(gate):
    """The first lesson's slider of one gate (forget, input, output) at the chosen step."""
    return f"w_lesson_{gate}"


def lesson_guess(question):
    """The first lesson's answer box of one question (hold, write, read)."""
    return f"w_lesson_q_{question}"


# ---- Train page
TRAIN_TASK = "w_train_task"
TRAIN_CORPUS = "w_train_corpus"
TRAIN_CELL = "w_train_cell"
TRAIN_HIDDEN = "w_train_hidden"
TRAIN_LR = "w_train_lr"
TRAIN_STEPS = "w_train_steps"
TRAIN_SNAPSHOT = "w_train_snap"


def train_param(task):
    """The Train page's task parameter box (gap, length …), one per task."""
    return f"w_train_{task}"


def cellpage_bias(k):
    return f"w_cellpage_b{k}"


def cellpage_c0(j):
    return f"w_cellpage_c{j}"


def cellpage_h0(j):
    return f"w_cellpage_h{j}"
