import { AppstoreOutlined, ExperimentOutlined, PartitionOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppModule } from './shell/navigation';
import { consoleModule } from './console/module';
import { FlowsPage } from './pages/flows/FlowsPage';
import { TemplatesPage } from './pages/templates/TemplatesPage';

// Heavy pages (React Flow, Monaco) load on first visit.
const FlowDesignerPage = lazy(() => import('./pages/designer/FlowDesignerPage'));
const VersionsPage = lazy(() => import('./pages/versions/VersionsPage'));
const ModelsPage = lazy(() => import('./pages/models/ModelsPage'));
const ModelPage = lazy(() => import('./pages/models/ModelPage'));

/** Flows, the designer, versions and templates. */
const designModule: AppModule = {
  id: 'design',
  nav: [
    {
      key: 'flows',
      path: '/flows',
      group: 'design',
      labelKey: 'common:nav.flows',
      icon: <PartitionOutlined />,
      order: 10,
    },
    {
      key: 'templates',
      path: '/templates',
      group: 'design',
      labelKey: 'common:nav.templates',
      icon: <AppstoreOutlined />,
      roles: ['admin'],
      order: 20,
    },
    {
      key: 'models',
      path: '/models',
      group: 'design',
      labelKey: 'models:nav',
      icon: <ExperimentOutlined />,
      order: 30,
    },
  ],
  routes: [
    { path: 'flows', element: <FlowsPage /> },
    { path: 'flows/:id', element: <FlowDesignerPage />, handle: { fullBleed: true } },
    { path: 'flows/:id/versions', element: <VersionsPage /> },
    { path: 'templates', element: <TemplatesPage /> },
    { path: 'models', element: <ModelsPage /> },
    { path: 'models/:id', element: <ModelPage /> },
  ],
};

/**
 * Every part of the app mounted in the signed-in shell, each with its navigation entries and
 * routes. The operations console (tickets, dashboard, reports) plugs in by adding its module
 * here; its entries go in the `operations` group.
 */
export const APP_MODULES: readonly AppModule[] = [designModule, consoleModule];
