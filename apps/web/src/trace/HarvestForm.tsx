import {
  createHarvestSchema,
  HarvestProduct,
  todayIso,
  type HarvestDto,
  type ProductDto,
  type SeasonDto,
} from '@huuco/domain';
import { useMemo, useState, type FormEvent } from 'react';
import { useApi } from '../app/query';
import { useAuth } from '../auth';
import { newDeviceKey } from '../field/device-key';
import { useFieldHouseholds, useFieldPlots } from '../field/field-kit';
import { outbox, sendWaiting, type Outgoing } from '../field/outbox';
import { PastDateField } from '../fields';
import { formatNumber } from '../format';
import { useI18n } from '../i18n';
import { traceErrorText } from './trace-errors';

/** The season a date falls in, if one does. */
function seasonOn(seasons: SeasonDto[], date: string): string | undefined {
  return seasons.find((s) => s.startsOn <= date && date <= s.endsOn)?.id;
}

interface Message {
  ok: boolean;
  text: string;
}

/**
 * Recording a harvest, made for a phone in the field: plot, quantity, done. What is entered goes
 * to the device's outbox first and is sent from there, at once with signal or when it returns;
 * a record waiting or refused comes back here to be corrected (`editing`).
 */
export function HarvestForm({ editing, onDone }: { editing: Outgoing | null; onDone: () => void }) {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const seasons = useApi<SeasonDto[]>('/seasons').data ?? [];
  const products = (useApi<ProductDto[]>('/products').data ?? []).filter((p) =>
    (HarvestProduct as readonly string[]).includes(p.category),
  );
  const plots = useFieldPlots(user?.id);
  const households = useFieldHouseholds(user);
  const draft = editing?.body as Record<string, string | number | null> | undefined;
  const [plotQuery, setPlotQuery] = useState('');
  const [plotId, setPlotId] = useState<string | null>((draft?.['plotId'] as string) ?? null);
  const [seasonId, setSeasonId] = useState((draft?.['seasonId'] as string) ?? '');
  const [productId, setProductId] = useState((draft?.['productId'] as string) ?? '');
  const [harvestedOn, setHarvestedOn] = useState((draft?.['harvestedOn'] as string) ?? todayIso());
  const [quantity, setQuantity] = useState(
    draft ? String(draft['quantityKg']).replace('.', locale === 'vi' ? ',' : '.') : '',
  );
  const [lunarDate, setLunarDate] = useState((draft?.['lunarDate'] as string) ?? '');
  const [overrideReason, setOverrideReason] = useState((draft?.['overrideReason'] as string) ?? '');
  const [needsReason, setNeedsReason] = useState(
    Boolean(draft?.['overrideReason']) || editing?.refusal?.code === 'YIELD_NEEDS_OVERRIDE',
  );
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);

  const plot = plots.data?.find((p) => p.id === plotId) ?? null;
  const matches = useMemo(() => {
    const query = plotQuery.trim().toLowerCase();
    if (query.length < 2 || !plots.data) return [];
    return plots.data.filter((p) => p.code.toLowerCase().includes(query)).slice(0, 8);
  }, [plotQuery, plots.data]);
  const season = seasonId || seasonOn(seasons, harvestedOn) || seasons[0]?.id || '';
  const product = productId || products[0]?.id || '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!user) return;
    if (!plot) return setMessage({ ok: false, text: t('harvest.choosePlot') });
    const parsed = createHarvestSchema.safeParse({
      plotId: plot.id,
      seasonId: season,
      productId: product,
      harvestedOn,
      quantityKg: Number(quantity.replace(',', '.')),
      lunarDate: lunarDate.trim() || null,
      overrideReason: needsReason && overrideReason.trim() ? overrideReason.trim() : null,
      plotRevision: plot.revision,
    });
    if (!parsed.success) {
      const labels: Record<string, string> = {
        quantityKg: t('harvest.quantity'),
        harvestedOn: t('harvest.date'),
        lunarDate: t('harvest.lunar'),
        overrideReason: t('harvest.overrideReason'),
        seasonId: t('harvest.season'),
        productId: t('harvest.product'),
      };
      const fields = parsed.error.issues.map((issue) => labels[String(issue.path[0])] ?? '');
      return setMessage({
        ok: false,
        text: `${t('form.invalid')} ${[...new Set(fields)].filter(Boolean).join(', ')}`,
      });
    }
    setBusy(true);
    setMessage(null);
    const entry = {
      body: parsed.data,
      summary: t('field.harvestSummary', {
        kg: formatNumber(parsed.data.quantityKg, locale),
        plot: plot.code,
        date: harvestedOn,
      }),
      seen: {
        code: plot.code,
        revision: plot.revision,
        areaSao: plot.area.sao,
        status: plot.organicStatus.status,
      },
    };
    const id = editing?.id ?? newDeviceKey();
    if (editing) await outbox.update(id, entry);
    else await outbox.add({ ...entry, id, userId: user.id, kind: 'harvest', path: '/harvests' });
    await sendWaiting(user.id);
    const after = await outbox.get(id);
    setBusy(false);
    if (after?.state === 'refused' && after.refusal) {
      if (after.refusal.code === 'YIELD_NEEDS_OVERRIDE') setNeedsReason(true);
      return setMessage({ ok: false, text: traceErrorText(after.refusal) });
    }
    if (after?.state === 'sent') {
      const harvest = after.answer as HarvestDto;
      setMessage({
        ok: true,
        text: t('harvest.recorded', {
          kg: formatNumber(harvest.quantityKg, locale),
          plot: harvest.plotCode,
          status: t(`status.${harvest.organicStatus}`),
        }),
      });
    } else {
      setMessage({
        ok: true,
        text: t('field.queued', {
          kg: formatNumber(parsed.data.quantityKg, locale),
          plot: plot.code,
        }),
      });
    }
    setQuantity('');
    setOverrideReason('');
    setNeedsReason(false);
    if (editing) onDone();
  };

  return (
    <form className="trace-form" onSubmit={(e) => void submit(e)}>
      <h2>{t('harvest.title')}</h2>
      {editing && (
        <p className="form-note">
          {t('field.editing')}{' '}
          <button type="button" className="link" onClick={onDone}>
            {t('field.cancelEdit')}
          </button>
        </p>
      )}
      <label>
        {t('harvest.plot')}
        <input
          value={plot ? plot.code : plotQuery}
          placeholder={t('harvest.plotPlaceholder')}
          onChange={(e) => {
            setPlotId(null);
            setPlotQuery(e.target.value);
          }}
          autoComplete="off"
        />
      </label>
      {!plot && matches.length > 0 && (
        <ul className="picker" role="listbox">
          {matches.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                role="option"
                aria-selected={false}
                onClick={() => setPlotId(p.id)}
              >
                {p.code} · {formatNumber(p.area.sao, locale)} {t('unit.sao')}
                {households.has(p.householdId) && ` · ${households.get(p.householdId)!.headName}`}
              </button>
            </li>
          ))}
        </ul>
      )}
      <label>
        {t('harvest.season')}
        <select value={season} onChange={(e) => setSeasonId(e.target.value)}>
          {seasons.map((s) => (
            <option key={s.id} value={s.id}>
              {t(`season.${s.name}`)} {s.year}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('harvest.product')}
        <select value={product} onChange={(e) => setProductId(e.target.value)}>
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
          const dated = seasonOn(seasons, date);
          if (dated) setSeasonId(dated);
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
        {editing ? t('field.save') : t('harvest.submit')}
      </button>
    </form>
  );
}
