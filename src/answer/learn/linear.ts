/**
 * Small linear models fitted on labelled examples: one logistic regression per class (one vs the
 * rest) over sparse named features. Training is full-batch gradient descent from zero weights, so
 * a refit on the same data gives the same model; `npm run train` fits them and writes the files
 * that the server loads (models/*.json).
 */
import { AppError } from '../../errors.js';

/** Named feature values of one example (absent features are 0). */
export type Features = Map<string, number>;

/** Version of the model file layout. */
export const MODEL_FORMAT = 1;

/** A fitted model as stored in its file. */
export interface LinearModelFile {
  format: typeof MODEL_FORMAT;
  /** What the model decides ("fields", "turns", "decide"). */
  name: string;
  /** Name and version of the feature extraction the weights expect (see features.ts). */
  features: string;
  classes: string[];
  bias: number[];
  /** Feature name → one weight per class. */
  weights: Record<string, number[]>;
  /** Decision settings fitted with the weights (thresholds, tables), read by the model's user. */
  settings?: Record<string, unknown>;
  /** How it was fitted and what cross-validation measured (for people, not read by the code). */
  about?: Record<string, unknown>;
}

/** Options of a fit. */
export interface FitOptions {
  /** Gradient steps (default 300). */
  iterations?: number;
  /** Step size (default 0.5). */
  rate?: number;
  /** L2 penalty on the weights, not the bias (default 1e-3). */
  l2?: number;
  /** Weights smaller than this are dropped from the file (default 1e-3). */
  prune?: number;
}

/** A linear model ready to score examples. */
export class LinearModel {
  private readonly index: Map<string, number[]>;

  constructor(readonly file: LinearModelFile) {
    this.index = new Map(Object.entries(file.weights));
  }

  get classes(): readonly string[] {
    return this.file.classes;
  }

  /** Probability of each class (independent sigmoids, one vs the rest), in the order of `classes`. */
  probabilities(x: Features): number[] {
    const z = [...this.file.bias];
    for (const [name, value] of x) {
      const w = this.index.get(name);
      if (!w) continue;
      for (let c = 0; c < z.length; c++) z[c]! += w[c]! * value;
    }
    return z.map(sigmoid);
  }

  /** Probabilities keyed by class name. */
  scores(x: Features): Record<string, number> {
    const p = this.probabilities(x);
    return Object.fromEntries(this.file.classes.map((c, i) => [c, p[i]!]));
  }

  /** Checks a parsed model file: the name and feature version the caller expects, and its shape. */
  static parse(raw: unknown, expect: { name: string; features: string; source: string }): LinearModel {
    const f = raw as Partial<LinearModelFile> | null;
    const fail = (why: string) => {
      throw new AppError('model_invalid', `${expect.source}: ${why}; refit it with \`npm run train\``);
    };
    if (!f || typeof f !== 'object') fail('not a model file');
    if (f!.format !== MODEL_FORMAT)
      fail(`model format ${String(f!.format)}, this version reads ${MODEL_FORMAT}`);
    if (f!.name !== expect.name) fail(`holds the "${String(f!.name)}" model, expected "${expect.name}"`);
    if (f!.features !== expect.features)
      fail(`was fitted on features "${String(f!.features)}", this version extracts "${expect.features}"`);
    const k = Array.isArray(f!.classes) ? f!.classes.length : 0;
    if (
      k === 0 ||
      !Array.isArray(f!.bias) ||
      f!.bias.length !== k ||
      typeof f!.weights !== 'object' ||
      f!.weights === null
    )
      fail('classes, bias or weights missing');
    for (const [name, w] of Object.entries(f!.weights!))
      if (!Array.isArray(w) || w.length !== k)
        fail(`feature "${name}" has ${Array.isArray(w) ? w.length : 0} weights for ${k} classes`);
    return new LinearModel(f as LinearModelFile);
  }
}

/** The logistic function (its argument clamped to ±30). */
export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))));

/**
 * Fits one logistic regression per class: `labels[i]` holds the classes example i belongs to (none,
 * one or several). Deterministic: full-batch gradient descent with Adam steps from zero weights.
 */
export function fitLinear(
  name: string,
  features: string,
  classes: readonly string[],
  examples: readonly Features[],
  labels: readonly (readonly string[])[],
  o: FitOptions = {},
): LinearModelFile {
  const iterations = o.iterations ?? 300;
  const rate = o.rate ?? 0.5;
  const l2 = o.l2 ?? 1e-3;
  const k = classes.length;
  // Feature names → dense column ids, in first-seen order (stable across refits of the same data).
  const columns = new Map<string, number>();
  const rows = examples.map((x) => {
    const ids: number[] = [];
    const values: number[] = [];
    for (const [f, v] of x) {
      if (v === 0) continue;
      let id = columns.get(f);
      if (id === undefined) columns.set(f, (id = columns.size));
      ids.push(id);
      values.push(v);
    }
    return { ids, values };
  });
  const y = labels.map((ls) => classes.map((c) => (ls.includes(c) ? 1 : 0)));
  const n = rows.length;
  const d = columns.size;
  const w = new Float64Array(d * k);
  const b = new Float64Array(k);
  // Adam state.
  const m = new Float64Array(d * k);
  const v = new Float64Array(d * k);
  const mb = new Float64Array(k);
  const vb = new Float64Array(k);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const grad = new Float64Array(d * k);
  const gb = new Float64Array(k);
  const z = new Float64Array(k);
  for (let t = 1; t <= iterations; t++) {
    grad.fill(0);
    gb.fill(0);
    for (let i = 0; i < n; i++) {
      const { ids, values } = rows[i]!;
      for (let c = 0; c < k; c++) z[c] = b[c]!;
      for (let j = 0; j < ids.length; j++) {
        const base = ids[j]! * k;
        for (let c = 0; c < k; c++) z[c]! += w[base + c]! * values[j]!;
      }
      for (let c = 0; c < k; c++) {
        const err = sigmoid(z[c]!) - y[i]![c]!;
        gb[c]! += err;
        for (let j = 0; j < ids.length; j++) grad[ids[j]! * k + c]! += err * values[j]!;
      }
    }
    const lr = (rate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    for (let p = 0; p < d * k; p++) {
      const g = grad[p]! / n + l2 * w[p]!;
      m[p] = beta1 * m[p]! + (1 - beta1) * g;
      v[p] = beta2 * v[p]! + (1 - beta2) * g * g;
      w[p]! -= (lr * m[p]!) / (Math.sqrt(v[p]!) + 1e-8);
    }
    for (let c = 0; c < k; c++) {
      const g = gb[c]! / n;
      mb[c] = beta1 * mb[c]! + (1 - beta1) * g;
      vb[c] = beta2 * vb[c]! + (1 - beta2) * g * g;
      b[c]! -= (lr * mb[c]!) / (Math.sqrt(vb[c]!) + 1e-8);
    }
  }
  const prune = o.prune ?? 1e-3;
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const weights: Record<string, number[]> = {};
  for (const [f, id] of [...columns].sort((a, b2) => (a[0] < b2[0] ? -1 : a[0] > b2[0] ? 1 : 0))) {
    const ws = classes.map((_, c) => round(w[id * k + c]!));
    if (ws.some((x) => Math.abs(x) >= prune)) weights[f] = ws;
  }
  return { format: MODEL_FORMAT, name, features, classes: [...classes], bias: [...b].map(round), weights };
}
