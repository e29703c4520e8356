import type { TFunction } from 'i18next';

/** "requiredSkills" → "Required skills" (fallback when a field has no translated label). */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function fieldLabel(t: TFunction<'designer'>, key: string): string {
  return t(`fields.${key}`, { defaultValue: humanize(key) });
}

export function fieldHelp(t: TFunction<'designer'>, kind: string, key: string): string {
  return t(`help.${kind}.${key}`, { defaultValue: t(`help.any.${key}`, { defaultValue: '' }) });
}

/** A value of an enum (priority, channel, role…) in the UI language. */
export function valueLabel(t: TFunction<'designer'>, value: string): string {
  return t(`values.${value}`, { defaultValue: value });
}
