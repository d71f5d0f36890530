/**
 * Making text from outside (live names, hand-edited files) safe to print on a terminal: one line,
 * nothing the terminal obeys. Used by `tug plan`'s renderers, apply's messages and `tug unlock`.
 */

// C0/C1 controls and line separators: a live name holding ESC sequences must not drive the terminal.
// Zero-width and bidi format characters too: invisible, they make two names look alike, and a bidi
// override reorders the rest of the line (U+061C, U+200B–U+200F, U+202A–U+202E, U+2060–U+2064,
// U+2066–U+2069, U+FEFF).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * Control and invisible format characters shown as JSON escapes (`\n`, `\u001b`, `\u009b`, `\u202e`):
 * one line, nothing the terminal obeys, nothing hidden. JSON.stringify leaves C1 controls (U+009B is an 8-bit CSI) and U+2028/2029 as they are, so
 * those are spelled out by hand.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (ch) => {
    const json = JSON.stringify(ch).slice(1, -1);
    return json !== ch ? json : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
