import {
  CaretRightOutlined,
  ClockCircleOutlined,
  CloudServerOutlined,
  SaveOutlined,
  ExperimentOutlined,
  PlusOutlined,
  PauseOutlined,
  StepBackwardOutlined,
  StepForwardOutlined,
} from '@ant-design/icons';
import { PUBLIC_EVENT_TYPES } from '@switchyard/engine';
import type { ScriptedEvent, SimulationResult } from '@switchyard/engine';
import { IMPACTS } from '@switchyard/flow';
import type { Diagnostic, FlowDocument, TicketInput } from '@switchyard/flow';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { inferOutput } from '@trpc/tanstack-react-query';
import {
  Alert,
  Button,
  Collapse,
  Empty,
  Form,
  Input,
  List,
  Select,
  Space,
  Tabs,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { trpc, trpcClient } from '../api/client';
import {
  clockAt,
  EMPTY_HIGHLIGHT,
  firstFailure,
  formatEventScript,
  getRunExpectations,
  formatOffset,
  highlightAt,
  isAtEnd,
  nextTimerPosition,
  parseEventScript,
  stepBack,
  stepForward,
  timelineModel,
} from './model';
import type { Position, SimulationHighlight, TimelineItem } from './model';
import { ReplayPanel } from './ReplayPanel';
import { TicketFieldInputs } from './TicketFieldInputs';
import { getModelIds, runDraft } from './run';
import type { RemoteSimulate } from './run';
import './simulator.css';

export interface SimulatorPanelProps {
  /** The draft being edited (the simulation runs on it, in the browser). */
  readonly document: FlowDocument;
  /** The flow whose stored scenarios to offer and run (omit: no scenario suite). */
  readonly flowId?: string;
  /** Called with what the canvas should highlight (null: clear). */
  readonly onHighlight: (highlight: SimulationHighlight | null) => void;
  /**
   * Saves pending edits of the draft; awaited before the server runs the saved draft (suite,
   * replay), so they see what the canvas shows. The designer passes its autosave's flush.
   */
  readonly saveDraft?: () => Promise<void>;
  /** Milliseconds between steps while playing (default 700). */
  readonly playIntervalMs?: number;
}

const DEFAULT_TICKET: TicketInput = {
  subject: 'Cannot log in — password reset loop',
  description: 'Since this morning our admins cannot log in to the console.',
  channel: 'web',
  customer: { name: 'Alice Zhang', email: 'alice@corp.example', tier: 'vip' },
};
const DEFAULT_EVENTS: ScriptedEvent[] = [
  { at: '+30m', type: 'AGENT.REPLIED', message: 'We are looking into it.' },
];
const CHANNELS = ['web', 'email', 'api', 'chat', 'phone', 'social'] as const;

type SuiteResult = inferOutput<typeof trpc.scenarios.run>;

function ExplainWhy({ item }: { readonly item: TimelineItem }) {
  const { t } = useTranslation('simulator');
  return (
    <div className="sy-sim-mono" data-testid={`sim-explain-${item.index}`}>
      <div>{item.move}</div>
      {item.guards.map((guard, index) => (
        <div
          key={index}
          className={guard.result ? 'sy-sim-guard-true' : 'sy-sim-guard-false'}
          title={guard.error}
        >
          {t('guard')}: {guard.expression} {guard.inputs !== '' && `[${guard.inputs}]`} →{' '}
          {String(guard.result)}
          {guard.error !== undefined && ` (${guard.error})`}
        </div>
      ))}
      {item.effects.map((effect, index) => (
        <div key={`e${index}`}>
          {t('effect')}: {effect}
        </div>
      ))}
      {item.timers.map((timer, index) => (
        <div key={`t${index}`}>
          {t('timer')}: {timer}
        </div>
      ))}
      {item.notes.map((note, index) => (
        <div key={`n${index}`}>{note}</div>
      ))}
    </div>
  );
}

/** One transition of a suggested path: its edge, the event it needs and its condition. */
function describeVia(
  step: { readonly edgeId: string; readonly event: string; readonly condition: string | null },
  t: TFunction<'simulator'>,
): string {
  // Transitions taken without an event are marked "(automatic)" by the engine.
  const event = step.event.startsWith('(') ? '' : t('viaOn', { event: step.event });
  const condition = step.condition === null ? '' : t('viaWhen', { condition: step.condition });
  return `${step.edgeId}${event}${condition}`;
}

function Diagnostics({ diagnostics }: { readonly diagnostics: readonly Diagnostic[] }) {
  const { t } = useTranslation('simulator');
  return (
    <Alert
      type="error"
      showIcon
      data-testid="sim-lint"
      title={t('lintErrors')}
      description={
        <ul>
          {diagnostics.map((d, index) => (
            <li key={index}>
              {d.nodeId !== undefined && <b>{d.nodeId}: </b>}
              {d.message}
            </li>
          ))}
        </ul>
      }
    />
  );
}

/**
 * The simulator: a sample ticket and an event script run through the draft with the real engine
 * on a virtual clock, stepped through on the canvas with explain-why; the flow's scenario suite
 * with pass/fail and a coverage overlay.
 */
export function SimulatorPanel({
  document,
  flowId,
  onHighlight,
  saveDraft,
  playIntervalMs = 700,
}: SimulatorPanelProps) {
  const { t } = useTranslation('simulator');
  const [ticket, setTicket] = useState<TicketInput>(DEFAULT_TICKET);
  const [ticketText, setTicketText] = useState(() => JSON.stringify(DEFAULT_TICKET, null, 2));
  const [ticketError, setTicketError] = useState<string | null>(null);
  const [script, setScript] = useState(() => formatEventScript(DEFAULT_EVENTS));
  const [result, setResult] = useState<SimulationResult | null>(null);
  const [position, setPosition] = useState<Position>(-1);
  const [playing, setPlaying] = useState(false);
  const [problems, setProblems] = useState<readonly string[]>([]);
  const [diagnostics, setDiagnostics] = useState<readonly Diagnostic[]>([]);
  const [running, setRunning] = useState(false);
  const [suite, setSuite] = useState<SuiteResult | null>(null);
  const [ranOn, setRanOn] = useState<'browser' | 'server'>('browser');
  /** The sample ticket and script; folded away once a run is there to step through. */
  const [inputOpen, setInputOpen] = useState(true);
  const [newEvent, setNewEvent] = useState<{ at: string; type: string }>({
    at: '+1h',
    type: 'AGENT.REPLIED',
  });
  const modelIds = useMemo(() => getModelIds(document), [document]);
  const suiteRef = useRef<HTMLDivElement>(null);

  const parsedScript = useMemo(() => parseEventScript(script), [script]);
  const scenarios = useQuery({
    ...trpc.scenarios.list.queryOptions({ flowId: flowId ?? '' }),
    enabled: flowId !== undefined,
  });
  const runSuite = useMutation(
    trpc.scenarios.run.mutationOptions({
      onSuccess: (data) => {
        setSuite(data);
        // Bring the results into view (the timeline above may be long).
        window.requestAnimationFrame(() => {
          suiteRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
        });
      },
    }),
  );

  const [scenarioName, setScenarioName] = useState('');
  const saveScenario = useMutation(
    trpc.scenarios.save.mutationOptions({
      onSuccess: () => {
        setScenarioName('');
        void scenarios.refetch();
      },
    }),
  );
  const uncovered = useMemo(() => suite?.coverage.uncoveredEdges ?? [], [suite]);
  const covered = useMemo(
    () => [...new Set((suite?.scenarios ?? []).flatMap((scenario) => scenario.coveredEdges))],
    [suite],
  );

  useEffect(() => {
    if (result === null) {
      onHighlight(
        suite === null
          ? null
          : { ...EMPTY_HIGHLIGHT, uncoveredEdges: uncovered, coveredEdges: covered },
      );
      return;
    }
    onHighlight(highlightAt(result, position, uncovered, covered));
  }, [result, position, suite, uncovered, covered, onHighlight]);

  useEffect(
    () => () => {
      onHighlight(null);
    },
    [onHighlight],
  );

  useEffect(() => {
    if (!playing || result === null) return;
    if (isAtEnd(result, position)) {
      setPlaying(false);
      return;
    }
    const timer = window.setTimeout(() => {
      setPosition((p) => stepForward(result, p));
    }, playIntervalMs);
    return () => {
      window.clearTimeout(timer);
    };
  }, [playing, result, position, playIntervalMs]);

  const updateTicket = useCallback((next: TicketInput) => {
    setTicket(next);
    setTicketText(JSON.stringify(next, null, 2));
    setTicketError(null);
  }, []);

  const simulateNow = useCallback(async () => {
    if (parsedScript.errors.length > 0) return;
    setRunning(true);
    setPlaying(false);
    try {
      // Trained models live on the server: drafts whose classify steps use one run there.
      const remote: RemoteSimulate | undefined =
        flowId === undefined
          ? undefined
          : (request) =>
              trpcClient.versions.simulate.mutate({
                flowId,
                document: request.document,
                ticket: request.ticket,
                events: [...request.events],
                until: request.until,
              });
      const run = await runDraft(document, ticket, parsedScript.events, {
        ...(remote !== undefined && { remote }),
      });
      if (run.kind === 'ok') {
        setResult(run.result);
        setRanOn(run.where);
        setInputOpen(false);
        setPosition(-1);
        setProblems(run.result.rejected.map((r) => `${r.at} ${r.type}: ${r.reason}`));
        setDiagnostics([]);
      } else {
        setResult(null);
        setDiagnostics(run.kind === 'lint' ? run.diagnostics : []);
        setProblems(run.kind === 'ticket' ? run.issues : []);
      }
    } catch (error: unknown) {
      setResult(null);
      setProblems([error instanceof Error ? error.message : String(error)]);
    } finally {
      setRunning(false);
    }
  }, [document, ticket, parsedScript, flowId]);

  const timeline = useMemo(
    () => (result === null ? [] : timelineModel(result, position)),
    [result, position],
  );
  const nextTimer = result === null ? null : nextTimerPosition(result, position);

  const ticketForm = (
    <Form layout="vertical" size="small">
      <Form.Item label={t('subject')} required>
        <Input
          data-testid="sim-subject"
          value={ticket.subject}
          onChange={(e) => {
            updateTicket({ ...ticket, subject: e.target.value });
          }}
        />
      </Form.Item>
      <Form.Item label={t('description')}>
        <Input.TextArea
          rows={2}
          value={ticket.description ?? ''}
          onChange={(e) => {
            updateTicket({ ...ticket, description: e.target.value });
          }}
        />
      </Form.Item>
      <Space>
        <Form.Item label={t('customerName')}>
          <Input
            style={{ width: 150 }}
            value={ticket.customer?.name ?? ''}
            onChange={(e) => {
              updateTicket({ ...ticket, customer: { ...ticket.customer, name: e.target.value } });
            }}
          />
        </Form.Item>
        <Form.Item label={t('customerEmail')}>
          <Input
            style={{ width: 200 }}
            value={ticket.customer?.email ?? ''}
            onChange={(e) => {
              updateTicket({ ...ticket, customer: { ...ticket.customer, email: e.target.value } });
            }}
          />
        </Form.Item>
      </Space>
      <Space>
        <Form.Item label={t('channel')}>
          <Select
            style={{ width: 110 }}
            value={ticket.channel ?? 'api'}
            options={CHANNELS.map((c) => ({ value: c, label: c }))}
            onChange={(channel) => {
              updateTicket({ ...ticket, channel });
            }}
          />
        </Form.Item>
        <Form.Item label={t('tier')}>
          <Select
            style={{ width: 110 }}
            value={ticket.customer?.tier ?? 'standard'}
            options={[
              { value: 'standard', label: 'standard' },
              { value: 'vip', label: 'vip' },
            ]}
            onChange={(tier) => {
              updateTicket({ ...ticket, customer: { ...ticket.customer, tier } });
            }}
          />
        </Form.Item>
        <Form.Item label={t('impact')}>
          <Select
            style={{ width: 110 }}
            value={ticket.impact ?? 'single'}
            options={IMPACTS.map((impact) => ({ value: impact, label: t(`impacts.${impact}`) }))}
            onChange={(impact) => {
              updateTicket({ ...ticket, impact });
            }}
          />
        </Form.Item>
      </Space>
      <TicketFieldInputs fields={document.ticketFields} ticket={ticket} onChange={updateTicket} />
    </Form>
  );

  const ticketJson = (
    <>
      <Input.TextArea
        className="sy-sim-mono"
        rows={8}
        value={ticketText}
        data-testid="sim-ticket-json"
        onChange={(e) => {
          const text = e.target.value;
          setTicketText(text);
          try {
            const value: unknown = JSON.parse(text);
            if (typeof value !== 'object' || value === null || Array.isArray(value)) {
              throw new Error(t('ticketNotObject'));
            }
            setTicket(value as TicketInput);
            setTicketError(null);
          } catch (error: unknown) {
            setTicketError(error instanceof Error ? error.message : String(error));
          }
        }}
      />
      {ticketError !== null && <Typography.Text type="danger">{ticketError}</Typography.Text>}
    </>
  );

  return (
    <div className="sy-sim-panel" data-testid="simulator-panel">
      {flowId !== undefined && (scenarios.data?.length ?? 0) > 0 && (
        <Select
          placeholder={t('pickScenario')}
          data-testid="sim-pick-scenario"
          options={(scenarios.data ?? []).map((entry) => ({
            value: entry.name,
            label: entry.name,
          }))}
          onChange={(name: string) => {
            const entry = scenarios.data?.find((e) => e.name === name);
            if (entry === undefined) return;
            updateTicket(entry.scenario.ticket);
            setScript(formatEventScript(entry.scenario.events));
            setInputOpen(true);
          }}
        />
      )}
      <Collapse
        size="small"
        activeKey={inputOpen ? ['input'] : []}
        onChange={(keys) => {
          setInputOpen(keys.includes('input'));
        }}
        items={[
          {
            key: 'input',
            label: (
              <span className="sy-sim-input-label" data-testid="sim-input-header">
                {t('sampleTicket')}:{' '}
                <Typography.Text type="secondary">{ticket.subject}</Typography.Text>
              </span>
            ),
            children: (
              <div className="sy-sim-input">
                <Tabs
                  size="small"
                  items={[
                    { key: 'form', label: t('ticketForm'), children: ticketForm },
                    { key: 'json', label: 'JSON', children: ticketJson },
                  ]}
                />
                <div>
                  <Typography.Text strong>{t('events')}</Typography.Text>
                  <Input.TextArea
                    className="sy-sim-mono"
                    rows={4}
                    data-testid="sim-events"
                    value={script}
                    placeholder='+30m AGENT.REPLIED {"message": "…"}'
                    onChange={(e) => {
                      setScript(e.target.value);
                    }}
                  />
                  {parsedScript.errors.map((error) => (
                    <Typography.Text key={error.line} type="danger" style={{ display: 'block' }}>
                      {t('line', { line: error.line })}: {error.message}
                    </Typography.Text>
                  ))}
                  <Space.Compact size="small" className="sy-sim-add-event">
                    <Input
                      aria-label={t('eventAt')}
                      style={{ width: 70 }}
                      value={newEvent.at}
                      onChange={(e) => {
                        setNewEvent({ ...newEvent, at: e.target.value.trim() });
                      }}
                    />
                    <Select
                      aria-label={t('eventType')}
                      data-testid="sim-add-event-type"
                      style={{ width: 190 }}
                      value={newEvent.type}
                      options={PUBLIC_EVENT_TYPES.map((type) => ({ value: type, label: type }))}
                      onChange={(type: string) => {
                        setNewEvent({ ...newEvent, type });
                      }}
                    />
                    <Button
                      icon={<PlusOutlined />}
                      data-testid="sim-add-event"
                      onClick={() => {
                        const at = newEvent.at.startsWith('+') ? newEvent.at : `+${newEvent.at}`;
                        setScript(
                          (text) =>
                            `${text.trimEnd()}${text.trim() === '' ? '' : '\n'}${at} ${newEvent.type}`,
                        );
                      }}
                    >
                      {t('addEvent')}
                    </Button>
                  </Space.Compact>
                </div>
              </div>
            ),
          },
        ]}
      />
      <Button
        type="primary"
        icon={<CaretRightOutlined />}
        loading={running}
        disabled={parsedScript.errors.length > 0 || ticketError !== null}
        data-testid="sim-run"
        onClick={() => {
          void simulateNow();
        }}
      >
        {t('simulate')}
      </Button>
      {modelIds.length > 0 && (
        <Typography.Text type="secondary" data-testid="sim-server-note">
          <CloudServerOutlined /> {t('runsOnServer', { models: modelIds.join(', ') })}
        </Typography.Text>
      )}
      {diagnostics.length > 0 && <Diagnostics diagnostics={diagnostics} />}
      {problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="sim-problems"
          title={problems.map((p, index) => (
            <div key={index}>{p}</div>
          ))}
        />
      )}
      {result !== null && (
        <>
          <Space wrap>
            <Tooltip title={t('stepBack')}>
              <Button
                icon={<StepBackwardOutlined />}
                data-testid="sim-step-back"
                disabled={position < 0}
                onClick={() => {
                  setPlaying(false);
                  setPosition((p) => stepBack(result, p));
                }}
              />
            </Tooltip>
            <Tooltip title={playing ? t('pause') : t('play')}>
              <Button
                icon={playing ? <PauseOutlined /> : <CaretRightOutlined />}
                data-testid="sim-play"
                disabled={!playing && isAtEnd(result, position)}
                onClick={() => {
                  setPlaying((p) => !p);
                }}
              />
            </Tooltip>
            <Tooltip title={t('step')}>
              <Button
                icon={<StepForwardOutlined />}
                data-testid="sim-step"
                disabled={isAtEnd(result, position)}
                onClick={() => {
                  setPlaying(false);
                  setPosition((p) => stepForward(result, p));
                }}
              />
            </Tooltip>
            <Button
              icon={<ClockCircleOutlined />}
              data-testid="sim-next-timer"
              disabled={nextTimer === null}
              onClick={() => {
                setPlaying(false);
                if (nextTimer !== null) setPosition(nextTimer);
              }}
            >
              {t('nextTimer')}
            </Button>
            <Tag color="blue" data-testid="sim-clock">
              {t('clock')} {formatOffset(clockAt(result, position))}
            </Tag>
            <Tag data-testid="sim-position">
              {position + 1}/{result.steps.length}
            </Tag>
          </Space>
          {ranOn === 'server' && <Tag icon={<CloudServerOutlined />}>{t('ranOnServer')}</Tag>}
          <Typography.Text type="secondary" data-testid="sim-final">
            {t('final', {
              // The console's words for statuses and priorities.
              status: t(`console:status.${result.ticket.status}`),
              priority: t(`console:priority.${result.ticket.priority}`),
              team: result.ticket.team ?? '—',
            })}
          </Typography.Text>
          {flowId !== undefined && (
            <Space.Compact size="small" className="sy-sim-save">
              <Input
                data-testid="sim-scenario-name"
                placeholder={t('scenarioName')}
                value={scenarioName}
                maxLength={200}
                onChange={(e) => {
                  setScenarioName(e.target.value);
                  saveScenario.reset();
                }}
              />
              <Button
                icon={<SaveOutlined />}
                data-testid="sim-save-scenario"
                disabled={scenarioName.trim() === ''}
                loading={saveScenario.isPending}
                onClick={() => {
                  saveScenario.mutate({
                    flowId,
                    scenario: {
                      name: scenarioName.trim(),
                      ticket,
                      events: parsedScript.events,
                      until: '30d',
                      expect: getRunExpectations(result),
                    },
                  });
                }}
              >
                {t('saveScenario')}
              </Button>
            </Space.Compact>
          )}
          {saveScenario.isSuccess && (
            <Typography.Text type="success" data-testid="sim-scenario-saved">
              {t('scenarioSaved', { name: saveScenario.data.name })}
            </Typography.Text>
          )}
          {saveScenario.error !== null && (
            <Typography.Text type="danger">{saveScenario.error.message}</Typography.Text>
          )}
          <Timeline
            data-testid="sim-timeline"
            items={timeline.map((item) => ({
              key: item.index,
              color: item.state === 'current' ? 'blue' : item.state === 'done' ? 'green' : 'gray',
              className: item.state === 'pending' ? 'sy-sim-pending' : undefined,
              content: (
                <>
                  <a
                    className="sy-sim-step-title"
                    data-testid={`sim-step-${item.index}`}
                    onClick={() => {
                      setPlaying(false);
                      setPosition(item.index);
                    }}
                  >
                    <span className="sy-sim-step-time">{item.time}</span> {item.event}
                  </a>
                  <ExplainWhy item={item} />
                </>
              ),
            }))}
          />
        </>
      )}
      {flowId !== undefined && (
        <Collapse
          ref={suiteRef}
          size="small"
          items={[
            {
              key: 'suite',
              label: t('suite'),
              children: (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <Button
                    icon={<ExperimentOutlined />}
                    loading={runSuite.isPending}
                    data-testid="sim-run-suite"
                    onClick={() => {
                      void (saveDraft?.() ?? Promise.resolve()).then(
                        () => {
                          runSuite.mutate({ flowId, version: 'draft' });
                        },
                        // The save failed (e.g. a conflict the designer reports): run what is saved.
                        () => {
                          runSuite.mutate({ flowId, version: 'draft' });
                        },
                      );
                    }}
                  >
                    {t('runSuite')}
                  </Button>
                  {runSuite.error !== null && (
                    <Alert type="error" showIcon title={runSuite.error.message} />
                  )}
                  {suite !== null && (
                    <>
                      <Space wrap data-testid="sim-coverage">
                        <Tag color={suite.failed === 0 ? 'green' : 'red'}>
                          {t('passedFailed', { passed: suite.passed, failed: suite.failed })}
                        </Tag>
                        <Tag>
                          {t('coverage', {
                            nodes: Math.round(suite.coverage.nodes * 100),
                            edges: Math.round(suite.coverage.edges * 100),
                          })}
                        </Tag>
                        <Button
                          size="small"
                          type="link"
                          onClick={() => {
                            setSuite(null);
                          }}
                        >
                          {t('clearCoverage')}
                        </Button>
                      </Space>
                      <List
                        size="small"
                        data-testid="sim-suite-results"
                        dataSource={[...suite.scenarios]}
                        renderItem={(scenario) => (
                          <List.Item>
                            <Space orientation="vertical" size={0}>
                              <span>
                                <Tag color={scenario.passed ? 'green' : 'red'}>
                                  {scenario.passed ? t('pass') : t('fail')}
                                </Tag>
                                {scenario.name}
                              </span>
                              {firstFailure(scenario) !== null && (
                                <Typography.Text type="danger" className="sy-sim-mono">
                                  {firstFailure(scenario)}
                                </Typography.Text>
                              )}
                            </Space>
                          </List.Item>
                        )}
                      />
                      {suite.coverage.uncoveredEdges.length > 0 && (
                        <Typography.Text type="secondary">
                          {t('uncovered', { edges: suite.coverage.uncoveredEdges.join(', ') })}
                        </Typography.Text>
                      )}
                      {suite.suggestions.length > 0 && (
                        <div data-testid="sim-suggestions">
                          <Typography.Text strong>{t('suggestions')}</Typography.Text>
                          {suite.suggestions.map((suggestion) => (
                            <div key={suggestion.edgeId} className="sy-sim-mono">
                              <b>{suggestion.edgeId}</b> ({suggestion.from} → {suggestion.port}):{' '}
                              {suggestion.via.map((step) => describeVia(step, t)).join(' → ')}
                            </div>
                          ))}
                        </div>
                      )}
                    </>
                  )}
                  {suite === null && !runSuite.isPending && <Empty description={t('noSuiteYet')} />}
                </Space>
              ),
            },
            {
              key: 'replay',
              label: <span data-testid="sim-replay-header">{t('replay.title')}</span>,
              children: (
                <ReplayPanel flowId={flowId} {...(saveDraft !== undefined && { saveDraft })} />
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
