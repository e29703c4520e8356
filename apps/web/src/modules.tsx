import type { AppModule } from './shell/navigation';

/**
 * Every part of the app mounted in the signed-in shell, each with its navigation entries and
 * routes. The operations console (tickets, dashboard, reports) plugs in by adding its module
 * here; its entries go in the `operations` group.
 */
export const APP_MODULES: readonly AppModule[] = [];
