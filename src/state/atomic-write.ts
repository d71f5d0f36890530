/**
 * Atomic file writes (write a temporary file next to the target, then rename): a reader — or a crash —
 * sees the old file or the new one, never half of one. The one way tug replaces a file: plan and snapshot
 * `--out`, the kept plan, the lock, the ISO cache, the sandbox's `--data` file.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

let counter = 0;

export async function writeFileAtomic(file: string, data: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  counter += 1;
  const tmp = `${file}.${process.pid}.${counter}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
