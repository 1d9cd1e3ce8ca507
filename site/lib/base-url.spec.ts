import { describe, expect, it } from 'vitest';
import { withBase } from './base-url.ts';

describe('withBase', () => {
  it('puts a sub-path base in front of root-relative links', () => {
    expect(withBase('/scenarios/eager-vs-cooperative/', '/partition-lab/')).toBe('/partition-lab/scenarios/eager-vs-cooperative/');
    expect(withBase('/', '/partition-lab')).toBe('/partition-lab/');
  });
  it('leaves absolute, protocol-relative, anchor, relative and already-based links alone', () => {
    for (const href of ['https://kafka.apache.org/', '//cdn.example/x.js', '#quiz', 'scenarios/x/', '/partition-lab/drills/']) {
      expect(withBase(href, '/partition-lab/')).toBe(href);
    }
  });
  it('changes nothing with base /', () => {
    expect(withBase('/scenarios/x/', '/')).toBe('/scenarios/x/');
  });
});
