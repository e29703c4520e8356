import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { queryClient } from './api/client';
import { getUserLanguage, sessionQuery } from './api/session';
import { changeLanguage, getLanguage } from './i18n';
import { SurveyPage } from './console/module';
import { APP_MODULES } from './modules';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RequireAuth } from './shell/RequireAuth';
import { appTheme } from './shell/theme';

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  // Public: the customer opens it from the survey e-mail (the token in the link is the key).
  {
    path: '/survey/:token',
    element: (
      <Suspense fallback={null}>
        <SurveyPage />
      </Suspense>
    ),
  },
  {
    path: '/',
    element: <RequireAuth modules={APP_MODULES} />,
    children: [
      { index: true, element: <Navigate to="/flows" replace /> },
      ...APP_MODULES.flatMap((module) => module.routes),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

/** Follows the signed-in user's remembered language (set in another browser, for example). */
function UserLanguageSync() {
  const { data: user } = useQuery(sessionQuery);
  const language = user === undefined || user === null ? null : getUserLanguage(user);
  useEffect(() => {
    if (language !== null && language !== getLanguage()) void changeLanguage(language);
  }, [language]);
  return null;
}

function Providers() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider theme={appTheme} locale={i18n.language === 'zh-CN' ? zhCN : enUS}>
      <AntApp>
        <UserLanguageSync />
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Providers />
    </QueryClientProvider>
  );
}
