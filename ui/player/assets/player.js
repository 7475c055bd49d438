/* LSTM Explorer · trace player.
 *
 * Plain JavaScript: no imports, no build step, nothing fetched. Two ways in:
 *  - Streamlit's st.components.v2 imports this file as a module and calls the
 *    default export with {data, parentElement, setStateValue, ...};
 *  - the standalone HTML (ui/player/export.py) drops the last line (the export)
 *    and calls mountPlayer({data, parentElement}) itself.
 *
 * `data` is made by ui/player/data.py: every value of one layer at every step,
 * as 16-bit codes (value = lo + code * step; code 65535 = not finite), and the
 * values derived from another (a gate from its pre-activation …: FUNCS). All
 * drawing and stepping happens here; Python hears back only where the user
 * stopped ({t, unit}, on pause or 300 ms after the last step).
 *
 * Drawing: the heatmaps (units × time) are painted once into one canvas per
 * layout; a step only moves small DOM overlays (cursor, unit row, axis tag),
 * recolours two strip tokens and redraws the cell diagram (a small canvas).
 */

const NONFINITE = 65535;
const SEND_AFTER_MS = 300;
const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif';
const MINUS = "\u2212";

/* ------------------------------------------------------------------ colour */
// Perceptually uniform sequential maps (gates 0..1) and diverging maps (signed values).
const MAPS = {
  viridis: ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"],
  cividis: ["#00204d", "#00336f", "#39486b", "#575c6d", "#707173", "#8a8779", "#a69d75", "#c4b56c", "#e4cf5b", "#ffea46"],
  // ColorBrewer RdBu, blue (low) → white → red (high)
  rdbu: ["#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"],
  // ColorBrewer PuOr, purple (low) → white → orange (high): safe for every common colour-vision deficiency
  puor: ["#2d004b", "#542788", "#8073ac", "#b2abd2", "#d8daeb", "#f7f7f7", "#fee0b6", "#fdb863", "#e08214", "#b35806", "#7f3b08"],
};
const NAN_RGB = [200, 200, 200];

function hexRgb(h) { return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)]; }

function palette(name) {   // 256 × [r, g, b] by linear interpolation between the stops
  const stops = MAPS[name].map(hexRgb);
  const out = [];
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * (stops.length - 1), k = Math.min(Math.floor(x), stops.length - 2), f = x - k;
    out.push([0, 1, 2].map(c => Math.round(stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f)));
  }
  return out;
}
const PALETTES = {};
function pal(name) { return PALETTES[name] || (PALETTES[name] = palette(name)); }
const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function rgba32(rgb) {
  return LITTLE ? ((255 << 24) | (rgb[2] << 16) | (rgb[1] << 8) | rgb[0]) >>> 0
                : ((rgb[0] << 24) | (rgb[1] << 16) | (rgb[2] << 8) | 255) >>> 0;
}
function css(rgb) { return `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`; }
function inkOn(rgb) { return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140 ? "#111" : "#fff"; }

/* ------------------------------------------------------------------ numbers (as ui/figures/arithmetic.py) */
function toFixed(x, d) {              // Python's f"{x:.{d}f}": an exact tie rounds half to even
  const m = Math.pow(10, d), y = Math.abs(x) * m, fl = Math.floor(y);
  if (y - fl === 0.5) return (x < 0 ? "-" : "") + ((fl % 2 === 0 ? fl : fl + 1) / m).toFixed(d);
  return x.toFixed(d);
}
function fmt(v, d = 2) {
  if (!Number.isFinite(v)) return "—";
  let s = toFixed(v, d);
  if (parseFloat(s) === 0) s = s.replace(/^-/, "");
  return s.replace("-", MINUS);
}
function factor(v, d) { const s = fmt(v, d); return s.startsWith(MINUS) ? `(${s})` : s; }
function sumText(terms, d) {
  const parts = [fmt(terms[0], d)];
  for (const v of terms.slice(1)) {
    const s = fmt(v, d);
    parts.push(s.startsWith(MINUS) ? `${MINUS} ${s.slice(1)}` : `+ ${s}`);
  }
  return parts.join(" ");
}
function productLine(lhs, pairs, result, d) {
  const shown = pairs.map(([a, b]) => `${factor(a, d)}×${factor(b, d)}`).join(" + ");
  return `${lhs} = ${shown} = ${sumText(pairs.map(([a, b]) => a * b), d)} = ${fmt(result, d)}`;
}

/** (key, plain line) pairs of one step, the same text as ui/figures/arithmetic.arithmetic_lines. */
function arithmeticLines(cell, s, rnnAct, d = 2) {
  const f = v => fmt(v, d);
  if (cell === "lstm") return [
    ["forget", `z^f = σ(${f(s.pre_forget)}) = ${f(s.forget)}`],
    ["input", `z^i = σ(${f(s.pre_input)}) = ${f(s.input)}`],
    ["candidate", `z = tanh(${f(s.pre_candidate)}) = ${f(s.candidate)}`],
    ["output_gate", `z^o = σ(${f(s.pre_output)}) = ${f(s.output)}`],
    ["memorize", productLine("c", [[s.forget, s.c_prev], [s.input, s.candidate]], s.cell, d)],
    ["output", `h = ${factor(s.output, d)}×tanh(${f(s.cell)}) = ${factor(s.output, d)}×${factor(s.cell_tanh, d)} = ${f(s.hidden)}`],
  ];
  if (cell === "gru") {
    const ax = s.pre_candidate - s.reset * s.candidate_recurrent, keep = 1 - s.update;
    return [
      ["reset", `r = σ(${f(s.pre_reset)}) = ${f(s.reset)}`],
      ["update", `u = σ(${f(s.pre_update)}) = ${f(s.update)}`],
      ["candidate", `ñ = tanh(${f(ax)} + ${factor(s.reset, d)}×${factor(s.candidate_recurrent, d)}) = tanh(${f(s.pre_candidate)}) = ${f(s.candidate)}`],
      ["mix", productLine("h", [[keep, s.candidate], [s.update, s.h_prev]], s.hidden, d)],
    ];
  }
  if (rnnAct === "relu") return [["hidden", `h = max(0, ${f(s.pre_hidden)}) = ${f(s.hidden)}`]];
  return [["hidden", `h = tanh(${f(s.pre_hidden)}) = ${f(s.hidden)}`]];
}
const PHASES = {
  lstm: [["forget", ["forget"]], ["memorize", ["input", "candidate", "memorize"]], ["output", ["output_gate", "output"]]],
  gru: [["gates", ["reset", "update", "candidate"]], ["mix", ["mix"]]],
  rnn: [["hidden", ["hidden"]]],
};

/* ------------------------------------------------------------------ decoding */
const DECODED = new Map();     // data.id → decoded arrays (the last few, so a rerun with the same run is free)

function b64codes(b64) {
  const bin = atob(b64), n = bin.length >> 1, out = new Uint16Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = bin.charCodeAt(j) | (bin.charCodeAt(j + 1) << 8);
  return out;
}
function packed(q) {
  const codes = b64codes(q.b64), lo = q.lo, step = q.step;
  return { codes, lo, step, shape: q.shape, at: i => (codes[i] === NONFINITE ? NaN : lo + codes[i] * step) };
}
// values not sent but computed from another (ui/player/data.py DERIVED): the source's codes, a function on top
const FUNCS = { sigmoid: a => 0.5 * Math.tanh(0.5 * a) + 0.5, tanh: Math.tanh, relu: a => Math.max(a, 0) };
function derivedOf(src, fn) {
  const f = FUNCS[fn], { codes, lo, step } = src;
  if (!f) throw new Error("unknown function " + fn);
  return { codes, lo, step, f, shape: src.shape, at: i => (codes[i] === NONFINITE ? NaN : f(lo + codes[i] * step)) };
}
function decode(data) {
  let d = DECODED.get(data.id);
  if (d) return d;
  const blk = data.layer_data;
  d = { values: {}, x: { size: blk.x.size, norm: packed(blk.x.norm), head: packed(blk.x.head) },
        h0: blk.h0, c0: blk.c0, y: data.y ? { argmax: data.y.argmax, max: packed(data.y.max), size: data.y.size } : null };
  for (const [name, q] of Object.entries(blk.values)) d.values[name] = packed(q);
  for (const [name, [fn, src]] of Object.entries(blk.derived || {})) d.values[name] = derivedOf(d.values[src], fn);
  DECODED.set(data.id, d);
  while (DECODED.size > 3) DECODED.delete(DECODED.keys().next().value);
  return d;
}

/* ------------------------------------------------------------------ small helpers */
function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k === "html") e.innerHTML = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of kids) if (c) e.append(c);
  return e;
}
function esc(s) { return String(s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c])); }
function fill(tpl, params) { return String(tpl).replace(/\{(\w+)\}/g, (m, k) => (k in params ? params[k] : m)); }
function symHtml(sym) { return esc(sym[0]) + (sym[1] ? `<sup>${esc(sym[1])}</sup>` : ""); }
function lineHtml(line) { return esc(line).replace(/z\^([fio])/g, "z<sup>$1</sup>"); }
const ICONS = {
  first: '<svg viewBox="0 0 16 16" aria-hidden="true"><rect x="2" y="3" width="2" height="10"/><path d="M14 3v10L5 8z"/></svg>',
  prev: '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M11 3v10L4 8z"/></svg>',
  next: '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M5 3v10l7-5z"/></svg>',
  last: '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M2 3v10l9-5z"/><rect x="12" y="3" width="2" height="10"/></svg>',
  play: '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M4 2v12l10-6z"/></svg>',
  pause: '<svg viewBox="0 0 16 16" aria-hidden="true"><rect x="3" y="2" width="3.5" height="12"/><rect x="9.5" y="2" width="3.5" height="12"/></svg>',
};
function store(key, value) {      // remembered settings; file:// or a locked-down browser may refuse
  try { if (value === undefined) return window.localStorage.getItem("lstm-player." + key); window.localStorage.setItem("lstm-player." + key, value); } catch (e) { /* ignore */ }
  return null;
}
function now() { return performance.now(); }

/* ------------------------------------------------------------------ the player */
const INSTANCES = new WeakMap();   // parentElement → Player, kept when Streamlit calls again with new data
const REGISTRY = (window.__lstmPlayers = window.__lstmPlayers || []);

class Player {
  constructor(parent, data, comp) {
    this.parent = parent;
    this.comp = comp || {};
    this.host = parent.querySelector(".lp-host") || parent.appendChild(el("div", { class: "lp-host" }));
    this.speed = Math.min(30, Math.max(1, parseInt(store("speed") || "10", 10) || 10));
    this.colorblind = store("colorblind") === "1";
    this.playing = false;
    this.stats = { next: [], play: [] };      // benchmark hooks: ms from event to next frame; steps painted while playing
    this.sent = null;
    this.sendTimer = 0;
    this.raf = 0;
    this.layoutRaf = 0;
    this.width = 0;
    REGISTRY.push(this);
    this.timing = { mountAt: now() };          // ms since the page's navigation began (benchmark)
    // Streamlit may re-create the element (a rerun that moved it): the same run under the same key then
    // keeps the reader's place, as a rerun does, instead of starting over where Python last handed it.
    const old = data && data.mount_key ? REGISTRY.find(p => p !== this && p.data && !p.host.isConnected &&
      p.data.mount_key === data.mount_key && p.data.id === data.id) : null;
    if (old) {
      Object.assign(this, { data: old.data, s: old.s, unit: old.unit, colorBy: old.colorBy, sent: old.sent,
                            seq: old.seq });
      old.destroy();
      this.setData(data, false);
    } else this.setData(data, true);
    this.resizeObs = new ResizeObserver(() => this.scheduleLayout());
    this.resizeObs.observe(this.host);
  }

  /* ---- data */
  setData(data, first) {
    this.calls = (this.calls || 0) + 1;
    const prev = this.data;
    const sameRun = !first && prev.id === data.id;
    const sameView = sameRun && !!this.root && prev.lang === data.lang &&
      JSON.stringify(prev.rows || null) === JSON.stringify(data.rows || null);
    this.data = data;
    this.T = data.T; this.H = data.H; this.cell = data.cell;
    // the rows shown (a subset of units, e.g. the most active ones), top to bottom
    this.rows = Array.isArray(data.rows) ? data.rows.filter(u => u >= 0 && u < data.H) : null;
    if (this.rows && !this.rows.length) this.rows = null;
    this.rowOf = new Map((this.rows || []).map((u, i) => [u, i]));
    this.S = data.strings;
    const t0 = now();
    this.dec = decode(data);
    this.timing = Object.assign(this.timing || {}, { decode: now() - t0 });
    if (!sameRun) {                      // a new run: start where the page says
      this.s = data.t - 1;
      this.unit = data.unit;
      // the reader's own choice of colour for the strip outlives a new sequence, unless the page now
      // suggests another value (a trained model's hint) or the new run has no such value (another cell kind)
      const keepColor = !first && prev && prev.color_by === data.color_by && data.names.includes(this.colorBy);
      if (!keepColor) this.colorBy = data.color_by;
      this.sent = { t: data.t, unit: data.unit };
      this.pause(false);
    } else {
      // the same run again (Python reran): follow it only if Python moved the position itself, and had
      // heard our latest report (data.ack: the last report's number Python had; an older one means this
      // rerun answers a report the reader has stepped past since, and its position is stale)
      const stale = typeof data.ack === "number" && data.ack < (this.seq || 0);
      const fromPython = !stale && !(data.t === prev.t && data.unit === prev.unit) &&
        !(this.sent && data.t === this.sent.t && data.unit === this.sent.unit) &&
        !(data.t - 1 === this.s && data.unit === this.unit);
      if (fromPython) { this.s = data.t - 1; this.unit = data.unit; this.sent = { t: data.t, unit: data.unit }; }
      if (data.color_by !== prev.color_by) this.colorBy = data.color_by;
    }
    this.s = Math.min(Math.max(this.s, 0), this.T - 1);
    this.unit = Math.min(Math.max(this.unit, 0), this.H - 1);
    if (sameView) {
      if (this.colorSel) this.colorSel.value = this.colorBy;
      this.renderAll();
      return;
    }
    this.lutCache = {};
    this.build();
    this.width = 0;
    this.scheduleLayout(true);
  }

  v(name, s, u) { return this.dec.values[name].at(s * this.H + u); }

  /** The step whose state unit u reads at step s (as ui/figures/arithmetic.previous_step): s − 1, or s + 1
   *  for a unit of the reverse direction of a bidirectional layer; -1 where its direction starts. */
  prevStep(s, u) {
    if (this.data.directions === 2 && u >= this.H / 2) return s + 1 < this.T ? s + 1 : -1;
    return s - 1;
  }
  /** A unit's name: "7", or "→7" / "←7" in a bidirectional layer (each direction counts from 0). */
  unitName(u) {
    if (this.data.directions !== 2) return String(u);
    const half = this.H / 2;
    return u < half ? "→" + u : "←" + (u - half);
  }

  stepValues(s, u) {   // every scalar of step s, unit u (as ui/figures/arithmetic.cell_step)
    const out = {}, p = this.prevStep(s, u);
    for (const name of Object.keys(this.dec.values)) out[name] = this.v(name, s, u);
    out.h_prev = p < 0 ? this.dec.h0[u] : this.v("hidden", p, u);
    if (this.cell === "lstm") out.c_prev = p < 0 ? this.dec.c0[u] : this.v("cell", p, u);
    return out;
  }

  /* ---- colour */
  scheme(name) {
    const gate = this.data.gates.includes(name) || ["forget", "input", "output", "reset", "update"].includes(name);
    return gate ? (this.colorblind ? "cividis" : "viridis") : (this.colorblind ? "puor" : "rdbu");
  }
  range(name) {
    const r = this.data.ranges[name] || [-1, 1];
    return r[1] > r[0] ? r : [r[0] - 1, r[0] + 1];
  }
  colorOf(name, value, rangeName) {
    if (!Number.isFinite(value)) return NAN_RGB;
    const [lo, hi] = this.range(rangeName || name);
    const x = Math.min(1, Math.max(0, (value - lo) / (hi - lo)));
    return pal(this.scheme(name))[Math.round(x * 255)];
  }
  lut(name) {          // code → packed RGBA of `name`'s colour
    const key = name + (this.colorblind ? ":cb" : "");
    if (this.lutCache[key]) return this.lutCache[key];
    const p = this.dec.values[name], [lo, hi] = this.range(name), colors = pal(this.scheme(name)).map(rgba32);
    const lut = new Uint32Array(65536);
    for (let c = 0; c < 65535; c++) {
      const v = p.lo + c * p.step, x = ((p.f ? p.f(v) : v) - lo) / (hi - lo);
      lut[c] = colors[Math.round(Math.min(1, Math.max(0, x)) * 255)];
    }
    lut[NONFINITE] = rgba32(NAN_RGB);
    return (this.lutCache[key] = lut);
  }

  /* ---- text */
  t(key, params) { return params ? fill(this.S[key] || key, params) : (this.S[key] || key); }
  valueName(name) { return this.t(this.cell === "gru" && name === "candidate" ? "name.candidate_gru" : "name." + name); }
  token(s) { return this.data.tokens[s]; }

  /* ---- DOM */
  build() {
    const S = k => this.t(k);
    this.host.textContent = "";
    this.posParts = null; this.arithRows = null; this.sgeo = null; this.stripH = undefined;
    const root = this.root = el("div", { class: "lp", tabindex: "0", role: "group", "aria-label": S("label"),
                                         "data-cell": this.cell, lang: this.data.lang === "zh" ? "zh-CN" : "en" });
    const btn = (act, label, cls) => el("button", { type: "button", class: cls || null, "data-act": act,
                                                    "aria-label": label, title: label, html: ICONS[act] });
    this.bFirst = btn("first", S("first")); this.bPrev = btn("prev", S("prev"));
    this.bPlay = btn("play", S("play"), "lp-play"); this.bPlay.setAttribute("aria-pressed", "false");
    this.bNext = btn("next", S("next")); this.bLast = btn("last", S("last"));
    this.slider = el("input", { type: "range", min: "1", max: String(Math.max(this.T, 1)), step: "1", value: String(this.s + 1),
                                "aria-label": S("step"), class: "lp-step", disabled: this.T < 2 });
    this.count = el("span", { class: "lp-count", "aria-hidden": "true" });
    const bar = el("div", { class: "lp-bar", role: "toolbar", "aria-label": S("controls") },
      el("div", { class: "lp-buttons" }, this.bFirst, this.bPrev, this.bPlay, this.bNext, this.bLast),
      el("div", { class: "lp-slider-wrap" }, this.slider, this.count));

    this.pos = el("div", { class: "lp-pos" });
    this.speedIn = el("input", { type: "range", min: "1", max: "30", step: "1", value: String(this.speed), "aria-label": S("speed") + " (" + S("speed_unit") + ")" });
    this.speedOut = el("output", { text: String(this.speed) });
    this.colorSel = el("select", { "aria-label": S("color_by") });
    for (const n of this.data.names) this.colorSel.append(el("option", { value: n, text: this.symText(n) + " · " + this.valueName(n) }));
    this.colorSel.value = this.colorBy;
    this.cbBox = el("input", { type: "checkbox" });
    this.cbBox.checked = this.colorblind;
    const row2 = el("div", { class: "lp-row2" }, this.pos,
      el("label", { class: "lp-speed" }, S("speed"), this.speedIn, this.speedOut, S("speed_unit")),
      el("label", {}, S("color_by"), this.colorSel),
      el("label", {}, this.cbBox, S("colorblind")));

    // left: token strip + heatmaps
    // the token strip: tokens laid out like text on one canvas (2,000 DOM tokens cost a repaint per step)
    this.stripTitle = el("p", { class: "lp-strip-title" });
    this.stripC = el("canvas", { role: "img" });
    this.stripNow = el("div", { class: "lp-strip-now", "aria-hidden": "true" });
    this.strip = el("div", { class: "lp-strip" }, el("div", { class: "lp-strip-inner" }, this.stripC, this.stripNow));
    this.axisC = el("canvas", { "aria-hidden": "true" });
    this.axisNow = el("div", { class: "lp-axis-now", "aria-hidden": "true" });
    this.axis = el("div", { class: "lp-axis" }, this.axisC, this.axisNow);
    this.heatC = el("canvas", { role: "img" });
    this.heatInner = el("div", { class: "lp-heat-inner" }, this.heatC);
    this.heat = el("div", { class: "lp-heat" }, this.axis, this.heatInner);
    const left = el("div", { class: "lp-left" }, this.stripTitle, this.strip, this.heat);

    // right: cell diagram + arithmetic
    this.cellTitle = el("p", { class: "lp-cell-title" });
    this.cellC = el("canvas", { class: "lp-cell-c", role: "img" });
    this.arithTitle = el("p", { class: "lp-sr" });
    this.arith = el("ol", { class: "lp-arith" });
    const foot = el("p", { class: "lp-foot", text: S("hint") + " " + S("keys") });
    this.model = el("p", { class: "lp-foot" });
    this.pred = el("div", { class: "lp-pred", hidden: !this.data.predict });
    const side = el("div", { class: "lp-side" }, this.cellTitle, this.cellC, this.arithTitle, this.arith, this.pred);

    this.tip = el("div", { class: "lp-tip", role: "tooltip", hidden: true });
    this.live = el("div", { class: "lp-sr", "aria-live": "polite" });
    root.append(bar, row2, el("div", { class: "lp-body" }, left, side), foot, this.model, this.tip, this.live);
    this.host.append(root);
    this.model.textContent = this.data.model.text + " · " + fill(this.S.quant || "", { err: this.data.quant_err.toExponential(1) });
    this.bind();
  }

  symText(name) { const s = this.data.symbols[name] || [name, ""]; return s[0] + (s[1] ? "^" + s[1] : ""); }

  bind() {
    const root = this.root;
    root.addEventListener("click", e => {
      const b = e.target.closest("button[data-act]");
      if (!b || !root.contains(b)) return;
      const act = b.dataset.act;
      if (act === "play") this.toggle();
      else this.move(act, e);
    });
    this.slider.addEventListener("input", e => this.go(parseInt(this.slider.value, 10) - 1, e));
    this.speedIn.addEventListener("input", () => {
      this.speed = parseInt(this.speedIn.value, 10);
      this.speedOut.textContent = String(this.speed);
      store("speed", String(this.speed));
    });
    this.colorSel.addEventListener("change", () => { this.colorBy = this.colorSel.value; this.paintStrip(); this.renderStep(); });
    this.cbBox.addEventListener("change", () => {
      this.colorblind = this.cbBox.checked;
      store("colorblind", this.colorblind ? "1" : "0");
      this.drawHeat(); this.paintStrip(); this.renderStep();
    });
    root.addEventListener("keydown", e => this.onKey(e));
    // token strip
    this.stripC.addEventListener("click", e => {
      const s = this.stripHit(e);
      if (s !== null) { this.go(s, e); root.focus({ preventScroll: true }); }
    });
    this.stripC.addEventListener("pointermove", e => {
      const s = this.stripHit(e);
      if (s === null) return this.hideTip();
      this.showTip(e, this.tipText(this.colorBy, s, this.unit));
    });
    this.strip.addEventListener("pointerleave", () => this.hideTip());
    // heatmaps
    this.heatInner.addEventListener("pointermove", e => {
      const hit = this.heatHit(e);
      if (!hit) return this.hideTip();
      this.showTip(e, this.tipText(hit.name, hit.s, hit.u));
    });
    this.heatInner.addEventListener("pointerleave", e => { if (e.pointerType !== "touch") this.hideTip(); });
    // touch has no hover: a tap shows the tooltip of what it touched for a moment
    const tapTip = (e, html) => {
      if (e.pointerType !== "touch" || !html) return;
      this.showTip(e, html);
      clearTimeout(this.tipTimer);
      this.tipTimer = setTimeout(() => this.hideTip(), 2500);
    };
    this.heatInner.addEventListener("pointerdown", e => {
      const hit = this.heatHit(e);
      if (hit) tapTip(e, this.tipText(hit.name, hit.s, hit.u));
    });
    this.stripC.addEventListener("pointerdown", e => {
      const s = this.stripHit(e);
      if (s !== null) tapTip(e, this.tipText(this.colorBy, s, this.unit));
    });
    this.heatInner.addEventListener("click", e => {
      const hit = this.heatHit(e, true);
      if (!hit) return;
      if (hit.u !== null) this.setUnit(hit.u, e, false);
      if (hit.s !== null) this.go(hit.s, e); else this.afterChange(e);
      root.focus({ preventScroll: true });
    });
    this.axisC.addEventListener("click", e => {
      const r = this.axisC.getBoundingClientRect(), g = this.geo;
      const s = Math.floor((e.clientX - r.left - g.left) / g.colW);
      if (s >= 0 && s < this.T) { this.go(s, e); root.focus({ preventScroll: true }); }
    });
    // cell diagram hover
    this.cellC.addEventListener("pointermove", e => {
      const r = this.cellC.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
      const hit = (this.cellHits || []).find(h => x >= h.x0 && x <= h.x1 && y >= h.y0 && y <= h.y1);
      if (hit) this.showTip(e, hit.html); else this.hideTip();
    });
    this.cellC.addEventListener("pointerleave", () => this.hideTip());
  }

  onKey(e) {
    const tag = e.target && e.target.tagName;
    const inWidget = tag === "INPUT" || tag === "SELECT";
    const k = e.key;
    if (inWidget && (k === "ArrowLeft" || k === "ArrowRight" || k === "Home" || k === "End" || k === "ArrowUp" || k === "ArrowDown")) {
      if (e.target === this.slider) return;          // the slider steps by itself (its input event moves us)
      if (e.target === this.speedIn || tag === "SELECT") return;
    }
    if (k === " " || k === "Spacebar") {      // play / pause anywhere in the player (Enter still presses a button)
      if (tag === "SELECT" || (tag === "INPUT" && e.target.type === "checkbox")) return;
      e.preventDefault(); this.toggle(); return;
    }
    const acts = { ArrowLeft: "prev", ArrowRight: "next", Home: "first", End: "last" };
    if (acts[k]) { e.preventDefault(); this.move(acts[k], e); return; }
    if (k === "ArrowUp" || k === "ArrowDown") {
      e.preventDefault();
      const d = k === "ArrowUp" ? -1 : 1, r = this.rowAt(this.unit), R = this.rows ? this.rows.length : this.H;
      this.setUnit(r < 0 ? this.unitAt(0) : this.unitAt(Math.min(R - 1, Math.max(0, r + d))), e);
    }
  }

  /* ---- moving */
  move(act, e) {
    const T = this.T, s = this.s;
    const to = { first: 0, prev: Math.max(0, s - 1), next: Math.min(T - 1, s + 1), last: T - 1 }[act];
    if (this.playing) this.pause(false);
    this.go(to, e);
  }

  go(s, e) {
    const t0 = e && e.timeStamp ? Math.min(now(), e.timeStamp) : now();
    s = Math.min(Math.max(s | 0, 0), this.T - 1);
    this.s = s;
    this.renderStep();
    this.measure(t0);
    if (!this.playing) this.afterChange();
  }

  setUnit(u, e, andRender = true) {
    u = Math.min(Math.max(u | 0, 0), this.H - 1);
    if (u === this.unit) return;
    this.unit = u;
    this.placeUnit();
    this.paintStrip();
    if (andRender) { this.renderStep(); this.afterChange(); }
  }

  measure(t0) {
    requestAnimationFrame(() => {
      const ms = now() - t0;
      this.stats.next.push(ms);
      if (this.stats.next.length > 500) this.stats.next.shift();
      this.root.dataset.paintMs = ms.toFixed(2);
    });
  }

  toggle() { if (this.playing) this.pause(true); else this.play(); }

  play() {
    if (this.T < 2) return;
    if (this.s >= this.T - 1) { this.s = 0; this.renderStep(); }
    this.playing = true;
    this.stats.play = [];
    this.setPlayButton();
    let last = now();
    const tick = ts => {
      if (!this.playing) return;
      const interval = 1000 / this.speed;
      if (ts - last >= interval - 4) {       // one step per due frame: never skip a step
        last = ts - last > 2 * interval ? ts : last + interval;
        this.s += 1;
        this.renderStep();
        this.stats.play.push([this.s, ts]);
        if (this.s >= this.T - 1) { this.pause(true); return; }
      }
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  pause(send) {
    const was = this.playing;
    this.playing = false;
    cancelAnimationFrame(this.raf);
    if (this.bPlay) this.setPlayButton();
    if (was && send) this.send();
  }

  setPlayButton() {
    const label = this.playing ? this.t("pause") : this.t("play");
    this.bPlay.innerHTML = this.playing ? ICONS.pause : ICONS.play;
    this.bPlay.setAttribute("aria-label", label);
    this.bPlay.title = label + " (Space)";
    this.bPlay.setAttribute("aria-pressed", this.playing ? "true" : "false");
    this.root.dataset.playing = this.playing ? "1" : "0";
  }

  afterChange() {       // tell Python where we are once the user has stopped for a moment
    clearTimeout(this.sendTimer);
    this.sendTimer = setTimeout(() => this.send(), SEND_AFTER_MS);
  }

  send() {
    clearTimeout(this.sendTimer);
    const pos = { t: this.s + 1, unit: this.unit };
    if (this.sent && this.sent.t === pos.t && this.sent.unit === pos.unit) return;
    this.sent = pos;
    this.seq = (this.seq || 0) + 1;
    pos.n = this.seq;                         // numbered, so a late answer to an older report is known
    this.root.dataset.sent = `${pos.t},${pos.unit}`;
    this.root.dataset.sends = String((parseInt(this.root.dataset.sends || "0", 10)) + 1);
    if (typeof this.comp.setStateValue === "function") {
      try { this.comp.setStateValue("pos", pos); } catch (err) { console.warn("player: could not send the step", err); }
    }
  }

  /* ---- layout */
  scheduleLayout(force) {
    if (force) this.forceLayout = true;
    if (this.layoutRaf) return;
    this.layoutRaf = requestAnimationFrame(() => { this.layoutRaf = 0; this.layout(); });
  }

  layout() {
    const w = Math.floor(this.host.getBoundingClientRect().width);
    if (!w || (w === this.width && !this.forceLayout)) return;
    this.forceLayout = false;
    this.width = w;
    const t0 = now();
    try {
      this.root.classList.toggle("lp-narrow", w < 760);
      this.dpr = Math.min(window.devicePixelRatio || 1, 2);
      this.drawHeat();
      this.sgeo = null; this.stripH = undefined;
      this.paintStrip();
      this.renderStep();
    } catch (err) {
      console.error("LSTM Explorer player failed to draw", err);
      this.failed = true;
      showError(this.parent, err, this.data);
      return;
    }
    this.timing.draw = now() - t0;
    if (!this.timing.readyAt) this.timing.readyAt = now();     // ms since the page's navigation began
    this.root.dataset.ready = "1";
    this.hideFallback();
  }

  hideFallback() {       // the page's static fallback for this player stays hidden once we have drawn
    const key = this.data.mount_key;
    if (!key || document.getElementById("lp-ok-" + key)) return;
    const st = document.createElement("style");
    st.id = "lp-ok-" + key;
    st.textContent = `.lp-fallback[data-lp="${CSS.escape(key)}"]{display:none!important}`;
    document.head.appendChild(st);
  }

  /* ---- heatmaps: painted once per layout / colour change */
  drawHeat() {
    const names = this.data.names, T = this.T, H = this.rows ? this.rows.length : this.H, dpr = this.dpr || 1;
    const width = Math.max(120, Math.floor(this.heat.clientWidth || this.width * 0.58));
    const left = 40, right = 8, titleH = 21, gap = 7;
    // rows: ~100 px per panel, more when few panels and units leave room (an RNN's single h fills the area)
    const avail = Math.max(0, (this.heat.clientHeight || 0) - 36) / names.length - titleH - gap;
    const rowPx = Math.max(2, Math.min(28, Math.max(Math.round(100 / H), Math.floor(avail / H))));
    const plotW = Math.max(40, width - left - right);
    const colW = plotW / T;
    const panelH = titleH + H * rowPx + gap;
    const height = names.length * panelH + 4;
    this.geo = { left, right, titleH, gap, rowPx, plotW, colW, panelH, width, height };
    const c = this.heatC;
    c.width = Math.round(width * dpr); c.height = Math.round(height * dpr);
    c.style.width = width + "px"; c.style.height = height + "px";
    const ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, width, height);
    ctx.imageSmoothingEnabled = false;
    const uEvery = [1, 2, 4, 5, 10, 20, 25, 50, 100, 200].find(k => k * rowPx >= 12) || 500;
    names.forEach((name, i) => {
      const top = i * panelH;
      // title: symbol, name, legend
      ctx.fillStyle = "#111"; ctx.textBaseline = "middle"; ctx.textAlign = "left";
      let x = this.drawSym(ctx, this.data.symbols[name], 4, top + 11, 14, true);
      ctx.font = `12px ${FONT}`; ctx.fillStyle = "#444";
      ctx.fillText(this.valueName(name), x + 8, top + 11);
      this.drawLegend(ctx, name, width - right - 150, top + 2, 150);
      // the heatmap: a T × H image drawn stretched
      const img = this.heatImage(name);
      ctx.drawImage(img, left, top + titleH, plotW, H * rowPx);
      // unit labels
      ctx.fillStyle = "#555"; ctx.font = `10px ${FONT}`; ctx.textAlign = "right";
      for (let r = 0; r < H; r += uEvery) ctx.fillText(this.unitName(this.unitAt(r)), left - 4, top + titleH + (r + 0.5) * rowPx);
      ctx.strokeStyle = "#999"; ctx.lineWidth = 1;
      ctx.strokeRect(left - 0.5, top + titleH - 0.5, plotW + 1, H * rowPx + 1);
    });
    this.heatC.setAttribute("aria-label", names.map(n => this.symText(n)).join(", ") + " · " + this.t("axis.unit") + " × " + this.t("axis.step"));
    this.drawAxis();
    // overlays: one cursor and one unit row per panel
    this.heatInner.querySelectorAll(".lp-cur, .lp-urow, .lp-ulabel").forEach(e => e.remove());
    this.curs = []; this.urows = []; this.ulabels = [];
    names.forEach((name, i) => {
      const top = i * panelH + titleH;
      const cur = el("div", { class: "lp-cur" }); cur.style.top = (top - 2) + "px"; cur.style.height = (H * rowPx + 4) + "px";
      const row = el("div", { class: "lp-urow" }); row.style.left = (left - 1) + "px"; row.style.width = (plotW + 2) + "px";
      const lab = el("div", { class: "lp-ulabel" });
      this.heatInner.append(cur, row, lab);
      this.curs.push(cur); this.urows.push([row, top]); this.ulabels.push([lab, top]);
    });
    this.placeUnit();
  }

  heatImage(name) {
    const key = name + (this.colorblind ? ":cb" : "");
    const imgId = this.data.id + "/" + (this.rows ? this.rows.join(",") : "all");
    this.images = this.images && this.images.id === imgId ? this.images : { id: imgId };
    if (this.images[key]) return this.images[key];
    const T = this.T, H = this.H, R = this.rows ? this.rows.length : H, p = this.dec.values[name], lut = this.lut(name);
    const cv = document.createElement("canvas");
    cv.width = T; cv.height = R;
    const cx = cv.getContext("2d"), im = cx.createImageData(T, R), px = new Uint32Array(im.data.buffer), codes = p.codes;
    const units = this.rows || null;
    for (let s = 0; s < T; s++) {
      const base = s * H;
      if (units) for (let r = 0; r < R; r++) px[r * T + s] = lut[codes[base + units[r]]];
      else for (let u = 0; u < H; u++) px[u * T + s] = lut[codes[base + u]];
    }
    cx.putImageData(im, 0, 0);
    return (this.images[key] = cv);
  }

  drawLegend(ctx, name, x, y, w) {
    const [lo, hi] = this.range(name), p = pal(this.scheme(name)), bw = 70, bh = 9;
    const bx = x + w - bw - 34;
    for (let i = 0; i < bw; i++) { ctx.fillStyle = css(p[Math.round(i / (bw - 1) * 255)]); ctx.fillRect(bx + i, y + 4, 1, bh); }
    ctx.strokeStyle = "#888"; ctx.lineWidth = 1; ctx.strokeRect(bx - 0.5, y + 3.5, bw + 1, bh + 1);
    ctx.font = `10.5px ${FONT}`; ctx.fillStyle = "#333"; ctx.textBaseline = "middle";
    ctx.textAlign = "right"; ctx.fillText(fmt(lo, Math.abs(lo) >= 10 ? 0 : 1), bx - 3, y + 8.5);
    ctx.textAlign = "left"; ctx.fillText(fmt(hi, Math.abs(hi) >= 10 ? 0 : 1), bx + bw + 3, y + 8.5);
  }

  drawSym(ctx, sym, x, y, size, bold) {   // "z" + superscript "f"; returns the x after it
    sym = sym || ["?", ""];
    ctx.font = `${bold ? "700 " : ""}${size}px ${FONT}`;
    ctx.fillText(sym[0], x, y);
    let end = x + ctx.measureText(sym[0]).width;
    if (sym[1]) {
      ctx.font = `${bold ? "700 " : ""}${Math.round(size * 0.68)}px ${FONT}`;
      ctx.fillText(sym[1], end + 0.5, y - size * 0.38);
      end += ctx.measureText(sym[1]).width + 1;
    }
    return end;
  }

  drawAxis() {      // token labels along time: thinned to what fits, never rotated
    const g = this.geo, dpr = this.dpr || 1, T = this.T, h = 34;
    const c = this.axisC;
    c.width = Math.round(g.width * dpr); c.height = Math.round(h * dpr);
    c.style.width = g.width + "px"; c.style.height = h + "px";
    const ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, g.width, h);
    ctx.font = `11px ${FONT}`; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    const short = tok => (tok.length > 6 ? tok.slice(0, 5) + "…" : tok);
    let widest = 8;
    const sample = T <= 400 ? this.data.tokens : this.data.tokens.filter((_, i) => i % Math.ceil(T / 400) === 0);
    for (const tok of sample) widest = Math.max(widest, ctx.measureText(short(tok)).width);
    widest = Math.max(widest, ctx.measureText(String(T)).width);
    const every = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000].find(k => k * g.colW >= widest + 8) || T;
    this.axisEvery = every;
    ctx.fillStyle = "#666";          // what the two rows are, in the unit-label gutter
    ctx.textAlign = "right"; ctx.fillText(this.t("axis.step_row"), g.left - 5, 9); ctx.fillText(this.t("axis.token_row"), g.left - 5, 25);
    ctx.textAlign = "center";
    for (let s = every - 1; s < T; s += every) {
      const x = Math.min(g.left + (s + 0.5) * g.colW, g.width - ctx.measureText(String(s + 1)).width / 2 - 2);
      ctx.fillStyle = "#444"; ctx.fillText(String(s + 1), x, every === 1 ? 9 : 9);
      ctx.fillStyle = "#111"; ctx.fillText(short(this.token(s)), x, 25);
    }
    if (every > 1) { const x = g.left + 0.5 * g.colW; ctx.fillStyle = "#111"; ctx.fillText(short(this.token(0)), Math.max(x, 10), 25); }
    ctx.strokeStyle = "#bbb"; ctx.beginPath(); ctx.moveTo(g.left, h - 0.5); ctx.lineTo(g.left + g.plotW, h - 0.5); ctx.stroke();
  }

  heatHit(e, click) {
    const g = this.geo, r = this.heatInner.getBoundingClientRect();
    const x = e.clientX - r.left, y = e.clientY - r.top;
    const i = Math.floor(y / g.panelH), yy = y - i * g.panelH - g.titleH;
    const R = this.rows ? this.rows.length : this.H;
    if (i < 0 || i >= this.data.names.length || yy < 0 || yy >= R * g.rowPx) return null;
    const u = this.unitAt(Math.min(R - 1, Math.floor(yy / g.rowPx)));
    if (x < g.left) return click ? { name: this.data.names[i], s: null, u } : null;   // the unit labels: unit only
    const s = Math.floor((x - g.left) / g.colW);
    if (s < 0 || s >= this.T) return null;
    return { name: this.data.names[i], s, u };
  }

  /* ---- tooltip */
  tipText(name, s, u) {
    const v = this.v(name, s, u);
    return `${esc(this.t("hover.token"))} “<b>${esc(this.token(s))}</b>” · ${esc(this.t("hover.step"))} ${s + 1} · ` +
           `${esc(this.t("hover.unit"))} ${esc(this.unitName(u))}<br>${symHtml(this.data.symbols[name] || [name, ""])} ${esc(this.valueName(name))} = ` +
           `<b>${fmt(v, 3)}</b>`;
  }
  showTip(e, html) {
    const tip = this.tip, rr = this.root.getBoundingClientRect();
    tip.innerHTML = html;
    tip.hidden = false;
    const tw = tip.offsetWidth, th = tip.offsetHeight;
    let x = e.clientX - rr.left + 14, y = e.clientY - rr.top + 16;
    if (x + tw > rr.width - 4) x = Math.max(4, e.clientX - rr.left - tw - 10);
    if (y + th > rr.height - 4) y = Math.max(4, e.clientY - rr.top - th - 10);
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  hideTip() { this.tip.hidden = true; }

  /* ---- per unit */
  unitAt(row) { return this.rows ? this.rows[row] : row; }
  rowAt(unit) { return this.rows ? (this.rowOf.has(unit) ? this.rowOf.get(unit) : -1) : unit; }

  placeUnit() {
    if (!this.geo) return;
    const g = this.geo, u = this.unit, r = this.rowAt(u), shown = r >= 0;
    for (const [row, top] of this.urows) {
      row.hidden = !shown;
      row.style.top = (top + r * g.rowPx - 1) + "px"; row.style.height = (g.rowPx + 2) + "px";
    }
    for (const [lab, top] of this.ulabels) {
      lab.hidden = !shown;
      lab.textContent = this.unitName(u); lab.style.top = Math.max(top + 7, top + (r + 0.5) * g.rowPx) + "px";
    }
  }

  /** Where each token sits in the strip (rows like wrapped text), for the current width. */
  layoutStrip() {
    const width = Math.max(100, this.strip.clientWidth - 4), rowH = 22, gap = 2, pad = 4, maxW = 120;
    const ctx = this.stripC.getContext("2d");
    ctx.font = `13px ${FONT}`;
    const xs = new Float32Array(this.T), ys = new Float32Array(this.T), ws = new Float32Array(this.T);
    const labels = new Array(this.T);
    let x = 0, y = 0;
    for (let s = 0; s < this.T; s++) {
      let tok = this.token(s), w = ctx.measureText(tok).width;
      if (w > maxW - 2 * pad) {                       // cut long tokens with "…"
        while (tok.length > 1 && ctx.measureText(tok + "…").width > maxW - 2 * pad) tok = tok.slice(0, -1);
        tok += "…"; w = ctx.measureText(tok).width;
      }
      const bw = Math.max(14, Math.ceil(w + 2 * pad));
      if (x > 0 && x + bw > width) { x = 0; y += rowH + gap; }
      xs[s] = x; ys[s] = y; ws[s] = bw; labels[s] = tok;
      x += bw + gap;
    }
    this.sgeo = { xs, ys, ws, labels, rowH, gap, width, height: y + rowH };
  }

  paintStrip() {
    const name = this.colorBy, u = this.unit;
    if (!this.sgeo || this.sgeo.width !== Math.max(100, this.strip.clientWidth - 4)) this.layoutStrip();
    const g = this.sgeo, dpr = this.dpr || 1, c = this.stripC;
    c.width = Math.round(g.width * dpr); c.height = Math.round(g.height * dpr);
    c.style.width = g.width + "px"; c.style.height = g.height + "px";
    const ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, g.width, g.height);
    ctx.font = `13px ${FONT}`; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    for (let s = 0; s < this.T; s++) {
      const rgb = this.colorOf(name, this.v(name, s, u));
      ctx.fillStyle = css(rgb);
      ctx.fillRect(g.xs[s], g.ys[s], g.ws[s], g.rowH);
      ctx.fillStyle = inkOn(rgb);
      ctx.fillText(g.labels[s], g.xs[s] + g.ws[s] / 2, g.ys[s] + g.rowH / 2 + 0.5);
    }
    const value = this.symText(name) + " " + this.valueName(name);
    this.stripTitle.textContent = this.t("strip", { unit: this.unitName(u), value });
    this.stripC.setAttribute("aria-label", this.stripTitle.textContent);
  }

  stripHit(e) {
    const g = this.sgeo, r = this.stripC.getBoundingClientRect();
    if (!g) return null;
    const x = e.clientX - r.left, y = e.clientY - r.top;
    const row = Math.floor(y / (g.rowH + g.gap));
    // tokens are in reading order: find the first of this row, then walk it
    let lo = 0, hi = this.T - 1, want = row * (g.rowH + g.gap);
    while (lo < hi) { const mid = (lo + hi) >> 1; if (g.ys[mid] < want) lo = mid + 1; else hi = mid; }
    for (let s = lo; s < this.T && g.ys[s] === want; s++) if (x >= g.xs[s] && x < g.xs[s] + g.ws[s]) return s;
    return null;
  }

  /** Page coordinates of token s in the strip, scrolled into view (tests, benchmark). */
  tokenPoint(s) {
    const g = this.sgeo, st = this.strip;
    if (g.ys[s] < st.scrollTop || g.ys[s] + g.rowH > st.scrollTop + st.clientHeight) st.scrollTop = Math.max(0, g.ys[s] - 4);
    const r = this.stripC.getBoundingClientRect();
    return { x: r.left + g.xs[s] + g.ws[s] / 2, y: r.top + g.ys[s] + g.rowH / 2 };
  }

  /* ---- per step */
  renderAll() { this.placeUnit(); this.paintStrip(); this.renderStep(); }

  renderStep() {
    if (!this.geo) return;
    const s = this.s, u = this.unit, g = this.geo, T = this.T;
    // cursors
    const w = Math.max(g.colW, 3), x = g.left + s * g.colW - (w - g.colW) / 2;
    for (const cur of this.curs) { cur.style.left = (x - 2) + "px"; cur.style.width = (w + 4) + "px"; }
    // axis tag
    this.axisNow.textContent = `${s + 1} · ${this.token(s)}`;
    const ax = g.left + (s + 0.5) * g.colW;
    this.axisNow.style.left = Math.min(Math.max(ax, g.left + 24), g.width - 40) + "px";
    // controls
    this.slider.value = String(s + 1);
    this.count.textContent = this.t("pos_short", { t: s + 1, T });
    // aria-disabled, not disabled: a focused button that could not move further keeps the focus (and the keys)
    for (const b of [this.bFirst, this.bPrev]) b.setAttribute("aria-disabled", s === 0 ? "true" : "false");
    for (const b of [this.bNext, this.bLast]) b.setAttribute("aria-disabled", s >= T - 1 ? "true" : "false");
    const tok = this.token(s);
    this.setPos(s, u, tok);
    this.root.dataset.t = String(s + 1);
    this.root.dataset.unit = String(u);
    if (!this.playing) this.live.textContent = this.t("pos", { t: s + 1, T, token: tok, unit: this.unitName(u) });
    // token strip: outline this step's token, scroll the strip (never the page) to it
    const sg = this.sgeo, st = this.strip, now = this.stripNow;
    now.style.left = (sg.xs[s] - 2) + "px"; now.style.top = (sg.ys[s] - 2) + "px";
    now.style.width = (sg.ws[s] + 4) + "px"; now.style.height = (sg.rowH + 4) + "px";
    if (this.stripH === undefined) this.stripH = st.clientHeight;
    if (sg.ys[s] < st.scrollTop || sg.ys[s] + sg.rowH > st.scrollTop + this.stripH) {
      st.scrollTop = Math.max(0, sg.ys[s] - Math.max(0, (this.stripH - sg.rowH) / 2));   // its row in the middle
    }
    // cell diagram and arithmetic
    const vals = this.stepValues(s, u);
    this.cellTitle.textContent = this.t("cell.title", { cell: this.cell.toUpperCase(), t: s + 1, unit: this.unitName(u) });
    this.drawCell(vals);
    this.renderArith(vals);
    if (this.data.predict) this.renderPred(s);
  }

  /** y^t as tokens: the most likely outputs at this step, and the answer the task expects. */
  renderPred(s) {
    const p = this.data.predict, top = p.top[s] || [], exp = p.expected ? p.expected[s] : null;
    const items = top.map(([label, prob]) => {
      const hit = exp !== null && label === exp;
      return `<li${hit ? ' class="lp-hit"' : ""}><span class="lp-tok">${esc(label)}</span> ${esc(fmt(prob, 3))}</li>`;
    }).join("");
    const expText = exp === null ? "" : `<p class="lp-exp">${esc(this.t("pred.expected", { answer: exp }))}</p>`;
    this.pred.innerHTML = `<p class="lp-cell-title">${esc(this.t("pred.title", { t: s + 1 })).replace("y^t", "y<sup>t</sup>")}</p><ol>${items}</ol>${expText}`;
  }

  /** "Step 3 of 40 · token “a” · unit 0": built once from the template, then only its numbers change. */
  setPos(s, u, tok) {
    if (!this.posParts) {
      const tpl = this.t("pos"), parts = tpl.split(/(\{\w+\})/).filter(Boolean);
      this.pos.textContent = "";
      this.posParts = parts.map(p => {
        const m = p.match(/^\{(\w+)\}$/);
        const node = m && m[1] === "token" ? el("span", { class: "lp-tok" }) : document.createTextNode(m ? "" : p);
        this.pos.append(node);
        return [m ? m[1] : null, node];
      });
    }
    const vals = { t: s + 1, T: this.T, token: tok, unit: this.unitName(u) };
    for (const [k, node] of this.posParts) if (k && node.textContent !== String(vals[k])) node.textContent = String(vals[k]);
  }

  renderArith(vals) {
    const lines = arithmeticLines(this.cell, vals, this.data.rnn_act);
    this.arithTitle.textContent = this.t("arith.title", { unit: this.unitName(this.unit), t: this.s + 1 });
    if (!this.arithRows) {           // the list is built once; a step rewrites only the numbers
      this.arith.textContent = "";
      this.arithRows = {};
      for (const [phase, keys] of PHASES[this.cell]) {
        this.arith.append(el("li", { class: "lp-phase", text: this.t("phase." + phase) }));
        for (const k of keys) {
          const lhs = el("span"), rest = document.createTextNode("");
          const li = el("li", { "data-key": k }, el("span", { class: "lp-key", text: this.t("stage." + k) }), " ",
                        el("code", {}, lhs, rest));
          this.arith.append(li);
          this.arithRows[k] = { li, lhs, rest, lhsText: null };
        }
      }
    }
    for (const [k, line] of lines) {
      const row = this.arithRows[k];
      if (!row) continue;
      const cut = line.indexOf(" = "), lhs = line.slice(0, cut), rest = line.slice(cut);
      if (row.lhsText !== lhs) { row.lhs.innerHTML = lineHtml(lhs); row.lhsText = lhs; }
      if (row.rest.textContent !== rest) row.rest.textContent = rest;
      row.li.dataset.line = line;
    }
    this.lines = lines;
  }

  /* ---- cell diagram (coordinates as ui/figures/sequence.py: x 0..10, y 0..6.5, y up) */
  drawCell(vals) {
    const pv = this.data.directions === 2 && this.unit >= this.H / 2 ? "t+1" : "t−1";   // a reverse unit reads t+1
    const c = this.cellC, dpr = this.dpr || 1;
    const W = Math.max(200, Math.floor(c.clientWidth || 300));
    const Hc = Math.round(Math.min(330, Math.max(165, W * 0.54)));
    if (c.width !== Math.round(W * dpr) || c.height !== Math.round(Hc * dpr)) {
      c.width = Math.round(W * dpr); c.height = Math.round(Hc * dpr); c.style.height = Hc + "px";
    }
    const ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, Hc);
    const pad = 6, sx = (W - 2 * pad) / 10, sy = (Hc - 2 * pad) / 6.6;
    const X = x => pad + x * sx, Y = y => Hc - pad - y * sy;
    const fs = Math.max(10.5, Math.min(14, W / 34));
    const hits = this.cellHits = [];
    const name = n => this.valueName(n);
    const exact = (label, v) => `${label} = <b>${Number.isFinite(v) ? v.toFixed(4).replace("-", MINUS) : "—"}</b>`;
    const line = (x0, y0, x1, y1) => { ctx.strokeStyle = "#666"; ctx.lineWidth = 1.4; ctx.beginPath(); ctx.moveTo(X(x0), Y(y0)); ctx.lineTo(X(x1), Y(y1)); ctx.stroke(); };
    const arrow = (x0, y0, x1, y1) => {
      line(x0, y0, x1, y1);
      const a = Math.atan2(Y(y1) - Y(y0), X(x1) - X(x0)), L = 7;
      ctx.fillStyle = "#666"; ctx.beginPath(); ctx.moveTo(X(x1), Y(y1));
      ctx.lineTo(X(x1) - L * Math.cos(a - 0.4), Y(y1) - L * Math.sin(a - 0.4));
      ctx.lineTo(X(x1) - L * Math.cos(a + 0.4), Y(y1) - L * Math.sin(a + 0.4)); ctx.closePath(); ctx.fill();
    };
    const box = (x, y, sym, value, colorName, opts = {}) => {
      const w = opts.w || 1.1, h = opts.h || 0.8;
      const rgb = value === null ? [242, 242, 242] : this.colorOf(colorName, value, opts.range);
      const x0 = X(x - w / 2), y0 = Y(y + h / 2), pw = w * sx, ph = h * sy;
      ctx.fillStyle = css(rgb); ctx.fillRect(x0, y0, pw, ph);
      ctx.strokeStyle = "#444"; ctx.lineWidth = 1.2; ctx.strokeRect(x0 + 0.5, y0 + 0.5, pw - 1, ph - 1);
      const ink = inkOn(rgb);
      ctx.fillStyle = ink; ctx.textBaseline = "middle";
      const text2 = opts.text2 !== undefined ? opts.text2 : fmt(value, 2);
      ctx.font = `700 ${fs}px ${FONT}`;
      const symW = this.symWidth(ctx, sym, fs);
      ctx.textAlign = "left";
      this.drawSym(ctx, sym, X(x) - symW / 2, Y(y) - fs * 0.55, fs, true);
      ctx.font = `${fs * 0.95}px ${FONT}`; ctx.textAlign = "center";
      ctx.fillText(text2, X(x), Y(y) + fs * 0.62);
      if (opts.hover) hits.push({ x0, y0, x1: x0 + pw, y1: y0 + ph, html: opts.hover });
    };
    const op = (x, y, sym) => {
      ctx.fillStyle = "#fffbe6"; ctx.strokeStyle = "#444"; ctx.lineWidth = 1.2;
      ctx.beginPath(); ctx.ellipse(X(x), Y(y), 0.26 * sx, 0.29 * sy, 0, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      ctx.fillStyle = "#111"; ctx.font = `700 ${fs + 2}px ${FONT}`; ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.fillText(sym, X(x), Y(y) + 1);
    };
    const label = (x, y, text, size, color, align) => {
      ctx.fillStyle = color || "#555"; ctx.font = `${size || fs * 0.9}px ${FONT}`; ctx.textAlign = align || "center"; ctx.textBaseline = "middle";
      ctx.fillText(text, X(x), Y(y));
    };
    const lines = Object.fromEntries(arithmeticLines(this.cell, vals, this.data.rnn_act));
    const lh = k => (lines[k] ? "<br>" + lineHtml(lines[k]) : "");
    const S = n => this.data.symbols[n] || [n, ""];
    // inputs [x^t, h^{t-1}] at the bottom
    const dx = this.dec.x, s = this.s;
    const headN = dx.head.shape[1] || 0, head = [];
    for (let i = 0; i < headN; i++) head.push(fmt(dx.head.at(s * headN + i), 2));
    const norm = dx.norm.at(s);
    box(1.2, 0.55, ["x", "t"], null, "x", { w: 1.7, h: 0.82, text2: `‖x‖ ${fmt(norm, 2)}`,
      hover: `x<sup>t</sup> · ${esc(name("x"))}: ${esc(this.t("cell.x", { n: dx.size, norm: fmt(norm, 4) }))}` +
             `<br>[${head.join(", ")}${dx.size > headN ? ", …" : ""}]` });
    box(3.1, 0.55, ["h", pv], vals.h_prev, "hidden", { hover: exact(`h<sup>${pv}</sup> ${esc(name("h_prev"))}`, vals.h_prev) });
    line(1.2, 0.96, 1.2, 1.22); line(3.1, 0.95, 3.1, 1.22);
    if (this.cell !== "rnn") {   // "[x^t, h^{t−1}]": what every gate reads
      ctx.fillStyle = "#333"; ctx.textAlign = "left"; ctx.textBaseline = "middle";
      let x = X(3.85);
      for (const [txt, sup] of [["[x", "t"], [", h", pv], ["]", ""]]) x = this.drawSym(ctx, [txt, sup], x, Y(0.55), fs * 0.95, false);
    }
    if (this.cell === "lstm") {
      const gates = [[3.0, "forget", "forget"], [4.6, "input", "input"], [6.2, "candidate", "candidate"], [7.6, "output", "output_gate"]];
      line(1.2, 1.22, 7.6, 1.22);
      const gy = 2.0, gh = 0.8;
      for (const [gx, n, key] of gates) {
        arrow(gx, 1.22, gx, gy - gh / 2);
        box(gx, gy, S(n), vals[n], n, { hover: exact(`${symHtml(S(n))} ${esc(name(n))}`, vals[n]) + lh(key) });
      }
      const cy = 5.6, cr = "cell";
      box(0.9, cy, ["c", pv], vals.c_prev, "cell", { range: cr, hover: exact(`c<sup>${pv}</sup> ${esc(name("c_prev"))}`, vals.c_prev) });
      op(3.0, cy, "×"); op(5.4, cy, "+"); op(5.4, 3.75, "×");
      box(8.3, 4.4, ["tanh c", "t"], vals.cell_tanh, "cell_tanh", { w: 1.15, h: 0.72, hover: exact(`tanh(c<sup>t</sup>)`, vals.cell_tanh) });
      op(8.3, 3.05, "×");
      box(9.35, cy, ["c", "t"], vals.cell, "cell", { w: 1.0, range: cr, hover: exact(`c<sup>t</sup> ${esc(name("cell"))}`, vals.cell) + lh("memorize") });
      box(9.35, 3.05, ["h", "t"], vals.hidden, "hidden", { w: 1.0, hover: exact(`h<sup>t</sup> ${esc(name("hidden"))}`, vals.hidden) + lh("output") });
      arrow(1.45, cy, 2.74, cy); arrow(3.26, cy, 5.14, cy); arrow(5.66, cy, 8.85, cy); arrow(8.3, cy, 8.3, 4.76);
      arrow(3.0, gy + gh / 2, 3.0, cy - 0.29); arrow(4.6, gy + gh / 2, 5.2, 3.55); arrow(6.2, gy + gh / 2, 5.6, 3.55);
      arrow(5.4, 4.04, 5.4, cy - 0.29); arrow(7.6, gy + gh / 2, 8.1, 2.85); arrow(8.3, 4.04, 8.3, 3.34); arrow(8.56, 3.05, 8.85, 3.05);
      label(3.0, 6.3, this.t("diagram.forget")); label(5.4, 6.3, this.t("diagram.memorize")); label(8.3, 6.3, this.t("diagram.output"));
      if (this.data.y) {
        const k = this.dec.y.argmax[s], m = this.dec.y.max.at(s);
        const top = this.data.predict ? (this.data.predict.top[s] || [])[0] : null;
        box(9.35, 1.75, ["y", "t"], null, "y", { w: 1.0, h: 0.8, text2: top ? `${top[0]} ${fmt(top[1], 2)}` : `${fmt(m, 2)} #${k}`,
          hover: `y<sup>t</sup> ${esc(name("y"))}: ${esc(this.t("cell.y", { value: fmt(m, 4), k }))}` });
        arrow(9.35, 2.64, 9.35, 2.16);
      }
    } else if (this.cell === "gru") {
      const hy = 5.6, gy = 2.0, gh = 0.8;
      line(1.2, 1.22, 7.0, 1.22);
      for (const [gx, n] of [[3.0, "reset"], [5.0, "update"]]) {
        arrow(gx, 1.22, gx, gy - gh / 2);
        box(gx, gy, S(n), vals[n], n, { hover: exact(`${symHtml(S(n))} ${esc(name(n))}`, vals[n]) + lh(n) });
      }
      arrow(7.0, 1.22, 7.0, 3.6 - 0.41);
      box(7.0, 3.6, S("candidate"), vals.candidate, "candidate", { hover: exact(`ñ ${esc(name("candidate"))}`, vals.candidate) + lh("candidate") });
      arrow(3.55, 2.2, 6.45, 3.45);
      label(4.9, 3.2, "r ⊙ (W·h)", fs * 0.85);
      box(0.9, hy, ["h", pv], vals.h_prev, "hidden", { hover: exact(`h<sup>${pv}</sup> ${esc(name("h_prev"))}`, vals.h_prev) });
      op(7.0, hy, "+");
      arrow(1.45, hy, 6.74, hy); arrow(7.0, 4.01, 7.0, hy - 0.29); arrow(5.0, gy + gh / 2, 6.8, hy - 0.22);
      label(5.5, 4.4, "1−u : u", fs * 0.85);
      box(9.35, hy, ["h", "t"], vals.hidden, "hidden", { w: 1.0, hover: exact(`h<sup>t</sup> ${esc(name("hidden"))}`, vals.hidden) + lh("mix") });
      arrow(7.26, hy, 8.85, hy);
      label(7.0, 6.3, this.t("diagram.mix") + ": h = (1−u)·ñ + u·h\u1d57\u207b\u00b9");
    } else {
      line(1.2, 1.22, 5.5, 1.22); arrow(5.5, 1.22, 5.5, 2.93);
      box(5.5, 3.4, ["a = W[x, h] + b", ""], vals.pre_hidden, "pre_hidden", { w: 2.3, h: 0.92, hover: exact("a", vals.pre_hidden) });
      arrow(6.65, 3.4, 8.85, 3.4);
      label(7.75, 3.8, this.t("diagram.squash") + (this.data.rnn_act === "relu" ? " (ReLU)" : " (tanh)"));
      box(9.35, 3.4, ["h", "t"], vals.hidden, "hidden", { w: 1.0, hover: exact(`h<sup>t</sup> ${esc(name("hidden"))}`, vals.hidden) + lh("hidden") });
      label(5.0, 6.0, (lines.hidden || ""), fs, "#333");
    }
    c.setAttribute("aria-label", this.cellTitle.textContent + ". " + Object.values(lines).join("; "));
  }

  symWidth(ctx, sym, size) {
    ctx.font = `700 ${size}px ${FONT}`;
    let w = ctx.measureText(sym[0]).width;
    if (sym[1]) { ctx.font = `700 ${Math.round(size * 0.68)}px ${FONT}`; w += ctx.measureText(sym[1]).width + 1.5; }
    return w;
  }

  /* ---- life cycle */
  scheduleDestroy() {
    clearTimeout(this.destroyTimer);
    this.destroyTimer = setTimeout(() => { if (!this.host.isConnected) this.destroy(); }, 2000);
  }
  cancelDestroy() { clearTimeout(this.destroyTimer); }
  destroy() {
    this.pause(false);
    clearTimeout(this.sendTimer);
    this.resizeObs.disconnect();
    INSTANCES.delete(this.parent);
    const i = REGISTRY.indexOf(this);
    if (i >= 0) REGISTRY.splice(i, 1);
  }

  /** Page coordinates of the heatmap cell (panel i, step s, unit u), scrolled into view (tests, benchmark). */
  point(i, s, u) {
    const g = this.geo, y = i * g.panelH + g.titleH + (this.rowAt(u) + 0.5) * g.rowPx;
    const axisH = this.axis.offsetHeight;
    if (y < this.heat.scrollTop + axisH || y > this.heat.scrollTop + this.heat.clientHeight - 4) this.heat.scrollTop = Math.max(0, y - axisH - 20);
    const r = this.heatInner.getBoundingClientRect();
    return { x: r.left + g.left + (s + 0.5) * g.colW, y: r.top + y };
  }

  /** What tests and benchmarks read. */
  state() {
    return { t: this.s + 1, unit: this.unit, playing: this.playing, T: this.T, H: this.H, lang: this.data.lang,
             lines: (this.lines || []).map(l => l.slice()), sent: this.sent, key: this.data.mount_key,
             calls: this.calls, timing: this.timing };
  }
}

function showError(parent, err, data) {
  const host = parent.querySelector(".lp-host") || parent.appendChild(el("div", { class: "lp-host" }));
  const msg = data && data.strings && data.strings.failed
    ? fill(data.strings.failed, { reason: String(err && err.message || err), t: data.t })
    : "The player could not start: " + String(err && err.message || err);
  host.textContent = "";
  host.append(el("div", { class: "lp-error", role: "alert", text: msg }));
  // let the page's static view show at once
  try {
    const key = data && data.mount_key;
    if (key) document.querySelectorAll(`.lp-fallback[data-lp="${CSS.escape(key)}"]`).forEach(e => e.classList.add("lp-show"));
  } catch (e) { /* ignore */ }
}

function mountPlayer(component) {
  const { data, parentElement } = component;
  let p = INSTANCES.get(parentElement);
  try {
    if (!data || !data.layer_data) throw new Error("no data");
    if (p && p.host.isConnected) { p.cancelDestroy(); p.comp = component; p.setData(data, false); }
    else { p = new Player(parentElement, data, component); INSTANCES.set(parentElement, p); }
  } catch (err) {
    console.error("LSTM Explorer player failed", err);
    showError(parentElement, err, data);
    return undefined;
  }
  return () => p.scheduleDestroy();
}

export default mountPlayer;
