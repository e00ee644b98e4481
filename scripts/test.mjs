// `npm test`: provisions what the tests need, typechecks, runs unit and end-to-end tests, and
// closes with one plain line "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, checkNode, ensureChromium, ensureFluidsynth, ensureLiblo, ensureNodeModules, ensureSox } from './env-check.mjs';

checkNode();
ensureNodeModules();
const chrome = ensureChromium();
ensureSox();
ensureLiblo();
ensureFluidsynth();

const env = { ...process.env, CHROME_PATH: chrome };
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const extra = process.argv.slice(2);

let passed = 0;
let failed = 0;
let skipped = 0;
/** Failed tests, named again at the end so a log's last lines say what broke. */
const failures = [];

// The demo track is generated, not committed; the end-to-end tests play it.
const demo = spawnSync(bin('tsx'), ['scripts/make-demo.ts'], { cwd: ROOT, stdio: 'inherit', env });
if (demo.status !== 0) {
  console.error('✖ demo track generation failed');
  failed++;
}

if (extra.length === 0) {
  console.log('\n— typecheck (tsc --noEmit)');
  const tc = spawnSync(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit', env });
  if (tc.status === 0) {
    console.log('✓ typecheck');
    passed++;
  } else {
    console.error('✖ typecheck failed');
    failed++;
  }
}

const outDir = join(ROOT, 'test-results');
mkdirSync(outDir, { recursive: true });

function firstLines(text) {
  return String(text ?? '').split('\n').slice(0, 4).join(' | ').slice(0, 600);
}

/** One vitest run; its JSON report's counts are added to the totals. */
function vitest(label, args, reportName) {
  const report = join(outDir, reportName);
  rmSync(report, { force: true });
  console.log(`\n— vitest (${label})`);
  const vt = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    env,
  });
  let failedHere = 0;
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failedHere += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    // Suites that failed to load count as failures even when no test inside ran.
    for (const s of r.testResults ?? []) {
      const file = String(s.name ?? '').replace(ROOT + '/', '');
      if (s.status === 'failed' && (s.assertionResults ?? []).length === 0) {
        failedHere++;
        failures.push(`${file}: ${firstLines(s.message)}`);
      }
      for (const a of s.assertionResults ?? []) {
        if (a.status === 'failed') failures.push(`${file} > ${a.fullName}: ${firstLines((a.failureMessages ?? [])[0])}`);
      }
    }
  } else {
    console.error(`✖ vitest (${label}) produced no report`);
    failedHere++;
  }
  if (vt.status !== 0 && failedHere === 0) failedHere++;
  failed += failedHere;
}

if (extra.length > 0) vitest('selected', extra, 'vitest.json');
else {
  // Unit tests first, then the browser tests on their own: headless Chromium renders WebGL in
  // software, and sharing two cores with the unit workers made timing-sensitive pages flaky.
  vitest('unit', ['--project', 'unit'], 'vitest-unit.json');
  vitest('e2e', ['--project', 'e2e'], 'vitest-e2e.json');
}

if (failures.length > 0) {
  console.error('\nFailed:');
  for (const f of failures) console.error(`  ✖ ${f}`);
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
