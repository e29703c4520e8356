import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { getErrorMessage } from '../api/errors';
import { useSession } from '../api/session';
import { AppShell, PageSpinner } from './AppShell';
import type { AppModule } from './navigation';

/** Renders the shell for a signed-in user; everyone else goes to /login and comes back after. */
export function RequireAuth({ modules }: { readonly modules: readonly AppModule[] }) {
  const { t } = useTranslation();
  const location = useLocation();
  const session = useSession();
  if (session.isPending) return <PageSpinner />;
  if (session.isError) {
    return (
      <Result
        status="error"
        title={t('errors.serverUnavailable')}
        subTitle={getErrorMessage(session.error)}
        extra={
          <Button type="primary" onClick={() => void session.refetch()}>
            {t('actions.retry')}
          </Button>
        }
      />
    );
  }
  if (session.data === null) {
    const next = location.pathname + location.search + location.hash;
    const search = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`/login${search}`} replace />;
  }
  return <AppShell user={session.data} modules={modules} />;
}
