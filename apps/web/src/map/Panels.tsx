import type { OrganicStatusVerdict, PlotDto, ZoneDto } from '@huuco/domain';
import { useEffect, useState } from 'react';
import { apiGet } from '../api';
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
  const [plot, setPlot] = useState<PlotDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setPlot(null);
    apiGet<PlotDto>(`/plots/${id}`, controller.signal)
      .then(setPlot)
      .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    return () => controller.abort();
  }, [id]);

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
          </dl>
        </>
      )}
    </aside>
  );
}

export function ZonePanel({ zone, onClose }: { zone: ZoneDto; onClose: () => void }) {
  const { t, locale } = useI18n();
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
        <dd>
          {formatNumber(zone.area.ha, locale, 2)} {t('unit.ha')}
        </dd>
        {zone.targetArea && (
          <>
            <dt>{t('panel.targetArea')}</dt>
            <dd>
              {formatNumber(zone.targetArea.ha, locale, 2)} {t('unit.ha')}
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
