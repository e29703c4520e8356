import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  extractMessageIds,
  findTicketTag,
  MailRejectedError,
  parseInboundMail,
  stripQuotedReply,
  tagSubject,
} from '../src/mail/parse';

const ticketNumber = fc
  .tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 999_999 }))
  .map(([year, seq]) => `CS${year}0101${String(seq).padStart(3, '0')}`);

describe('subject tags', () => {
  it('finds the tag it puts in front of any subject, once', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('[')),
        ticketNumber,
        (subject, number) => {
          const tagged = tagSubject(subject, number);
          expect(findTicketTag(tagged)).toBe(number);
          expect(tagSubject(tagged, number)).toBe(tagged);
          expect(findTicketTag(`Re: ${tagged.toLowerCase()}`)).toBe(number);
        },
      ),
    );
  });

  it('ignores what only looks like a ticket number', () => {
    expect(findTicketTag('CS20260101001 without brackets')).toBeNull();
    expect(findTicketTag('[CS2026] too short')).toBeNull();
    expect(findTicketTag('[XX20260101001]')).toBeNull();
    expect(findTicketTag('Fwd: [CS20260101001] and [CS20260101002]')).toBe('CS20260101001');
  });
});

describe('message ids', () => {
  it('reads ids with and without angle brackets, in order', () => {
    expect(extractMessageIds('<a@x> <b@y>')).toEqual(['a@x', 'b@y']);
    expect(extractMessageIds(['<a@x>', '<b@y>'])).toEqual(['a@x', 'b@y']);
    expect(extractMessageIds('a@x')).toEqual(['a@x']);
    expect(extractMessageIds('no ids here')).toEqual([]);
    expect(extractMessageIds(undefined)).toEqual([]);
  });
});

describe('quoted replies', () => {
  it('cuts the quoted conversation in English and Chinese clients', () => {
    expect(
      stripQuotedReply('New detail.\r\n\r\nOn Mon, 1 Jan 2026 at 09:00, Support wrote:\r\n> old'),
    ).toBe('New detail.');
    expect(stripQuotedReply('补充信息\n\n在 2026年1月1日 09:00，客服 写道：\n> 旧内容')).toBe(
      '补充信息',
    );
    expect(stripQuotedReply('Top\n-----Original Message-----\nFrom: x')).toBe('Top');
    expect(stripQuotedReply('a\n> quoted\nb')).toBe('a\nb');
    // A mail that is only a quote keeps its text rather than becoming empty.
    expect(stripQuotedReply('> only a quote')).toBe('> only a quote');
  });
});

describe('parseInboundMail', () => {
  it('reads sender, subject, text, ids and automatic markers', async () => {
    const mail = await parseInboundMail(
      Buffer.from(
        [
          'From: =?UTF-8?B?5byg5LiJ?= <Zhang.San@Example.CN>',
          'To: support@localhost',
          'Subject: =?UTF-8?B?5peg5rOV55m75b2V?=',
          'Message-ID: <m1@example.cn>',
          'In-Reply-To: <m0@localhost>',
          'References: <a@x> <m0@localhost>',
          'Content-Language: zh-CN',
          'Auto-Submitted: auto-replied',
          'Content-Type: text/plain; charset=utf-8',
          '',
          '你好',
          '',
        ].join('\r\n'),
      ),
    );
    expect(mail).toEqual({
      messageId: 'm1@example.cn',
      from: { address: 'zhang.san@example.cn', name: '张三' },
      subject: '无法登录',
      text: '你好',
      threadIds: ['m0@localhost', 'a@x'],
      language: 'zh-CN',
      automatic: true,
    });
  });

  it('gives a mail without Message-ID a stable id from its content', async () => {
    const raw = Buffer.from('From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n');
    const first = await parseInboundMail(raw);
    expect(first.messageId).toMatch(/^[0-9a-f]{40}@switchyard\.invalid$/);
    expect((await parseInboundMail(raw)).messageId).toBe(first.messageId);
  });

  it('accepts or refuses any bytes with a 554, never another error (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
          fc
            .tuple(fc.string(), fc.string(), fc.string())
            .map(([from, subject, body]) =>
              Buffer.from(`From: ${from}\r\nSubject: ${subject}\r\n\r\n${body}`),
            ),
        ),
        async (raw) => {
          try {
            const mail = await parseInboundMail(raw);
            expect(mail.from.address).toMatch(/^[^\s@<>]+@[^\s@<>]+$/);
            expect(mail.messageId).not.toBe('');
          } catch (error: unknown) {
            expect(error).toBeInstanceOf(MailRejectedError);
            expect((error as MailRejectedError).responseCode).toBe(554);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
