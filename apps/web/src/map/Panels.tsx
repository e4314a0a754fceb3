import { useApi } from '../app/query';
import {
  can,
  type HarvestDto,
  type HouseholdDto,
  type Page,
  type OrganicStatusVerdict,
  type PlotDto,
  type ZoneDto,
  type ZoneSummaryDto,
} from '@huuco/domain';
import { useEffect, useState } from 'react';
import { apiGet, OfflineError } from '../api';
import { fieldHousehold, fieldPlot, type KeptHousehold } from '../field/field-kit';
import { useAuth } from '../auth';
import { formatDate, formatNumber } from '../format';
import { useI18n, type Translate } from '../i18n';
import { STATUS_COLOURS } from './status-colours';

export function reasonText(t: Translate, verdict: OrganicStatusVerdict): string {
  return t(`reason.${verdict.reason}`, {
    date: formatDate(verdict.certificate?.validTo ?? verdict.conversionEndsOn),
    number: verdict.certificate?.certificateNumber ?? '',
  });
}

export function PlotPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const [plot, setPlot] = useState<PlotDto | null>(null);
  const [household, setHousehold] = useState<KeptHousehold | null>(null);
  const [harvests, setHarvests] = useState<HarvestDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const seesHouseholds = user !== null && can(user.role, 'households.read');
  const seesHarvests = user !== null && can(user.role, 'harvests.read');
  const userId = user?.id;

  useEffect(() => {
    const controller = new AbortController();
    setPlot(null);
    setHousehold(null);
    setHarvests([]);
    // With no signal, the plot and its household as the device kept them (no harvest list).
    const fromDevice = async (error: unknown) => {
      if (!(error instanceof OfflineError) || !userId) throw error;
      const kept = await fieldPlot(userId, id);
      if (!kept) throw error;
      setPlot(kept);
      if (seesHouseholds) setHousehold((await fieldHousehold(userId, kept.householdId)) ?? null);
    };
    apiGet<PlotDto>(`/plots/${id}`, controller.signal)
      .then(async (loaded) => {
        setPlot(loaded);
        if (seesHarvests) {
          const page = await apiGet<Page<HarvestDto>>(
            `/harvests?plotId=${id}&sort=harvestedOn&order=desc&pageSize=5`,
            controller.signal,
          );
          setHarvests(page.items);
        }
        // The household only to roles that may read households.
        if (seesHouseholds) {
          setHousehold(
            await apiGet<HouseholdDto>(`/households/${loaded.householdId}`, controller.signal),
          );
        }
      })
      .catch(fromDevice)
      .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    return () => controller.abort();
  }, [id, seesHouseholds, seesHarvests, userId]);

  return (
    <aside className="panel" aria-label={t('panel.plot')}>
      <button className="close" onClick={onClose} aria-label={t('panel.close')}>
        ×
      </button>
      {error && <p>{t('common.error', { message: error })}</p>}
      {!plot && !error && <p>{t('common.loading')}</p>}
      {plot && (
        <>
          <h2>
            {t('panel.plot')} {plot.code}
          </h2>
          <dl>
            {household && (
              <>
                <dt>{t('households.head')}</dt>
                <dd>
                  {household.headName} · {household.village ?? ''}
                </dd>
              </>
            )}
            <dt>{t('panel.area')}</dt>
            <dd>
              {formatNumber(plot.area.ha, locale, 4)} {t('unit.ha')} ·{' '}
              {formatNumber(plot.area.sao, locale, 2)} {t('unit.sao')}
            </dd>
            {plot.declaredAreaM2 !== null && (
              <>
                <dt>{t('panel.declaredArea')}</dt>
                <dd>{formatNumber(plot.declaredAreaM2, locale, 0)} m²</dd>
              </>
            )}
            <dt>{t('panel.status')}</dt>
            <dd>
              <span
                className="badge"
                style={{ background: STATUS_COLOURS[plot.organicStatus.status] }}
              >
                {t(`status.${plot.organicStatus.status}`)}
              </span>
              <div className="reason">{reasonText(t, plot.organicStatus)}</div>
            </dd>
            <dt>{t('panel.farmingSystem')}</dt>
            <dd>{t(`farming.${plot.farmingSystem}`)}</dd>
            <dt>{t('panel.conversionStart')}</dt>
            <dd>{formatDate(plot.conversionStartedOn)}</dd>
            {plot.flags.length > 0 && (
              <>
                <dt>{t('panel.flags')}</dt>
                <dd>{plot.flags.map((flag) => t(`flag.${flag}`)).join(' · ')}</dd>
              </>
            )}
            {harvests.length > 0 && (
              <>
                <dt>{t('panel.harvests')}</dt>
                <dd>
                  <ul className="panel-harvests">
                    {harvests.map((h) => (
                      <li key={h.id}>
                        {formatDate(h.harvestedOn)} · {t(`product.${h.productCategory}`)} ·{' '}
                        {formatNumber(h.quantityKg, locale, 0)} kg ·{' '}
                        {t(`status.${h.organicStatus}`)}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
        </>
      )}
    </aside>
  );
}

export function ZonePanel({ zone, onClose }: { zone: ZoneDto; onClose: () => void }) {
  const { t, locale } = useI18n();
  const summaryQuery = useApi<ZoneSummaryDto>(`/zones/${zone.id}/summary`);
  const summary = summaryQuery.data ?? null;
  const ha = (value: number) => `${formatNumber(value, locale, 2)} ${t('unit.ha')}`;
  return (
    <aside className="panel" aria-label={t('panel.zone')}>
      <button className="close" onClick={onClose} aria-label={t('panel.close')}>
        ×
      </button>
      <h2>{zone.name}</h2>
      <dl>
        <dt>{t('registry.status')}</dt>
        <dd>{t(`zoneStatus.${zone.status}`)}</dd>
        <dt>{t('panel.area')}</dt>
        <dd>{ha(zone.area.ha)}</dd>
        {summary && (
          <>
            <dt>{t('panel.certifiedArea')}</dt>
            <dd>
              {ha(summary.certifiedArea.ha)}
              {summary.targetArea && ` / ${ha(summary.targetArea.ha)} ${t('panel.target')}`}
            </dd>
            <dt>{t('registry.households')}</dt>
            <dd>{formatNumber(summary.households, locale, 0)}</dd>
            <dt>{t('households.plots')}</dt>
            <dd>{formatNumber(summary.plots, locale, 0)}</dd>
            <dt>{t('panel.certificate')}</dt>
            <dd>
              {summary.certificate
                ? t(
                    summary.certificate.validToday
                      ? 'panel.certificateValid'
                      : 'panel.certificateExpired',
                    {
                      number: summary.certificate.certificateNumber,
                      date: formatDate(summary.certificate.validTo),
                    },
                  )
                : t('panel.noCertificate')}
            </dd>
          </>
        )}
        <dt>{t('panel.communes')}</dt>
        <dd>{zone.communes.map((c) => c.name).join(', ')}</dd>
        <dt>{t('panel.products')}</dt>
        <dd>{zone.products.join(', ')}</dd>
      </dl>
    </aside>
  );
}
