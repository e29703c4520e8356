import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { loadIntentModel } from '@switchyard/classifier';
import type { IntentModel } from '@switchyard/classifier';
import type { MachineJson, StateNodeJson } from '@switchyard/compiler';
import { z } from 'zod';
import { getContentHash, toCanonicalJson } from './canonical-json';

/**
 * Trained intent models of published flow versions, kept under `<dataDir>/models/` without a
 * database table:
 *
 * - `<sha256>.json` — a model, as canonical JSON named by its content hash: written once, never
 *   changed (a retrained model is a new file);
 * - `versions/<flowVersionId>.json` — the models a published version uses, `modelId → sha256`,
 *   written before the version row, so every published version finds its models.
 *
 * Template models come from `templates/<id>/models/`; trained models from `classifier.train`
 * (their metadata is in the ClassifierModel table, see classifier/service.ts).
 */

const HASH = /^[0-9a-f]{64}$/;

const pinsSchema = z.object({
  format: z.literal('switchyard.model-pins'),
  version: z.literal(1),
  flowId: z.string(),
  pinnedAt: z.number(),
  models: z.record(z.string(), z.string().regex(HASH)),
});
type Pins = z.infer<typeof pinsSchema>;

/** The model ids a compiled flow's classify steps ask for (`mode` model or rules-then-model). */
export function getModelIds(machine: MachineJson): string[] {
  const ids = new Set<string>();
  const visit = (state: StateNodeJson) => {
    for (const action of state.entry ?? []) {
      if (action.type !== 'classify') continue;
      const model = action.params?.model;
      if (action.params?.mode === 'rules') continue;
      if (typeof model === 'object' && model !== null && !Array.isArray(model)) {
        if (typeof model.modelId === 'string') ids.add(model.modelId);
      }
    }
    for (const child of Object.values(state.states ?? {})) visit(child);
  };
  visit(machine);
  return [...ids].sort();
}

/** Writes a file so that after a crash it is either complete or absent. */
function writeDurably(dir: string, name: string, text: string): void {
  const tmp = join(dir, `.${name}.${String(process.pid)}.tmp`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

export interface ModelStore {
  /**
   * Stores a model (checked by `loadIntentModel` first) and returns its content hash. Storing the
   * same model again writes nothing.
   */
  put(model: unknown): string;
  /** Records the models a flow version uses; call before the version row is written. */
  pin(versionId: string, flowId: string, models: Readonly<Record<string, string>>): void;
  /** The stored model JSON text of a content hash (canonical JSON), or null. */
  read(hash: string): string | null;
  /**
   * The hash most recently pinned under `modelId` by any version (template models have no
   * registry row; a published copy of a template pins the template's model again), or null.
   */
  pinnedHash(modelId: string): string | null;
}

export interface ModelRegistry {
  /** The model the engine's classify steps run for `modelId` (the engine's `models` option). */
  get(modelId: string): IntentModel | undefined;
  /**
   * (Re)loads the models pinned by the versions `isPublished` accepts. When versions pin different
   * models under one id, the most recently pinned one serves them all (the engine asks by id
   * only) and a log line names the versions affected.
   */
  load(isPublished: (versionId: string) => boolean): void;
  /**
   * Serves `modelId` with the model stored under `hash` from now on (a version pinning it was just
   * published); false when the file is missing or unreadable (logged).
   */
  add(modelId: string, hash: string): boolean;
  /** A stored model by content hash (cached), for the simulator's lookups; null if unreadable. */
  byHash(hash: string): IntentModel | null;
}

/**
 * The model files under `<dataDir>/models` and the registry the engine reads them through.
 *
 * @example
 * const models = createModels(config.dataDir, now, log);
 * const engine = createEngine({ ...options, models: models.registry });
 * // after seeding/publishing:
 * models.registry.load((versionId) => repository.getVersionDocument(versionId) !== null);
 */
export function createModels(
  dataDir: string,
  now: () => number,
  log: (line: string) => void,
): { readonly store: ModelStore; readonly registry: ModelRegistry } {
  const dir = join(dataDir, 'models');
  const pinsDir = join(dir, 'versions');
  let loaded = new Map<string, IntentModel>();

  const store: ModelStore = {
    put(model) {
      loadIntentModel(model); // throws IntentModelFormatError naming the bad field
      const hash = getContentHash(model);
      mkdirSync(dir, { recursive: true });
      if (!existsSync(join(dir, `${hash}.json`))) {
        writeDurably(dir, `${hash}.json`, toCanonicalJson(model));
      }
      return hash;
    },
    pin(versionId, flowId, models) {
      if (Object.keys(models).length === 0) return;
      mkdirSync(pinsDir, { recursive: true });
      const pins: Pins = {
        format: 'switchyard.model-pins',
        version: 1,
        flowId,
        pinnedAt: now(),
        models: { ...models },
      };
      writeDurably(pinsDir, `${versionId}.json`, `${JSON.stringify(pins, null, 2)}\n`);
    },
    read(hash) {
      if (!HASH.test(hash)) return null;
      try {
        return readFileSync(join(dir, `${hash}.json`), 'utf8');
      } catch {
        return null;
      }
    },
    pinnedHash(modelId) {
      let best: { hash: string; pinnedAt: number } | null = null;
      const files = existsSync(pinsDir) ? readdirSync(pinsDir).filter(isPinFile) : [];
      for (const file of files) {
        const parsed = pinsSchema.safeParse(readJsonFile(join(pinsDir, file)));
        const hash = parsed.success ? parsed.data.models[modelId] : undefined;
        if (
          parsed.success &&
          hash !== undefined &&
          (best === null || parsed.data.pinnedAt >= best.pinnedAt)
        ) {
          best = { hash, pinnedAt: parsed.data.pinnedAt };
        }
      }
      return best?.hash ?? null;
    },
  };

  function readModel(hash: string): IntentModel | null {
    const path = join(dir, `${hash}.json`);
    try {
      const json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      if (getContentHash(json) !== hash) {
        log(`model ${path}: its content does not match its name (changed on disk?); not loaded`);
        return null;
      }
      return loadIntentModel(json);
    } catch (error: unknown) {
      log(`model ${path}: ${error instanceof Error ? error.message : String(error)}; not loaded`);
      return null;
    }
  }

  // Models read by hash for the simulator (drafts may use models no published version pins yet).
  const cache = new Map<string, IntentModel>();
  const CACHE_SIZE = 4;

  const registry: ModelRegistry = {
    get: (modelId) => loaded.get(modelId),
    add(modelId, hash) {
      const model = registry.byHash(hash);
      if (model === null) return false;
      loaded = new Map(loaded).set(modelId, model);
      return true;
    },
    byHash(hash) {
      const cached = cache.get(hash);
      if (cached !== undefined) {
        cache.delete(hash);
        cache.set(hash, cached);
        return cached;
      }
      if (!HASH.test(hash)) return null;
      const model = readModel(hash);
      if (model === null) return null;
      cache.set(hash, model);
      while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return model;
    },
    load(isPublished) {
      const chosen = new Map<string, { hash: string; pinnedAt: number; versions: string[] }>();
      const files = existsSync(pinsDir) ? readdirSync(pinsDir).filter(isPinFile).sort() : [];
      for (const file of files) {
        const versionId = file.slice(0, -'.json'.length);
        if (!isPublished(versionId)) continue;
        const parsed = pinsSchema.safeParse(readJsonFile(join(pinsDir, file)));
        if (!parsed.success) {
          log(
            `model pins ${join(pinsDir, file)} are unreadable; that version's models are missing`,
          );
          continue;
        }
        for (const [modelId, hash] of Object.entries(parsed.data.models)) {
          const seen = chosen.get(modelId);
          if (seen === undefined) {
            chosen.set(modelId, { hash, pinnedAt: parsed.data.pinnedAt, versions: [versionId] });
          } else if (seen.hash === hash) {
            seen.versions.push(versionId);
          } else {
            const newer = parsed.data.pinnedAt > seen.pinnedAt;
            log(
              `model "${modelId}": flow versions pin different models under one id; ` +
                `version(s) ${(newer ? seen.versions : [versionId]).join(', ')} run the newer one`,
            );
            if (newer) {
              chosen.set(modelId, {
                hash,
                pinnedAt: parsed.data.pinnedAt,
                versions: [...seen.versions, versionId],
              });
            } else {
              seen.versions.push(versionId);
            }
          }
        }
      }
      const next = new Map<string, IntentModel>();
      for (const [modelId, { hash }] of chosen) {
        const model = readModel(hash);
        if (model !== null) next.set(modelId, model);
      }
      loaded = next;
    },
  };

  return { store, registry };
}

function isPinFile(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.');
}

function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return null;
  }
}
