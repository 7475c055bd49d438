"""Train page: train a small network on a toy task, live, then look inside it.

Wiring only: settings, the resumable run and its results live in
ui.train_view, the charts in ui.figures.training.
"""
import streamlit as st

from lstm_core.notation import CELL_KINDS
from ui import keys, state, train_view
from ui.app import setup
from ui.errors import Problem
from ui.figures import training as train_figures
from ui.player.component import cached_data, player, position
from ui.train_view import CAP_SECONDS, CORPORA, TASK_PARAM, Settings
from ui.widgets import seed_widget

ctx = setup("train")
tr, lang = ctx.tr, ctx.lang

st.title(tr("train.title"))
st.markdown(tr("train.intro", cap=CAP_SECONDS))

# ------------------------------------------------------------------ settings (seeded once from the URL)
for key, value in train_view.query_settings(st.query_params.to_dict()).items():
    seed_widget(key, value)
c_task, c_param, c_cell, c_hidden, c_lr, c_steps = st.columns([3, 2, 1, 1, 1, 1])
task = c_task.selectbox(tr("train.task"), list(TASK_PARAM), key=keys.TRAIN_TASK, format_func=lambda k: tr(f"task.{k}"))
pname, pdefault, phi = TASK_PARAM[task]
if pname == "corpus":
    if st.session_state.get(keys.TRAIN_CORPUS) not in CORPORA:
        st.session_state[keys.TRAIN_CORPUS] = pdefault
    param = c_param.radio(tr("train.param.corpus"), CORPORA, key=keys.TRAIN_CORPUS, horizontal=True,
                          format_func=lambda c: {"en": "English", "zh": "中文"}[c])
else:
    seed_widget(keys.train_param(task), pdefault)
    param = int(c_param.number_input(tr(f"train.param.{pname}"), 0, 10_000, step=1, key=keys.train_param(task)))
cell = c_cell.selectbox(tr("train.cell"), CELL_KINDS, key=keys.TRAIN_CELL, format_func=str.upper)
hidden = int(c_hidden.number_input(tr("train.hidden"), 0, 10_000, step=1, key=keys.TRAIN_HIDDEN))
lr = float(c_lr.number_input(tr("train.lr"), 0.0, 10.0, step=0.001, format="%.4f", key=keys.TRAIN_LR))
steps = int(c_steps.number_input(tr("train.steps"), 0, 1_000_000, step=50, key=keys.TRAIN_STEPS,
                                 help=tr("train.steps_help", batch=train_view.BATCH, cap=CAP_SECONDS,
                                         target=train_view.TARGET, n=train_view.EVAL_SIZE,
                                         every=train_view.EVAL_EVERY)))
settings = Settings(task, param, cell, hidden, lr, steps)
if pname == "gap":
    st.caption(tr("train.curriculum", gap=param, lo=settings.task_kwargs()["min_gap"]))
for name, value in train_view.to_query(settings).items():
    if st.query_params.get(name) != value:
        st.query_params[name] = value

b_train, b_reset, _ = st.columns([1, 1, 4])
if b_train.button(tr("train.start"), type="primary", key="train_start"):
    try:
        st.session_state[keys.TRAIN_JOB] = train_view.start(settings)
        st.session_state.pop(keys.TRAIN_ERROR, None)
    except Problem as err:
        st.session_state[keys.TRAIN_ERROR] = err.message(lang)
    except ValueError as err:
        st.session_state[keys.TRAIN_ERROR] = str(err)
job = st.session_state.get(keys.TRAIN_JOB)
if job is not None and b_reset.button(tr("train.reset"), key="train_reset"):
    job.stop()
    del st.session_state[keys.TRAIN_JOB]
    job = None
if st.session_state.get(keys.TRAIN_ERROR):
    st.error(f"**{tr('train.bad_settings')}**: {state.md_escape(st.session_state['train_error'])}")


# ------------------------------------------------------------------ live progress (a fragment: only it reruns)
def live():
    job = st.session_state.get(keys.TRAIN_JOB)
    if job is None:
        st.info(tr("train.no_run"))
        return
    if job.running and st.button(tr("train.stop"), key="train_stop"):
        job.stop()
        st.rerun()      # the whole page, so the results show
    was_running = job.running
    if job.running:
        job.advance(train_view.SLICE_SECONDS)
    tr_ = job.trainer
    total = job.settings.steps
    st.progress(min(tr_.steps / total, 1.0),
                text=tr("train.progress", step=tr_.steps, total=total, secs=tr_.seconds, cap=CAP_SECONDS))
    xs, loss, acc = job.history
    chance = job.result["chance"] if job.result else None
    st.plotly_chart(train_figures.progress(xs, loss, acc, lang, chance=chance, total=total),
                    key="train_chart", width="stretch")
    if was_running and not job.running:
        st.rerun()      # leave the timer, draw the results


running = st.session_state.get(keys.TRAIN_JOB) is not None and st.session_state[keys.TRAIN_JOB].running
st.fragment(live, run_every=0.4 if running else None)()

# ------------------------------------------------------------------ results
job = st.session_state.get(keys.TRAIN_JOB)
if job is not None and not job.running:
    res = job.result
    st.success(tr(f"train.ended.{job.reason}", step=res["steps"], cap=CAP_SECONDS, target=train_view.TARGET,
                  n=train_view.EVAL_SIZE))
    if job.task.output == "linear":
        st.markdown(tr("train.result_linear", acc=res["accuracy"], chance=res["chance"], loss=res["loss"],
                       tol=res["tolerance"], n=train_view.EVAL_SIZE))
    else:
        # a language model is measured on windows of its own training text, and says so
        st.markdown(tr("train.result_text" if job.task.name == "charlm" else "train.result", acc=res["accuracy"],
                       chance=res["chance"], loss=res["loss"], n=train_view.EVAL_SIZE))
    u = res["unit"]
    if u:
        st.markdown(tr("train.unit" if abs(u["r"]) >= train_view.STRONG_R else "train.unit_weak",
                       unit=u["unit"], r=u["r"], value=tr(f"train.value.{u['value']}"),
                       latent=train_view.latent_name(job.task, lang)))
    else:
        st.caption(tr("train.unit_none"))
    c_open, c_down, _ = st.columns([2, 2, 3])
    if c_open.button(tr("train.open"), key="train_open", on_click=train_view.open_in_explorer,
                     args=(st.session_state, job)):
        st.switch_page("pages/explorer.py", query_params={"lang": lang})
    c_down.download_button(tr("train.download"), job.npz(), file_name=f"{job.settings.task}_{job.settings.cell}.npz",
                           mime="application/octet-stream", key="train_download")

    # -------------------------------------------------------------- time-lapse
    st.subheader(tr("train.timelapse"))
    st.caption(tr("train.timelapse_help"))
    snap_steps = [s for s, _ in job.snapshots]
    if st.session_state.get(keys.TRAIN_SNAPSHOT) not in snap_steps:
        st.session_state[keys.TRAIN_SNAPSHOT] = snap_steps[-1]
    at = (st.select_slider(tr("train.snapshot"), snap_steps, key=keys.TRAIN_SNAPSHOT)
          if len(snap_steps) > 1 else snap_steps[0])
    view = job.probe_view(snap_steps.index(at))
    st.caption(tr("train.probe", text=state.md_escape(train_view.short_text(view["tokens"]))))
    # the snapshot's every value on the probe, stepped in the browser; a new snapshot keeps the step and unit
    data = cached_data(trace=view["trace"], tokens=view["tokens"], model=view["model"].describe(), lang=lang,
                       title=tr("train.timelapse_title", task=tr(f"task.{job.settings.task}"),
                                cell=job.settings.cell.upper(), step=at),
                       predictions=view["top"], expected=view["expected"])
    where = position("train_player") or {"t": None, "unit": (res["unit"] or {}).get("unit")}
    player(data, key="train_player", t=where["t"], unit=where["unit"], trace=view["trace"],
           file_name=f"{job.settings.task}_{job.settings.cell}_step{at}.html")
