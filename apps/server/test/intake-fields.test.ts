import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioFileSchema } from '@switchyard/engine';
import { flowDocumentSchema } from '@switchyard/flow';
import type { TicketField } from '@switchyard/flow';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, loadConfig } from '../src/index';
import type { SwitchyardServer } from '../src/index';
import { HttpError } from '../src/http-error';
import { checkTicketFields, createIntake } from '../src/intake';
import { DEFAULT_TEMPLATES_DIR } from '../src/seed';
import { createTempDir } from './support/temp';

// Intake checks custom fields against the flow's declared ticketFields: unknown keys and values of
// the wrong type are a 400 naming `fields.<key>`, on every channel (one intake path).

type FieldType = TicketField['type'];
type Value = string | number | boolean | null;

const fieldKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
const options = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z-]{0,9}$/), {
  minLength: 1,
  maxLength: 4,
});
const declaredField: fc.Arbitrary<TicketField> = fc
  .record({
    key: fieldKey,
    type: fc.constantFrom<FieldType>('string', 'number', 'integer', 'boolean', 'timestamp', 'enum'),
    options,
  })
  .map(({ key, type, options: values }) => ({
    key,
    label: key,
    type,
    ...(type === 'enum' && { options: values }),
  }));
const declaredFields = fc.uniqueArray(declaredField, {
  selector: (field) => field.key,
  minLength: 1,
  maxLength: 6,
});
const timestamp = fc
  .date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('2100-01-01T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString());

/** A value the field accepts. */
function validValue(field: TicketField): fc.Arbitrary<Value> {
  switch (field.type) {
    case 'string':
      return fc.string();
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'integer':
      return fc.integer();
    case 'boolean':
      return fc.boolean();
    case 'timestamp':
      return timestamp;
    case 'enum':
      return fc.constantFrom(...(field.options ?? []));
  }
}

/** A value the field refuses. */
function invalidValue(field: TicketField): fc.Arbitrary<Value> {
  switch (field.type) {
    case 'string':
      return fc.oneof(fc.double({ noNaN: true }), fc.boolean());
    case 'number':
      return fc.oneof(fc.string(), fc.boolean());
    case 'integer':
      return fc.oneof(
        fc.string(),
        fc.boolean(),
        fc.double({ noNaN: true }).filter((n) => !Number.isSafeInteger(n)),
      );
    case 'boolean':
      return fc.oneof(fc.string(), fc.integer());
    case 'timestamp':
      return fc.oneof(
        fc.integer(),
        fc.boolean(),
        fc.string().filter((s) => !/^\d{4}-\d\d-\d\dT/.test(s)),
      );
    case 'enum':
      return fc.oneof(
        fc.integer(),
        fc.boolean(),
        fc.string().filter((s) => !(field.options ?? []).includes(s)),
      );
  }
}

/** The keys fast-check left out of a record with optional keys are dropped. */
function withoutAbsent(record: Readonly<Record<string, Value | undefined>>): Record<string, Value> {
  const present: Record<string, Value> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) present[key] = value;
  return present;
}

describe('checkTicketFields', () => {
  it('accepts declared fields with values of their type, and null', () => {
    fc.assert(
      fc.property(
        declaredFields.chain((declared) =>
          fc.tuple(
            fc.constant(declared),
            fc.record(
              Object.fromEntries(
                declared.map((field) => [field.key, fc.option(validValue(field), { nil: null })]),
              ),
              { requiredKeys: [] },
            ),
          ),
        ),
        ([declared, fields]) => {
          expect(checkTicketFields(declared, withoutAbsent(fields))).toEqual([]);
        },
      ),
    );
  });

  it('names each field whose value has the wrong type', () => {
    fc.assert(
      fc.property(
        declaredFields.chain((declared) =>
          fc.tuple(
            fc.constant(declared),
            fc
              .subarray(declared, { minLength: 1 })
              .chain((bad) =>
                fc.tuple(
                  fc.constant(bad.map((field) => field.key)),
                  fc.record(
                    Object.fromEntries(bad.map((field) => [field.key, invalidValue(field)])),
                  ),
                ),
              ),
          ),
        ),
        ([declared, [badKeys, fields]]) => {
          const issues = checkTicketFields(declared, fields);
          expect(issues.map((issue) => issue.path).sort()).toEqual(
            badKeys.map((key) => `fields.${key}`).sort(),
          );
        },
      ),
    );
  });

  it('names every key the flow does not declare', () => {
    fc.assert(
      fc.property(
        declaredFields,
        fc.uniqueArray(fieldKey, { minLength: 1, maxLength: 4 }),
        (declared, keys) => {
          const unknown = keys.filter((key) => !declared.some((field) => field.key === key));
          const issues = checkTicketFields(
            declared,
            Object.fromEntries(unknown.map((key) => [key, 'x'])),
          );
          expect(issues.map((issue) => issue.path)).toEqual(unknown.map((key) => `fields.${key}`));
          for (const issue of issues) expect(issue.message).toMatch(/^Not a field of this flow/);
        },
      ),
    );
  });

  it('accepts the fields of every scenario ticket of every template', () => {
    for (const template of readdirSync(DEFAULT_TEMPLATES_DIR)) {
      const read = (file: string): unknown =>
        JSON.parse(readFileSync(join(DEFAULT_TEMPLATES_DIR, template, file), 'utf8'));
      const declared = flowDocumentSchema.parse(read('flow.json')).ticketFields;
      for (const scenario of scenarioFileSchema.parse(read('scenarios.json')).scenarios) {
        expect(
          checkTicketFields(declared, scenario.ticket.fields),
          `${template}: ${scenario.name}`,
        ).toEqual([]);
      }
    }
  });
});

// --- through the real server ---------------------------------------------------------------------

const TOKEN = 'intake-fields-token-0123456789abcd';
const dir = createTempDir();
let server: SwitchyardServer;

async function post(body: unknown) {
  const response = await fetch(`${server.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      error?: { code: string; message: string; issues: { path: string; message: string }[] };
      fields?: unknown;
      number?: string;
    },
  };
}

function countTickets(): number {
  return server.repository.listTickets({ limit: 1000 }).length;
}

const RETURN = {
  subject: 'Return my headphones',
  description: 'They stopped charging.',
  customer: { name: 'Eve', email: 'eve@example.com' },
  flow: 'retail-returns',
};

beforeAll(async () => {
  server = await createServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHYARD_DATA_DIR: dir.path,
      SWITCHYARD_BOOTSTRAP_TOKEN: TOKEN,
      SWITCHYARD_ADMIN_PASSWORD: 'a long enough password',
      SWITCHYARD_TIME_ZONE: 'Asia/Shanghai',
      SMTP_PORT: 'off',
    }),
    { log: () => undefined, seedSamples: false, tickMs: 3_600_000 },
  );
});

afterAll(async () => {
  await server.close();
  dir[Symbol.dispose]();
});

describe('REST intake checks fields against the flow', () => {
  it('refuses a field the flow does not declare with 400 naming it, and creates nothing', async () => {
    const before = countTickets();
    // saas-login (bound to api) declares product and accountId only.
    const reply = await post({ subject: 'Login broken', fields: { orderAmount: 1 } });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({
      code: 'invalid_request',
      message: 'Invalid ticket: fields.orderAmount',
      issues: [
        {
          path: 'fields.orderAmount',
          message: 'Not a field of this flow; its fields are: product, accountId',
        },
      ],
    });
    expect(countTickets()).toBe(before);
  });

  it('refuses ill-typed values, each named', async () => {
    const before = countTickets();
    const reply = await post({
      ...RETURN,
      fields: {
        orderId: 42,
        orderAmount: '12.50',
        returnWindowDays: 7.5,
        returnReason: 'too-late',
        deliveredAt: 'yesterday',
      },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error?.issues).toEqual([
      { path: 'fields.orderId', message: 'Must be text' },
      { path: 'fields.orderAmount', message: 'Must be a number' },
      { path: 'fields.returnWindowDays', message: 'Must be a whole number' },
      {
        path: 'fields.returnReason',
        message:
          'Must be one of: damaged, wrong-item, not-as-described, size-fit, changed-mind, other',
      },
      {
        path: 'fields.deliveredAt',
        message: 'Must be an ISO 8601 date-time with a time zone, e.g. 2026-03-02T09:30:00+08:00',
      },
    ]);
    expect(countTickets()).toBe(before);
  });

  it('accepts declared fields of the right type over REST (the flow decides what it trusts)', async () => {
    const fields = {
      // Declared, so accepted (the Flow format has no "customer may not set" flag); the
      // template's policy step overwrites it before the order system is asked.
      orderAmount: 99_999,
      orderId: 'SO-20260301-0007',
      returnReason: 'damaged',
      deliveredAt: '2026-03-01T10:00:00+08:00',
      returnWindowDays: 7,
      refundId: null,
    };
    const reply = await post({ ...RETURN, fields });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const detail = (await (
      await fetch(`${server.url}/api/v1/tickets/${String(reply.body.number)}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).json()) as { fields: Record<string, unknown> };
    expect(detail.fields).toMatchObject({
      orderId: 'SO-20260301-0007',
      returnReason: 'damaged',
      orderAmount: 0,
    });
  });
});

describe('the shared intake (web form and e-mail use it too)', () => {
  it('refuses undeclared fields on every channel before anything is created', async () => {
    const intake = createIntake({ engine: server.engine, repository: server.repository });
    const before = countTickets();
    for (const channel of ['web', 'email', 'api'] as const) {
      const attempt = intake.createTicket(
        { subject: 'Hello', channel, fields: { orderAmount: 5 } },
        { idempotencyKey: `fields-${channel}` },
      );
      await expect(attempt).rejects.toBeInstanceOf(HttpError);
      await expect(attempt).rejects.toMatchObject({
        status: 400,
        issues: [{ path: 'fields.orderAmount' }],
      });
    }
    expect(countTickets()).toBe(before);
  });
});
