/**
 * The platform promise of the README: every npm script runs on the Node that the `node` dependency brings
 * (Node 24 LTS), whatever Node ran `npm install`. vitest is started by `npm test`, so this process is one
 * of those scripts.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};
const wantedMajor = Number(/\d+/.exec(pkg.dependencies.node)?.[0]);

describe('platform', () => {
  it('package.json brings a Node LTS (an even major) as the `node` dependency', () => {
    expect(wantedMajor).toBeGreaterThanOrEqual(24);
    expect(wantedMajor % 2).toBe(0);
  });

  it('the test run itself is on that Node', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(wantedMajor);
  });

  it('`npm exec -- node --version` reports that Node too', () => {
    const version = execFileSync('npm', ['exec', '--', 'node', '--version'], { encoding: 'utf8' }).trim();
    expect(version).toMatch(new RegExp(`^v${wantedMajor}\\.`));
  });
});
