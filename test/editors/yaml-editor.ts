/**
 * An "editor" for tests: the real yaml-language-server (the devDependency, the engine of Red Hat's YAML
 * extension) over stdio, on a workspace folder, driven as VS Code drives it. Settings reach the server the
 * way an editor's do: `workspace/didChangeConfiguration`, then the server pulls them back through
 * `workspace/configuration` and says `yaml/schema/store/initialized` once they are in force — the signal
 * VS Code waits for too, and the one this editor waits for before it opens a document.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lsp-client.js';

const REPO = resolve(import.meta.dirname, '../..');
const SERVER = [process.execPath, 'node_modules/yaml-language-server/bin/yaml-language-server', '--stdio'];

/** A diagnostic as the test compares it: the workspace's own URI replaced by `<workspace>`. */
export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  severity: number;
  source: string;
  schemaUri?: string[];
}

/** The `yaml` settings section; the schema store is off because CI has no internet. */
export type YamlSettings = { schemas?: Record<string, string | string[]>; [key: string]: unknown };

export class YamlEditor {
  private versions = new Map<string, number>();
  private yaml: YamlSettings = {};

  private constructor(
    private readonly client: LspClient,
    readonly workspaceUri: string,
  ) {
    client.settings = (section) => (section === 'yaml' ? ({ ...this.yaml, schemaStore: { enable: false } } as any) : null);
  }

  /** Starts the server on `workspace` (a folder on disk) and waits until its first settings are in force. */
  static async start(workspace: string, timeoutMs = 10_000): Promise<YamlEditor> {
    const workspaceUri = pathToFileURL(workspace).href;
    const editor = new YamlEditor(new LspClient({ command: SERVER, cwd: REPO, timeoutMs }), workspaceUri);
    await editor.client.request('initialize', {
      processId: process.pid,
      rootUri: workspaceUri,
      workspaceFolders: [{ uri: workspaceUri, name: 'workspace' }],
      capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: true } } } },
      locale: 'en',
    });
    editor.client.notify('yaml/supportSchemaSelection', {});
    const ready = editor.settingsInForce();
    editor.client.notify('initialized', {});
    await ready;
    return editor;
  }

  /** As a user editing `.vscode/settings.json`: the new `yaml` section, in force when this resolves. */
  async configure(yaml: YamlSettings): Promise<void> {
    this.yaml = yaml;
    const ready = this.settingsInForce();
    this.client.notify('workspace/didChangeConfiguration', { settings: { yaml: this.yaml } });
    await ready;
  }

  /**
   * Opens `path` (relative to the workspace; it need not exist on disk) with `text` and returns the
   * diagnostics published for that URI. A path is opened once: then the first publication for the URI is
   * the validation of this text (the server does not send a version; a published one must match).
   */
  async open(path: string, text: string): Promise<Diagnostic[]> {
    const uri = this.uri(path);
    if (this.versions.has(uri)) throw new Error(`${path} is already open; open each path once`);
    this.versions.set(uri, 1);
    const published = this.client.nextNotification<{ uri: string; version?: number; diagnostics: any[] }>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri && (p.version === undefined || p.version === 1),
      `for ${path} (version 1)`,
    );
    this.client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return (await published).diagnostics.map((d) => this.normalise(d));
  }

  /** The labels of the completion items of `kind` (10 = Property) offered at the position, in order. */
  async complete(path: string, line: number, character: number, kind = 10): Promise<string[]> {
    const result = await this.client.request('textDocument/completion', { textDocument: { uri: this.uri(path) }, position: { line, character } });
    const items: { label: string; kind?: number }[] = Array.isArray(result) ? result : (result?.items ?? []);
    return items.filter((item) => item.kind === kind).map((item) => item.label);
  }

  stop(): Promise<void> {
    return this.client.stop();
  }

  private settingsInForce(): Promise<unknown> {
    return this.client.nextNotification('yaml/schema/store/initialized', () => true, '(settings in force)');
  }

  private uri(path: string): string {
    return `${this.workspaceUri}/${path}`;
  }

  private normalise(d: any): Diagnostic {
    const local = (text: string) => text.replaceAll(this.workspaceUri, '<workspace>');
    const out: Diagnostic = { range: d.range, message: local(d.message), severity: d.severity, source: local(d.source ?? '') };
    if (d.data?.schemaUri) out.schemaUri = (d.data.schemaUri as string[]).map(local);
    return out;
  }
}
