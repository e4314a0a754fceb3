import { useEffect, useState } from 'react';
import { apiGet } from './api';
import { useI18n } from './i18n';
import { MapPage } from './map/MapPage';
import { RegistryPage } from './registry/RegistryPage';

type Route = 'map' | 'registry';

function currentRoute(): Route {
  return window.location.hash === '#/registry' ? 'registry' : 'map';
}

export function App() {
  const { t, language, setLanguage } = useI18n();
  const [route, setRoute] = useState<Route>(currentRoute);
  const [demo, setDemo] = useState(false);

  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onHash);
    apiGet<{ demoData: boolean }>('/health')
      .then((health) => setDemo(health.demoData))
      .catch(() => setDemo(false));
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <div className="app">
      <header>
        <a className="brand" href="#/">
          <strong>huuco</strong> <span className="tagline">{t('app.tagline')}</span>
        </a>
        <nav>
          <a href="#/" aria-current={route === 'map' ? 'page' : undefined}>
            {t('nav.map')}
          </a>
          <a href="#/registry" aria-current={route === 'registry' ? 'page' : undefined}>
            {t('nav.registry')}
          </a>
          <a href="/api/docs">{t('nav.api')}</a>
          <button className="language" onClick={() => setLanguage(language === 'vi' ? 'en' : 'vi')}>
            {t('language.switch')}
          </button>
        </nav>
      </header>
      {demo && (
        <div className="demo-banner" role="note">
          {t('demo.banner')}
        </div>
      )}
      <main>{route === 'map' ? <MapPage /> : <RegistryPage />}</main>
    </div>
  );
}
