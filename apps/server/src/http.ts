import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error';

/** Largest request body accepted (issue 4: 413 over 1 MB). */
export const MAX_BODY_BYTES = 1024 * 1024;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(
    res,
    error.status,
    { error: { code: error.code, message: error.message, issues: error.issues } },
    {
      ...error.headers,
      // The rest of an unread body would be taken for the next request: close instead.
      ...(error.status === 413 && { connection: 'close' }),
    },
  );
}

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const type = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

/**
 * Reads a JSON request body: 415 unless the content type is JSON, 413 over {@link MAX_BODY_BYTES}
 * (from Content-Length before reading, or while reading), 400 when it does not parse.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (!isJsonContentType(req.headers['content-type'])) {
    throw new HttpError(
      'unsupported_media_type',
      'Send the body as JSON (Content-Type: application/json)',
      [
        {
          path: 'Content-Type',
          message: `Expected application/json, got ${req.headers['content-type'] ?? 'nothing'}`,
        },
      ],
    );
  }
  const tooLarge = () =>
    new HttpError('payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes`, [
      { path: '(body)', message: `At most ${MAX_BODY_BYTES} bytes` },
    ]);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    throw new HttpError('invalid_json', 'The body is not valid JSON', [
      { path: '(body)', message: error instanceof Error ? error.message : 'Not JSON' },
    ]);
  }
}
