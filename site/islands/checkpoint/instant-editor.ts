/**
 * The instant editor: the checkpoint's code block is editable from the first paint (`contenteditable=
 * "plaintext-only"`, set at build time in pages/checkpoints/[id].astro), so typing lands before any script has
 * run and long before Monaco's chunk has arrived. These helpers let the workbench island read it, flatten it to
 * plain text on the first edit (the build-time highlighting splits lines into `.line` spans whose line
 * numbers would no longer match once a line is split or joined), and hand its caret to Monaco.
 *
 * The text is the block's `textContent`: Shiki separates lines with "\n" text nodes, and Chromium, Firefox and
 * Safari insert "\n" for Enter in a `plaintext-only` block whose `white-space` keeps newlines (ours: pre-wrap).
 */

/** The editable code block inside the preview box, or null once Monaco has replaced it. */
export function editableCode(box: HTMLElement | null): HTMLElement | null {
  return box?.querySelector<HTMLElement>('pre.editor-preview-code') ?? null;
}

/**
 * The caret's offset in the block's text (UTF-16 code units, as Monaco's `getPositionAt` counts), or null when
 * the selection is not inside the block.
 */
export function caretOffset(block: HTMLElement): number | null {
  const selection = block.ownerDocument.getSelection();
  if (!selection || selection.rangeCount === 0 || !selection.focusNode || !block.contains(selection.focusNode)) return null;
  const range = block.ownerDocument.createRange();
  range.setStart(block, 0);
  range.setEnd(selection.focusNode, selection.focusOffset);
  const prefix = range.cloneContents(); // its text, each <br> a line break (a placeholder never precedes the caret)
  const length = (prefix.textContent ?? '').length + prefix.querySelectorAll('br').length;
  return Math.min(length, codeText(block).length);
}

/** Puts the caret `offset` code units into the block's text (a single text node after `flattenToText`). */
function placeCaret(block: HTMLElement, offset: number): void {
  const text = block.firstChild;
  const selection = block.ownerDocument.getSelection();
  if (!selection) return;
  const range = block.ownerDocument.createRange();
  if (text && text.nodeType === Node.TEXT_NODE) range.setStart(text, Math.min(offset, (text as Text).length));
  else range.setStart(block, 0);
  range.collapse(true);
  selection.removeAllRanges();
  selection.addRange(range);
}

/**
 * The code in the block: its text nodes, with a `<br>` read as a line break — except a trailing one after a
 * newline (or in an empty block), which browsers add only so that an empty last line can hold the caret.
 */
export function codeText(block: HTMLElement): string {
  let text = '';
  const walker = block.ownerDocument.createTreeWalker(block, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  const breaks: number[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) text += (node as Text).data;
    else if ((node as Element).tagName === 'BR') {
      breaks.push(text.length);
      text += '\n';
    }
  }
  const last = breaks.at(-1);
  const trailing = last !== undefined && last === text.length - 1;
  if (trailing && (last === 0 || text[last - 1] === '\n')) text = text.slice(0, -1);
  return text;
}

/**
 * Replaces the block's markup (highlight spans, line elements, breaks) by its plain text, keeping the caret
 * where it was; a text that ends with a newline gets the trailing `<br>` browsers use to show that empty last
 * line (without it, the caret after the newline has nowhere to go and the next key press lands before it).
 * Does nothing when the block is already plain. Returns the text.
 */
export function flattenToText(block: HTMLElement): string {
  const text = codeText(block);
  const nodes = [...block.childNodes];
  const plain =
    nodes.length > 0 &&
    nodes[0].nodeType === Node.TEXT_NODE &&
    nodes.slice(1).every((n, i) => i === nodes.length - 2 && (n as Element).tagName === 'BR' && text.endsWith('\n')) &&
    (nodes.length === 2 || !text.endsWith('\n'));
  if (plain && (nodes[0] as Text).data === text) return text;
  const caret = caretOffset(block);
  setCodeText(block, text);
  if (caret !== null) placeCaret(block, caret);
  return text;
}

/** Replaces the block's content by `text` as plain text (with the trailing `<br>` an ending newline needs). */
export function setCodeText(block: HTMLElement, text: string): void {
  block.textContent = text;
  if (text.endsWith('\n') || text === '') block.append(block.ownerDocument.createElement('br'));
  block.classList.add('editor-preview-plain');
}
