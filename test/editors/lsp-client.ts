/**
 * A small Language Server Protocol client for tests: spawns a server on stdio and talks JSON-RPC to it with
 * Content-Length framing, the way an editor does. It answers the server's own requests (settings pulled
 * through `workspace/configuration`), numbers its requests, and lets a test wait for one specific
 * notification — registered before the message that causes it is sent, so no sleep is ever needed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Message = { jsonrpc: '2.0'; id?: number | string; method?: string; params?: any; result?: any; error?: any };
type Waiter = { method: string; matches: (params: any) => boolean; resolve: (params: any) => void; reject: (e: Error) => void };

/** Answers the server's `workspace/configuration` request for one settings section (`yaml`, `http`, …). */
export type SettingsSource = (section: string) => Json;

export interface LspClientOptions {
  /** The server's command line, e.g. `['node', 'node_modules/…/yaml-language-server', '--stdio']`. */
  command: string[];
  cwd: string;
  /** How long any request or awaited notification may take before the test fails with its name. */
  timeoutMs?: number;
  settings?: SettingsSource;
}

export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly timeoutMs: number;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve: (r: any) => void; reject: (e: Error) => void }>();
  private waiters: Waiter[] = [];
  private stderr = '';
  private exited: Error | undefined;
  settings: SettingsSource;

  constructor(options: LspClientOptions) {
    const [program, ...args] = options.command;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.settings = options.settings ?? (() => null);
    this.child = spawn(program as string, args, { cwd: options.cwd, stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.child.on('exit', (code, signal) => this.failAll(new Error(`language server exited (code ${code}, signal ${signal})${this.stderrTail()}`)));
    this.child.on('error', (error) => this.failAll(error));
    this.child.stdin.on('error', (error) => this.failAll(error)); // EPIPE once the server is gone
  }

  /** Sends a request and resolves with its result; rejects on an error response or after the timeout. */
  request<T = any>(method: string, params: Json | object): Promise<T> {
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => {
      if (this.exited) return reject(this.exited);
      this.pending.set(id, { method, resolve, reject });
    });
    this.write({ jsonrpc: '2.0', id, method, params });
    return this.withTimeout(answer, `response to ${method} (id ${id})`, () => this.pending.delete(id));
  }

  notify(method: string, params: Json | object): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /**
   * The next notification `method` whose params satisfy `matches`, counted from this call on: call it before
   * sending what triggers the notification, then await it. `about` names what is awaited in the timeout error.
   */
  nextNotification<T = any>(method: string, matches: (params: T) => boolean = () => true, about = ''): Promise<T> {
    let waiter: Waiter | undefined;
    const arrived = new Promise<T>((resolve, reject) => {
      if (this.exited) return reject(this.exited);
      waiter = { method, matches, resolve, reject };
      this.waiters.push(waiter);
    });
    return this.withTimeout(arrived, `notification ${method}${about && ` ${about}`}`, () => (this.waiters = this.waiters.filter((w) => w !== waiter)));
  }

  /** `shutdown`, `exit`, and a kill if the server has not gone within the timeout. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.request('shutdown', null);
      this.notify('exit', null);
      await this.withTimeout(gone, 'server exit after shutdown', () => undefined);
    } catch {
      this.child.kill('SIGKILL');
      await gone;
    }
  }

  private write(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  /** Splits stdout into messages: a header block ending in a blank line, then Content-Length bytes. */
  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = /Content-Length: *(\d+)/i.exec(header)?.[1];
      if (length === undefined) return this.failAll(new Error(`LSP header without Content-Length: ${JSON.stringify(header)}`));
      const start = headerEnd + 4;
      const end = start + Number(length);
      if (this.buffer.length < end) return;
      const message = JSON.parse(this.buffer.subarray(start, end).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(end);
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method !== undefined && message.id !== undefined) return this.answerServerRequest(message);
    if (message.method !== undefined) {
      const waiter = this.waiters.find((w) => w.method === message.method && w.matches(message.params));
      if (waiter) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(message.params);
      }
      return;
    }
    const pending = this.pending.get(message.id as number);
    if (!pending) return;
    this.pending.delete(message.id as number);
    if (message.error) pending.reject(new Error(`${pending.method} failed: ${JSON.stringify(message.error)}`));
    else pending.resolve(message.result);
  }

  /** The server asks too: settings by section; registrations and refreshes are acknowledged. */
  private answerServerRequest(message: Message): void {
    const reply = (result: unknown) => this.write({ jsonrpc: '2.0', id: message.id as number, result });
    switch (message.method) {
      case 'workspace/configuration':
        return reply((message.params.items as { section?: string }[]).map((item) => this.settings(item.section ?? '')));
      case 'client/registerCapability':
      case 'client/unregisterCapability':
      case 'window/workDoneProgress/create':
      case 'workspace/codeLens/refresh':
        return reply(null);
      default:
        return this.write({ jsonrpc: '2.0', id: message.id as number, error: { code: -32601, message: `test client: no ${message.method}` } });
    }
  }

  private withTimeout<T>(promise: Promise<T>, what: string, cancel: () => void): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        cancel();
        reject(new Error(`LSP test client: no ${what} within ${this.timeoutMs} ms${this.stderrTail()}`));
      }, this.timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  private failAll(error: Error): void {
    this.exited = error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters = [];
  }

  private stderrTail(): string {
    return this.stderr ? `\nserver stderr:\n${this.stderr.slice(-2_000)}` : '';
  }
}
