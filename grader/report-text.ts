/**
 * Plain-text rendering of a GradeReport for terminals (the CLI) and logs.
 *
 * Example:
 *   key-to-partition — submit — failed
 *   ✓ Kafka's murmur2 vectors
 *   ✗ same partition as Kafka for any key  (property, seed 42, 200 runs)
 *       partitions must be in [0, 6); got -2
 *       expected: 4
 *       actual:   -2
 *       counterexample:
 *         key [0x80]
 *   1 passed, 1 failed
 *
 * Note: everything the learner controls (messages, console) is indented under its test and has its control
 * characters made visible, so it cannot pass for a line of the report.
 */
import { tallyTests, type GradeReport, type TestResult } from './report.ts';

const MARK: Record<TestResult['status'], string> = { passed: '✓', failed: '✗', error: '✗', skipped: '○' };

function clean(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function block(text: string, indent: string): string[] {
  return clean(text)
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `${indent}${line}`);
}

/** Render a report as readable plain text: one line per test with ✓/✗, details under failures, a summary. */
export function formatReportText(report: GradeReport): string {
  const lines: string[] = [];
  lines.push(`${report.exerciseId}${report.submission ? ` — ${clean(report.submission)}` : ''} — ${report.mode} — ${report.status}`);
  if (report.error) {
    const where =
      report.error.line !== undefined
        ? ` (line ${report.error.line}${report.error.column !== undefined ? `:${report.error.column}` : ''})`
        : '';
    lines.push(`error [${report.error.kind}]${where}:`);
    lines.push(...block(report.error.message, '    '));
  }
  if (report.console) {
    lines.push('console (module load):');
    lines.push(...block(report.console, '    │ '));
  }
  for (const t of report.tests) {
    const extras: string[] = [];
    if (t.hidden) extras.push('hidden');
    if (t.errorKind) extras.push(t.errorKind);
    if (t.seed !== undefined) extras.push(`seed ${t.seed}`);
    if (t.numRuns !== undefined) extras.push(`${t.numRuns} runs`);
    lines.push(`${MARK[t.status]} ${clean(t.title)}${extras.length ? `  (${extras.join(', ')})` : ''}`);
    if (t.status === 'passed') continue;
    if (t.message) lines.push(...block(t.message, '    '));
    if (t.expected !== undefined) lines.push(...block(`expected: ${t.expected}`, '    '));
    if (t.actual !== undefined) lines.push(...block(`actual:   ${t.actual}`, '    '));
    if (t.counterexample !== undefined) {
      lines.push('    counterexample:');
      lines.push(...block(t.counterexample, '      '));
    }
    if (t.console) {
      lines.push('    console:');
      lines.push(...block(t.console, '    │ '));
    }
  }
  const counts = tallyTests(report.tests);
  lines.push(`${counts.passed} passed, ${counts.failed + counts.error} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
  return `${lines.join('\n')}\n`;
}
