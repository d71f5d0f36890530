/**
 * Markdown as GitHub renders it, for tests of what tug posts: the text outside code blocks and code spans —
 * where HTML is rendered and @mentions are linked. Fenced blocks close by the CommonMark rule (a line of at
 * least as many backticks): if a value closed a fence early, what follows it would land in the result and
 * the tests' assertions would see it.
 */
import { expect } from 'vitest';

export function outsideCode(md: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of md.split('\n')) {
    if (fence !== undefined) {
      const close = /^ {0,3}(`+)\s*$/.exec(line);
      if (close && (close[1] ?? '').length >= fence.length) fence = undefined;
      continue;
    }
    const open = /^ {0,3}(`{3,})/.exec(line);
    if (open) fence = open[1];
    else out.push(line.replace(/(`+)(.*?[^`])\1(?!`)/g, ''));
  }
  expect(fence, 'every fence is closed').toBeUndefined();
  return out.join('\n');
}
