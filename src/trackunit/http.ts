/**
 * The transport: undici with one keep-alive connection pool per origin (undici's Agent keeps a pool per
 * origin), connect/headers/body timeouts, and nothing else — auth, rate limits and retries live above.
 */
import { Agent, request as undiciRequest } from 'undici';
import type { TimeoutConfig } from './config.js';

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  bytesIn: number;
}

export interface Transport {
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export class UndiciTransport implements Transport {
  private readonly agent: Agent;

  constructor(timeouts: TimeoutConfig, connectionsPerOrigin = 32) {
    this.agent = new Agent({
      connections: connectionsPerOrigin,
      connect: { timeout: timeouts.connectMs },
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
      keepAliveTimeout: 4_000,
    });
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const response = await undiciRequest(request.url, {
      method: request.method as 'GET',
      headers: request.headers,
      body: request.body,
      dispatcher: this.agent,
    });
    const buffer = Buffer.from(await response.body.arrayBuffer());
    return {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      text: buffer.toString('utf8'),
      bytesIn: buffer.length,
    };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
