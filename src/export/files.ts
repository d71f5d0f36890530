/**
 * The files `tug export` writes: how objects are laid out (`--split kind|depot`), how each is rendered
 * (YAML, the live id as a comment above it, the same bytes for the same object), and the safe write:
 * nothing outside `--out` (paths are built from fixed names and validated Depot keys, and each directory's
 * real path is checked, so a symlink cannot lead out), no existing file replaced without `--force`, and a
 * file whose documents did not change left as it is (its header's time included).
 *
 * Layout, `--split kind` (default): custom-fields.yaml, depots.yaml, customers.yaml, assets.yaml,
 * contracts.yaml. `--split depot`: depots/<key>.yaml holds a depot with the assets it owns and the
 * contracts it hires out; custom-fields.yaml, customers.yaml, and assets.yaml / contracts.yaml for those
 * without a depot. A file that would pass CHUNK_BYTES continues in `<name>-2.yaml` (`depots/<key>~2.yaml`:
 * `~` is not in any key), well below the 10 MB tug reads per file.
 */
import { lstat, mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Document, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { ExportedObject, KindName } from '../core/kind.js';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic-write.js';

export type SplitMode = 'kind' | 'depot';
export const SPLIT_MODES: readonly SplitMode[] = ['kind', 'depot'];

/** A file continues in the next chunk past this size. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

const KIND_FILES: Record<KindName, string> = {
  CustomFieldDefinition: 'custom-fields',
  Depot: 'depots',
  Customer: 'customers',
  Asset: 'assets',
  Contract: 'contracts',
};

/** Keys whose values read better on one line. */
const FLOW_KEYS = new Set(['coordinates', 'asset', 'adopt', 'rentalRate']);
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** An id as comment text: as is when plain, else JSON-quoted, so a line break in it cannot start YAML content. */
const commentSafe = (id: string) => (/^[A-Za-z0-9._:@/-]+$/.test(id) ? id : JSON.stringify(id));

/** Each object's text, rendered once: the export checks, sizes and writes it. */
const rendered = new WeakMap<ExportedObject, string>();

/** One object as a YAML document, the live id as a comment above it. */
export function renderObject(object: ExportedObject): string {
  const known = rendered.get(object);
  if (known !== undefined) return known;
  const text = renderDocument(object);
  rendered.set(object, text);
  return text;
}

function renderDocument(object: ExportedObject): string {
  const doc = new Document(object.manifest);
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !FLOW_KEYS.has(String(pair.key.value))) return;
      if (isSeq(pair.value) || isMap(pair.value)) pair.value.flow = true;
    },
  });
  return `# live id: ${commentSafe(object.liveId)}\n${doc.toString({ lineWidth: 0, minContentWidth: 0 })}`;
}

export interface ExportFile {
  /** Relative to the out directory, `/` separators. */
  path: string;
  objects: ExportedObject[];
}

/** The objects in files, in a stable order: kinds in dependency order, objects as the kinds gave them. */
export function layoutFiles(objects: readonly ExportedObject[], split: SplitMode): ExportFile[] {
  const groups = new Map<string, ExportedObject[]>();
  const add = (name: string, o: ExportedObject) => groups.set(name, [...(groups.get(name) ?? []), o]);
  for (const o of objects) {
    const byDepot = split === 'depot' && o.depot !== undefined && SAFE_KEY.test(o.depot) && (o.kind === 'Depot' || o.kind === 'Asset' || o.kind === 'Contract');
    add(byDepot ? `depots/${o.depot}` : KIND_FILES[o.kind], o);
  }
  const files: ExportFile[] = [];
  for (const [name, list] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const chunks: ExportedObject[][] = [[]];
    let size = 0;
    for (const o of list) {
      const bytes = Buffer.byteLength(renderObject(o)) + 4;
      if (size + bytes > CHUNK_BYTES && chunks.at(-1)!.length > 0) {
        chunks.push([]);
        size = 0;
      }
      chunks.at(-1)!.push(o);
      size += bytes;
    }
    const glue = name.startsWith('depots/') ? '~' : '-';
    chunks.forEach((chunk, i) => files.push({ path: `${name}${i === 0 ? '' : `${glue}${i + 1}`}.yaml`, objects: chunk }));
  }
  return files;
}

export interface ExportHeader {
  irisUrl: string;
  account: string;
  /** ISO time of the export. */
  at: string;
}

const HEADER_MARK = '# Exported by `tug export`';

export function renderFile(file: ExportFile, header: ExportHeader): string {
  const head = [
    `${HEADER_MARK} from ${commentSafe(header.irisUrl)} (account ${commentSafe(header.account)}) at ${commentSafe(header.at)}.`,
    '# The comment above each document is its live id; `adopt:` binds a depot tug does not manage yet.',
    '# See README.md, "Adopting an existing account".',
  ].join('\n');
  return `${head}\n${file.objects.map((o) => `---\n${renderObject(o)}`).join('')}`;
}

/** The text without the header's first line (its time): what "unchanged" compares. */
const body = (text: string) => text.slice(text.indexOf('\n') + 1);

export interface WriteResult {
  written: string[];
  unchanged: string[];
  /** `.yaml` files under the out directory this export did not write (left as they were). */
  others: string[];
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The real directory of `file`, which must be inside `root` (a symlinked directory cannot lead out). */
async function checkedDirectory(root: string, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const real = await realpath(dirname(file));
  if (real !== root && !real.startsWith(root + sep)) {
    throw new ConfigError('export_outside_out', `refusing to write ${file}: its directory resolves to ${real}, outside the --out directory ${root}`, {
      hint: 'A symbolic link under --out points elsewhere; export to a directory without one.',
    });
  }
}

async function yamlFiles(root: string, dir = root): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await yamlFiles(root, path)));
    else if (/\.ya?ml$/.test(e.name)) out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

/** Writes `files` under `outDir` (see the module comment); nothing is written when any check fails. */
export async function writeExport(outDir: string, files: readonly ExportFile[], header: ExportHeader, options: { force: boolean }): Promise<WriteResult> {
  const targets = files.map((f) => {
    const path = resolve(outDir, f.path);
    const rel = relative(outDir, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`internal: export path ${f.path} leaves the out directory`);
    return { file: f, path };
  });
  const out = await stat(outDir).catch(() => undefined);
  if (out && !out.isDirectory()) {
    throw new ConfigError('export_out_not_directory', `--out ${outDir} is a file, not a directory`, { hint: 'Name a directory (it is created when missing).' });
  }
  const present = [];
  for (const t of targets) if (await exists(t.path)) present.push(t.file.path);
  if (present.length > 0 && !options.force) {
    const shown = present.slice(0, 10).join(', ') + (present.length > 10 ? `, … (${present.length} in all)` : '');
    throw new ConfigError(
      'export_files_exist',
      `${present.length} file${present.length === 1 ? '' : 's'} to write exist${present.length === 1 ? 's' : ''} already under ${outDir}: ${shown}`,
      {
        hint: 'Export to an empty directory (--out DIR), or pass --force to replace them.',
        meta: { files: present },
      },
    );
  }
  const result: WriteResult = { written: [], unchanged: [], others: [] };
  if (targets.length === 0) return result;
  await mkdir(outDir, { recursive: true });
  const root = await realpath(outDir);
  for (const t of targets) await checkedDirectory(root, t.path);
  for (const t of targets) {
    const text = renderFile(t.file, header);
    const before = (await exists(t.path)) ? await readFile(t.path, 'utf8').catch(() => undefined) : undefined;
    if (before !== undefined && before.startsWith(HEADER_MARK) && body(before) === body(text)) {
      result.unchanged.push(t.file.path);
      continue;
    }
    await writeFileAtomic(t.path, text);
    result.written.push(t.file.path);
  }
  const ours = new Set(files.map((f) => f.path));
  result.others = (await yamlFiles(root)).filter((p) => !ours.has(p)).sort();
  return result;
}
