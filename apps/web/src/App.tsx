import { can, type Permission } from '@huuco/domain';
import { useEffect, useState, type ReactNode } from 'react';
import {
  createBrowserRouter,
  Navigate,
  NavLink,
  Outlet,
  useLocation,
  useNavigate,
  type RouteObject,
} from 'react-router';
import { logOut } from './api';
import { useApi } from './app/query';
import { useAuth } from './auth';
import { useInstall, useOnline, useSendWhenOnline } from './field/connection';
import { useI18n, type Key } from './i18n';
import { ContractsPage } from './contracts/ContractsPage';
import { DashboardPage } from './district/DashboardPage';
import { InspectionPage } from './district/InspectionPage';
import { InspectionsPage } from './district/InspectionsPage';
import { LoginPage } from './LoginPage';
import { MapPage } from './map/MapPage';
import { AuditPage } from './registry/AdminPages';
import { UserCreatePage, UserPage, UsersPage } from './registry/users/UsersPages';
import {
  HouseholdCreatePage,
  HouseholdPage,
  HouseholdsPage,
} from './registry/households/HouseholdsPages';
import { ImportsPage } from './imports/ImportsPage';
import { BuyerCreatePage, BuyerPage, BuyersPage } from './registry/buyers/BuyerPages';
import { CooperativeCreatePage, CooperativePage } from './registry/cooperatives/CooperativePages';
import { RegistryPage } from './registry/RegistryPage';
import { ZoneCreatePage } from './registry/zones/ZoneForm';
import { ZonePage } from './registry/zones/ZonePage';
import { CertificationPage } from './registry/zones/CertificatePages';
import { HarvestsPage } from './trace/HarvestsPage';
import { LotsPage } from './trace/LotsPage';

/** The web app lives under /app; the API under /api, provenance pages at their GS1 addresses. */
export const BASENAME = '/app';

interface Section {
  path: string;
  label: Key;
  permission: Permission;
  page: ReactNode;
  /** Record pages and forms below the section's list. */
  children?: { path: string; page: ReactNode; permission?: Permission }[];
}

const SECTIONS: Section[] = [
  { path: '', label: 'nav.map', page: <MapPage />, permission: 'plots.read' },
  {
    path: 'registry',
    label: 'nav.registry',
    page: <RegistryPage />,
    permission: 'registry.read',
  },
  {
    path: 'households',
    label: 'nav.households',
    page: <HouseholdsPage />,
    permission: 'households.read',
    children: [
      { path: 'new', page: <HouseholdCreatePage />, permission: 'households.write' },
      { path: ':id', page: <HouseholdPage /> },
    ],
  },
  {
    path: 'buyers',
    label: 'registry.buyers',
    page: <BuyersPage />,
    permission: 'buyers.read',
    children: [
      { path: 'new', page: <BuyerCreatePage />, permission: 'buyers.write' },
      { path: ':id', page: <BuyerPage /> },
    ],
  },
  { path: 'imports', label: 'nav.imports', page: <ImportsPage />, permission: 'imports.write' },
  { path: 'harvests', label: 'nav.harvests', page: <HarvestsPage />, permission: 'harvests.read' },
  { path: 'lots', label: 'nav.lots', page: <LotsPage />, permission: 'plots.read' },
  {
    path: 'contracts',
    label: 'nav.contracts',
    page: <ContractsPage />,
    permission: 'contracts.read',
  },
  {
    path: 'dashboard',
    label: 'nav.dashboard',
    page: <DashboardPage />,
    permission: 'targets.read',
  },
  {
    path: 'inspections',
    label: 'nav.inspections',
    page: <InspectionsPage />,
    permission: 'inspections.read',
    children: [{ path: ':id', page: <InspectionPage /> }],
  },
  {
    path: 'users',
    label: 'nav.users',
    page: <UsersPage />,
    permission: 'users.manage',
    children: [
      { path: 'new', page: <UserCreatePage /> },
      { path: ':id', page: <UserPage /> },
    ],
  },
  { path: 'audit', label: 'nav.audit', page: <AuditPage />, permission: 'audit.read' },
];

/** Pages reached from a list or a link, not from the navigation. */
const RECORDS: { path: string; page: ReactNode; permission: Permission }[] = [
  { path: 'zones/new', page: <ZoneCreatePage />, permission: 'zones.write' },
  { path: 'zones/:id', page: <ZonePage />, permission: 'registry.read' },
  { path: 'certifications/:id', page: <CertificationPage />, permission: 'registry.read' },
  { path: 'cooperatives/new', page: <CooperativeCreatePage />, permission: 'cooperatives.write' },
  { path: 'cooperatives/:id', page: <CooperativePage />, permission: 'registry.read' },
];

/** A page only for the roles a rule names; everyone else is sent to their first section. */
function Allowed({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { user } = useAuth();
  if (!user) return null;
  if (!can(user.role, permission)) {
    const first = SECTIONS.find((s) => can(user.role, s.permission));
    return <Navigate to={first ? `/${first.path}` : '/'} replace />;
  }
  return <>{children}</>;
}

const routes: RouteObject[] = [
  {
    path: '/',
    element: <Layout />,
    children: [
      ...SECTIONS.flatMap((s) => [
        {
          path: s.path || undefined,
          index: s.path === '' ? true : undefined,
          element: <Allowed permission={s.permission}>{s.page}</Allowed>,
        } as RouteObject,
        ...(s.children ?? []).map((c) => ({
          path: `${s.path}/${c.path}`,
          element: <Allowed permission={c.permission ?? s.permission}>{c.page}</Allowed>,
        })),
      ]),
      ...RECORDS.map((r) => ({
        path: r.path,
        element: <Allowed permission={r.permission}>{r.page}</Allowed>,
      })),
      { path: '*', element: <NotFound /> },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes, { basename: BASENAME });
}

function NotFound() {
  const { t } = useI18n();
  return (
    <p className="centered" role="alert">
      {t('common.notFound')}
    </p>
  );
}

/** An address from before real URLs (`/app/#/lots`) still opens its page. */
function useOldHashLinks() {
  const navigate = useNavigate();
  useEffect(() => {
    if (window.location.hash.startsWith('#/'))
      navigate(window.location.hash.slice(1), { replace: true });
  }, [navigate]);
}

function Layout() {
  const { t, language, setLanguage } = useI18n();
  const { user, ready, offline } = useAuth();
  const online = useOnline();
  useSendWhenOnline(user, offline);
  const install = useInstall();
  const health = useApi<{ demoData: boolean }>('/health');
  const demo = health.data?.demoData ?? false;
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  useOldHashLinks();
  useEffect(() => setMenuOpen(false), [location.pathname]);

  // Each role sees only what it can use.
  const sections = user ? SECTIONS.filter((s) => can(user.role, s.permission)) : [];

  return (
    <div className="app">
      <header>
        <NavLink className="brand" to="/">
          <strong>huuco</strong> <span className="tagline">{t('app.tagline')}</span>
        </NavLink>
        {user && (
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            {t('nav.menu')}
          </button>
        )}
        <nav id="main-nav" className={menuOpen ? 'open' : undefined}>
          {sections.map((s) => (
            <NavLink key={s.path} to={`/${s.path}`} end={s.path === ''}>
              {t(s.label)}
            </NavLink>
          ))}
          <a href="/api/docs">{t('nav.api')}</a>
          {install && (
            <button type="button" className="language" onClick={install}>
              {t('field.install')}
            </button>
          )}
          <button
            type="button"
            className="language"
            onClick={() => setLanguage(language === 'vi' ? 'en' : 'vi')}
          >
            {t('language.switch')}
          </button>
          {user && (
            <span className="who">
              <span title={t(`role.${user.role}`)}>{user.displayName}</span>
              <button type="button" className="language" onClick={() => void logOut()}>
                {t('nav.logout')}
              </button>
            </span>
          )}
        </nav>
      </header>
      {user && (!online || offline) && <div className="offline-banner">{t('field.offline')}</div>}
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
          <Outlet />
        )}
      </main>
    </div>
  );
}
