import { PUBLIC_EVENT_TYPES } from '@switchyard/engine';
import { z } from 'zod';
import { intakeSchema, listQuerySchema } from './rest';

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'issues'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: { path: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

const ticketSchema = {
  type: 'object',
  required: ['number', 'status', 'priority', 'channel', 'currentNodes', 'sla', 'done'],
  properties: {
    number: { type: 'string', example: 'CS20231028001' },
    status: { type: 'string' },
    priority: { type: 'string' },
    channel: { type: 'string' },
    subject: { type: 'string' },
    category: { type: ['string', 'null'] },
    subcategory: { type: ['string', 'null'] },
    team: { type: ['string', 'null'] },
    assignee: { type: ['string', 'null'] },
    currentNodes: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: { type: 'string' }, label: { type: 'string' } },
      },
    },
    sla: {
      type: 'object',
      properties: {
        responseDueAt: { type: ['string', 'null'], format: 'date-time' },
        resolutionDueAt: { type: ['string', 'null'], format: 'date-time' },
        breached: { type: 'boolean' },
      },
    },
    done: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    url: { type: 'string', format: 'uri' },
  },
} as const;

function error(description: string) {
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

/** The OpenAPI 3.1 document served at `/api/v1/openapi.json`; request bodies come from the zod schemas. */
export function getOpenApiDocument(publicUrl: string): unknown {
  const ticketParam = {
    name: 'number',
    in: 'path',
    required: true,
    schema: { type: 'string' },
    example: 'CS20231028001',
  };
  const listQuery = z.toJSONSchema(listQuerySchema, { io: 'input' }) as {
    properties?: Record<string, unknown>;
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard intake API',
      version: '1.0.0',
      description:
        'Create tickets, read them, and send them events. Authenticate with an API token.',
    },
    servers: [{ url: `${publicUrl}/api/v1` }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: errorSchema,
        Ticket: ticketSchema,
        TicketInput: z.toJSONSchema(intakeSchema, { io: 'input' }),
      },
    },
    paths: {
      '/tickets': {
        post: {
          summary: 'Create a ticket and start its flow',
          description:
            'A 201 means the ticket is durably stored and its flow started. Scope: tickets:write.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', maxLength: 255 },
              description:
                'The same key (per token) returns the same ticket with 200 and creates nothing.',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/TicketInput' } },
            },
          },
          responses: {
            '201': {
              description: 'Created',
              headers: { Location: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Ticket' } } },
            },
            '200': {
              description: 'The ticket an earlier request with the same Idempotency-Key created',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Ticket' } } },
            },
            '400': error('Invalid body: every bad field is named in issues'),
            '401': error('Missing, unknown or revoked token'),
            '403': error('The token lacks tickets:write'),
            '413': error('Body over 1 MB'),
            '415': error('Body is not JSON'),
          },
        },
        get: {
          summary: 'List tickets, newest first',
          description: 'Scope: tickets:read. Pass nextCursor as cursor for the next page.',
          parameters: Object.entries(listQuery.properties ?? {}).map(([name, schema]) => ({
            name,
            in: 'query',
            required: false,
            schema,
          })),
          responses: {
            '200': {
              description: 'A page of tickets',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      items: { type: 'array', items: { $ref: '#/components/schemas/Ticket' } },
                      nextCursor: { type: ['string', 'null'] },
                    },
                  },
                },
              },
            },
            '400': error('Invalid query'),
            '401': error('Missing, unknown or revoked token'),
            '403': error('The token lacks tickets:read'),
          },
        },
      },
      '/tickets/{number}': {
        get: {
          summary: 'A ticket with its current node, SLA due times and event history',
          parameters: [ticketParam],
          responses: {
            '200': {
              description: 'The ticket',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Ticket' } } },
            },
            '401': error('Missing, unknown or revoked token'),
            '403': error('The token lacks tickets:read'),
            '404': error('No such ticket'),
          },
        },
      },
      '/tickets/{number}/events': {
        post: {
          summary: 'Send an event to a ticket',
          description:
            'Scope: tickets:write. APPROVAL.DECIDED (approve or reject a pending approval) also ' +
            'needs the approvals:decide scope; each decision is written to the audit log with the token.',
          parameters: [ticketParam],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['type'],
                  properties: { type: { type: 'string', enum: PUBLIC_EVENT_TYPES } },
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'The event was processed',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Ticket' } } },
            },
            '400': error('Unknown event type or malformed event'),
            '401': error('Missing, unknown or revoked token'),
            '403': error(
              'The token lacks tickets:write, or approvals:decide for APPROVAL.DECIDED (the message names the scope)',
            ),
            '404': error('No such ticket'),
            '409': error("The ticket's current state does not accept this event"),
            '413': error('Body over 1 MB'),
            '415': error('Body is not JSON'),
          },
        },
      },
    },
  };
}
