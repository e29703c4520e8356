import { CheckCircleFilled } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  ConfigProvider,
  Form,
  Input,
  Radio,
  Result,
  Segmented,
  Skeleton,
  Typography,
} from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { trpc, trpcClient } from '../../api/client';
import { getErrorCode, getErrorMessage } from '../../api/errors';
import { LANGUAGES } from '../../i18n';
import type { Language } from '../../i18n';
import { Logo } from '../../shell/Logo';
import { pickSurveyLanguage } from './language';

const SCORES = [1, 2, 3, 4, 5] as const;

/**
 * `/survey/:token`: the public page the CSAT e-mail links to. No sign-in; the token in the link
 * is the only key. The customer scores 1–5 and says whether the problem is solved; the answer
 * goes to the ticket as SURVEY.ANSWERED. The page's language is its own (not saved anywhere).
 */
export function SurveyPage() {
  const { token = '' } = useParams();
  const [params] = useSearchParams();
  const { i18n } = useTranslation();
  const client = useQueryClient();
  const survey = useQuery({ ...trpc.survey.get.queryOptions({ token }), retry: false });
  const [chosen, setChosen] = useState<Language | null>(null);
  const language =
    chosen ?? pickSurveyLanguage(params.get('lang'), survey.data?.language, navigator.languages);
  const t = useMemo(() => i18n.getFixedT(language, 'console'), [i18n, language]);
  const [score, setScore] = useState<number | null>(null);
  const [resolved, setResolved] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');

  useEffect(() => {
    document.title = `${t('survey.title')} · Switchyard`;
    document.documentElement.lang = language;
  }, [t, language]);

  const answer = useMutation({
    mutationFn: () =>
      trpcClient.survey.answer.mutate({
        token,
        score: score ?? 0,
        resolved: resolved ?? false,
        ...(comment.trim() !== '' && { comment: comment.trim() }),
      }),
    onSuccess: (view) => {
      client.setQueryData(trpc.survey.get.queryKey({ token }), view);
    },
  });

  let body: React.ReactNode;
  if (survey.isPending) {
    body = <Skeleton active paragraph={{ rows: 6 }} />;
  } else if (survey.isError) {
    body =
      getErrorCode(survey.error) === 'NOT_FOUND' ? (
        <Result
          status="warning"
          title={t('survey.invalidTitle')}
          subTitle={t('survey.invalidText')}
        />
      ) : (
        <Result
          status="error"
          title={t('survey.errorTitle')}
          subTitle={getErrorMessage(survey.error)}
        />
      );
  } else if (survey.data.state === 'answered') {
    body = (
      <Result
        icon={<CheckCircleFilled style={{ color: '#2f9e44' }} />}
        title={t('survey.thanksTitle')}
        subTitle={
          survey.data.answer !== null && survey.data.answer.score <= 3
            ? t('survey.thanksFollowUp')
            : t('survey.thanksText')
        }
        data-testid="survey-thanks"
      />
    );
  } else if (survey.data.state === 'closed') {
    body = (
      <Result
        status="info"
        title={t('survey.closedTitle')}
        subTitle={t('survey.closedText')}
        data-testid="survey-closed"
      />
    );
  } else {
    body = (
      <Form
        layout="vertical"
        onFinish={() => {
          answer.mutate();
        }}
        requiredMark={false}
      >
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('survey.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {t('survey.intro', { number: survey.data.number })}
        </Typography.Paragraph>
        <div className="sy-survey-subject">“{survey.data.subject}”</div>
        <Form.Item label={t('survey.scoreQuestion')} required>
          <div
            className="sy-survey-scores"
            role="radiogroup"
            aria-label={t('survey.scoreQuestion')}
          >
            {SCORES.map((value) => (
              <button
                key={value}
                type="button"
                role="radio"
                aria-checked={score === value}
                className={`sy-survey-score-button${score === value ? ' sy-selected' : ''}`}
                onClick={() => {
                  setScore(value);
                }}
                data-testid={`survey-score-${value}`}
              >
                <span className="sy-survey-score-number">{value}</span>
                <span className="sy-survey-score-label">{t(`survey.score.${value}`)}</span>
              </button>
            ))}
          </div>
        </Form.Item>
        <Form.Item label={t('survey.resolvedQuestion')} required>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            value={resolved}
            onChange={(event) => {
              setResolved(event.target.value as boolean);
            }}
            options={[
              {
                value: true,
                label: <span data-testid="survey-resolved-yes">{t('survey.yes')}</span>,
              },
              {
                value: false,
                label: <span data-testid="survey-resolved-no">{t('survey.no')}</span>,
              },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('survey.commentLabel')}>
          <Input.TextArea
            value={comment}
            onChange={(event) => {
              setComment(event.target.value);
            }}
            maxLength={2000}
            autoSize={{ minRows: 3, maxRows: 8 }}
            placeholder={t('survey.commentPlaceholder')}
            data-testid="survey-comment"
          />
        </Form.Item>
        {answer.isError && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={
              getErrorCode(answer.error) === 'CONFLICT'
                ? t('survey.conflict')
                : getErrorMessage(answer.error)
            }
          />
        )}
        <Button
          type="primary"
          size="large"
          htmlType="submit"
          block
          disabled={score === null || resolved === null}
          loading={answer.isPending}
          data-testid="survey-submit"
        >
          {t('survey.submit')}
        </Button>
      </Form>
    );
  }

  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS}>
      <div className="sy-survey-page" lang={language}>
        <div className="sy-survey-top">
          <Logo textColor="#101828" />
          <Segmented<Language>
            size="small"
            value={language}
            onChange={setChosen}
            options={LANGUAGES.map((value) => ({
              value,
              label: value === 'en' ? 'English' : '中文',
            }))}
            data-testid="survey-language"
          />
        </div>
        <div className="sy-survey-card">{body}</div>
        <Typography.Text type="secondary" className="sy-survey-foot">
          {t('survey.privacy')}
        </Typography.Text>
      </div>
    </ConfigProvider>
  );
}
