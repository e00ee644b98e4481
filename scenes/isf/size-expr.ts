/**
 * ISF pass sizes (pure): expressions like "$WIDTH/2" or "floor($HEIGHT * $scale)" compiled once
 * into a small tree, evaluated per frame without allocation. Variables are $WIDTH, $HEIGHT and
 * the shader's numeric inputs.
 */

type Node =
  | { k: 'num'; v: number }
  | { k: 'var'; i: number }
  | { k: 'neg'; a: Node }
  | { k: 'bin'; op: string; a: Node; b: Node }
  | { k: 'fn'; f: (a: number, b: number) => number; args: Node[] };

const FUNCS: Record<string, { n: number; f: (a: number, b: number) => number }> = {
  floor: { n: 1, f: Math.floor },
  ceil: { n: 1, f: Math.ceil },
  round: { n: 1, f: Math.round },
  abs: { n: 1, f: Math.abs },
  sqrt: { n: 1, f: Math.sqrt },
  min: { n: 2, f: Math.min },
  max: { n: 2, f: Math.max },
  pow: { n: 2, f: Math.pow },
};

export interface SizeExpr {
  /** Value with the variables in `vars` (indexed as named at compile time). */
  evaluate(vars: Float64Array): number;
}

/** Compile an expression; variable names are given without the `$`. */
export function compileSizeExpr(src: string, names: readonly string[]): { expr: SizeExpr } | { error: string } {
  const toks = String(src).match(/\$?[A-Za-z_][A-Za-z0-9_]*|\d+\.?\d*(?:e[+-]?\d+)?|\.\d+|[-+*/(),]|\S/g) ?? [];
  let i = 0;
  const fail = (m: string): never => {
    throw new Error(m);
  };
  const primary = (): Node => {
    const t = toks[i++];
    if (t === undefined) return fail('the expression ends too early');
    if (t === '(') {
      const n = sum();
      if (toks[i++] !== ')') fail('a ")" is missing');
      return n;
    }
    if (t === '-') return { k: 'neg', a: primary() };
    if (t === '+') return primary();
    if (/^[\d.]/.test(t)) return { k: 'num', v: Number(t) };
    if (t.startsWith('$')) {
      const idx = names.indexOf(t.slice(1));
      if (idx < 0) fail(`unknown variable ${t}`);
      return { k: 'var', i: idx };
    }
    const fn = FUNCS[t];
    if (fn && toks[i] === '(') {
      i++;
      const args: Node[] = [];
      for (;;) {
        args.push(sum());
        const sep = toks[i++];
        if (sep === ')') break;
        if (sep !== ',') fail(`expected "," or ")" in ${t}()`);
      }
      if (args.length !== fn.n) fail(`${t}() takes ${fn.n} argument${fn.n > 1 ? 's' : ''}`);
      return { k: 'fn', f: fn.f, args };
    }
    return fail(`unexpected "${t}"`);
  };
  const product = (): Node => {
    let a = primary();
    while (toks[i] === '*' || toks[i] === '/') {
      const op = toks[i++];
      a = { k: 'bin', op, a, b: primary() };
    }
    return a;
  };
  const sum = (): Node => {
    let a = product();
    while (toks[i] === '+' || toks[i] === '-') {
      const op = toks[i++];
      a = { k: 'bin', op, a, b: product() };
    }
    return a;
  };
  try {
    const root = sum();
    if (i < toks.length) fail(`unexpected "${toks[i]}"`);
    return { expr: { evaluate: (vars) => run(root, vars) } };
  } catch (err) {
    return { error: `size "${src}": ${(err as Error).message}` };
  }
}

function run(n: Node, vars: Float64Array): number {
  switch (n.k) {
    case 'num':
      return n.v;
    case 'var':
      return vars[n.i];
    case 'neg':
      return -run(n.a, vars);
    case 'bin': {
      const a = run(n.a, vars);
      const b = run(n.b, vars);
      return n.op === '+' ? a + b : n.op === '-' ? a - b : n.op === '*' ? a * b : a / b;
    }
    default:
      return n.f(run(n.args[0], vars), n.args.length > 1 ? run(n.args[1], vars) : 0);
  }
}

/** A pass size in whole pixels, at least 1 and at most `limit`; bad values fall back. */
export function clampSize(v: number, fallback: number, limit: number): number {
  if (!Number.isFinite(v)) return fallback;
  const r = Math.round(v);
  return r < 1 ? 1 : r > limit ? limit : r;
}
