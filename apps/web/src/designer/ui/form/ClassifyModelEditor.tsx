import { Button, Flex, Input, InputNumber, Select, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClassifierModelOption } from '../../backend';
import { getAtPath } from '../../model/edits';
import type { PathSegment } from '../../model/problems';
import { useSession } from '../context';
import { useNodeForm } from './form-context';
import { ProblemText } from './widgets';

interface LabelTarget {
  category: string;
  subcategory?: string;
}

interface ModelConfig {
  modelId?: string;
  threshold?: number;
  labelMap?: Record<string, LabelTarget>;
}

function asModelConfig(value: unknown): ModelConfig {
  return typeof value === 'object' && value !== null ? value : {};
}

/** The trained models the backend offers; null while loading or when it offers none. */
function useClassifierModels(): {
  models: readonly ClassifierModelOption[] | null;
  error: string | null;
} {
  const { backend } = useSession();
  const [state, setState] = useState<{
    models: readonly ClassifierModelOption[] | null;
    error: string | null;
  }>({ models: null, error: null });
  useEffect(() => {
    let live = true;
    backend.listClassifierModels?.().then(
      (models) => {
        if (live) setState({ models, error: null });
      },
      (error: unknown) => {
        if (live)
          setState({ models: [], error: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [backend]);
  return state;
}

const percent = (value: number) =>
  new Intl.NumberFormat(undefined, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(value);

/**
 * `classify.model`: a select of trained models (name, CV accuracy, labels), the confidence
 * threshold, and where each label the model answers goes among this step's categories.
 */
export function ClassifyModelEditor({ path }: { readonly path: readonly PathSegment[] }) {
  const { t } = useTranslation('models');
  const form = useNodeForm();
  const { backend } = useSession();
  const { models, error } = useClassifierModels();
  const config = asModelConfig(getAtPath(form.config, path));
  const categories = (Array.isArray(form.config.categories) ? form.config.categories : [])
    .map((category: unknown) => {
      const id: unknown =
        typeof category === 'object' && category !== null
          ? (category as { id?: unknown }).id
          : undefined;
      return typeof id === 'string' ? id : '';
    })
    .filter((id) => id !== '');
  const modelId = config.modelId ?? '';
  const selected = models?.find((model) => model.id === modelId) ?? null;
  const labelMap = config.labelMap ?? {};
  const threshold = config.threshold ?? 0.5;

  const setModel = (next: ModelConfig | undefined) => {
    form.setValue(path, next);
  };
  const setTarget = (label: string, target: LabelTarget | null) => {
    const nextMap = Object.fromEntries(Object.entries(labelMap).filter(([key]) => key !== label));
    if (target !== null) nextMap[label] = target;
    setModel({ ...config, modelId, threshold, labelMap: nextMap });
  };
  /** Maps each label whose name equals a category id (ignoring case, `_` vs `-`) to it. */
  const mapByName = (labels: readonly string[]) => {
    const key = (text: string) => text.toLowerCase().replaceAll('_', '-');
    const byKey = new Map(categories.map((category) => [key(category), category]));
    const nextMap = { ...labelMap };
    for (const label of labels) {
      const category = byKey.get(key(label));
      if (category !== undefined && category !== label) nextMap[label] = { category };
    }
    return nextMap;
  };

  const picker =
    models === null && backend.listClassifierModels === undefined ? (
      <Input
        size="small"
        value={modelId}
        placeholder={t('picker.placeholder')}
        aria-label={t('picker.model')}
        onChange={(event) => {
          setModel({ ...config, modelId: event.target.value, threshold });
        }}
      />
    ) : (
      <Select
        size="small"
        showSearch={{ optionFilterProp: 'search' }}
        allowClear
        loading={models === null}
        value={modelId === '' ? undefined : modelId}
        placeholder={t('picker.placeholder')}
        aria-label={t('picker.model')}
        data-testid="classify-model-select"
        notFoundContent={t('picker.none')}
        style={{ width: '100%' }}
        popupMatchSelectWidth={false}
        options={[
          // An id that is not a trained model here (a template's own model) stays visible.
          ...(modelId !== '' && models !== null && selected === null
            ? [{ value: modelId, search: modelId, label: <span>{modelId}</span> }]
            : []),
          ...(models ?? [])
            .filter((model) => !model.archived || model.id === modelId)
            .map((model) => ({
              value: model.id,
              search: `${model.name} ${model.id}`,
              label: (
                <Flex gap={6} align="center" justify="space-between">
                  <span>{model.name}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('picker.accuracy', { accuracy: percent(model.accuracy) })} ·{' '}
                    {t('picker.labels', { count: model.labels.length })}
                    {model.archived && <Tag style={{ marginLeft: 6 }}>{t('picker.archived')}</Tag>}
                  </Typography.Text>
                </Flex>
              ),
            })),
        ]}
        onChange={(next: string | undefined) => {
          if (next === undefined) {
            setModel(undefined);
            return;
          }
          const model = models?.find((m) => m.id === next);
          setModel({
            modelId: next,
            threshold,
            labelMap: model === undefined ? labelMap : mapByName(model.labels),
          });
        }}
      />
    );

  return (
    <div className="sy-classify-model" data-testid="classify-model">
      {picker}
      {models !== null && modelId !== '' && selected === null && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('picker.missing', { id: modelId })}
        </Typography.Text>
      )}
      {error !== null && (
        <Typography.Text type="danger" style={{ fontSize: 12 }}>
          {error}
        </Typography.Text>
      )}
      {backend.modelsHref !== undefined && (
        <Typography.Link href={backend.modelsHref} target="_blank" style={{ fontSize: 12 }}>
          {t('picker.manage')}
        </Typography.Link>
      )}
      {modelId !== '' && (
        <>
          <Flex gap={8} align="center" style={{ marginTop: 8 }}>
            <Typography.Text style={{ fontSize: 12 }}>{t('picker.threshold')}</Typography.Text>
            <InputNumber
              size="small"
              min={0}
              max={1}
              step={0.05}
              value={threshold}
              aria-label={t('picker.threshold')}
              onChange={(next: number | null) => {
                setModel({ ...config, modelId, threshold: next ?? 0.5 });
              }}
            />
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('picker.thresholdHelp')}
          </Typography.Text>
          {selected !== null && (
            <div className="sy-label-map" data-testid="label-map" style={{ marginTop: 8 }}>
              <Flex justify="space-between" align="center">
                <Typography.Text strong style={{ fontSize: 12 }}>
                  {t('picker.labelMap')}
                </Typography.Text>
                <Button
                  size="small"
                  type="link"
                  onClick={() => {
                    setModel({
                      ...config,
                      modelId,
                      threshold,
                      labelMap: mapByName(selected.labels),
                    });
                  }}
                >
                  {t('picker.mapAll')}
                </Button>
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('picker.labelMapHelp')}
              </Typography.Text>
              {selected.labels.map((label) => {
                const target = labelMap[label];
                return (
                  <Flex key={label} gap={6} align="center" style={{ marginTop: 4 }}>
                    <Typography.Text
                      ellipsis={{ tooltip: label }}
                      style={{ width: '40%', fontSize: 12 }}
                    >
                      {label}
                    </Typography.Text>
                    <Select
                      size="small"
                      style={{ flex: 1, minWidth: 0 }}
                      aria-label={`${label} →`}
                      value={target?.category ?? ''}
                      options={[
                        {
                          value: '',
                          label: categories.includes(label) ? label : t('picker.asIs'),
                        },
                        ...categories.map((category) => ({ value: category, label: category })),
                      ]}
                      onChange={(category: string) => {
                        setTarget(
                          label,
                          category === ''
                            ? null
                            : {
                                category,
                                ...(target?.subcategory !== undefined && {
                                  subcategory: target.subcategory,
                                }),
                              },
                        );
                      }}
                    />
                    {target !== undefined && (
                      <Input
                        size="small"
                        style={{ width: '30%' }}
                        placeholder={t('designer:classify.subcategory', { defaultValue: '' })}
                        value={target.subcategory ?? ''}
                        onChange={(event) => {
                          const subcategory = event.target.value;
                          setTarget(label, {
                            category: target.category,
                            ...(subcategory !== '' && { subcategory }),
                          });
                        }}
                      />
                    )}
                  </Flex>
                );
              })}
            </div>
          )}
        </>
      )}
      <ProblemText problems={form.problemsUnder(path)} />
    </div>
  );
}
