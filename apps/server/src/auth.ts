import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * Scopes an API token may carry. `approvals:decide` (with `tickets:write`) lets an integration
 * post APPROVAL.DECIDED; nothing else grants it.
 */
export const API_SCOPES = ['tickets:write', 'tickets:read', 'approvals:decide'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** The bootstrap token's scopes: tickets only; deciding approvals must be granted explicitly. */
export const BOOTSTRAP_SCOPES: readonly ApiScope[] = ['tickets:write', 'tickets:read'];

/** SHA-256 (hex) of a bearer token: only this is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new random API token (`sy_` + 32 random bytes, base64url). */
export function generateToken(): string {
  return `sy_${randomBytes(32).toString('base64url')}`;
}

/** A random password for the bootstrap admin (and password resets), shown once. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Argon2id with the library's defaults (19 MiB, 2 passes, 1 lane: the OWASP baseline). The PHC
 * string (`$argon2id$v=19$m=…`) carries its parameters, so stronger settings later still verify
 * old hashes.
 */
export async function hashPassword(password: string): Promise<string> {
  return argon2Hash(password.normalize('NFKC'));
}

/** True when a stored hash should be replaced by a fresh argon2id hash at the next sign-in. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith('$argon2id$');
}

/**
 * Checks a password against its stored hash: argon2 (PHC string) or the scrypt format databases
 * seeded before argon2 used (`scrypt$N$r$p$<salt>$<hash>`), which sign-in then rehashes.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const normalized = password.normalize('NFKC');
  if (stored.startsWith('$argon2')) {
    try {
      return await argon2Verify(stored, normalized);
    } catch {
      return false; // a malformed stored hash never matches
    }
  }
  return verifyScrypt(normalized, stored);
}

const SCRYPT_MAXMEM = 64 * 1024 * 1024;

async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [algorithm, n, r, p, salt, hash] = stored.split('$');
  if (algorithm !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  if (expected.length === 0) return false;
  try {
    const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: SCRYPT_MAXMEM,
    });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}
