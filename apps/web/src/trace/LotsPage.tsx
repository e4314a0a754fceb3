import { PagedTable } from '../PagedTable';
import { useSearchParams } from 'react-router';
import { useApi } from '../app/query';
import {
  can,
  todayIso,
  type HarvestDto,
  type LotDto,
  type LotTraceDto,
  type Page,
  type ProductDto,
  type TraceNode,
} from '@huuco/domain';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, apiBlobUrl, apiGet, apiPost } from '../api';
import { useAuth } from '../auth';
import { formatDate, formatNumber } from '../format';
import { PastDateField } from '../fields';
import { lookup, useI18n } from '../i18n';
import { seasonText, traceErrorText } from './trace-errors';

/** Lots of the viewer's scope; cooperative managers build, mill, seal, recall and label them. */
export function LotsPage() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // The lot whose trace is open lives in the address: a reload or a shared link opens it again.
  const [params, setParams] = useSearchParams();
  const openId = params.get('lot');
  const open = useApi<LotDto>(openId ? `/lots/${openId}` : null).data ?? null;
  const setOpen = (lot: LotDto | null) => setParams(lot ? { lot: lot.id } : {});
  const [milling, setMilling] = useState<LotDto | null>(null);
  const [building, setBuilding] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const writes = user ? can(user.role, 'lots.write') : false;
  const recalls = user ? can(user.role, 'lots.recall') : false;

  const refresh = (text?: string) => {
    // The list itself is read again after every write (see app/query.tsx).
    if (text) setMessage({ ok: true, text });
  };
  const fail = (error: unknown) =>
    setMessage({
      ok: false,
      text: error instanceof ApiError ? traceErrorText(error.body) : t('login.offline'),
    });

  const printLabels = async (ids: string[]) => {
    try {
      window.open(await apiBlobUrl(`/lots/labels.pdf?ids=${ids.join(',')}`), '_blank');
    } catch (error) {
      fail(error);
    }
  };
  const seal = (lot: LotDto) =>
    apiPost<LotDto>(`/lots/${lot.id}/seal`, {}).then(
      () => refresh(t('lot.sealed', { code: lot.code })),
      fail,
    );
  const recall = (lot: LotDto) => {
    const reason = window.prompt(t('lot.recallReason', { code: lot.code }));
    if (!reason) return;
    apiPost<{ recalled: LotDto[] }>(`/lots/${lot.id}/recall`, { reason }).then(
      (r) => refresh(t('lot.recalled', { n: r.recalled.length })),
      fail,
    );
  };

  return (
    <div className="registry">
      {message && (
        <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      {writes && (
        <div className="actions-bar">
          <button onClick={() => setBuilding(!building)}>{t('lot.build')}</button>
          <button disabled={selected.size === 0} onClick={() => void printLabels([...selected])}>
            {t('lot.printSelected', { n: selected.size })}
          </button>
        </div>
      )}
      {building && (
        <BuildLot
          onDone={(lots) => {
            setBuilding(false);
            refresh(t('lot.built', { codes: lots.map((l) => l.code).join(', ') }));
          }}
          onError={fail}
        />
      )}
      {milling && (
        <MillLot
          lot={milling}
          onDone={(lots) => {
            setMilling(null);
            refresh(t('lot.milled', { codes: lots.map((l) => l.code).join(', ') }));
          }}
          onCancel={() => setMilling(null)}
          onError={fail}
        />
      )}
      {open && <LotTrace lot={open} onClose={() => setOpen(null)} />}
      <PagedTable<LotDto>
        title={t('nav.lots')}
        path="/lots"
        search
        sorts={[
          { value: 'createdAt', label: t('lot.created') },
          { value: 'code', label: t('lot.code') },
          { value: 'quantity', label: t('harvest.kg') },
        ]}
        defaultOrder="desc"
        exportName="lots"
        rowClass={(lot) => (lot.status === 'recalled' ? 'recalled' : undefined)}
        columns={[
          ...(writes
            ? [
                {
                  header: t('lot.select'),
                  cell: (lot: LotDto) => (
                    <input
                      type="checkbox"
                      aria-label={lot.code}
                      checked={selected.has(lot.id)}
                      onChange={(e) => {
                        const next = new Set(selected);
                        if (e.target.checked) next.add(lot.id);
                        else next.delete(lot.id);
                        setSelected(next);
                      }}
                    />
                  ),
                },
              ]
            : []),
          {
            header: t('lot.code'),
            cell: (lot) => (
              <button className="link" onClick={() => setOpen(lot)}>
                {lot.code}
              </button>
            ),
          },
          {
            header: t('harvest.product'),
            cell: (lot) => (
              <>
                {lot.productNameVi}
                {lot.organic && <span className="badge status-certified"> {t('lot.organic')}</span>}
                {lot.scanWarning && (
                  <span className="badge status-suspended"> {t('lot.scanWarning')}</span>
                )}
              </>
            ),
          },
          {
            header: t('harvest.kg'),
            numeric: true,
            cell: (lot) =>
              `${formatNumber(lot.remainingKg, locale)} / ${formatNumber(lot.quantityKg, locale)}`,
          },
          {
            header: t('harvest.season'),
            optional: true,
            cell: (lot) => seasonText(lot.seasonLabel),
          },
          { header: t('registry.status'), cell: (lot) => t(`lotStatus.${lot.status}`) },
          {
            header: '',
            cell: (lot) => (
              <span className="row-actions">
                {writes &&
                  lot.productCategory === 'paddy' &&
                  lot.remainingKg > 0 &&
                  lot.status !== 'recalled' && (
                    <button onClick={() => setMilling(lot)}>{t('lot.mill')}</button>
                  )}
                {writes && lot.status === 'open' && (
                  <button onClick={() => void seal(lot)}>{t('lot.seal')}</button>
                )}
                {writes && (
                  <button onClick={() => void printLabels([lot.id])}>{t('lot.label')}</button>
                )}
                {recalls && lot.status !== 'recalled' && (
                  <button onClick={() => recall(lot)}>{t('lot.recall')}</button>
                )}
              </span>
            ),
          },
        ]}
      />
    </div>
  );
}

/** Gathers harvests with quantity left into one lot of the same product. */
function BuildLot({
  onDone,
  onError,
}: {
  onDone: (lots: LotDto[]) => void;
  onError: (e: unknown) => void;
}) {
  const { t, locale } = useI18n();
  const [harvests, setHarvests] = useState<HarvestDto[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [occurredOn, setOccurredOn] = useState(todayIso());

  useEffect(() => {
    apiGet<Page<HarvestDto>>('/harvests?available=true&pageSize=200&sort=harvestedOn&order=desc')
      .then((p) => setHarvests(p.items))
      .catch(onError);
  }, []); // loaded once per form

  const picked = harvests.filter((h) => chosen.has(h.id));
  const total = picked.reduce((sum, h) => sum + h.remainingKg, 0);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      onDone(
        await apiPost<LotDto[]>('/lots', {
          process: 'aggregation',
          occurredOn,
          inputs: picked.map((h) => ({ harvestId: h.id, quantityKg: h.remainingKg })),
          outputs: [{ productId: picked[0]!.productId, quantityKg: Math.round(total * 100) / 100 }],
        }),
      );
    } catch (error) {
      onError(error);
    }
  };
  return (
    <form className="trace-form wide" onSubmit={(e) => void submit(e)}>
      <h2>{t('lot.buildTitle')}</h2>
      {harvests.length === 0 && <p>{t('lot.noHarvests')}</p>}
      <ul className="checklist">
        {harvests.map((h) => (
          <li key={h.id}>
            <label>
              <input
                type="checkbox"
                checked={chosen.has(h.id)}
                disabled={picked.length > 0 && picked[0]!.productId !== h.productId}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(h.id);
                  else next.delete(h.id);
                  setChosen(next);
                }}
              />
              {h.plotCode} · {formatDate(h.harvestedOn)} · {formatNumber(h.remainingKg, locale)} kg
              · {t(`status.${h.organicStatus}`)}
            </label>
          </li>
        ))}
      </ul>
      <PastDateField label={t('lot.date')} value={occurredOn} onChange={setOccurredOn} />
      <p>{t('lot.total', { kg: formatNumber(total, locale), n: picked.length })}</p>
      <button type="submit" disabled={picked.length === 0}>
        {t('lot.buildSubmit')}
      </button>
    </form>
  );
}

/** Mills a paddy lot into milled rice and its by-products, with the usual shares to start from. */
function MillLot({
  lot,
  onDone,
  onCancel,
  onError,
}: {
  lot: LotDto;
  onDone: (lots: LotDto[]) => void;
  onCancel: () => void;
  onError: (e: unknown) => void;
}) {
  const { t, locale } = useI18n();
  const [products, setProducts] = useState<ProductDto[]>([]);
  const [inputKg, setInputKg] = useState(String(lot.remainingKg));
  const [riceProductId, setRiceProductId] = useState('');
  const [shares, setShares] = useState({ rice: '64', broken: '5', bran: '9', husk: '20' });
  const [occurredOn, setOccurredOn] = useState(todayIso());

  useEffect(() => {
    apiGet<ProductDto[]>('/products')
      .then((list) => {
        setProducts(list);
        const rice = list.filter((p) => p.category === 'white_rice');
        setRiceProductId(rice.find((p) => p.gtin)?.id ?? rice[0]?.id ?? '');
      })
      .catch(onError);
  }, []); // loaded once per form

  const kg = Number(inputKg);
  const part = (share: string) => Math.round((kg * Number(share)) / 100);
  const byCategory = (category: string) =>
    products.find((p) => p.category === category && !p.gtin)?.id;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      onDone(
        await apiPost<LotDto[]>('/lots', {
          process: 'milling',
          occurredOn,
          inputs: [{ lotId: lot.id, quantityKg: kg }],
          outputs: [
            { productId: riceProductId, quantityKg: part(shares.rice) },
            { productId: byCategory('broken_rice'), quantityKg: part(shares.broken) },
            { productId: byCategory('bran'), quantityKg: part(shares.bran) },
            { productId: byCategory('husk'), quantityKg: part(shares.husk) },
          ].filter((o) => o.quantityKg > 0),
        }),
      );
    } catch (error) {
      onError(error);
    }
  };
  return (
    <form className="trace-form wide" onSubmit={(e) => void submit(e)}>
      <h2>{t('lot.millTitle', { code: lot.code })}</h2>
      <label>
        {t('lot.paddyKg')}
        <input inputMode="decimal" value={inputKg} onChange={(e) => setInputKg(e.target.value)} />
      </label>
      <label>
        {t('lot.riceProduct')}
        <select value={riceProductId} onChange={(e) => setRiceProductId(e.target.value)}>
          {products
            .filter((p) => p.category === 'white_rice' || p.category === 'brown_rice')
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.nameVi}
                {p.gtin ? ` · GTIN ${p.gtin}` : ''}
              </option>
            ))}
        </select>
      </label>
      {(['rice', 'broken', 'bran', 'husk'] as const).map((key) => (
        <label key={key}>
          {t(`lot.share.${key}`)} (%) → {formatNumber(part(shares[key]), locale)} kg
          <input
            inputMode="decimal"
            value={shares[key]}
            onChange={(e) => setShares({ ...shares, [key]: e.target.value })}
          />
        </label>
      ))}
      <PastDateField label={t('lot.date')} value={occurredOn} onChange={setOccurredOn} />
      <div className="actions">
        <button type="submit">{t('lot.millSubmit')}</button>
        <button type="button" onClick={onCancel}>
          {t('draw.cancel')}
        </button>
      </div>
    </form>
  );
}

/** One step back and one forward: the lot's inputs down to the plots, and the lots made from it. */
function LotTrace({ lot, onClose }: { lot: LotDto; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [trace, setTrace] = useState<LotTraceDto | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    void apiGet<LotTraceDto>(`/lots/${lot.id}/trace`).then(setTrace);
    void apiBlobUrl(`/lots/${lot.id}/qr.svg`).then(setQr);
  }, [lot.id]);

  const node = (n: TraceNode) => (
    <li key={`${n.kind}-${n.id}`}>
      {n.kind === 'harvest' ? `${t('harvest.plot')} ${n.plotCode}` : n.code} ·{' '}
      {lookup(`product.${n.product}`) ?? n.product} ·{' '}
      {formatNumber(n.usedKg ?? n.quantityKg, locale)} kg · {formatDate(n.date)}
      {n.process && ` · ${t(`process.${n.process}`)}`}
      {!n.organic && ` · ${t('lot.notOrganic')}`}
      {n.inputs.length > 0 && <ul>{n.inputs.map(node)}</ul>}
    </li>
  );
  return (
    <section className="trace-view">
      <button className="close" onClick={onClose} aria-label={t('panel.close')}>
        ×
      </button>
      <h2>
        {t('lot.trace')} {lot.code}
      </h2>
      <div className="trace-columns">
        <div>
          {qr && <img src={qr} alt={t('lot.qr')} width={160} height={160} />}
          <p>
            <a href={lot.provenanceUrl} target="_blank" rel="noreferrer">
              {t('lot.publicPage')}
            </a>
          </p>
          <p>
            {t('lot.scans', { n: lot.scanCount })}
            {lot.scanWarning && ` · ${t('lot.scanWarning')}`}
          </p>
          {lot.recallReason && <p className="form-error">{lot.recallReason}</p>}
        </div>
        <div>
          <h3>{t('lot.upstream')}</h3>
          {trace ? <ul className="tree">{node(trace.upstream)}</ul> : <p>{t('common.loading')}</p>}
          <h3>{t('lot.downstream')}</h3>
          {trace && trace.downstream.length === 0 && <p>—</p>}
          <ul>
            {trace?.downstream.map((d) => (
              <li key={d.id}>
                {d.code} · {lookup(`product.${d.product}`) ?? d.product} ·{' '}
                {formatNumber(d.quantityKg, locale)} kg · {t(`lotStatus.${d.status}`)}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
