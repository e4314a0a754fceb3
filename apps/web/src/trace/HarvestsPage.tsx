import {
  can,
  HarvestProduct,
  todayIso,
  type ErrorBody,
  type HarvestDto,
  type Page,
  type PlotDto,
  type ProductDto,
  type SeasonDto,
} from '@huuco/domain';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, apiGet, apiPost } from '../api';
import { useAuth } from '../auth';
import { formatDate, formatNumber } from '../format';
import { PastDateField } from '../fields';
import { errorInWords, lookup, useI18n } from '../i18n';
import { PagedTable } from '../PagedTable';

/** An error in words, with the numbers the server sent along. */
export function traceErrorText(error: ErrorBody): string {
  const first = (error.errors?.[0] ?? {}) as Record<string, unknown>;
  return errorInWords(error, {
    tPerHa:
      typeof first['kgPerHa'] === 'number' ? ((first['kgPerHa'] as number) / 1000).toFixed(2) : '',
    remaining: String(first['remainingKg'] ?? ''),
    from: String(first['startsOn'] ?? ''),
    to: String(first['endsOn'] ?? ''),
    ratio: typeof first['ratio'] === 'number' ? ((first['ratio'] as number) * 100).toFixed(1) : '',
  });
}

/** The season a date falls in, if one does. */
function seasonOn(seasons: SeasonDto[], date: string): string | undefined {
  return seasons.find((s) => s.startsOn <= date && date <= s.endsOn)?.id;
}

export function seasonText(label: string | null): string {
  if (!label) return '—';
  const [name, year] = label.split(':');
  return `${lookup(`season.${name}`) ?? name} ${year}`;
}

/** Recording a harvest, made for a phone in the field: plot, quantity, done. */
function HarvestForm() {
  const { t, locale } = useI18n();
  const [seasons, setSeasons] = useState<SeasonDto[]>([]);
  const [products, setProducts] = useState<ProductDto[]>([]);
  const [plotQuery, setPlotQuery] = useState('');
  const [plots, setPlots] = useState<PlotDto[]>([]);
  const [plot, setPlot] = useState<PlotDto | null>(null);
  const [seasonId, setSeasonId] = useState('');
  const [productId, setProductId] = useState('');
  const [harvestedOn, setHarvestedOn] = useState(todayIso());
  const [quantity, setQuantity] = useState('');
  const [lunarDate, setLunarDate] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [needsReason, setNeedsReason] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void apiGet<SeasonDto[]>('/seasons').then((list) => {
      setSeasons(list);
      setSeasonId((current) => current || seasonOn(list, todayIso()) || list[0]?.id || '');
    });
    void apiGet<ProductDto[]>('/products').then((list) => {
      const harvestable = list.filter((p) =>
        (HarvestProduct as readonly string[]).includes(p.category),
      );
      setProducts(harvestable);
      setProductId((current) => current || harvestable[0]?.id || '');
    });
  }, []);

  useEffect(() => {
    if (plotQuery.trim().length < 2) return setPlots([]);
    const controller = new AbortController();
    apiGet<Page<PlotDto>>(
      `/plots?q=${encodeURIComponent(plotQuery.trim())}&pageSize=8`,
      controller.signal,
    )
      .then((page) => setPlots(page.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, [plotQuery]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!plot) return setMessage({ ok: false, text: t('harvest.choosePlot') });
    setBusy(true);
    setMessage(null);
    try {
      const harvest = await apiPost<HarvestDto>('/harvests', {
        plotId: plot.id,
        seasonId,
        productId,
        harvestedOn,
        quantityKg: Number(quantity.replace(',', '.')),
        lunarDate: lunarDate.trim() || null,
        overrideReason: needsReason && overrideReason.trim() ? overrideReason.trim() : null,
      });
      setMessage({
        ok: true,
        text: t('harvest.recorded', {
          kg: formatNumber(harvest.quantityKg, locale),
          plot: harvest.plotCode,
          status: t(`status.${harvest.organicStatus}`),
        }),
      });
      setQuantity('');
      setOverrideReason('');
      setNeedsReason(false);
    } catch (error) {
      if (error instanceof ApiError) {
        if (error.body.code === 'YIELD_NEEDS_OVERRIDE') setNeedsReason(true);
        setMessage({ ok: false, text: traceErrorText(error.body) });
      } else setMessage({ ok: false, text: t('login.offline') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="trace-form" onSubmit={(e) => void submit(e)}>
      <h2>{t('harvest.title')}</h2>
      <label>
        {t('harvest.plot')}
        <input
          value={plot ? plot.code : plotQuery}
          placeholder={t('harvest.plotPlaceholder')}
          onChange={(e) => {
            setPlot(null);
            setPlotQuery(e.target.value);
          }}
          autoComplete="off"
        />
      </label>
      {!plot && plots.length > 0 && (
        <ul className="picker" role="listbox">
          {plots.map((p) => (
            <li key={p.id}>
              <button type="button" role="option" aria-selected={false} onClick={() => setPlot(p)}>
                {p.code} · {formatNumber(p.area.sao, locale)} {t('unit.sao')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <label>
        {t('harvest.season')}
        <select value={seasonId} onChange={(e) => setSeasonId(e.target.value)}>
          {seasons.map((s) => (
            <option key={s.id} value={s.id}>
              {t(`season.${s.name}`)} {s.year}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('harvest.product')}
        <select value={productId} onChange={(e) => setProductId(e.target.value)}>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.nameVi}
            </option>
          ))}
        </select>
      </label>
      <PastDateField
        label={t('harvest.date')}
        value={harvestedOn}
        onChange={(date) => {
          setHarvestedOn(date);
          const season = seasonOn(seasons, date);
          if (season) setSeasonId(season);
        }}
      />
      <label>
        {t('harvest.quantity')}
        <input
          inputMode="decimal"
          value={quantity}
          onChange={(e) => setQuantity(e.target.value)}
          required
          pattern="[0-9]+([.,][0-9]{1,2})?"
        />
      </label>
      <label>
        {t('harvest.lunar')}
        <input
          value={lunarDate}
          placeholder="20/9"
          onChange={(e) => setLunarDate(e.target.value)}
          pattern="[0-9]{1,2}/[0-9]{1,2}"
        />
      </label>
      {needsReason && (
        <label>
          {t('harvest.overrideReason')}
          <textarea
            value={overrideReason}
            onChange={(e) => setOverrideReason(e.target.value)}
            required
            minLength={5}
          />
        </label>
      )}
      {message && (
        <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('harvest.submit')}
      </button>
    </form>
  );
}

export function HarvestsPage() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  return (
    <div className="registry">
      {user && can(user.role, 'harvests.write') && <HarvestForm />}
      <PagedTable<HarvestDto>
        exportName="harvests"
        title={t('harvest.list')}
        path="/harvests?sort=createdAt&order=desc"
        columns={[
          { header: t('harvest.date'), cell: (h) => formatDate(h.harvestedOn) },
          { header: t('harvest.plot'), cell: (h) => h.plotCode },
          {
            header: t('harvest.product'),
            cell: (h) => t(`product.${h.productCategory}`),
            optional: true,
          },
          {
            header: t('harvest.kg'),
            cell: (h) => formatNumber(h.quantityKg, locale),
            numeric: true,
          },
          {
            header: t('harvest.remaining'),
            cell: (h) => formatNumber(h.remainingKg, locale),
            numeric: true,
            optional: true,
          },
          {
            header: t('panel.status'),
            cell: (h) => (
              <span className={`badge status-${h.organicStatus}`}>
                {t(`status.${h.organicStatus}`)}
              </span>
            ),
          },
          {
            header: t('harvest.yield'),
            cell: (h) =>
              `${formatNumber(h.yieldKgPerHa / 100, locale, 1)} ${t('unit.taPerHa')}${h.yieldCheck === 'overridden' ? ' ⚠' : ''}`,
            optional: true,
          },
        ]}
      />
    </div>
  );
}
