import { describe, expect, it } from 'vitest';
import { checkPlaceholder, getConditionSchema, getPlaceholders, renderTemplate } from '../src';

describe('getPlaceholders', () => {
  it.each([
    ['No placeholders', []],
    [
      'Hi {{ticket.customer.name}}, {{ links.survey }}',
      [
        { path: 'ticket.customer.name', start: 3, end: 27 },
        { path: 'links.survey', start: 29, end: 47 },
      ],
    ],
    ['{{ ticket.subject\n}}', [{ path: 'ticket.subject', start: 0, end: 20 }]],
    [
      '{{a}}{{b}}',
      [
        { path: 'a', start: 0, end: 5 },
        { path: 'b', start: 5, end: 10 },
      ],
    ],
    ['{{}}', [{ path: '', start: 0, end: 4 }]],
    ['{{{ticket.number}}}', [{ path: 'ticket.number', start: 1, end: 18 }]],
    ['{{ticket.number', []],
  ])('%j', (text, expected) => {
    expect(getPlaceholders(text)).toEqual(expected);
  });
});

describe('checkPlaceholder', () => {
  const schema = getConditionSchema([{ key: 'orderId', label: 'Order', type: 'string' }]);
  const noFields = getConditionSchema([]);
  const LINKS = 'use one of {{links.ticket}}, {{links.survey}}, {{links.approval}}';

  it.each([
    'ticket.number',
    'ticket.customer.tier',
    'ticket.fields.orderId',
    'ticket.tags',
    'ticket.sla.breached',
    'links.ticket',
    'links.survey',
    'links.approval',
  ])('%s resolves', (path) => {
    expect(checkPlaceholder(path, schema)).toBeNull();
  });

  it.each([
    [
      'ticket.fields.nope',
      'The ticket has no field "fields.nope"; check the spelling, or declare the custom field under ticketFields',
    ],
    [
      'ticket.constructor',
      'The ticket has no field "constructor"; check the spelling, or declare the custom field under ticketFields',
    ],
    [
      'ticket.number.length',
      '"{{ticket.number.length}}" goes past a value; end the placeholder at {{ticket.number}}',
    ],
    [
      'ticket.tags.first',
      '"{{ticket.tags.first}}" goes past a value; end the placeholder at {{ticket.tags}}',
    ],
    [
      'ticket.customer',
      '"{{ticket.customer}}" is a group of fields, not a value; use one of its fields such as {{ticket.customer.id}}',
    ],
    [
      'ticket',
      '"{{ticket}}" is a group of fields, not a value; use one of its fields such as {{ticket.number}}',
    ],
    ['links.nope', `Unknown link "{{links.nope}}"; ${LINKS}`],
    ['links', `Unknown link "{{links}}"; ${LINKS}`],
    ['links.survey.url', `Unknown link "{{links.survey.url}}"; ${LINKS}`],
    [
      'customer.name',
      'Unknown placeholder "{{customer.name}}"; placeholders start with "ticket." or "links."',
    ],
    [
      'event.score',
      'Unknown placeholder "{{event.score}}"; placeholders start with "ticket." or "links."',
    ],
    ['', '"{{}}" is not a field path; write a path such as {{ticket.number}}'],
    [
      'ticket..number',
      '"{{ticket..number}}" is not a field path; write a path such as {{ticket.number}}',
    ],
    [
      'ticket.number | upper',
      '"{{ticket.number | upper}}" is not a field path; write a path such as {{ticket.number}}',
    ],
  ])('%j: %s', (path, problem) => {
    expect(checkPlaceholder(path, schema)).toBe(problem);
  });

  it('names no example field when a group is empty', () => {
    expect(checkPlaceholder('ticket.fields', noFields)).toBe(
      '"{{ticket.fields}}" is a group of fields, not a value; use one of its fields',
    );
  });
});

describe('renderTemplate', () => {
  const values = {
    ticket: {
      number: 'CS1',
      escalationLevel: 2,
      sla: { breached: false },
      tags: ['vip', 'login'],
      customer: { name: 'Ana', email: null },
      big: 10n,
    },
    links: { survey: 'https://support.example.com/s/1' },
  };

  it.each([
    ['Ticket {{ticket.number}}', 'Ticket CS1'],
    ['{{ ticket.number }}', 'CS1'],
    ['Level {{ticket.escalationLevel}}', 'Level 2'],
    ['Breached: {{ticket.sla.breached}}', 'Breached: false'],
    ['Tags: {{ticket.tags}}', 'Tags: vip, login'],
    ['Hi {{ticket.customer.name}} <{{ticket.customer.email}}>', 'Hi Ana <>'],
    ['{{ticket.missing}}|{{nope.x}}', '|'],
    ['[{{ticket.customer}}]', '[]'],
    ['[{{ticket.constructor}}{{ticket.__proto__}}{{ticket.number.length}}]', '[]'],
    ['{{ticket.big}}', '10'],
    ['Rate us: {{links.survey}}', 'Rate us: https://support.example.com/s/1'],
    ['{{ticket.number', '{{ticket.number'],
    ['{{{ticket.number}}}', '{CS1}'],
    ['No placeholders', 'No placeholders'],
  ])('%j → %j', (text, rendered) => {
    expect(renderTemplate(text, values)).toBe(rendered);
  });
});
