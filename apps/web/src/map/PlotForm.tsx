import { apiErrorInWords, useApi } from '../app/query';
import {
  areaInUnits,
  areaM2,
  FarmingSystem,
  shareInside,
  type AreaGeometry,
  type ErrorBody,
  type HouseholdDto,
  type Page,
  type PlotDto,
  type ZoneDto,
} from '@huuco/domain';
import type { Polygon } from 'geojson';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, apiPost } from '../api';
import { formatNumber } from '../format';
import { useI18n, type Translate } from '../i18n';

/** The server's verdict in words: each error code has a sentence, with the numbers it carries. */
export function verdictText(t: Translate, error: ErrorBody): string {
  const first = error.errors?.[0] as Record<string, unknown> | undefined;
  const share =
    typeof first?.['share'] === 'number' ? Math.round((first['share'] as number) * 1000) / 10 : '';
  const inside =
    typeof first?.['shareInside'] === 'number'
      ? Math.round((first['shareInside'] as number) * 1000) / 10
      : '';
  return t(`error.${error.code}`, {
    code: String(first?.['plotCode'] ?? ''),
    share,
    inside,
    area: String(first?.['areaM2'] ?? ''),
  });
}

export function PlotForm({
  geometry,
  zones,
  householdId: linkedHousehold = null,
  onSaved,
  onRejected,
  onCancel,
}: {
  geometry: Polygon;
  zones: ZoneDto[];
  /** The household the plot is drawn for, when the map was opened from its record page. */
  householdId?: string | null;
  onSaved: (plot: PlotDto) => void;
  onRejected: (error: ErrorBody) => void;
  onCancel: () => void;
}) {
  const { t, locale } = useI18n();
  const [code, setCode] = useState('');
  const [householdId, setHouseholdId] = useState(linkedHousehold ?? '');
  // The zone the drawing mostly lies in is the likely one.
  const [zoneId, setZoneId] = useState(() => {
    const scored = zones
      .map((z) => ({ id: z.id, share: shareInside(geometry, z.geometry as AreaGeometry) }))
      .sort((a, b) => b.share - a.share);
    return scored[0] && scored[0].share > 0 ? scored[0].id : '';
  });
  const [farmingSystem, setFarmingSystem] = useState<FarmingSystem>('rice_ruoi_cay');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const area = areaInUnits(areaM2(geometry));

  const householdList = useApi<Page<HouseholdDto>>('/households?pageSize=500&sort=headName');
  const households = householdList.data?.items ?? [];
  useEffect(() => {
    const first = householdList.data?.items[0]?.id;
    if (first) setHouseholdId((current) => current || first);
  }, [householdList.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const plot = await apiPost<PlotDto>('/plots', {
        code,
        householdId,
        zoneId: zoneId || null,
        farmingSystem,
        geometry,
      });
      onSaved(plot);
    } catch (e) {
      if (e instanceof ApiError) {
        setMessage(verdictText(t, e.body));
        onRejected(e.body);
      } else setMessage(t('login.offline'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside className="panel" aria-label={t('draw.title')}>
      <h2>{t('draw.title')}</h2>
      <p>
        {t('panel.area')}: {formatNumber(area.ha, locale, 4)} {t('unit.ha')} ·{' '}
        {formatNumber(area.sao, locale, 2)} {t('unit.sao')}
      </p>
      <form className="plot-form" onSubmit={submit}>
        <label>
          {t('draw.code')}
          <input
            value={code}
            onChange={(e) => setCode(e.target.value.toUpperCase())}
            required
            placeholder="AT-0901"
          />
        </label>
        <label>
          {t('households.head')}
          <select value={householdId} onChange={(e) => setHouseholdId(e.target.value)} required>
            {households.map((h) => (
              <option key={h.id} value={h.id}>
                {h.headName} · {h.idNumberMasked}
              </option>
            ))}
          </select>
          {householdList.error && (
            <small role="alert" className="field-error">
              {t('common.loadFailed', { message: apiErrorInWords(t, householdList.error) })}
            </small>
          )}
        </label>
        <label>
          {t('panel.zone')}
          <select value={zoneId} onChange={(e) => setZoneId(e.target.value)}>
            <option value="">{t('draw.noZone')}</option>
            {zones.map((z) => (
              <option key={z.id} value={z.id}>
                {z.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('panel.farmingSystem')}
          <select
            value={farmingSystem}
            onChange={(e) => setFarmingSystem(e.target.value as FarmingSystem)}
          >
            {FarmingSystem.map((f) => (
              <option key={f} value={f}>
                {t(`farming.${f}`)}
              </option>
            ))}
          </select>
        </label>
        {message && (
          <p className="form-error" role="alert">
            {message}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('draw.save')}
          </button>
          <button type="button" className="link" onClick={onCancel}>
            {t('draw.cancel')}
          </button>
        </div>
      </form>
    </aside>
  );
}
