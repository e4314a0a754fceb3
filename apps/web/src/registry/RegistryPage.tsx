import type { CooperativeDto, Page, ZoneDto } from '@huuco/domain';
import { useEffect, useState, type ReactNode } from 'react';
import { apiGet } from '../api';
import { formatNumber } from '../format';
import { useI18n } from '../i18n';

function usePage<T>(path: string, page: number): { data: Page<T> | null; error: string | null } {
  const [data, setData] = useState<Page<T> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    apiGet<Page<T>>(
      `${path}${path.includes('?') ? '&' : '?'}page=${page}&pageSize=20`,
      controller.signal,
    )
      .then(setData)
      .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    return () => controller.abort();
  }, [path, page]);
  return { data, error };
}

function Pager({
  page,
  data,
  onPage,
}: {
  page: number;
  data: Page<unknown>;
  onPage: (page: number) => void;
}) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  return (
    <div className="pager">
      <button disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('registry.prev')}
      </button>
      <span>{t('registry.page', { page, pages, total: data.total })}</span>
      <button disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('registry.next')}
      </button>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function RegistryPage() {
  const { t, locale } = useI18n();
  const [zonePage, setZonePage] = useState(1);
  const [coopPage, setCoopPage] = useState(1);
  const zones = usePage<ZoneDto>('/zones?sort=name', zonePage);
  const cooperatives = usePage<CooperativeDto>('/cooperatives?sort=name', coopPage);

  return (
    <div className="registry">
      <Section title={t('registry.zones')}>
        {zones.error && <p>{t('common.error', { message: zones.error })}</p>}
        {zones.data && (
          <>
            <table>
              <thead>
                <tr>
                  <th>{t('registry.code')}</th>
                  <th>{t('registry.name')}</th>
                  <th>{t('registry.kind')}</th>
                  <th>{t('registry.status')}</th>
                  <th className="num">{t('registry.area')}</th>
                  <th className="num">{t('registry.target')}</th>
                </tr>
              </thead>
              <tbody>
                {zones.data.items.map((zone) => (
                  <tr key={zone.id}>
                    <td>{zone.code}</td>
                    <td>{zone.name}</td>
                    <td>{t(`kind.${zone.kind}`)}</td>
                    <td>{t(`zoneStatus.${zone.status}`)}</td>
                    <td className="num">{formatNumber(zone.area.ha, locale, 2)}</td>
                    <td className="num">
                      {zone.targetArea ? formatNumber(zone.targetArea.ha, locale, 2) : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager page={zonePage} data={zones.data} onPage={setZonePage} />
          </>
        )}
      </Section>
      <Section title={t('registry.cooperatives')}>
        {cooperatives.error && <p>{t('common.error', { message: cooperatives.error })}</p>}
        {cooperatives.data && (
          <>
            <table>
              <thead>
                <tr>
                  <th>{t('registry.name')}</th>
                  <th>{t('registry.registration')}</th>
                  <th>{t('registry.commune')}</th>
                  <th>{t('registry.status')}</th>
                  <th className="num">{t('registry.households')}</th>
                </tr>
              </thead>
              <tbody>
                {cooperatives.data.items.map((cooperative) => (
                  <tr key={cooperative.id}>
                    <td>{cooperative.name}</td>
                    <td>{cooperative.registrationNumber}</td>
                    <td>{cooperative.commune.name}</td>
                    <td>{t(`registry.${cooperative.status}`)}</td>
                    <td className="num">{formatNumber(cooperative.householdCount, locale, 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager page={coopPage} data={cooperatives.data} onPage={setCoopPage} />
          </>
        )}
      </Section>
    </div>
  );
}
