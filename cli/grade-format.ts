/**
 * Batch output formats for the CLI: one line per submission, the summary, a CSV gradebook and JUnit XML.
 * Pure functions of GradeReports (no I/O), so they are unit-tested directly.
 */
import { tallyTests, type GradeReport, type Tally, type TestResult } from '../grader/index.ts';

/** Counts of a report's tests by status (report.ts `tallyTests`). */
export function tally(report: GradeReport): Tally {
  return tallyTests(report.tests);
}

/** `✓ alice.ts  14/14 passed  (412 ms)` or `✗ bob.ts  11/14 passed — first failure: <title>: <message>` */
export function submissionLine(report: GradeReport): string {
  const name = report.submission ?? '(anonymous)';
  const ms = `(${Math.round(report.durationMs)} ms)`;
  if (report.status === 'error') {
    return `✗ ${name}  could not run: ${report.error?.kind ?? 'error'}: ${oneLine(report.error?.message ?? '')}  ${ms}`;
  }
  const t = tally(report);
  const head = `${report.status === 'passed' ? '✓' : '✗'} ${name}  ${t.passed}/${t.total} passed`;
  if (report.status === 'passed') return `${head}  ${ms}`;
  const first = report.tests.find((x) => x.status === 'failed' || x.status === 'error');
  return `${head} — first failure: ${first ? `${first.title}: ${oneLine(first.message ?? first.status)}` : 'none'}  ${ms}`;
}

/** The closing line: `Graded 30 submissions: 24 passed, 6 failed` (the runner-readable `N passed, N failed`). */
export function summaryLine(reports: GradeReport[]): string {
  const passed = reports.filter((r) => r.status === 'passed').length;
  return `Graded ${reports.length} submissions: ${passed} passed, ${reports.length - passed} failed`;
}

function oneLine(s: string, max = 160): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A gradebook: `submission,status,passed,failed,error,skipped,total,score,durationMs,<test ids…>`, one row per
 * submission; each test column holds that test's status (empty when the suite could not run).
 * `score` is passed / total in [0, 1] with 4 decimals (0 when the suite could not run).
 */
export function toCsv(reports: GradeReport[]): string {
  const ids = [...new Set(reports.flatMap((r) => r.tests.map((t) => t.id)))];
  const rows = [['submission', 'status', 'passed', 'failed', 'error', 'skipped', 'total', 'score', 'durationMs', ...ids]];
  for (const r of reports) {
    const t = tally(r);
    const byId = new Map(r.tests.map((x) => [x.id, x.status] as const));
    const score = t.total ? (t.passed / t.total).toFixed(4) : '0';
    rows.push([
      r.submission ?? '',
      r.status,
      String(t.passed),
      String(t.failed),
      String(t.error),
      String(t.skipped),
      String(t.total),
      score,
      String(Math.round(r.durationMs)),
      ...ids.map((id) => byId.get(id) ?? ''),
    ]);
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

function xml(s: string): string {
  // Strip characters XML 1.0 cannot carry, then escape.
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function detail(t: TestResult): string {
  return [
    t.message,
    t.expected !== undefined ? `expected: ${t.expected}` : undefined,
    t.actual !== undefined ? `actual:   ${t.actual}` : undefined,
    t.counterexample ? `counterexample:\n${t.counterexample}` : undefined,
    t.seed !== undefined ? `seed: ${t.seed}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
}

/** JUnit XML: one <testsuite> per submission, one <testcase> per test; a suite that could not run has one erroring case. */
export function toJunit(exerciseId: string, reports: GradeReport[]): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = reports.map(tally);
  const sum = (k: 'total' | 'failed' | 'error' | 'skipped') => all.reduce((a, t) => a + t[k], 0);
  const loadErrors = reports.filter((r) => r.status === 'error' && r.tests.length === 0).length;
  out.push(
    `<testsuites name="${xml(exerciseId)}" tests="${sum('total') + loadErrors}" failures="${sum('failed')}" errors="${sum('error') + loadErrors}" skipped="${sum('skipped')}">`,
  );
  reports.forEach((r, i) => {
    const t = all[i];
    const noTests = r.status === 'error' && r.tests.length === 0;
    out.push(
      `  <testsuite name="${xml(r.submission ?? `submission-${i + 1}`)}" tests="${noTests ? 1 : t.total}" failures="${t.failed}" errors="${noTests ? 1 : t.error}" skipped="${t.skipped}" time="${(r.durationMs / 1000).toFixed(3)}">`,
    );
    if (noTests) {
      const e = r.error;
      out.push(`    <testcase name="load submission" classname="${xml(exerciseId)}" time="0">`);
      out.push(
        `      <error type="${xml(e?.kind ?? 'error')}" message="${xml(e?.message ?? '')}">${xml(`${e?.message ?? ''}${e?.line ? ` (line ${e.line}${e.column ? `:${e.column}` : ''})` : ''}`)}</error>`,
      );
      out.push('    </testcase>');
    }
    for (const test of r.tests) {
      const open = `    <testcase name="${xml(test.title)}" classname="${xml(`${exerciseId}.${test.id}`)}" time="${(test.durationMs / 1000).toFixed(3)}"`;
      if (test.status === 'passed') out.push(`${open}/>`);
      else {
        out.push(`${open}>`);
        if (test.status === 'skipped') out.push(`      <skipped message="${xml(test.message ?? '')}"/>`);
        else {
          const tag = test.status === 'failed' ? 'failure' : 'error';
          out.push(
            `      <${tag} type="${xml(test.errorKind ?? test.status)}" message="${xml(test.message ?? '')}">${xml(detail(test))}</${tag}>`,
          );
        }
        if (test.console) out.push(`      <system-out>${xml(test.console)}</system-out>`);
        out.push('    </testcase>');
      }
    }
    out.push('  </testsuite>');
  });
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
