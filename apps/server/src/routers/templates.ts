import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flowDocumentSchema } from '@switchyard/flow';
import type { FlowDocument } from '@switchyard/flow';
import { z } from 'zod';
import { NotFoundError } from '../errors';
import { procedure, t } from '../trpc/core';

export interface TemplateInfo {
  readonly id: string;
  readonly name: { readonly en: string; readonly zh: string };
  readonly description: { readonly en: string; readonly zh: string };
  readonly industry: string | null;
  readonly nodeCount: number;
  /** The template's README.md (English and Chinese), or '' when it has none. */
  readonly readme: string;
  readonly document: FlowDocument;
}

/** Every `templates/<id>/flow.json` that is a Flow document, by folder name. */
export function readTemplates(dir: string): TemplateInfo[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'flow.json')))
    .map((entry) => entry.name)
    .sort()
    .flatMap((id) => {
      const parsed = flowDocumentSchema.safeParse(
        JSON.parse(readFileSync(join(dir, id, 'flow.json'), 'utf8')),
      );
      if (!parsed.success) return [];
      const document = parsed.data;
      const readmePath = join(dir, id, 'README.md');
      return [
        {
          id,
          name: { en: document.name, zh: document.names?.['zh-CN'] ?? document.name },
          description: {
            en: document.description ?? '',
            zh: document.descriptions?.['zh-CN'] ?? document.description ?? '',
          },
          industry: document.industry ?? null,
          nodeCount: document.nodes.length,
          readme: existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '',
          document,
        },
      ];
    });
}

export const templatesRouter = t.router({
  list: procedure('templates.list').query(({ ctx }) => readTemplates(ctx.services.templatesDir)),

  /** A new draft flow from a template, under a free id (`saas-login`, `saas-login-2`…). */
  import: procedure('templates.import')
    .input(z.object({ templateId: z.string().min(1).max(100) }).strict())
    .mutation(({ ctx, input }) => {
      const { repository, templatesDir } = ctx.services;
      const template = readTemplates(templatesDir).find((entry) => entry.id === input.templateId);
      if (template === undefined) {
        throw new NotFoundError(`There is no template ${input.templateId}`);
      }
      const flowId = repository.getFreeFlowId(template.document.id);
      const document = { ...template.document, id: flowId };
      repository.createFlow({
        id: flowId,
        name: document.name,
        description: document.description ?? null,
        draft: JSON.stringify(document),
        by: ctx.user.id,
      });
      return { flowId };
    }),
});
