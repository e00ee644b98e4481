/**
 * Helpers for tests that run the offline CLIs as real subprocesses and read their outputs.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const CLI = join(ROOT, 'scripts', 'analyze.ts');
export const HAS_SOX = spawnSync('sox', ['--version']).status === 0;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command to completion from the project root, capturing output (never throws on a non-zero exit). */
export function run(cmd: string, args: readonly string[], timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd: ROOT, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** Run a TypeScript script with tsx, as the npm scripts do. */
export function runTs(script: string, args: readonly string[]): Promise<CliRun> {
  return run(process.execPath, [TSX, join(ROOT, script), ...args]);
}

export function runAnalyze(args: readonly string[]): Promise<CliRun> {
  return run(process.execPath, [TSX, CLI, ...args]);
}

/** Onset times from an `.onsets.txt`; throws on a malformed line. */
export function readOnsets(path: string): number[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  for (const l of lines) if (!/^-?\d+\.\d{6}$/.test(l)) throw new Error(`malformed onset line '${l}' in ${path}`);
  return lines.map(Number);
}

export interface Csv {
  header: string[];
  rows: number[][];
  col(name: string): number[];
}

export function readCsv(path: string): Csv {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  return {
    header,
    rows,
    col(name: string): number[] {
      const i = header.indexOf(name);
      if (i < 0) throw new Error(`no column ${name}`);
      return rows.map((r) => r[i]);
    },
  };
}

/** For each truth time, the distance in seconds to the nearest detection. */
export function nearest(truth: readonly number[], found: readonly number[]): number[] {
  return truth.map((t) => found.reduce((m, f) => Math.min(m, Math.abs(f - t)), Infinity));
}
