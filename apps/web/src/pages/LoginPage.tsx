import {
  ApartmentOutlined,
  CheckCircleFilled,
  LockOutlined,
  MailOutlined,
  RocketOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { getErrorCode, getErrorMessage } from '../api/errors';
import { useSession, useSignIn } from '../api/session';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { Logo } from '../shell/Logo';
import { getReturnPath } from '../shell/return-path';

interface LoginForm {
  readonly email: string;
  readonly password: string;
}

/** `/login`: e-mail and password; afterwards back to the page the user asked for. */
export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const session = useSession();
  const signIn = useSignIn();
  const returnPath = getReturnPath(location.search);

  useEffect(() => {
    document.title = `${t('login.title')} · Switchyard`;
  }, [t]);

  if (session.data !== undefined && session.data !== null) {
    return <Navigate to={returnPath} replace />;
  }

  const errorText = (() => {
    if (signIn.error === null) return null;
    switch (getErrorCode(signIn.error)) {
      case 'UNAUTHORIZED':
        return t('login.wrongCredentials');
      case 'TOO_MANY_REQUESTS':
        return t('login.tooManyAttempts');
      case 'BAD_REQUEST':
        return t('login.checkFields');
      default:
        return t('login.failed', { reason: getErrorMessage(signIn.error) });
    }
  })();

  const features = [
    { icon: <ApartmentOutlined />, text: t('login.features.design') },
    { icon: <SafetyCertificateOutlined />, text: t('login.features.check') },
    { icon: <RocketOutlined />, text: t('login.features.publish') },
  ];

  return (
    <div className="sy-login">
      <aside className="sy-login-brand">
        <Logo size={36} />
        <div>
          <Typography.Title level={2} className="sy-login-headline">
            {t('login.headline')}
          </Typography.Title>
          <Typography.Paragraph className="sy-login-tagline">
            {t('login.tagline')}
          </Typography.Paragraph>
          <ul className="sy-login-features">
            {features.map((feature) => (
              <li key={feature.text}>
                <span className="sy-login-feature-icon">{feature.icon}</span>
                {feature.text}
              </li>
            ))}
          </ul>
        </div>
        <Typography.Text className="sy-login-footnote">
          <CheckCircleFilled /> {t('login.footnote')}
        </Typography.Text>
      </aside>
      <main className="sy-login-main">
        <Flex justify="flex-end" className="sy-login-topbar">
          <LanguageSwitch />
        </Flex>
        <div className="sy-login-form">
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {t('login.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 24 }}>
            {t('login.subtitle')}
          </Typography.Paragraph>
          {errorText !== null && (
            <Alert
              type="error"
              showIcon
              title={errorText}
              style={{ marginBottom: 20 }}
              data-testid="login-error"
            />
          )}
          <Form<LoginForm>
            layout="vertical"
            requiredMark={false}
            size="large"
            disabled={signIn.isPending}
            onFinish={(values) => {
              signIn.mutate(
                { email: values.email.trim(), password: values.password },
                { onSuccess: () => void navigate(returnPath, { replace: true }) },
              );
            }}
          >
            <Form.Item
              name="email"
              label={t('login.email')}
              rules={[{ required: true, message: t('login.emailRequired') }]}
            >
              <Input
                prefix={<MailOutlined />}
                autoComplete="username"
                autoFocus
                placeholder="admin@example.com"
                data-testid="login-email"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              block
              loading={signIn.isPending}
              data-testid="login-submit"
            >
              {t('login.submit')}
            </Button>
          </Form>
        </div>
      </main>
    </div>
  );
}
