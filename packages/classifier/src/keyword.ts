/**
 * Ordered keyword rules: the first rule whose keywords match wins.
 *
 * Matching works on normalised text (see `normalizeText`): case-folded, full-width folded
 * to half-width, common traditional Chinese folded to simplified, whitespace collapsed.
 * - A keyword without CJK characters matches whole words: its tokens must appear as
 *   consecutive tokens of the field ("log in" matches "I can't log in"; "login" does not
 *   match "logins" — list variants explicitly).
 * - A keyword with CJK characters matches as a substring of the field with spaces
 *   removed, because Chinese word segmentation varies ("登录" matches "无法登录后台").
 */
import { hasCjk, normalizeText, tokenize } from './normalize';

export type KeywordScope = 'subject' | 'description' | 'both';
export type KeywordField = 'subject' | 'description';

/** One rule of a flow's `classify` node. A rule needs at least one of `any` / `all`. */
export interface KeywordRule {
  id: string;
  category: string;
  subcategory?: string;
  /** At least one of these keywords or phrases is present. */
  any?: string[];
  /** Every one of these is present. */
  all?: string[];
  /** None of these is present. */
  none?: string[];
  /** Which ticket fields are searched; default `both`. */
  scope?: KeywordScope;
  tags?: string[];
}

export interface KeywordInput {
  subject?: string;
  description?: string;
}

export interface KeywordMatch {
  ruleId: string;
  category: string;
  subcategory?: string;
  tags: string[];
  /** The keywords (as written in the rule) that made the rule match, and where. */
  matched: { keyword: string; field: KeywordField }[];
}

export interface KeywordClassifier {
  classify(input: KeywordInput): KeywordMatch | null;
}

export interface KeywordRuleProblem {
  /** Stable code, e.g. `keyword/blank`. */
  code:
    | 'rule/not-array'
    | 'rule/not-object'
    | 'rule/id'
    | 'rule/duplicate-id'
    | 'rule/category'
    | 'rule/no-positive-keywords'
    | 'rule/scope'
    | 'keyword/empty-list'
    | 'keyword/blank';
  /** JSON path into the rules array, e.g. `[2, 'any', 0]`. */
  path: (string | number)[];
  message: string;
}

/** Thrown by `createKeywordClassifier` for rules that `validateKeywordRules` rejects. */
export class KeywordRuleError extends Error {
  override readonly name = 'KeywordRuleError';
  constructor(readonly problems: KeywordRuleProblem[]) {
    super(
      `invalid keyword rules: ${problems.map((p) => `at ${p.path.join('.')}: ${p.message}`).join('; ')}`,
    );
  }
}

const LISTS = ['any', 'all', 'none'] as const;
const SCOPES: readonly string[] = ['subject', 'description', 'both'];

function isBlankKeyword(keyword: unknown): boolean {
  if (typeof keyword !== 'string') return true;
  const normalized = normalizeText(keyword);
  if (normalized === '') return true;
  return !hasCjk(normalized) && tokenize(normalized).length === 0;
}

/**
 * Checks rules without throwing. Returns one problem per defect, each with a JSON path.
 *
 * @example
 * validateKeywordRules([{ id: 'r1', category: 'login', any: [' '] }])
 * // → [{ code: 'keyword/blank', path: [0, 'any', 0], message: '…' }]
 */
export function validateKeywordRules(rules: readonly KeywordRule[]): KeywordRuleProblem[] {
  const problems: KeywordRuleProblem[] = [];
  // Rules usually come from parsed JSON: check the shape even though the type says array.
  const asUnknown: unknown = rules;
  if (!Array.isArray(asUnknown)) {
    return [{ code: 'rule/not-array', path: [], message: 'Rules must be an array.' }];
  }
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    const asUnknownRule: unknown = rule;
    if (typeof asUnknownRule !== 'object' || asUnknownRule === null) {
      problems.push({
        code: 'rule/not-object',
        path: [index],
        message: 'Each rule must be an object.',
      });
      return;
    }
    if (typeof rule.id !== 'string' || rule.id.trim() === '') {
      problems.push({
        code: 'rule/id',
        path: [index, 'id'],
        message: 'Give the rule a non-empty id.',
      });
    } else if (seen.has(rule.id)) {
      problems.push({
        code: 'rule/duplicate-id',
        path: [index, 'id'],
        message: `Rule id "${rule.id}" is used twice; make it unique.`,
      });
    } else {
      seen.add(rule.id);
    }
    if (typeof rule.category !== 'string' || rule.category.trim() === '') {
      problems.push({
        code: 'rule/category',
        path: [index, 'category'],
        message: 'Give the rule a non-empty category.',
      });
    }
    if (rule.scope !== undefined && !SCOPES.includes(rule.scope)) {
      problems.push({
        code: 'rule/scope',
        path: [index, 'scope'],
        message: 'Scope must be "subject", "description" or "both".',
      });
    }
    for (const list of LISTS) {
      const keywords = rule[list];
      if (keywords === undefined) continue;
      if (!Array.isArray(keywords) || keywords.length === 0) {
        problems.push({
          code: 'keyword/empty-list',
          path: [index, list],
          message: `"${list}" is empty; add a keyword or remove the list.`,
        });
        continue;
      }
      keywords.forEach((keyword, k) => {
        if (isBlankKeyword(keyword)) {
          problems.push({
            code: 'keyword/blank',
            path: [index, list, k],
            message: 'Keyword is blank (or only punctuation); write a word or phrase.',
          });
        }
      });
    }
    if ((rule.any?.length ?? 0) === 0 && (rule.all?.length ?? 0) === 0) {
      problems.push({
        code: 'rule/no-positive-keywords',
        path: [index],
        message: 'A rule needs at least one keyword in "any" or "all".',
      });
    }
  });
  return problems;
}

interface CompiledKeyword {
  source: string;
  /** CJK keywords: normalised text with spaces removed, matched as a substring. */
  compact: string | null;
  /** Other keywords: tokens that must appear consecutively. */
  tokens: string[];
}

interface CompiledRule {
  rule: KeywordRule;
  fields: KeywordField[];
  any: CompiledKeyword[];
  all: CompiledKeyword[];
  none: CompiledKeyword[];
}

function compileKeyword(source: string): CompiledKeyword {
  const normalized = normalizeText(source);
  if (hasCjk(normalized)) return { source, compact: normalized.replace(/ /g, ''), tokens: [] };
  return { source, compact: null, tokens: tokenize(normalized) };
}

function fieldsFor(scope: KeywordScope | undefined): KeywordField[] {
  switch (scope) {
    case 'subject':
      return ['subject'];
    case 'description':
      return ['description'];
    case 'both':
    case undefined:
      return ['subject', 'description'];
  }
}

/** A field's text prepared once per classify call. */
class PreparedField {
  private readonly positions = new Map<string, number[]>();
  readonly compact: string;
  readonly tokens: string[];

  constructor(text: string) {
    const normalized = normalizeText(text);
    this.compact = normalized.replace(/ /g, '');
    this.tokens = tokenize(normalized, { segmentCjk: false });
    this.tokens.forEach((token, i) => {
      const list = this.positions.get(token);
      if (list === undefined) this.positions.set(token, [i]);
      else list.push(i);
    });
  }

  has(keyword: CompiledKeyword): boolean {
    if (keyword.compact !== null) return this.compact.includes(keyword.compact);
    const [first, ...rest] = keyword.tokens;
    if (first === undefined) return false;
    const starts = this.positions.get(first);
    if (starts === undefined) return false;
    return starts.some((start) => rest.every((token, k) => this.tokens[start + 1 + k] === token));
  }
}

/**
 * Compiles ordered keyword rules into a classifier; throws `KeywordRuleError` (listing
 * every problem with its path) when `validateKeywordRules` finds any.
 *
 * @example
 * const classifier = createKeywordClassifier([
 *   { id: 'login', category: 'account', any: ['log in', '登录'] },
 * ]);
 * classifier.classify({ description: '無法登錄後台' })?.category; // → 'account'
 */
export function createKeywordClassifier(rules: readonly KeywordRule[]): KeywordClassifier {
  const problems = validateKeywordRules(rules);
  if (problems.length > 0) throw new KeywordRuleError(problems);
  const compiled: CompiledRule[] = rules.map((rule) => ({
    rule,
    fields: fieldsFor(rule.scope),
    any: (rule.any ?? []).map(compileKeyword),
    all: (rule.all ?? []).map(compileKeyword),
    none: (rule.none ?? []).map(compileKeyword),
  }));

  return {
    classify(input) {
      const prepared = new Map<KeywordField, PreparedField>();
      const field = (name: KeywordField): PreparedField => {
        let p = prepared.get(name);
        if (p === undefined) {
          const raw = name === 'subject' ? input.subject : input.description;
          p = new PreparedField(typeof raw === 'string' ? raw : '');
          prepared.set(name, p);
        }
        return p;
      };
      const findField = (rule: CompiledRule, keyword: CompiledKeyword): KeywordField | null =>
        rule.fields.find((name) => field(name).has(keyword)) ?? null;

      for (const rule of compiled) {
        const matched: KeywordMatch['matched'] = [];
        let ok = true;
        for (const keyword of rule.all) {
          const where = findField(rule, keyword);
          if (where === null) {
            ok = false;
            break;
          }
          matched.push({ keyword: keyword.source, field: where });
        }
        if (!ok) continue;
        if (rule.any.length > 0) {
          for (const keyword of rule.any) {
            const where = findField(rule, keyword);
            if (where !== null) matched.push({ keyword: keyword.source, field: where });
          }
          if (matched.length === rule.all.length) continue;
        }
        if (rule.none.some((keyword) => findField(rule, keyword) !== null)) continue;
        const match: KeywordMatch = {
          ruleId: rule.rule.id,
          category: rule.rule.category,
          tags: [...(rule.rule.tags ?? [])],
          matched,
        };
        if (rule.rule.subcategory !== undefined) match.subcategory = rule.rule.subcategory;
        return match;
      }
      return null;
    },
  };
}
