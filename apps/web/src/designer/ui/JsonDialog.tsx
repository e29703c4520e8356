import { CloseCircleFilled, WarningFilled } from '@ant-design/icons';
import { FLOW_JSON_SCHEMA_ID, getFlowJsonSchema } from '@switchyard/flow';
import { Alert, Button, Modal, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { diffDocuments } from '../model/diff';
import { formatFlowText, parseFlowText } from '../model/json-text';
import type { ParseFlowTextResult } from '../model/json-text';
import type { Monaco } from '../monaco/setup';
import { useSession } from './context';
import { translateDiagnostic } from './diagnostic-text';
import { loadMonacoModule } from './form/CelEditor';

type JsonDefaults = Awaited<ReturnType<typeof loadMonacoModule>>['jsonDefaults'];

let schemaRegistered = false;

function registerFlowSchema(jsonDefaults: JsonDefaults): void {
  if (schemaRegistered) return;
  schemaRegistered = true;
  // Monaco's JSON worker validates against the same JSON Schema the CLI exports.
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemas: [
      { uri: FLOW_JSON_SCHEMA_ID, fileMatch: ['flow-*.json'], schema: getFlowJsonSchema() },
    ],
  });
}

/**
 * The whole flow as JSON in Monaco, checked against the flow JSON Schema as you type; Apply
 * validates the document and applies the difference as one undoable change.
 */
export function JsonDialog({
  open,
  onClose,
}: {
  readonly open: boolean;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation('designer');
  const { store, flowId } = useSession();
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<ReturnType<Monaco['editor']['create']> | null>(null);
  const [loading, setLoading] = useState(true);
  const [result, setResult] = useState<ParseFlowTextResult | null>(null);

  useEffect(() => {
    if (!open) return;
    let disposed = false;
    let cleanup: () => void = () => undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    void loadMonacoModule().then(({ monaco, jsonDefaults }) => {
      if (disposed || host.current === null) return;
      registerFlowSchema(jsonDefaults);
      const text = formatFlowText(store.getState().doc);
      const model = monaco.editor.createModel(
        text,
        'json',
        monaco.Uri.parse(`inmemory://flows/flow-${flowId}-${Date.now()}.json`),
      );
      const editor = monaco.editor.create(host.current, {
        model,
        automaticLayout: true,
        // A plain textarea rather than EditContext: React Flow's shortcuts (Space to pan) leave
        // text areas alone but would swallow keys typed into an EditContext element.
        editContext: false,
        minimap: { enabled: false },
        fontSize: 13,
        tabSize: 2,
        scrollBeyondLastLine: false,
        fixedOverflowWidgets: true,
        formatOnPaste: true,
      });
      editorRef.current = editor;
      setResult(parseFlowText(text));
      setLoading(false);
      const changes = model.onDidChangeContent(() => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          setResult(parseFlowText(model.getValue()));
        }, 250);
      });
      editor.focus();
      cleanup = () => {
        changes.dispose();
        editor.dispose();
        model.dispose();
      };
    });
    return () => {
      disposed = true;
      clearTimeout(timer);
      cleanup();
      editorRef.current = null;
      setLoading(true);
      setResult(null);
    };
  }, [open, store, flowId]);

  const idChanged = result?.ok === true && result.document.id !== store.getState().doc.id;
  const apply = () => {
    const editor = editorRef.current;
    if (editor === null) return;
    const parsed = parseFlowText(editor.getValue());
    setResult(parsed);
    if (!parsed.ok || parsed.document.id !== store.getState().doc.id) return;
    const current = store.getState().doc;
    store.dispatch(diffDocuments(current, parsed.document), {
      label: 'json',
      select: { nodeIds: [], edgeIds: [] },
    });
    onClose();
  };
  const format = () => {
    void editorRef.current?.getAction('editor.action.formatDocument')?.run();
  };

  const errors =
    result?.ok === true ? result.diagnostics.filter((d) => d.severity === 'error') : [];
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('json.title')}
      width="min(1100px, 92vw)"
      destroyOnHidden
      footer={[
        <Button key="format" onClick={format} disabled={loading}>
          {t('json.format')}
        </Button>,
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="apply"
          type="primary"
          onClick={apply}
          disabled={loading || result?.ok !== true || idChanged}
          data-testid="json-apply"
        >
          {t('json.apply')}
        </Button>,
      ]}
    >
      <div className="sy-json-editor" ref={host} data-testid="json-editor">
        {loading && <Spin className="sy-json-loading" />}
      </div>
      <div className="sy-json-status" data-testid="json-status">
        {result?.ok === false && (
          <Alert
            type="error"
            showIcon
            title={t('json.invalid')}
            description={
              <ul className="sy-json-problems">
                {result.problems.slice(0, 6).map((problem, index) => (
                  <li key={index}>
                    <CloseCircleFilled />{' '}
                    {problem.path !== undefined && <code>{problem.path}</code>}{' '}
                    {problem.line !== undefined &&
                      t('json.at', { line: problem.line, column: problem.column })}{' '}
                    {problem.message}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        {idChanged && <Alert type="error" showIcon title={t('json.idChanged')} />}
        {result?.ok === true && !idChanged && (
          <Alert
            type={errors.length > 0 ? 'warning' : 'success'}
            showIcon
            title={
              errors.length > 0
                ? t('json.validWithErrors', { count: errors.length })
                : t('json.valid', { count: result.diagnostics.length })
            }
            description={
              errors.length > 0 ? (
                <ul className="sy-json-problems">
                  {errors.slice(0, 4).map((diagnostic, index) => (
                    <li key={index}>
                      <WarningFilled /> {translateDiagnostic(diagnostic, t)}
                    </li>
                  ))}
                </ul>
              ) : undefined
            }
          />
        )}
      </div>
    </Modal>
  );
}
