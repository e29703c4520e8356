import type { ExpressionEnvironment, VariableSchema } from '@switchyard/expr';
import { Input } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkCondition } from '../../model/cel';
import type { CelProblem } from '../../model/cel';
import type * as MonacoSetup from '../../monaco/setup';
import type { Monaco } from '../../monaco/setup';
import { CEL_LANGUAGE_ID, forgetModel, setModelSchema } from '../../monaco/cel-language';

type MonacoModule = typeof MonacoSetup;

let monacoLoader: Promise<MonacoModule> | null = null;

/** Load Monaco (with its workers, JSON and CEL) once, on first use. */
export function loadMonacoModule(): Promise<MonacoModule> {
  monacoLoader ??= import('../../monaco/setup');
  return monacoLoader;
}

export function loadMonaco(): Promise<Monaco> {
  return loadMonacoModule().then((module) => module.monaco);
}

let modelCounter = 0;

export interface CelEditorProps {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly schema: VariableSchema;
  readonly environment: ExpressionEnvironment;
  readonly placeholder?: string;
  /** Lines the editor grows to before it scrolls. */
  readonly maxLines?: number;
  readonly id?: string;
  readonly onBlur?: () => void;
  readonly ariaLabel?: string;
}

/**
 * A CEL condition in Monaco: CEL highlighting, completion of ticket and custom fields, and error
 * markers from `@switchyard/expr` as you type (the same check lint runs). Until Monaco has loaded
 * it is a plain text input, so the panel never waits.
 */
export function CelEditor({
  value,
  onChange,
  schema,
  environment,
  placeholder,
  maxLines = 6,
  id,
  onBlur,
  ariaLabel,
}: CelEditorProps) {
  const { t } = useTranslation('designer');
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<ReturnType<Monaco['editor']['create']> | null>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const [ready, setReady] = useState(false);
  const [problems, setProblems] = useState<readonly CelProblem[]>(() =>
    checkCondition(environment, value),
  );
  const latest = useRef({ onChange, onBlur, environment, schema });
  latest.current = { onChange, onBlur, environment, schema };

  useEffect(() => {
    let disposed = false;
    let cleanup: () => void = () => undefined;
    void loadMonaco().then((monaco) => {
      if (disposed || host.current === null) return;
      monacoRef.current = monaco;
      const uri = monaco.Uri.parse(`inmemory://cel/condition-${++modelCounter}.cel`);
      const model = monaco.editor.createModel(value, CEL_LANGUAGE_ID, uri);
      setModelSchema(model, latest.current.schema);
      const editor = monaco.editor.create(host.current, {
        model,
        minimap: { enabled: false },
        lineNumbers: 'off',
        glyphMargin: false,
        folding: false,
        lineDecorationsWidth: 6,
        lineNumbersMinChars: 0,
        renderLineHighlight: 'none',
        overviewRulerLanes: 0,
        hideCursorInOverviewRuler: true,
        scrollBeyondLastLine: false,
        wordWrap: 'on',
        fontSize: 13,
        fontFamily: "'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, monospace",
        automaticLayout: true,
        // A plain textarea rather than EditContext: React Flow's shortcuts (Space to pan) leave
        // text areas alone but would swallow keys typed into an EditContext element.
        editContext: false,
        fixedOverflowWidgets: true,
        contextmenu: false,
        scrollbar: { vertical: 'auto', horizontal: 'hidden', alwaysConsumeMouseWheel: false },
        padding: { top: 5, bottom: 5 },
        placeholder: placeholder ?? t('cel.placeholder'),
        ariaLabel: ariaLabel ?? t('cel.ariaLabel'),
        quickSuggestions: { other: true, strings: false, comments: false },
        suggestOnTriggerCharacters: true,
        tabCompletion: 'on',
      });
      editorRef.current = editor;
      const lineHeight = editor.getOption(monaco.editor.EditorOption.lineHeight);
      // Grow with the content (wrapped lines included) up to maxLines, then scroll.
      const resize = () => {
        const height = Math.min(
          maxLines * lineHeight + 10,
          Math.max(lineHeight + 10, editor.getContentHeight()),
        );
        if (host.current !== null && host.current.style.height !== `${height}px`) {
          host.current.style.height = `${height}px`;
          editor.layout();
        }
      };
      const mark = () => {
        const found = checkCondition(latest.current.environment, model.getValue());
        setProblems(found);
        monaco.editor.setModelMarkers(
          model,
          'cel',
          found.map((problem) => ({ ...problem, severity: monaco.MarkerSeverity.Error })),
        );
      };
      resize();
      mark();
      const sized = editor.onDidContentSizeChange(resize);
      const changes = model.onDidChangeContent(() => {
        mark();
        latest.current.onChange(model.getValue());
      });
      const blur = editor.onDidBlurEditorText(() => latest.current.onBlur?.());
      setReady(true);
      cleanup = () => {
        changes.dispose();
        sized.dispose();
        blur.dispose();
        forgetModel(model);
        editor.dispose();
        model.dispose();
      };
    });
    return () => {
      disposed = true;
      cleanup();
      editorRef.current = null;
    };
    // The editor is created once; value, schema and environment updates are handled below.
  }, []);

  // External changes (undo, the JSON view) replace the text; the editor's own typing does not.
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (model !== null && model !== undefined && model.getValue() !== value) {
      editor?.executeEdits('external', [{ range: model.getFullModelRange(), text: value }]);
    }
  }, [value]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    const monaco = monacoRef.current;
    if (model !== null && model !== undefined) setModelSchema(model, schema);
    if (model !== null && model !== undefined && monaco !== null) {
      const found = checkCondition(environment, model.getValue());
      setProblems(found);
      monaco.editor.setModelMarkers(
        model,
        'cel',
        found.map((problem) => ({ ...problem, severity: monaco.MarkerSeverity.Error })),
      );
    }
  }, [schema, environment]);

  return (
    <div
      className={`sy-cel${problems.length > 0 ? ' sy-cel-invalid' : ''}`}
      data-testid="cel-editor"
      data-problems={problems.map((problem) => problem.message).join('\n')}
    >
      <div
        ref={host}
        className="sy-cel-host"
        id={id}
        style={{ display: ready ? 'block' : 'none' }}
      />
      {!ready && (
        <Input
          value={value}
          className="sy-cel-fallback"
          onChange={(event) => {
            onChange(event.target.value);
          }}
          placeholder={placeholder ?? t('cel.placeholder')}
        />
      )}
    </div>
  );
}
