import { CloseCircleFilled, WarningFilled } from '@ant-design/icons';
import { parseDuration } from '@switchyard/flow';
import type { Diagnostic } from '@switchyard/flow';
import { AutoComplete, Input, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { translateDiagnostic } from '../diagnostic-text';

const DURATION_PRESETS = ['15m', '30m', '1h', '2h', '4h', '8h', '24h', '3d', '7d'];

/** "1h30m" → "1 h 30 min" in the UI language (or null when it is not a duration). */
export function useDurationText(): (text: string) => string | null {
  const { t } = useTranslation('designer');
  return (text) => {
    const ms = parseDuration(text);
    if (ms === null) return null;
    if (ms === 0) return t('duration.immediately');
    const parts: string[] = [];
    let rest = ms;
    for (const [unit, size] of [
      ['d', 86_400_000],
      ['h', 3_600_000],
      ['m', 60_000],
      ['s', 1000],
    ] as const) {
      const count = Math.floor(rest / size);
      if (count > 0) parts.push(t(`duration.${unit}`, { count }));
      rest -= count * size;
    }
    return parts.join(' ');
  };
}

export interface DurationInputProps {
  readonly value: string | undefined;
  readonly onChange: (value: string | undefined) => void;
  readonly allowZero?: boolean;
  readonly optional?: boolean;
  readonly placeholder?: string;
  readonly size?: 'small' | 'middle';
  readonly id?: string;
}

/**
 * A duration as admins write it ("30m", "2h", "1h30m", "3d"), checked with the flow package's
 * `parseDuration` while typing, with the meaning spelled out and common values to pick.
 */
export function DurationInput({
  value,
  onChange,
  allowZero = false,
  optional = false,
  placeholder,
  size = 'middle',
  id,
}: DurationInputProps) {
  const { t } = useTranslation('designer');
  const describe = useDurationText();
  const text = value ?? '';
  const ms = text === '' ? null : parseDuration(text);
  const valid = text === '' ? optional : ms !== null && (allowZero || ms > 0);
  const meaning = ms === null ? null : describe(text);
  const options = (allowZero ? ['0m', ...DURATION_PRESETS] : DURATION_PRESETS).map((preset) => ({
    value: preset,
    label: (
      <span className="sy-duration-option">
        <span>{preset}</span>
        <Typography.Text type="secondary">{describe(preset)}</Typography.Text>
      </span>
    ),
  }));
  return (
    <div className="sy-duration">
      <AutoComplete
        value={text}
        options={options}
        onChange={(next: string) => {
          onChange(next === '' && optional ? undefined : next.trim() === '' ? '' : next);
        }}
        size={size}
        style={{ width: size === 'small' ? 110 : 150 }}
        popupMatchSelectWidth={200}
      >
        <Input
          id={id}
          status={valid ? undefined : 'error'}
          placeholder={placeholder ?? t('duration.placeholder')}
          size={size}
        />
      </AutoComplete>
      <Typography.Text
        type={valid ? 'secondary' : 'danger'}
        className="sy-duration-meaning"
        ellipsis
      >
        {valid ? (meaning ?? '') : text === '' ? t('duration.required') : t('duration.invalid')}
      </Typography.Text>
    </div>
  );
}

/** Lint problems under a field, translated. */
export function ProblemText({ problems }: { readonly problems: readonly Diagnostic[] }) {
  const { t } = useTranslation('designer');
  if (problems.length === 0) return null;
  return (
    <div className="sy-field-problems" role="alert">
      {problems.map((problem, index) => (
        <div key={index} className={`sy-field-problem sy-field-problem-${problem.severity}`}>
          {problem.severity === 'error' ? <CloseCircleFilled /> : <WarningFilled />}
          <span>{translateDiagnostic(problem, t)}</span>
        </div>
      ))}
    </div>
  );
}

export interface FieldRowProps {
  readonly label: ReactNode;
  readonly help?: ReactNode;
  readonly jsonPath: string;
  readonly problems?: readonly Diagnostic[];
  readonly required?: boolean;
  readonly children: ReactNode;
  readonly extra?: ReactNode;
  readonly htmlFor?: string;
}

/** One labelled field with its problems; `data-field-path` lets the problems panel focus it. */
export function FieldRow({
  label,
  help,
  jsonPath,
  problems = [],
  required = false,
  children,
  extra,
  htmlFor,
}: FieldRowProps) {
  const hasError = problems.some((problem) => problem.severity === 'error');
  return (
    <div className={`sy-field${hasError ? ' sy-field-error' : ''}`} data-field-path={jsonPath}>
      <div className="sy-field-label-row">
        <label className="sy-field-label" htmlFor={htmlFor}>
          {label}
          {required && <span className="sy-field-required">*</span>}
        </label>
        {extra}
      </div>
      {help !== undefined && help !== '' && <div className="sy-field-help">{help}</div>}
      <div className="sy-field-control">{children}</div>
      <ProblemText problems={problems} />
    </div>
  );
}
