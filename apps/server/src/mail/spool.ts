import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A raw mail on disk that was answered 250 and is not processed yet. */
export interface SpooledMail {
  /** File name, `<received ms>-<random>.eml`: name order is arrival order. */
  readonly name: string;
  readonly path: string;
  /** When the mail was received (ms since the epoch). */
  readonly receivedAt: number;
}

const SPOOL_NAME = /^(\d{13,})-[0-9a-f]{16}\.eml$/;

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The mail spool in `<dataDir>/mail-spool`: a mail is written to `tmp/`, fsynced, renamed into
 * the spool and the folder fsynced before the SMTP intake answers 250, so an accepted mail survives
 * a crash or a power cut. Processed mails are removed; mails that can never become a ticket move
 * to `failed/` with the reason beside them.
 */
export function createMailSpool(dataDir: string, now: () => number) {
  const dir = join(dataDir, 'mail-spool');
  const tmp = join(dir, 'tmp');
  const failedDir = join(dir, 'failed');
  mkdirSync(tmp, { recursive: true });
  mkdirSync(failedDir, { recursive: true });
  // Half-written files were never acknowledged: the sender still has them.
  for (const name of readdirSync(tmp)) rmSync(join(tmp, name), { force: true });

  /** A fresh spool file name for a mail received now. */
  function createName(): string {
    return `${String(now()).padStart(13, '0')}-${randomBytes(8).toString('hex')}.eml`;
  }

  return {
    dir,
    createName,
    /** Writes the raw mail durably under `name` (default: a fresh one); resolves once on disk. */
    async write(raw: Buffer, name: string = createName()): Promise<SpooledMail> {
      const receivedAt = Number(SPOOL_NAME.exec(name)?.[1]);
      if (!Number.isFinite(receivedAt)) throw new Error(`Not a spool file name: ${name}`);
      const staging = join(tmp, name);
      const handle = await open(staging, 'wx', 0o600);
      try {
        await handle.writeFile(raw);
        await handle.sync();
      } finally {
        await handle.close();
      }
      const path = join(dir, name);
      await rename(staging, path);
      await fsyncPath(dir);
      return { name, path, receivedAt };
    },
    read(mail: SpooledMail): Promise<Buffer> {
      return readFile(mail.path);
    },
    /** Spooled mails in arrival order. */
    list(): SpooledMail[] {
      return readdirSync(dir)
        .map((name) => ({ name, match: SPOOL_NAME.exec(name) }))
        .filter((entry) => entry.match !== null)
        .map(({ name, match }) => ({
          name,
          path: join(dir, name),
          receivedAt: Number(match?.[1]),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async remove(mail: SpooledMail): Promise<void> {
      await unlink(mail.path);
    },
    /** Moves a mail that can never be processed aside, with the reason in `<name>.txt`. */
    async fail(mail: SpooledMail, reason: string): Promise<void> {
      await writeFile(join(failedDir, `${mail.name}.txt`), `${reason}\n`);
      await rename(mail.path, join(failedDir, mail.name));
    },
  };
}

export type MailSpool = ReturnType<typeof createMailSpool>;
