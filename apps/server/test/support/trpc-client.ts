import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import type { AppRouter } from '../../src/index';

type Listener = (event: { data?: string; lastEventId?: string }) => void;

/**
 * A minimal EventSource over fetch for Node 20 (which has none): enough of the WHATWG interface
 * for tRPC's httpSubscriptionLink, plus request headers so the session cookie goes along (a
 * browser sends it by itself).
 */
export class FetchEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readyState = 0;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly controller = new AbortController();

  constructor(url: string, init?: { headers?: Record<string, string>; withCredentials?: boolean }) {
    void this.run(url, init?.headers ?? {});
  }

  addEventListener(type: string, listener: Listener): void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.readyState = this.CLOSED;
    this.controller.abort();
  }

  private emit(type: string, event: { data?: string; lastEventId?: string }): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  private async run(url: string, headers: Record<string, string>): Promise<void> {
    try {
      const response = await fetch(url, {
        headers: { accept: 'text/event-stream', ...headers },
        signal: this.controller.signal,
      });
      if (!response.ok || response.body === null) {
        this.readyState = this.CLOSED;
        this.emit('error', {});
        return;
      }
      this.readyState = this.OPEN;
      this.emit('open', {});
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
      this.readyState = this.CLOSED;
      this.emit('error', {});
    } catch {
      if (this.readyState !== this.CLOSED) {
        this.readyState = this.CLOSED;
        this.emit('error', {});
      }
    }
  }

  private dispatch(block: string): void {
    let type = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (data.length === 0 && type === 'message') return;
    this.emit(type, { data: data.join('\n'), ...(id !== undefined && { lastEventId: id }) });
  }
}

/** A tRPC client with its own cookie jar, like one browser. */
export function createTestClient(baseUrl: string) {
  let cookie: string | null = null;
  const cookieFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (cookie !== null) headers.set('cookie', cookie);
    const response = await fetch(input, { ...init, headers });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie !== null) {
      const pair = setCookie.split(';')[0] ?? '';
      cookie = /=$/.test(pair) || /Max-Age=0/.test(setCookie) ? null : pair;
    }
    return response;
  };
  const url = `${baseUrl}/trpc`;
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource: FetchEventSource,
          eventSourceOptions: () => {
            const headers: Record<string, string> = cookie === null ? {} : { cookie };
            return { headers };
          },
        }),
        false: httpBatchLink({ url, fetch: cookieFetch }),
      }),
    ],
  });
  return {
    client,
    /** The raw `Set-Cookie`-derived cookie (for tests of its attributes, use fetch directly). */
    getCookie: () => cookie,
    async login(email: string, password: string) {
      return client.auth.login.mutate({ email, password });
    },
  };
}

export type TestClient = ReturnType<typeof createTestClient>;

/** The tRPC error code a call failed with (`'OK'` when it succeeded). */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error: unknown) {
    if (error instanceof TRPCClientError) {
      const data = (error as TRPCClientError<AppRouter>).data;
      return data?.code ?? 'UNKNOWN';
    }
    throw error;
  }
}

/** The error a call failed with (fails the test when it succeeded). */
export async function errorOf(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await call;
  } catch (error: unknown) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<AppRouter>;
    throw error;
  }
  throw new Error('Expected the call to fail');
}
