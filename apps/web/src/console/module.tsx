import { BarChartOutlined, FileTextOutlined, InboxOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppModule } from '../shell/navigation';
import './console.css';

// Pages load on first visit (the dashboard brings ECharts, the ticket page React Flow).
const InboxPage = lazy(() => import('./inbox/InboxPage').then((m) => ({ default: m.InboxPage })));
const TicketPage = lazy(() =>
  import('./ticket/TicketPage').then((m) => ({ default: m.TicketPage })),
);
const DashboardPage = lazy(() =>
  import('./dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })),
);
const ReportsPage = lazy(() =>
  import('./reports/ReportsPage').then((m) => ({ default: m.ReportsPage })),
);
const ReportView = lazy(() =>
  import('./reports/ReportView').then((m) => ({ default: m.ReportView })),
);

/** The public survey page (mounted outside the signed-in shell, see App.tsx). */
export const SurveyPage = lazy(() =>
  import('./survey/SurveyPage').then((m) => ({ default: m.SurveyPage })),
);

/** The operations console: inbox, ticket page, dashboard and reports. */
export const consoleModule: AppModule = {
  id: 'console',
  nav: [
    {
      key: 'tickets',
      path: '/tickets',
      group: 'operations',
      labelKey: 'console:nav.tickets',
      icon: <InboxOutlined />,
      order: 10,
    },
    {
      key: 'dashboard',
      path: '/dashboard',
      group: 'operations',
      labelKey: 'console:nav.dashboard',
      icon: <BarChartOutlined />,
      order: 20,
    },
    {
      key: 'reports',
      path: '/reports',
      group: 'operations',
      labelKey: 'console:nav.reports',
      icon: <FileTextOutlined />,
      order: 30,
    },
  ],
  routes: [
    { path: 'tickets', element: <InboxPage /> },
    { path: 'tickets/:number', element: <TicketPage /> },
    { path: 'dashboard', element: <DashboardPage /> },
    { path: 'reports', element: <ReportsPage /> },
    { path: 'reports/:id', element: <ReportView /> },
  ],
};
