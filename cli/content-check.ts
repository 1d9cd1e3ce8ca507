/**
 * `npm run content:check`: every lesson, quiz and scenario checked in seconds, without a build, with the
 * build's friendly messages (cli/check-content.ts). Exit 0 when all is well, 1 when a file has a
 * problem (each printed as `<file> has N problems:` and one line per field), 2 when the check itself failed.
 *
 * Options: `--quiet` prints only the problems.
 */
import { resolve } from 'node:path';
import { formatIssues } from '../content/schema/friendly-errors.ts';
import { checkAllContent } from './check-content.ts';

const root = resolve(import.meta.dirname, '..');
const quiet = process.argv.includes('--quiet');
const started = performance.now();
try {
  const { exercises } = await import('../exercises/index.ts');
  const reports = await checkAllContent(root, new Set(Object.keys(exercises)));
  const broken = reports.filter((r) => r.problems.length > 0);
  for (const r of broken) console.error(`${formatIssues(r.file, r.problems)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const counts = (dir: string) => reports.filter((r) => r.file.startsWith(`content/${dir}/`)).length;
  const summary = `${counts('lessons')} lessons, ${counts('quizzes')} quizzes, ${counts('scenarios')} scenarios (with their story checks) in ${seconds} s`;
  if (broken.length) console.error(`✗ ${broken.length} of ${reports.length} files have problems — checked ${summary}`);
  else if (!quiet) console.log(`✓ all content is fine — checked ${summary}`);
  process.exitCode = broken.length ? 1 : 0;
} catch (e) {
  console.error(`content:check could not run: ${(e as Error).message}`);
  process.exitCode = 2;
}
