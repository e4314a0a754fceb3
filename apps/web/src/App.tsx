import { can, type Permission } from '@huuco/domain';
import { useEffect, useState, type ComponentType } from 'react';
import { apiGet, logOut } from './api';
import { useAuth } from './auth';
import { useI18n } from './i18n';
import { ContractsPage } from './contracts/ContractsPage';
import { DashboardPage } from './district/DashboardPage';
import { InspectionsPage } from './district/InspectionsPage';
import { LoginPage } from './LoginPage';
import { MapPage } from './map/MapPage';
import { AuditPage, UsersPage } from './registry/AdminPages';
import { HouseholdsPage } from './registry/HouseholdsPage';
import { ImportsPage } from './imports/ImportsPage';
import { RegistryPage } from './registry/RegistryPage';
import { HarvestsPage } from './trace/HarvestsPage';
import { LotsPage } from './trace/LotsPage';

interface Route {
  path: string;
  label: string;
  page: ComponentType;
  permission: Permission;
}

const ROUTES: Route[] = [
  { path: '#/', label: 'nav.map', page: MapPage, permission: 'plots.read' },
  { path: '#/registry', label: 'nav.registry', page: RegistryPage, permission: 'registry.read' },
  {
    path: '#/households',
    label: 'nav.households',
    page: HouseholdsPage,
    permission: 'households.read',
  },
  { path: '#/imports', label: 'nav.imports', page: ImportsPage, permission: 'imports.write' },
  { path: '#/harvests', label: 'nav.harvests', page: HarvestsPage, permission: 'harvests.read' },
  { path: '#/lots', label: 'nav.lots', page: LotsPage, permission: 'plots.read' },
  {
    path: '#/contracts',
    label: 'nav.contracts',
    page: ContractsPage,
    permission: 'contracts.read',
  },
  { path: '#/dashboard', label: 'nav.dashboard', page: DashboardPage, permission: 'targets.read' },
  {
    path: '#/inspections',
    label: 'nav.inspections',
    page: InspectionsPage,
    permission: 'inspections.read',
  },
  { path: '#/users', label: 'nav.users', page: UsersPage, permission: 'users.manage' },
  { path: '#/audit', label: 'nav.audit', page: AuditPage, permission: 'audit.read' },
];

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash || '#/');
  useEffect(() => {
    const onHash = () => setHash(window.location.hash || '#/');
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return hash;
}

export function App() {
  const { t, language, setLanguage } = useI18n();
  const { user, ready } = useAuth();
  const hash = useHash();
  const [demo, setDemo] = useState(false);

  useEffect(() => {
    apiGet<{ demoData: boolean }>('/health')
      .then((health) => setDemo(health.demoData))
      .catch(() => setDemo(false));
  }, []);

  // Each role sees only what it can use.
  const routes = user ? ROUTES.filter((r) => can(user.role, r.permission)) : [];
  const route = routes.find((r) => r.path === hash) ?? routes[0];
  const Page = route?.page;

  return (
    <div className="app">
      <header>
        <a className="brand" href="#/">
          <strong>huuco</strong> <span className="tagline">{t('app.tagline')}</span>
        </a>
        <nav>
          {routes.map((r) => (
            <a key={r.path} href={r.path} aria-current={r === route ? 'page' : undefined}>
              {t(r.label)}
            </a>
          ))}
          <a href="/api/docs">{t('nav.api')}</a>
          <button className="language" onClick={() => setLanguage(language === 'vi' ? 'en' : 'vi')}>
            {t('language.switch')}
          </button>
          {user && (
            <span className="who">
              <span title={t(`role.${user.role}`)}>{user.displayName}</span>
              <button className="language" onClick={() => void logOut()}>
                {t('nav.logout')}
              </button>
            </span>
          )}
        </nav>
      </header>
      {demo && (
        <div className="demo-banner" role="note">
          {t('demo.banner')}
        </div>
      )}
      <main>
        {!ready ? (
          <p className="centered">{t('common.loading')}</p>
        ) : !user ? (
          <LoginPage demo={demo} />
        ) : (
          Page && <Page />
        )}
      </main>
    </div>
  );
}
