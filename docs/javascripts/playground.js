/* Downhill's optimizer playground, on docs/playground.md (playground-loader.js fetches this file there only).
 *
 * Two parts in one file, served by the site itself, with nothing from a CDN:
 *
 * 1. The engine, window.downhillPlayground.run(spec): the path of one optimizer on one landscape. The
 *    landscapes are lessonlib/functions.py's, gradients as written there; each optimizer is lessonlib/optim's
 *    update function written again, one equation a line, in the same order of float64 operations, and its
 *    arguments are checked in the same order and with the same words as lessonlib's __init__. The tests
 *    (tests/site/test_playground.py) run both on random settings and require the same paths.
 * 2. The page: the controls, the contour map with the paths, the loss curves, the readout, and the URL
 *    fragment that holds the whole setting, so that a link shares it.
 *
 * The file runs once a visit to the site; after each of Material's instant navigations back to the page, the
 * loader calls mount() again on the new page's elements.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------------------------------------ errors
  // Thrown errors carry Python's exception name and lessonlib's wording (lessonlib/_checks.py).

  function pyError(name, message) {
    const error = new Error(message);
    error.name = name;
    return error;
  }
  const valueError = (message) => pyError("ValueError", message);
  const typeError = (message) => pyError("TypeError", message);

  /** A number as Python shows a float: 1.0, 0.001, 1e-05, inf, nan. */
  function pyFloat(x) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    const [digits, power] = x.toExponential().split("e"); // the shortest digits that read back as x, as repr
    const exponent = Number(power);
    if (exponent < -4 || exponent >= 16) {
      return `${digits}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    }
    const fixed = String(x); // JavaScript writes these without an exponent too
    return fixed.includes(".") ? fixed : `${fixed}.0`;
  }

  /** Python's repr of a value that came from JavaScript (a number is shown as a float unless `integer`). */
  function pyRepr(value, integer = false) {
    if (value === null || value === undefined) return "None";
    if (typeof value === "boolean") return value ? "True" : "False";
    if (typeof value === "number") return integer && Number.isInteger(value) ? String(value) : pyFloat(value);
    if (typeof value === "string") {
      return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/'/g, "\\'")}'`;
    }
    if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v)).join(", ")}]`;
    return `<${typeof value === "object" ? "dict" : typeof value}>`;
  }

  /** The value as lessonlib's messages show it: its repr, or its type's name when the repr is long. */
  function shown(value) {
    const text = pyRepr(value);
    if (text.length <= 40) return text;
    if (typeof value === "string") return "<str>";
    return Array.isArray(value) ? "<list>" : "<dict>";
  }

  /** 'a', 'b' or 'c' */
  function either(choices) {
    const words = choices.map((c) => pyRepr(c));
    return words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
  }

  function checkChoice(name, value, choices) {
    if (!choices.includes(value)) {
      throw valueError(`Invalid ${name} value: ${shown(value)} (must be ${either(choices)})`);
    }
  }

  function checkNumber(name, value) {
    if (typeof value !== "number") throw typeError(`Invalid ${name}: ${shown(value)} (must be a real number)`);
  }

  function checkFlag(name, value) {
    if (typeof value !== "boolean") throw typeError(`Invalid ${name}: ${shown(value)} (must be true or false)`);
  }

  // lessonlib._checks.check_lr
  function checkLr(lr) {
    if (typeof lr !== "number") throw typeError(`Invalid learning rate: ${shown(lr)} (must be a real number)`);
    if (!(0 <= lr) || lr === Infinity) throw valueError(`Invalid learning rate: ${pyFloat(lr)}`);
  }

  // lessonlib._checks.check_non_negative
  function checkNonNegative(name, value) {
    checkNumber(name, value);
    if (!(0 <= value)) throw valueError(`Invalid ${name} value: ${pyFloat(value)}`);
  }

  // lessonlib._checks.check_betas
  function checkBetas(betas) {
    if (!Array.isArray(betas) || !betas.every((b) => typeof b === "number")) {
      throw typeError(`Invalid betas: ${shown(betas)} (must be a pair of real numbers)`);
    }
    if (betas.length !== 2) throw valueError(`Invalid betas shape: (${betas.length},) (must be (2,))`);
    betas.forEach((beta, index) => {
      if (!(0 <= beta && beta < 1)) throw valueError(`Invalid beta parameter at index ${index}: ${pyFloat(beta)}`);
    });
  }

  // lessonlib._checks.check_integer
  function checkInteger(name, value, minimum) {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      throw typeError(`Invalid ${name}: ${shown(value)} (must be an integer)`);
    }
    if (value < minimum) throw valueError(`Invalid ${name} value: ${value} (must be >= ${minimum})`);
    return value;
  }

  // lessonlib._checks.check_real(name, value, above=...)
  function checkRealAbove(name, value, above) {
    checkNumber(name, value);
    if (!Number.isFinite(value)) throw valueError(`Invalid ${name} value: ${pyFloat(value)} (must be finite)`);
    if (!(value > above)) throw valueError(`Invalid ${name} value: ${pyFloat(value)} (must be > ${above})`);
    return value;
  }

  // ------------------------------------------------------------------------------------------ landscapes
  // lessonlib/functions.py, value and hand-written gradient, each formula in the same order of operations
  // (x**2 is x * x, y**3 is y * y * y, as torch computes them).

  function quadratic(kappa) {
    return {
      name: `quadratic (κ=${kappa})`,
      f: (x, y) => 0.5 * (x * x + kappa * (y * y)), // ½(w₁² + κw₂²)
      grad: (x, y) => [x, kappa * y], // (w₁, κw₂)
      minima: [[0, 0]],
      minValue: 0,
    };
  }

  const rosenbrock = {
    name: "Rosenbrock",
    f: (x, y) => (1 - x) * (1 - x) + 100 * ((y - x * x) * (y - x * x)), // (1 - x)² + 100(y - x²)²
    grad: (x, y) => [
      -2 * (1 - x) - 400 * x * (y - x * x), // ∂/∂x = -2(1 - x) - 400x(y - x²)
      200 * (y - x * x), // ∂/∂y = 200(y - x²)
    ],
    minima: [[1, 1]],
    minValue: 0,
  };

  function bealeTerms(x, y) {
    const a = 1.5 - x + x * y; // 1.5 - x + xy
    const b = 2.25 - x + x * (y * y); // 2.25 - x + xy²
    const c = 2.625 - x + x * (y * y * y); // 2.625 - x + xy³
    return [a, b, c];
  }

  const beale = {
    name: "Beale",
    f: (x, y) => {
      const [a, b, c] = bealeTerms(x, y);
      return a * a + b * b + c * c; // a² + b² + c²
    },
    grad: (x, y) => {
      const [a, b, c] = bealeTerms(x, y);
      return [
        2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1), // 2a(y - 1) + 2b(y² - 1) + 2c(y³ - 1)
        2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * (y * y), // 2ax + 2b·2xy + 2c·3xy²
      ];
    },
    minima: [[3, 0.5]],
    minValue: 0,
  };

  const himmelblau = {
    name: "Himmelblau",
    f: (x, y) => {
      const a = x * x + y - 11; // x² + y - 11
      const b = x + y * y - 7; // x + y² - 7
      return a * a + b * b;
    },
    grad: (x, y) => {
      const a = x * x + y - 11;
      const b = x + y * y - 7;
      return [4 * x * a + 2 * b, 2 * a + 4 * y * b]; // (4xa + 2b, 2a + 4yb)
    },
    minima: [
      [3.0, 2.0],
      [-2.805118086952745, 3.131312518250573],
      [-3.77931025337774689, -3.28318599128616941],
      [3.584428340330492, -1.848126526964404],
    ],
    minValue: 0,
  };

  const saddle = {
    name: "saddle",
    f: (x, y) => x * x - y * y, // x² - y²
    grad: (x, y) => [2 * x, -2 * y], // (2x, -2y)
    minima: [],
    minValue: null,
  };

  const FUNCTION_NAMES = ["quadratic", "rosenbrock", "beale", "himmelblau", "saddle"];

  /** The landscape `name`, as lessonlib.functions builds it (quadratic(kappa) checks kappa). */
  function landscape(name, kappa) {
    checkChoice("fn", name, FUNCTION_NAMES);
    if (name === "quadratic") return quadratic(checkRealAbove("kappa", kappa === undefined ? 10 : kappa, 0));
    return { rosenbrock, beale, himmelblau, saddle }[name];
  }

  // ----------------------------------------------------------------------------------------- optimizers
  // Each: torch.optim's keyword arguments and defaults, the checks of lessonlib's __init__ in its order,
  // the state lessonlib creates on the first step, and the update function, one equation a line.

  /** torch.lerp's formula (ATen's Lerp.h): start + w(end - start), from the nearer end. */
  function lerp(start, end, weight) {
    return Math.abs(weight) < 0.5 ? start + weight * (end - start) : end - (end - start) * (1 - weight);
  }

  /** lessonlib.optim.sgd.sgd_update: θ moves against v_t (momentum), g_t + βv_t (Nesterov) or g_t. */
  function sgdUpdate(param, grad, state, { lr, momentum, dampening, weight_decay, nesterov, maximize }) {
    const first = state.v === null;
    if (momentum !== 0 && first) state.v = [0, 0];
    for (let i = 0; i < param.length; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (weight_decay !== 0) g = g + weight_decay * param[i]; // g_t + λθ_{t-1}
      if (momentum !== 0) {
        const v = state.v;
        if (first) v[i] = g; // v_1 = g_1
        else v[i] = v[i] * momentum + (1 - dampening) * g; // v_t = βv_{t-1} + (1 - τ)g_t
        g = nesterov ? g + momentum * v[i] : v[i]; // Nesterov: g_t + βv_t
      }
      param[i] = param[i] + -lr * g; // θ_t = θ_{t-1} - α·(v_t or g_t)
    }
  }

  /** lessonlib.optim.adagrad.adagrad_update: steps divided by the root of the summed squared gradients. */
  function adagradUpdate(param, grad, state, { lr, lr_decay, weight_decay, eps, maximize }) {
    const t = (state.step += 1);
    const v = state.sum;
    const lr_t = lr / (1 + (t - 1) * lr_decay); // α_t = α / (1 + (t - 1)η)
    for (let i = 0; i < param.length; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (weight_decay !== 0) g = g + weight_decay * param[i]; // g_t ← g_t + λθ_{t-1}
      v[i] = v[i] + 1 * g * g; // v_t = v_{t-1} + g_t²
      param[i] = param[i] + (-lr_t * g) / (Math.sqrt(v[i]) + eps); // θ_t = θ_{t-1} - α_t g_t / (√v_t + ε)
    }
  }

  /** lessonlib.optim.rmsprop.rmsprop_update (PyTorch's `alpha` is β here, as in the book). */
  function rmspropUpdate(param, grad, state, { lr, alpha: beta, eps, weight_decay, momentum, centered, maximize }) {
    state.step += 1; // counted, as in PyTorch, though the update does not use it
    const { v, b, g_avg } = state;
    for (let i = 0; i < param.length; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (weight_decay !== 0) g = g + weight_decay * param[i]; // g_t ← g_t + λθ_{t-1}
      v[i] = v[i] * beta + (1 - beta) * g * g; // v_t = βv_{t-1} + (1 - β)g_t²
      let r;
      if (centered) {
        g_avg[i] = lerp(g_avg[i], g, 1 - beta); // ḡ_t = βḡ_{t-1} + (1 - β)g_t
        r = Math.sqrt(v[i] + -1 * g_avg[i] * g_avg[i]) + eps; // r_t = √(v_t - ḡ_t²) + ε
      } else {
        r = Math.sqrt(v[i]) + eps; // r_t = √v_t + ε
      }
      if (momentum > 0) {
        b[i] = b[i] * momentum + (1 * g) / r; // b_t = μb_{t-1} + g_t / r_t
        param[i] = param[i] + -lr * b[i]; // θ_t = θ_{t-1} - αb_t
      } else {
        param[i] = param[i] + (-lr * g) / r; // θ_t = θ_{t-1} - αg_t / r_t
      }
    }
  }

  /** a · b in double-double arithmetic: a number as a sum of two floats [hi, lo], about 106 bits. */
  function times([ah, al], [bh, bl]) {
    const p = ah * bh;
    const ca = 134217729 * ah; // Veltkamp's split: ah = a1 + a2, each with half of the bits
    const a1 = ca - (ca - ah);
    const a2 = ah - a1;
    const cb = 134217729 * bh; // and bh = b1 + b2
    const b1 = cb - (cb - bh);
    const b2 = bh - b1;
    const e = a1 * b1 - p + a1 * b2 + a2 * b1 + a2 * b2 + (ah * bl + al * bh); // what rounding took from p
    const hi = p + e;
    return [hi, e - (hi - p)];
  }

  /** lessonlib.optim.adam.adam_update; AdamW is the same update with decoupled weight decay. */
  function adamUpdate(param, grad, state, o, decoupled_weight_decay = o.decoupled_weight_decay) {
    const { lr, betas, eps, weight_decay, amsgrad, maximize } = o;
    const [beta1, beta2] = betas;
    const t = (state.step += 1);
    const { m, v, v_max } = state;
    // β1^t and β2^t as Python's beta ** t gives them: kept to about 106 bits, one product a step, and rounded
    // once, which is the float glibc's pow returns in all but a few cases in ten thousand (JavaScript's ** is a
    // unit in the last place off in several cases in a hundred)
    state.beta1_t = times(state.beta1_t, [beta1, 0]);
    state.beta2_t = times(state.beta2_t, [beta2, 0]);
    const step_size = lr / (1 - (state.beta1_t[0] + state.beta1_t[1])); // α m̂_t = step_size · m_t
    const bias_correction2_sqrt = Math.sqrt(1 - (state.beta2_t[0] + state.beta2_t[1])); // (1 - β2^t) ** 0.5
    for (let i = 0; i < param.length; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (weight_decay !== 0) {
        if (decoupled_weight_decay) param[i] = param[i] * (1 - lr * weight_decay); // θ ← (1 - αλ)θ_{t-1}
        else g = g + weight_decay * param[i]; // g_t ← g_t + λθ_{t-1}
      }
      m[i] = lerp(m[i], g, 1 - beta1); // m_t = β1 m_{t-1} + (1 - β1) g_t
      v[i] = v[i] * beta2 + (1 - beta2) * g * g; // v_t = β2 v_{t-1} + (1 - β2) g_t²
      let v_t = v[i];
      if (amsgrad) v_t = v_max[i] = Math.max(v_max[i], v[i]); // AMSGrad: v_t ← max(v_max, v_t)
      const v_hat_sqrt = Math.sqrt(v_t) / bias_correction2_sqrt; // √v̂_t = √v_t / √(1 - β2^t)
      param[i] = param[i] + (-step_size * m[i]) / (v_hat_sqrt + eps); // θ_t = θ - α m̂_t / (√v̂_t + ε)
    }
  }

  const ADAM_DEFAULTS = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false };

  function checkAdam(o) {
    checkLr(o.lr);
    checkNonNegative("epsilon", o.eps);
    checkBetas(o.betas);
    checkNonNegative("weight_decay", o.weight_decay);
    checkFlag("amsgrad", o.amsgrad);
    checkFlag("maximize", o.maximize);
  }

  function adamState() {
    return { step: 0, m: [0, 0], v: [0, 0], v_max: [0, 0], beta1_t: [1, 0], beta2_t: [1, 0] };
  }

  const OPTIMIZERS = {
    SGD: {
      defaults: { lr: 1e-3, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
      check(o) {
        checkLr(o.lr);
        checkNonNegative("momentum", o.momentum);
        checkNonNegative("weight_decay", o.weight_decay);
        checkNumber("dampening", o.dampening);
        checkFlag("nesterov", o.nesterov);
        checkFlag("maximize", o.maximize);
        if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
          throw valueError("Nesterov momentum requires a momentum and zero dampening");
        }
      },
      state: () => ({ v: null }),
      update: sgdUpdate,
    },
    Adagrad: {
      defaults: { lr: 1e-2, lr_decay: 0, weight_decay: 0, initial_accumulator_value: 0, eps: 1e-10, maximize: false },
      check(o) {
        checkLr(o.lr);
        checkNonNegative("lr_decay", o.lr_decay);
        checkNonNegative("weight_decay", o.weight_decay);
        checkNonNegative("initial_accumulator_value", o.initial_accumulator_value);
        checkNonNegative("epsilon", o.eps);
        checkFlag("maximize", o.maximize);
      },
      state: (o) => ({ step: 0, sum: [o.initial_accumulator_value, o.initial_accumulator_value] }),
      update: adagradUpdate,
    },
    RMSprop: {
      defaults: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false, maximize: false },
      check(o) {
        checkLr(o.lr);
        checkNonNegative("epsilon", o.eps);
        checkNonNegative("momentum", o.momentum);
        checkNonNegative("weight_decay", o.weight_decay);
        checkNonNegative("alpha", o.alpha);
        checkFlag("centered", o.centered);
        checkFlag("maximize", o.maximize);
      },
      state: () => ({ step: 0, v: [0, 0], b: [0, 0], g_avg: [0, 0] }),
      update: rmspropUpdate,
    },
    Adam: {
      defaults: { ...ADAM_DEFAULTS, decoupled_weight_decay: false },
      check(o) {
        checkAdam(o);
        checkFlag("decoupled_weight_decay", o.decoupled_weight_decay);
      },
      state: adamState,
      update: adamUpdate,
    },
    AdamW: {
      defaults: { ...ADAM_DEFAULTS, weight_decay: 1e-2 },
      check: checkAdam,
      state: adamState,
      update: (param, grad, state, o) => adamUpdate(param, grad, state, o, true),
    },
  };
  const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS);

  /** The optimizer's options with torch.optim's defaults filled in, checked as lessonlib's __init__ checks them. */
  function optimizerOptions(name, options) {
    const { defaults, check } = OPTIMIZERS[name];
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw typeError(`Invalid options: ${shown(options)} (must be an object of keyword arguments)`);
    }
    for (const key of Object.keys(options)) {
      if (!(key in defaults)) throw typeError(`${name}.__init__() got an unexpected keyword argument '${key}'`);
    }
    const merged = { ...defaults, ...options };
    check(merged);
    return merged;
  }

  // -------------------------------------------------------------------------------------------- the engine

  /**
   * The path of one optimizer on one landscape: `steps + 1` points [x, y], the start first.
   *
   * spec = {optimizer: "SGD" | "Adagrad" | "RMSprop" | "Adam" | "AdamW", options: {lr: ..., ...},
   *         fn: "quadratic" | "rosenbrock" | "beale" | "himmelblau" | "saddle", kappa (quadratic only),
   *         start: [x, y], steps}
   *
   * As lessonlib.descent.gradient_descent does, a run that diverges is not cut short: once a point is not
   * finite, the rest of the path is inf or NaN.
   */
  function run(spec) {
    if (spec === null || typeof spec !== "object") throw typeError(`Invalid spec: ${shown(spec)} (must be an object)`);
    checkChoice("optimizer", spec.optimizer, OPTIMIZER_NAMES);
    const fn = landscape(spec.fn, spec.kappa);
    const options = optimizerOptions(spec.optimizer, spec.options === undefined ? {} : spec.options);
    const steps = checkInteger("steps", spec.steps, 0);
    const start = spec.start;
    if (!Array.isArray(start) || !start.every((s) => typeof s === "number")) {
      throw typeError(`Invalid start: ${shown(start)} (must be a point [x, y] of real numbers)`);
    }
    if (start.length !== 2) throw valueError(`Invalid start shape: (${start.length},) (must be (2,))`);

    const optimizer = OPTIMIZERS[spec.optimizer];
    const state = optimizer.state(options);
    const w = [start[0], start[1]];
    const path = [[w[0], w[1]]];
    for (let t = 0; t < steps; t++) {
      const grad = fn.grad(w[0], w[1]); // w.grad = fn.grad(w), as the book's loops set it
      optimizer.update(w, grad, state, options); // opt.step()
      path.push([w[0], w[1]]);
    }
    return path;
  }

  // --------------------------------------------------------------------------------- the state in the URL
  // fn=rosenbrock&start=-1.2,1&steps=300&tol=0.01&opt=SGD:lr=0.002,momentum=0.9;Adam:lr=0.1,betas=0.9/0.999
  // Options equal to torch.optim's defaults are left out.

  const DEFAULT_STATE =
    "fn=rosenbrock&start=-1.2,1&steps=300&tol=0.01" +
    "&opt=SGD:lr=0.002;SGD:lr=0.002,momentum=0.9;Adam:lr=0.5";

  function formatNumber(x) {
    return x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential() : String(x); // 1e-6, not 0.000001
  }

  function formatValue(value) {
    if (Array.isArray(value)) return value.map(formatValue).join("/");
    return typeof value === "number" ? formatNumber(value) : String(value);
  }

  function sameValue(a, b) {
    return Array.isArray(a) ? Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]) : a === b;
  }

  function formatState(state) {
    const parts = [`fn=${state.fn}`];
    if (state.fn === "quadratic") parts.push(`kappa=${formatValue(state.kappa)}`);
    parts.push(`start=${state.start.map(formatValue).join(",")}`);
    parts.push(`steps=${formatValue(state.steps)}`, `tol=${formatValue(state.tol)}`);
    const runs = state.runs.map(({ optimizer, options }) => {
      const defaults = OPTIMIZERS[optimizer] ? OPTIMIZERS[optimizer].defaults : {};
      const changed = Object.entries(options).filter(([k, v]) => !sameValue(v, defaults[k]));
      return changed.length ? `${optimizer}:${changed.map(([k, v]) => `${k}=${formatValue(v)}`).join(",")}` : optimizer;
    });
    parts.push(`opt=${runs.join(";")}`);
    return parts.join("&");
  }

  /** A value from the fragment: a number, true/false, a list a/b, or the text itself (which run() refuses). */
  function parseValue(text) {
    if (text === "true" || text === "false") return text === "true";
    if (text.includes("/")) return text.split("/").map(parseValue);
    const x = Number(text);
    return text.trim() !== "" && !Number.isNaN(x) ? x : text === "nan" ? NaN : text;
  }

  /** The setting a fragment holds, as {state, problems}; what the fragment leaves out is the default's. */
  function parseState(fragment) {
    return parseInto(defaultState(), fragment);
  }

  const BASE_STATE = { fn: "rosenbrock", kappa: 10, start: [-1.2, 1], steps: 300, tol: 0.01, runs: [] };
  let cachedDefault = null;

  function defaultState() {
    if (cachedDefault === null) cachedDefault = parseInto(JSON.parse(JSON.stringify(BASE_STATE)), DEFAULT_STATE).state;
    return JSON.parse(JSON.stringify(cachedDefault));
  }

  function parseInto(state, fragment) {
    const problems = [];
    let text = String(fragment).replace(/^#/, "");
    try {
      text = decodeURIComponent(text);
    } catch (error) {
      problems.push(`The address is not valid: ${error.message}`);
    }
    const keys = new Set();
    for (const part of text.split("&").filter(Boolean)) {
      const at = part.indexOf("=");
      const key = at < 0 ? part : part.slice(0, at);
      const value = at < 0 ? "" : part.slice(at + 1);
      keys.add(key);
      if (key === "fn") state.fn = value;
      else if (key === "kappa") state.kappa = parseValue(value);
      else if (key === "steps") state.steps = parseValue(value);
      else if (key === "tol") state.tol = parseValue(value);
      else if (key === "start") state.start = value.split(",").map(parseValue);
      else if (key === "opt") {
        state.runs = value
          .split(";")
          .filter(Boolean)
          .map((entry) => {
            const colon = entry.indexOf(":");
            const optimizer = colon < 0 ? entry : entry.slice(0, colon);
            const options = {};
            if (colon >= 0) {
              for (const pair of entry.slice(colon + 1).split(",").filter(Boolean)) {
                const eq = pair.indexOf("=");
                if (eq < 0) problems.push(`The address gives ${optimizer}'s option '${pair}' no value`);
                else options[pair.slice(0, eq)] = parseValue(pair.slice(eq + 1));
              }
            }
            return { optimizer, options };
          });
      } else problems.push(`The address holds a setting the playground does not know: '${key}'`);
    }
    if (!FUNCTION_NAMES.includes(state.fn)) {
      problems.push(`Invalid fn value: ${shown(state.fn)} (must be ${either(FUNCTION_NAMES)})`);
      state.fn = BASE_STATE.fn;
    }
    if (keys.has("fn") && !keys.has("start")) state.start = VIEWS[state.fn].start.slice();
    return { state, problems };
  }

  // ---------------------------------------------------------------------------------------------- the page

  /** Where each landscape is drawn, and where a path starts when the landscape is picked. */
  const VIEWS = {
    quadratic: { x: [-2.5, 2.5], y: [-1.5, 1.5], start: [-2, 0.5] },
    rosenbrock: { x: [-2, 2], y: [-1, 3], start: [-1.2, 1] },
    beale: { x: [-1, 4.5], y: [-1.5, 2.5], start: [1, 1.5] },
    himmelblau: { x: [-6, 6], y: [-6, 6], start: [0.5, 0] },
    saddle: { x: [-1.5, 1.5], y: [-1.5, 1.5], start: [1, 0.001] },
  };
  const LANDSCAPE_LABELS = {
    quadratic: "Quadratic bowl ½(w₁² + κw₂²)",
    rosenbrock: "Rosenbrock",
    beale: "Beale",
    himmelblau: "Himmelblau",
    saddle: "Saddle x² − y²",
  };

  /** The optimizers a reader adds, with settings that move visibly on the landscapes above. */
  const KINDS = {
    SGD: { optimizer: "SGD", options: { lr: 0.01 } },
    "SGD with momentum": { optimizer: "SGD", options: { lr: 0.01, momentum: 0.9 } },
    Nesterov: { optimizer: "SGD", options: { lr: 0.01, momentum: 0.9, nesterov: true } },
    AdaGrad: { optimizer: "Adagrad", options: { lr: 0.5 } },
    RMSProp: { optimizer: "RMSprop", options: { lr: 0.01 } },
    Adam: { optimizer: "Adam", options: { lr: 0.1 } },
    AdamW: { optimizer: "AdamW", options: { lr: 0.1 } },
  };
  // The colours of chapter 6's optimizer race (null: the text colour, black or white by the scheme).
  const COLOURS = {
    SGD: null,
    "SGD with momentum": "#0072B2",
    Nesterov: "#56B4E9",
    AdaGrad: "#009E73",
    RMSProp: "#E69F00",
    Adam: "#D55E00",
    AdamW: "#CC79A7",
  };
  const DASHES = [[], [7, 4], [2, 3], [9, 3, 2, 3]];
  const MAX_RUNS = 8;
  const MAX_STEPS = 10000;
  const TOLERANCES = [1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8, 1e-10];

  function kindOf({ optimizer, options }) {
    if (optimizer === "SGD") {
      if (options.nesterov) return "Nesterov";
      return options.momentum ? "SGD with momentum" : "SGD";
    }
    return { Adagrad: "AdaGrad", RMSprop: "RMSProp" }[optimizer] || optimizer;
  }

  // The controls of each option: [name, label, kind, min, max]; "log" sliders move the exponent.
  const CONTROLS = {
    lr: ["lr", "learning rate α (lr)", "log", 1e-5, 10],
    momentum: ["momentum", "momentum β (momentum)", "linear", 0, 0.999],
    nesterov: ["nesterov", "Nesterov (nesterov)", "flag"],
    dampening: ["dampening", "dampening τ (dampening)", "linear", 0, 1],
    weight_decay: ["weight_decay", "weight decay λ (weight_decay)", "linear", 0, 1],
    alpha: ["alpha", "smoothing β (alpha)", "linear", 0, 0.9999],
    eps: ["eps", "ε (eps)", "log", 1e-12, 1],
    lr_decay: ["lr_decay", "learning-rate decay η (lr_decay)", "linear", 0, 1],
    initial_accumulator_value: ["initial_accumulator_value", "v₀ (initial_accumulator_value)", "linear", 0, 1],
    beta1: ["betas", "β₁ (betas[0])", "linear", 0, 0.999],
    beta2: ["betas", "β₂ (betas[1])", "linear", 0, 0.9999],
    centered: ["centered", "centered (centered)", "flag"],
    amsgrad: ["amsgrad", "AMSGrad (amsgrad)", "flag"],
    maximize: ["maximize", "maximize (maximize)", "flag"],
    decoupled_weight_decay: ["decoupled_weight_decay", "decoupled decay (decoupled_weight_decay)", "flag"],
  };
  // Which controls each optimizer shows at once, and which under "More options".
  const LAYOUT = {
    SGD: [["lr", "momentum", "nesterov"], ["dampening", "weight_decay", "maximize"]],
    Adagrad: [["lr"], ["lr_decay", "weight_decay", "initial_accumulator_value", "eps", "maximize"]],
    RMSprop: [["lr", "alpha", "momentum"], ["centered", "eps", "weight_decay", "maximize"]],
    Adam: [["lr", "beta1", "beta2"], ["eps", "weight_decay", "amsgrad", "decoupled_weight_decay", "maximize"]],
    AdamW: [["lr", "beta1", "beta2", "weight_decay"], ["eps", "amsgrad", "maximize"]],
  };

  let uid = 0;
  const nextId = (stem) => `dh-pg-${stem}-${++uid}`;

  /** document.createElement with attributes (on…: listeners) and children. */
  function h(tag, attributes = {}, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else if (key === "className") el.className = value;
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) el.append(child);
    return el;
  }

  /** A colour the canvas can use, from any CSS colour (Material's variables hold hsla(), hex or rgb()). */
  function rgba(css, probe) {
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = "#000";
    probe.fillStyle = css;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  }

  function mix(c1, c2, t) {
    return [0, 1, 2].map((i) => Math.round(c1[i] * (1 - t) + c2[i] * t));
  }

  const css = (c, alpha = 1) => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`;

  function niceTicks(lo, hi, count) {
    const step = 10 ** Math.floor(Math.log10((hi - lo) / count));
    const unit = [1, 2, 5, 10].map((m) => m * step).find((s) => (hi - lo) / s <= count) || step * 10;
    const ticks = [];
    for (let v = Math.ceil(lo / unit) * unit; v <= hi + 1e-9; v += unit) ticks.push(Math.round(v / unit) * unit);
    return ticks;
  }

  const minus = (x) => String(x).replace("-", "−"); // a typographic minus in the figures' labels
  const sci = (x) => (typeof x === "number" && x > 0 && x < 0.01 ? x.toExponential().replace("-", "−") : String(x));

  /** A number for the table, to three significant digits. */
  function format3(x) {
    if (!Number.isFinite(x)) return String(x);
    if (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3)) return x.toExponential(2);
    return String(+x.toPrecision(3));
  }

  class Playground {
    constructor(root) {
      this.root = root;
      this.probe = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
      this.fieldCache = null;
      this.results = [];
      this.problems = [];
      this.written = null;
      this.build();
      this.show(this.stateFromAddress());
    }

    /** The setting in the address: a whole setting, or the id of one of the page's presets. */
    stateFromAddress() {
      const hash = location.hash.replace(/^#/, "");
      const preset = hash && document.getElementById(hash);
      if (preset && preset.hasAttribute("data-playground")) return parseState(preset.getAttribute("data-playground"));
      return hash.includes("=") ? parseState(hash) : { state: defaultState(), problems: [] };
    }

    /** Show a setting, as parseState gives it: its controls, its paths, and what was wrong with the address. */
    show({ state, problems }) {
      this.state = state;
      this.addressProblems = problems;
      this.renderRuns();
      this.syncGlobals();
      this.redraw();
    }

    load(fragment) {
      this.show(parseState(fragment));
    }

    // -------------------------------------------------------------------------------- the controls
    build() {
      const r = this.root;
      r.replaceChildren();
      this.alert = h("div", { className: "dh-pg__alert", role: "alert" });
      this.map = h("canvas", {
        className: "dh-pg__map",
        tabindex: 0,
        role: "img",
        "aria-describedby": nextId("map-help"),
      });
      this.mapHelp = h(
        "p",
        { className: "dh-pg__help", id: this.map.getAttribute("aria-describedby") },
        "Click or drag on the map to move the start; on the focused map, the arrow keys move it (Shift: further).",
      );
      this.loss = h("canvas", { className: "dh-pg__loss", role: "img" });
      this.readout = h("tbody");
      this.tolHeader = h("th", { scope: "col" }, "steps to tolerance");
      const figures = h(
        "div",
        { className: "dh-pg__figures" },
        h("figure", { className: "dh-pg__figure" }, this.map, h("figcaption", {}, "Paths on the contour map")),
        h("figure", { className: "dh-pg__figure" }, this.loss, h("figcaption", {}, "Loss against step")),
      );
      const table = h(
        "div",
        { className: "dh-pg__readout" },
        h(
          "table",
          {},
          h("caption", {}, "Where each optimizer got"),
        h(
          "thead",
          {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "optimizer"),
              this.tolHeader,
              h("th", { scope: "col" }, "final loss"),
              h("th", { scope: "col" }, "final point"),
            ),
          ),
          this.readout,
        ),
      );

      // the landscape, the start, the steps and the tolerance
      this.fnSelect = h(
        "select",
        { id: nextId("fn"), onchange: () => this.setFunction(this.fnSelect.value) },
        FUNCTION_NAMES.map((name) => h("option", { value: name }, LANDSCAPE_LABELS[name])),
      );
      this.kappa = this.slider({
        label: "condition number κ",
        kind: "log",
        min: 1,
        max: 1000,
        get: () => this.state.kappa,
        set: (v) => (this.state.kappa = v),
      });
      const start = (i) => [
        () => this.state.start[i],
        (v) => (this.state.start = i === 0 ? [v, this.state.start[1]] : [this.state.start[0], v]),
      ];
      this.startX = this.number("start w₁", ...start(0));
      this.startY = this.number("start w₂", ...start(1));
      this.steps = this.slider({
        label: "steps",
        kind: "linear",
        min: 0,
        max: 1000,
        step: 1,
        get: () => this.state.steps,
        set: (v) => (this.state.steps = v),
      });
      this.tolSelect = h("select", {
        id: nextId("tol"),
        onchange: () => this.changed(() => (this.state.tol = Number(this.tolSelect.value))),
      });
      const setting = h(
        "fieldset",
        { className: "dh-pg__setting" },
        h("legend", {}, "Landscape and start"),
        h("div", { className: "dh-pg__row" }, h("label", { for: this.fnSelect.id }, "landscape"), this.fnSelect),
        this.kappa.row,
        h("div", { className: "dh-pg__row dh-pg__row--pair" }, this.startX.row, this.startY.row),
        this.steps.row,
        h(
          "div",
          { className: "dh-pg__row" },
          h("label", { for: this.tolSelect.id }, "tolerance on L − L*"),
          this.tolSelect,
        ),
      );

      // the optimizers
      this.runList = h("div", { className: "dh-pg__runs" });
      this.kindSelect = h(
        "select",
        { id: nextId("kind") },
        Object.keys(KINDS).map((kind) => h("option", { value: kind }, kind)),
      );
      this.addButton = h(
        "button",
        { type: "button", className: "md-button", onclick: () => this.addRun(this.kindSelect.value) },
        "Add",
      );
      const adder = h(
        "div",
        { className: "dh-pg__add" },
        h("label", { for: this.kindSelect.id }, "Add an optimizer"),
        this.kindSelect,
        this.addButton,
      );

      r.append(
        this.alert,
        figures,
        this.mapHelp,
        table,
        h(
          "div",
          { className: "dh-pg__controls" },
          setting,
          h("div", { className: "dh-pg__optimizers" }, this.runList, adder),
        ),
      );
      this.attachMapInput();
    }

    /** A label, a slider and a number field for one value; the number field takes any value, even a bad one. */
    slider({ label, kind, min, max, step, get, set }) {
      const id = nextId("s");
      const toSlider = (v) => (kind === "log" ? Math.log10(v) : v);
      const fromSlider = (s) => (kind === "log" ? +(10 ** s).toPrecision(3) : s);
      const range = h("input", {
        type: "range",
        id,
        min: toSlider(min),
        max: toSlider(max),
        step: step || "any",
        "aria-label": label,
      });
      const field = h("input", {
        type: "number",
        step: "any",
        className: "dh-pg__number",
        "aria-label": `${label}, exact value`,
      });
      const onScale = (v) => typeof v === "number" && Number.isFinite(v) && (kind !== "log" || v > 0);
      range.addEventListener("input", () => {
        const value = fromSlider(Number(range.value));
        field.value = String(value);
        this.changed(() => set(value));
      });
      field.addEventListener("input", () => {
        if (field.value === "") return; // still being typed ("-", "1e")
        const value = Number(field.value); // any number, even one run() refuses: the alert then says why
        if (onScale(value)) range.value = String(toSlider(value));
        this.changed(() => set(value));
      });
      const row = h("div", { className: "dh-pg__row dh-pg__row--slider" }, h("label", { for: id }, label));
      row.append(range, field);
      const sync = () => {
        const value = get();
        if (document.activeElement !== field) field.value = typeof value === "number" ? String(value) : "";
        if (onScale(value)) range.value = String(toSlider(value));
      };
      return { row, range, field, sync };
    }

    number(label, get, set) {
      const id = nextId("n");
      const field = h("input", { type: "number", id, step: "0.1", className: "dh-pg__number" });
      field.addEventListener("input", () => {
        const value = Number(field.value);
        if (field.value !== "" && Number.isFinite(value)) this.changed(() => set(value));
      });
      const row = h("div", { className: "dh-pg__row dh-pg__row--number" }, h("label", { for: id }, label), field);
      const sync = () => {
        const value = get();
        if (document.activeElement === field) return; // not while the reader types in it
        field.value = typeof value === "number" ? String(+value.toPrecision(6)) : "";
      };
      return { row, field, sync };
    }

    syncGlobals() {
      const s = this.state;
      this.fnSelect.value = s.fn;
      this.kappa.row.hidden = s.fn !== "quadratic";
      this.tolSelect.parentElement.hidden = s.fn === "saddle"; // the saddle's goal is |w₂| > 1
      this.kappa.sync();
      this.startX.sync();
      this.startY.sync();
      this.steps.sync();
      const known = TOLERANCES.includes(s.tol) || typeof s.tol !== "number";
      const tols = known ? TOLERANCES : [...TOLERANCES, s.tol].sort((a, b) => b - a);
      this.tolSelect.replaceChildren(...tols.map((t) => h("option", { value: t }, sci(t))));
      this.tolSelect.value = String(s.tol);
      this.tolHeader.textContent = s.fn === "saddle" ? "steps until |w₂| > 1" : `steps to L − L* < ${sci(s.tol)}`;
    }

    setFunction(name) {
      this.changed(() => {
        this.state.fn = name;
        this.state.start = VIEWS[name].start.slice();
      });
      this.syncGlobals();
    }

    addRun(kind) {
      if (this.state.runs.length >= MAX_RUNS) return;
      this.changed(() => this.state.runs.push(JSON.parse(JSON.stringify(KINDS[kind]))));
      this.renderRuns();
      const cards = this.runList.querySelectorAll(".dh-pg__run");
      cards[cards.length - 1].querySelector("input").focus();
    }

    removeRun(index) {
      this.changed(() => this.state.runs.splice(index, 1));
      this.renderRuns();
      (this.runList.querySelector(".dh-pg__run button") || this.addButton).focus();
    }

    /** One card per optimizer: its name, its main sliders, the rest under "More options", and Remove. */
    renderRuns() {
      this.cards = this.state.runs.map((run, index) => {
        const spec = OPTIMIZERS[run.optimizer];
        const title = h(
          "h2",
          { className: "dh-pg__run-title" },
          h("span", { className: "dh-pg__swatch", "aria-hidden": "true" }),
          h("span", { className: "dh-pg__run-name" }),
        );
        const onclick = () => this.removeRun(index);
        const remove = h("button", { type: "button", className: "dh-pg__remove", onclick }, "Remove");
        const head = h("div", { className: "dh-pg__run-head" }, title, remove);
        const card = h("section", { className: "dh-pg__run" }, head);
        const syncs = [];
        if (!spec) {
          card.append(h("p", {}, `Unknown optimizer '${run.optimizer}'`));
          return { card, title, remove, syncs };
        }
        const [main, more] = LAYOUT[run.optimizer];
        const controls = (names) => names.map((name) => this.optionControl(run, name, syncs));
        card.append(...controls(main));
        card.append(h("details", { className: "dh-pg__more" }, h("summary", {}, "More options"), ...controls(more)));
        return { card, title, remove, syncs };
      });
      this.runList.replaceChildren(...this.cards.map((c) => c.card));
      this.addButton.disabled = this.state.runs.length >= MAX_RUNS;
      this.cards.forEach((c) => c.syncs.forEach((sync) => sync()));
      this.labelRuns();
    }

    optionControl(run, name, syncs) {
      const [key, label, kind, min, max] = CONTROLS[name];
      const defaults = OPTIMIZERS[run.optimizer].defaults;
      const index = name === "beta1" ? 0 : name === "beta2" ? 1 : null;
      const get = () => {
        const value = key in run.options ? run.options[key] : defaults[key];
        return index === null ? value : Array.isArray(value) ? value[index] : undefined;
      };
      const set = (value) => {
        if (index === null) run.options[key] = value;
        else {
          const betas = Array.isArray(run.options.betas) ? run.options.betas.slice() : defaults.betas.slice();
          betas[index] = value;
          run.options.betas = betas;
        }
      };
      if (kind === "flag") {
        const id = nextId("f");
        const box = h("input", { type: "checkbox", id });
        box.addEventListener("change", () => {
          this.changed(() => set(box.checked));
          if (name === "nesterov") this.labelRuns();
        });
        syncs.push(() => (box.checked = get() === true));
        return h("div", { className: "dh-pg__row dh-pg__row--flag" }, box, h("label", { for: id }, label));
      }
      const step = kind === "linear" ? (max < 1 ? 0.0001 : 0.001) : undefined;
      const control = this.slider({ label, kind, min, max, step, get, set });
      if (name === "momentum" && run.optimizer === "SGD") {
        control.range.addEventListener("input", () => this.labelRuns());
        control.field.addEventListener("input", () => this.labelRuns());
      }
      syncs.push(control.sync);
      return control.row;
    }

    /** Names and colours: the chapter's colour for each kind, a dash pattern for a second of the same kind. */
    labelRuns() {
      const { fg } = this.palette || this.colours();
      const seen = {};
      this.styles = this.state.runs.map((run) => {
        const kind = kindOf(run);
        const nth = (seen[kind] = (seen[kind] || 0) + 1);
        const colour = COLOURS[kind] || css(fg, 1);
        return { kind, name: nth > 1 ? `${kind} (${nth})` : kind, colour, dash: DASHES[(nth - 1) % DASHES.length] };
      });
      (this.cards || []).forEach((card, i) => {
        const style = this.styles[i];
        if (!style) return;
        card.title.querySelector(".dh-pg__run-name").textContent = style.name;
        const swatch = card.title.querySelector(".dh-pg__swatch");
        swatch.style.borderTopColor = style.colour;
        swatch.style.borderTopStyle = style.dash.length ? "dashed" : "solid";
        card.remove.setAttribute("aria-label", `Remove ${style.name}`);
      });
    }

    attachMapInput() {
      const moveTo = (event) => {
        const box = this.map.getBoundingClientRect();
        const view = VIEWS[this.state.fn];
        const x = view.x[0] + ((event.clientX - box.left) / box.width) * (view.x[1] - view.x[0]);
        const y = view.y[1] - ((event.clientY - box.top) / box.height) * (view.y[1] - view.y[0]);
        const round = (v) => +v.toFixed(2);
        this.changed(() => (this.state.start = [round(x), round(y)]));
        this.startX.sync();
        this.startY.sync();
      };
      this.map.addEventListener("pointerdown", (event) => {
        this.map.setPointerCapture(event.pointerId);
        this.dragging = true;
        moveTo(event);
      });
      this.map.addEventListener("pointermove", (event) => this.dragging && moveTo(event));
      const stop = () => (this.dragging = false);
      this.map.addEventListener("pointerup", stop);
      this.map.addEventListener("pointercancel", stop);
      this.map.addEventListener("keydown", (event) => {
        const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
        if (!(event.key in moves)) return;
        event.preventDefault();
        const view = VIEWS[this.state.fn];
        const share = event.shiftKey ? 0.1 : 0.02;
        const [dx, dy] = moves[event.key];
        const [x, y] = this.state.start;
        const round = (v) => +v.toFixed(3);
        const width = view.x[1] - view.x[0];
        const height = view.y[1] - view.y[0];
        this.changed(() => (this.state.start = [round(x + dx * share * width), round(y + dy * share * height)]));
        this.startX.sync();
        this.startY.sync();
      });
    }

    /** Apply a change, then redraw at the next frame and write the setting into the address. */
    changed(change) {
      if (change) {
        change();
        this.addressProblems = []; // the reader has moved on from what the address said
      }
      if (this.pending) return;
      this.pending = requestAnimationFrame(() => {
        this.pending = 0;
        this.redraw();
      });
    }

    /** Write the setting into the address, at most four times a second (a browser stops listening to a page
     * that rewrites its address on every frame of a dragged slider), the last change always. */
    writeAddress() {
      clearTimeout(this.addressTimer);
      const write = () => {
        const fragment = `#${formatState(this.state)}`;
        if (fragment !== location.hash) history.replaceState(history.state, "", fragment);
        this.written = location.hash;
        this.lastWrite = performance.now();
      };
      const wait = 250 - (performance.now() - (this.lastWrite || -Infinity));
      if (wait <= 0) write();
      else this.addressTimer = setTimeout(write, wait);
    }

    // ------------------------------------------------------------------------------ compute and draw
    compute() {
      const s = this.state;
      this.problems = [...this.addressProblems];
      let fn = null;
      try {
        fn = landscape(s.fn, s.kappa);
      } catch (error) {
        this.problems.push(`${error.name}: ${error.message}`);
      }
      const tooMany = typeof s.steps === "number" && s.steps > MAX_STEPS;
      if (tooMany) this.problems.push(`The playground draws at most ${MAX_STEPS} steps; this asks for ${s.steps}.`);
      const shared = new Set();
      this.results = s.runs.map((r, i) => {
        const name = this.styles[i].name;
        if (fn === null || tooMany) return { name, path: null, error: "not drawn" };
        try {
          const spec = { optimizer: r.optimizer, options: r.options, fn: s.fn, kappa: s.kappa, start: s.start };
          const path = run({ ...spec, steps: s.steps });
          return { name, path, ...this.summary(fn, path) };
        } catch (error) {
          const message = `${error.name}: ${error.message}`;
          // a bad steps or start is every optimizer's error: say it once
          if (/^Invalid (steps|start)/.test(error.message)) {
            if (!shared.has(message)) this.problems.push(message);
            shared.add(message);
          } else this.problems.push(`${name}: ${message}`);
          return { name, path: null, error: message };
        }
      });
      this.fn = fn;
    }

    summary(fn, path) {
      const losses = path.map(([x, y]) => fn.f(x, y));
      const finite = ([x, y]) => Number.isFinite(x) && Number.isFinite(y);
      const diverged = path.findIndex((p) => !finite(p));
      let reached;
      if (fn.minValue === null) reached = path.findIndex(([, y]) => Math.abs(y) > 1); // off the saddle's ridge
      else reached = losses.findIndex((l) => l - fn.minValue < this.state.tol);
      return { losses, diverged, reached };
    }

    redraw() {
      if (!this.root.isConnected) return;
      this.palette = this.colours(); // the scheme's colours, read once a redraw
      this.labelRuns();
      this.compute();
      this.drawMap();
      this.drawLoss();
      this.fillReadout();
      this.alert.replaceChildren(...this.problems.map((p) => h("p", {}, p)));
      this.alert.classList.toggle("dh-pg__alert--shown", this.problems.length > 0);
      this.writeAddress();
      this.root.dataset.drawn = String(this.results.filter((r) => r.path).length);
    }

    colours() {
      const style = getComputedStyle(this.root);
      const read = (name, fallback) => rgba(style.getPropertyValue(name).trim() || fallback, this.probe);
      return {
        bg: read("--md-default-bg-color", "#fff"),
        fg: read("--md-default-fg-color", "#000"),
        font: style.getPropertyValue("--md-text-font-family").trim() || style.fontFamily || "sans-serif",
      };
    }

    /** Size a canvas's pixels to its box on screen (the box follows the page's width). */
    fit(canvas) {
      const ratio = Math.min(window.devicePixelRatio || 1, 2);
      const box = canvas.getBoundingClientRect();
      const width = Math.max(1, Math.round(box.width * ratio));
      const height = Math.max(1, Math.round(box.height * ratio));
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      return ratio;
    }

    /** The landscape's bands of equal log loss, grey on the page's background, drawn once per size. */
    field(width, height, colours) {
      const s = this.state;
      const key = [s.fn, s.kappa, width, height, colours.bg.join(), colours.fg.join()].join("|");
      if (this.fieldCache && this.fieldCache.key === key) return this.fieldCache.canvas;
      const view = VIEWS[s.fn];
      const fn = this.fn;
      const values = new Float64Array(width * height);
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = 0; j < height; j++) {
        const y = view.y[1] - ((j + 0.5) / height) * (view.y[1] - view.y[0]);
        for (let i = 0; i < width; i++) {
          const x = view.x[0] + ((i + 0.5) / width) * (view.x[1] - view.x[0]);
          const v = fn.f(x, y);
          values[j * width + i] = v;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      // bands: of log(L - min) for a landscape with a minimum (each band 3 times the last), of L for the saddle
      const floor = 3e-5 * (hi - lo);
      const top = Math.max(Math.abs(lo), Math.abs(hi));
      const level = fn.minValue === null ? (v) => (v / top) * 8 : (v) => Math.log(v - lo + floor) / Math.log(3);
      const bands = new Int16Array(width * height);
      for (let k = 0; k < values.length; k++) bands[k] = Math.floor(level(values[k]));
      let minBand = Infinity;
      let maxBand = -Infinity;
      for (const b of bands) {
        minBand = Math.min(minBand, b);
        maxBand = Math.max(maxBand, b);
      }
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext("2d");
      const image = ctx.createImageData(width, height);
      const data = image.data;
      const line = mix(colours.bg, colours.fg, 0.32);
      const shades = [];
      for (let b = minBand; b <= maxBand; b++) {
        shades.push(mix(colours.bg, colours.fg, 0.02 + 0.14 * (1 - (b - minBand) / Math.max(1, maxBand - minBand))));
      }
      for (let j = 0; j < height; j++) {
        for (let i = 0; i < width; i++) {
          const k = j * width + i;
          const b = bands[k];
          const edge = (i > 0 && bands[k - 1] !== b) || (j > 0 && bands[k - width] !== b);
          const c = edge ? line : shades[b - minBand];
          data[4 * k] = c[0];
          data[4 * k + 1] = c[1];
          data[4 * k + 2] = c[2];
          data[4 * k + 3] = 255;
        }
      }
      ctx.putImageData(image, 0, 0);
      this.fieldCache = { key, canvas };
      return canvas;
    }

    drawMap() {
      const canvas = this.map;
      const view = VIEWS[this.state.fn];
      canvas.style.aspectRatio = `${view.x[1] - view.x[0]} / ${view.y[1] - view.y[0]}`;
      const ratio = this.fit(canvas);
      const ctx = canvas.getContext("2d");
      const { width, height } = canvas;
      const colours = this.palette;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = css(colours.bg);
      ctx.fillRect(0, 0, width, height);
      if (!this.fn) return;
      ctx.drawImage(this.field(width, height, colours), 0, 0);
      const px = (x) => ((x - view.x[0]) / (view.x[1] - view.x[0])) * width;
      const py = (y) => ((view.y[1] - y) / (view.y[1] - view.y[0])) * height;
      const clamp = (v) => Math.max(-1e5, Math.min(1e5, v));

      // axes: ticks and labels along the left and bottom edges
      ctx.font = `${11 * ratio}px ${colours.font}`;
      ctx.fillStyle = css(colours.fg, 0.75);
      ctx.textBaseline = "bottom";
      for (const x of niceTicks(view.x[0], view.x[1], 6)) {
        if (x === view.x[0] || x === view.x[1]) continue;
        ctx.fillRect(px(x), height - 5 * ratio, ratio, 5 * ratio);
        ctx.fillText(minus(x), px(x) + 3 * ratio, height - 2 * ratio);
      }
      ctx.textBaseline = "middle";
      for (const y of niceTicks(view.y[0], view.y[1], 6)) {
        if (y === view.y[0] || y === view.y[1]) continue;
        ctx.fillRect(0, py(y), 5 * ratio, ratio);
        ctx.fillText(minus(y), 7 * ratio, py(y));
      }
      ctx.textBaseline = "top";
      ctx.fillText("w₂", 7 * ratio, 4 * ratio);
      ctx.textAlign = "right";
      ctx.textBaseline = "bottom";
      ctx.fillText("w₁", width - 6 * ratio, height - 14 * ratio);
      ctx.textAlign = "left";

      // the paths: a halo in the background colour under each, so they read in both schemes
      this.results.forEach((result, i) => {
        if (!result.path) return;
        const style = this.styles[i];
        const end = result.diverged < 0 ? result.path.length : result.diverged;
        ctx.beginPath();
        for (let t = 0; t < end; t++) {
          const [x, y] = result.path[t];
          if (t === 0) ctx.moveTo(clamp(px(x)), clamp(py(y)));
          else ctx.lineTo(clamp(px(x)), clamp(py(y)));
        }
        ctx.lineJoin = "round";
        ctx.setLineDash([]);
        ctx.strokeStyle = css(colours.bg, 0.85);
        ctx.lineWidth = 4.5 * ratio;
        ctx.stroke();
        ctx.setLineDash(style.dash.map((d) => d * ratio));
        ctx.strokeStyle = style.colour;
        ctx.lineWidth = 2 * ratio;
        ctx.stroke();
        ctx.setLineDash([]);
        if (end > 1) {
          const [x, y] = result.path[end - 1];
          ctx.beginPath();
          ctx.arc(clamp(px(x)), clamp(py(y)), 3.5 * ratio, 0, 2 * Math.PI);
          ctx.fillStyle = style.colour;
          ctx.fill();
          ctx.lineWidth = ratio;
          ctx.strokeStyle = css(colours.bg);
          ctx.stroke();
        }
      });

      // the minima (stars), over the paths that reach them
      for (const [x, y] of this.fn.minima) {
        ctx.fillStyle = css(colours.bg);
        this.star(ctx, px(x), py(y), 9 * ratio);
        ctx.fillStyle = css(colours.fg, 0.9);
        this.star(ctx, px(x), py(y), 7 * ratio);
      }

      // the start (a ring)
      const [sx, sy] = this.state.start;
      if (Number.isFinite(sx) && Number.isFinite(sy)) {
        ctx.beginPath();
        ctx.arc(px(sx), py(sy), 5 * ratio, 0, 2 * Math.PI);
        ctx.fillStyle = css(colours.bg);
        ctx.fill();
        ctx.lineWidth = 2 * ratio;
        ctx.strokeStyle = css(colours.fg);
        ctx.stroke();
      }
      const drawn = this.results.filter((r) => r.path).map((r) => r.name);
      const paths = drawn.length ? `the paths of ${drawn.join(", ")}` : "no path";
      canvas.setAttribute("aria-label", `Contour map of ${this.fn.name} with ${paths}, starting at (${sx}, ${sy})`);
    }

    star(ctx, x, y, r) {
      ctx.beginPath();
      for (let k = 0; k < 10; k++) {
        const angle = (Math.PI / 5) * k - Math.PI / 2;
        const radius = k % 2 ? r * 0.45 : r;
        ctx.lineTo(x + radius * Math.cos(angle), y + radius * Math.sin(angle));
      }
      ctx.closePath();
      ctx.fill();
    }

    drawLoss() {
      const canvas = this.loss;
      // beside the map, as tall as the map; under it (on a narrow page), the stylesheet's 3:2
      const map = this.map.getBoundingClientRect();
      const beside = canvas.parentElement.offsetTop === this.map.parentElement.offsetTop;
      canvas.style.height = beside ? `${map.height}px` : "";
      const ratio = this.fit(canvas);
      const ctx = canvas.getContext("2d");
      const { width, height } = canvas;
      const colours = this.palette;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = css(colours.bg);
      ctx.fillRect(0, 0, width, height);
      if (!this.fn) return;
      const saddleLike = this.fn.minValue === null;
      // y: log10(L - L*) for a landscape with a minimum, L itself for the saddle
      const yOf = saddleLike ? (l) => l : (l) => Math.log10(Math.max(l - this.fn.minValue, 1e-300));
      let lo = Infinity;
      let hi = -Infinity;
      for (const r of this.results) {
        if (!r.path) continue;
        for (const l of r.losses) {
          const y = yOf(l);
          if (Number.isFinite(y)) {
            lo = Math.min(lo, y);
            hi = Math.max(hi, y);
          }
        }
      }
      if (!saddleLike) {
        const tol = Math.log10(this.state.tol);
        if (Number.isFinite(tol)) {
          lo = Math.min(lo, tol - 0.5);
          hi = Math.max(hi, tol + 0.5);
        }
        lo = Math.max(Math.floor(lo), -16);
        hi = Math.min(Math.ceil(hi), 30);
      } else {
        lo = Math.max(lo, -10);
        hi = Math.min(hi, 10);
      }
      if (!(hi > lo)) {
        lo = Number.isFinite(lo) ? lo - 1 : -1;
        hi = lo + 2;
      }
      const steps = Math.max(1, Math.max(...this.results.map((r) => (r.path ? r.path.length - 1 : 0)), 1));
      const left = 42 * ratio;
      const bottom = 22 * ratio;
      const top = 8 * ratio;
      const right = 8 * ratio;
      const px = (t) => left + (t / steps) * (width - left - right);
      const py = (y) => top + ((hi - Math.min(hi, Math.max(lo, y))) / (hi - lo)) * (height - top - bottom);

      ctx.font = `${11 * ratio}px ${colours.font}`;
      ctx.strokeStyle = css(colours.fg, 0.15);
      ctx.fillStyle = css(colours.fg, 0.75);
      ctx.lineWidth = ratio;
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      const yTicks = saddleLike ? niceTicks(lo, hi, 5) : niceTicks(lo, hi, 6).filter(Number.isInteger);
      for (const y of yTicks) {
        ctx.beginPath();
        ctx.moveTo(left, py(y));
        ctx.lineTo(width - right, py(y));
        ctx.stroke();
        ctx.fillText(saddleLike ? minus(y) : `1e${minus(y)}`, left - 4 * ratio, py(y));
      }
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      for (const t of niceTicks(0, steps, 5)) {
        ctx.textAlign = px(t) > width - 20 * ratio ? "right" : "center"; // the last label stays inside
        ctx.fillText(minus(t), Math.min(px(t), width - 2 * ratio), height - bottom + 4 * ratio);
      }
      ctx.textAlign = "left";
      ctx.textBaseline = "top";
      ctx.fillText(saddleLike ? "L" : "L − L*", left + 4 * ratio, top);
      ctx.textAlign = "right";
      ctx.textBaseline = "bottom";
      ctx.fillText("step", width - right, height - bottom - 2 * ratio);
      ctx.textAlign = "left";

      if (!saddleLike && Number.isFinite(Math.log10(this.state.tol))) {
        ctx.setLineDash([4 * ratio, 4 * ratio]);
        ctx.strokeStyle = css(colours.fg, 0.6);
        ctx.beginPath();
        ctx.moveTo(left, py(Math.log10(this.state.tol)));
        ctx.lineTo(width - right, py(Math.log10(this.state.tol)));
        ctx.stroke();
        ctx.setLineDash([]);
      }
      this.results.forEach((r, i) => {
        if (!r.path) return;
        const style = this.styles[i];
        ctx.beginPath();
        let started = false;
        r.losses.forEach((l, t) => {
          const y = yOf(l);
          if (Number.isNaN(y)) return;
          if (!started) ctx.moveTo(px(t), py(y));
          else ctx.lineTo(px(t), py(y));
          started = true;
        });
        ctx.setLineDash(style.dash.map((d) => d * ratio));
        ctx.strokeStyle = style.colour;
        ctx.lineWidth = 2 * ratio;
        ctx.lineJoin = "round";
        ctx.stroke();
        ctx.setLineDash([]);
      });
      const names = this.results.filter((r) => r.path).map((r) => r.name);
      const curves = names.join(", ") || "no optimizer";
      canvas.setAttribute("aria-label", `Loss curves of ${curves}; the table gives the numbers`);
    }

    fillReadout() {
      const rows = this.results.map((r, i) => {
        const style = this.styles[i];
        const swatch = h("span", { className: "dh-pg__swatch", "aria-hidden": "true" });
        swatch.style.borderTopColor = style.colour;
        swatch.style.borderTopStyle = style.dash.length ? "dashed" : "solid";
        let reached;
        let final = "—";
        let point = "—";
        if (!r.path) reached = "error (see above)";
        else {
          const last = r.path[r.path.length - 1];
          if (r.reached >= 0 && (r.diverged < 0 || r.reached < r.diverged)) reached = String(r.reached);
          else if (r.diverged >= 0) reached = `diverged at step ${r.diverged}`;
          else reached = `not within ${r.path.length - 1}`;
          final = format3(r.losses[r.losses.length - 1]);
          point = `(${format3(last[0])}, ${format3(last[1])})`;
        }
        const cells = [reached, final, point].map((text) => h("td", {}, text));
        return h("tr", {}, h("th", { scope: "row" }, swatch, r.name), ...cells);
      });
      this.readout.replaceChildren(...rows);
      // a table wider than a phone scrolls sideways (Material's tables do); a reader without a mouse scrolls it
      // once it takes the focus
      const table = this.readout.parentElement;
      if (table.scrollWidth > table.clientWidth) table.setAttribute("tabindex", "0");
      else table.removeAttribute("tabindex");
    }
  }

  // ---------------------------------------------------------------------------------------- the mount
  let current = null;

  function mount() {
    const root = document.getElementById("downhill-playground");
    if (!root || root.dataset.mounted) return;
    root.dataset.mounted = "true";
    const playground = new Playground(root);
    current = playground;
    // the presets on the page load their setting, and the address then holds the whole of it
    for (const link of document.querySelectorAll("a[data-playground]")) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        playground.load(link.getAttribute("data-playground"));
        root.scrollIntoView({ behavior: "smooth", block: "start" });
      });
    }
    const resize = new ResizeObserver(() => playground.changed());
    resize.observe(root);
    const scheme = new MutationObserver(() => playground.changed());
    const attributeFilter = ["data-md-color-scheme", "data-md-color-primary"];
    scheme.observe(document.body, { attributes: true, attributeFilter });
    const onHash = () => {
      if (!root.isConnected) {
        window.removeEventListener("hashchange", onHash);
        scheme.disconnect();
        resize.disconnect();
        return;
      }
      if (location.hash !== playground.written) playground.show(playground.stateFromAddress());
    };
    window.addEventListener("hashchange", onHash);
  }

  window.downhillPlayground = {
    run,
    parseState,
    formatState,
    functions: FUNCTION_NAMES.slice(),
    optimizers: OPTIMIZER_NAMES.slice(),
    defaults: (name) => ({ ...OPTIMIZERS[name].defaults }),
    /** Load a setting (a fragment without its #) into the page and draw it. */
    load: (fragment) => current && current.load(fragment),
    /** Set the playground up on the page, if the page has one that is not set up yet (the loader calls it). */
    mount,
    /** Compute every path again and draw the map, the loss curves and the readout. */
    redraw: () => current && current.redraw(),
    /** What the page shows: the setting, the problems in its alert, and each optimizer's result. */
    current: () =>
      current && {
        state: JSON.parse(JSON.stringify(current.state)),
        problems: current.problems.slice(),
        results: current.results.map(({ name, path, error, reached, diverged }) => {
          return { name, path, error, reached, diverged };
        }),
      },
  };

  mount();
})();
