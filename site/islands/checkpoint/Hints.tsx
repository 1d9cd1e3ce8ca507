/**
 * Numbered hints, revealed one at a time on request. Each hint's HTML is rendered from markdown at
 * build time (the page passes it in); focus moves to the hint just revealed so keyboard and
 * screen-reader users land on it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

export interface HintsProps {
  /** build-time HTML of each hint, in order */
  hints: string[];
}

export default function Hints({ hints }: HintsProps) {
  const [shown, setShown] = useState(0);
  const last = useRef<HTMLLIElement>(null);
  const revealed = useRef(false);

  useEffect(() => {
    if (revealed.current) last.current?.focus();
  }, [shown]);

  if (hints.length === 0) return null;
  return (
    <section class="hints" aria-labelledby="hints-heading" data-testid="hints">
      <h2 id="hints-heading">Hints</h2>
      {shown === 0 && <p class="hints-intro">Stuck? Reveal the hints one at a time; each one gives away a little more.</p>}
      <ol class="hint-list">
        {hints.slice(0, shown).map((html, i) => (
          <li key={i} ref={i === shown - 1 ? last : undefined} tabIndex={-1} class="hint" data-testid="hint">
            <span class="hint-number">Hint {i + 1}</span>
            <div dangerouslySetInnerHTML={{ __html: html }} />
          </li>
        ))}
      </ol>
      {shown < hints.length ? (
        <button
          type="button"
          class="button"
          onClick={() => {
            revealed.current = true;
            setShown(shown + 1);
          }}
        >
          Show hint {shown + 1} of {hints.length}
        </button>
      ) : (
        <p class="hints-done">All {hints.length} hints shown.</p>
      )}
    </section>
  );
}
