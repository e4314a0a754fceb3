import { PagedTable } from '../PagedTable';
import { useSearchParams } from 'react-router';
import { useApi } from '../app/query';
import {
  can,
  todayIso,
  CONTRACT_TRANSITIONS,
  ProductCategory,
  type BuyerDto,
  type ContractBasis,
  type ContractStatus,
  type CooperativeDto,
  type ContractCoverageDto,
  type SeasonDto,
  type ZoneDto,
  type ContractDto,
  type DeliveryDto,
  type FulfilmentRow,
  type LotDto,
  type Page,
} from '@huuco/domain';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, apiDownload, apiGet, apiPost, apiPutFile } from '../api';
import { useAuth } from '../auth';
import { formatDate, formatNumber } from '../format';
import { PastDateField } from '../fields';
import { lookup, useI18n } from '../i18n';
import { seasonText, traceErrorText } from '../trace/trace-errors';
import { ContractMap } from './ContractMap';
import { ExportButtons } from '../district/ExportButtons';

const vnd = (value: number, locale: string) => `${formatNumber(value, locale, 0)} ₫`;
const percent = (share: number | null, locale: string) =>
  share === null ? '—' : `${formatNumber(share * 100, locale, 1)} %`;

/** Contracts in the viewer's scope; for staff the share under contract and fulfilment by cooperative and season. */
export function ContractsPage() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  // The open contract lives in the address: a reload or a shared link opens it again.
  const [params, setParams] = useSearchParams();
  const openId = params.get('contract');
  const open = useApi<ContractDto>(openId ? `/contracts/${openId}` : null).data ?? null;
  const setOpen = (contract: ContractDto | null) =>
    setParams(contract ? { contract: contract.id } : {});
  const staff = user?.role === 'district_admin' || user?.role === 'district_staff';
  const [creating, setCreating] = useState(false);
  const writes = user ? can(user.role, 'contracts.write') : false;

  return (
    <div className="registry">
      {staff && <StaffSummary />}
      {writes && (
        <div className="actions-bar">
          <button onClick={() => setCreating(!creating)}>{t('contract.new')}</button>
        </div>
      )}
      {creating && (
        <NewContract
          onDone={(created) => {
            setCreating(false);
            setOpen(created);
          }}
        />
      )}
      {open && <ContractDetail contract={open} onClose={() => setOpen(null)} />}
      <PagedTable<ContractDto>
        title={t('nav.contracts')}
        path="/contracts"
        search
        sorts={[
          { value: 'createdAt', label: t('lot.created') },
          { value: 'number', label: t('contract.number') },
        ]}
        defaultOrder="desc"
        exportName="contracts"
        columns={[
          {
            header: t('contract.number'),
            cell: (c) => (
              <button className="link" onClick={() => setOpen(c)}>
                {c.number}
              </button>
            ),
          },
          {
            header: user?.role === 'buyer' ? t('contract.cooperative') : t('contract.buyer'),
            optional: true,
            cell: (c) => (user?.role === 'buyer' ? c.cooperativeName : c.buyerName),
          },
          { header: t('harvest.season'), optional: true, cell: (c) => seasonText(c.seasonLabel) },
          {
            header: t('contract.basis'),
            cell: (c) =>
              `${t(`contract.basis.${c.basis}`)} · ${lookup(`product.${c.productCategory}`) ?? c.productCategory}`,
          },
          {
            header: t('contract.delivered'),
            numeric: true,
            cell: (c) =>
              `${formatNumber(c.fulfilment.deliveredKg, locale, 0)} kg (${percent(c.fulfilment.share, locale)})`,
          },
          { header: t('registry.status'), cell: (c) => t(`contractStatus.${c.status}`) },
        ]}
      />
    </div>
  );
}

function StaffSummary() {
  const { t, locale } = useI18n();
  const [coverage, setCoverage] = useState<ContractCoverageDto | null>(null);
  const [rows, setRows] = useState<FulfilmentRow[]>([]);
  useEffect(() => {
    void apiGet<ContractCoverageDto>('/contracts/coverage').then(setCoverage);
    void apiGet<FulfilmentRow[]>('/contracts/fulfilment').then(setRows);
  }, []);
  return (
    <section>
      <h2>{t('contract.summary')}</h2>
      <ExportButtons name="fulfilment" />
      {coverage && (
        <p className="card-figure">
          <strong>{percent(coverage.share, locale)}</strong>{' '}
          {t('contract.coverage', {
            contracted: formatNumber(coverage.contractedAreaM2 / 10_000, locale, 2),
            organic: formatNumber(coverage.organicAreaM2 / 10_000, locale, 2),
          })}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>{t('contract.cooperative')}</th>
            <th>{t('harvest.season')}</th>
            <th className="num optional">{t('contract.contracted')}</th>
            <th className="num optional">{t('contract.expected')}</th>
            <th className="num">{t('contract.delivered')}</th>
            <th className="num optional">{t('contract.value')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.cooperativeId}-${r.seasonId}`}>
              <td>{r.cooperativeName}</td>
              <td>{seasonText(r.seasonLabel)}</td>
              <td className="num optional">
                {r.contractedKg ? `${formatNumber(r.contractedKg, locale, 0)} kg` : '—'}
              </td>
              <td className="num optional">{formatNumber(r.expectedKg, locale, 0)} kg</td>
              <td className="num">
                {formatNumber(r.deliveredKg, locale, 0)} kg ({percent(r.share, locale)})
              </td>
              <td className="num optional">{vnd(r.deliveredValueVnd, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ContractDetail({ contract, onClose }: { contract: ContractDto; onClose: () => void }) {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const deliveryList = useApi<Page<DeliveryDto>>(
    `/deliveries?contractId=${contract.id}&pageSize=100&order=desc`,
  );
  const deliveries = deliveryList.data?.items ?? [];
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [delivering, setDelivering] = useState(false);
  const writes = user ? can(user.role, 'contracts.write') : false;
  const f = contract.fulfilment;

  const fail = (error: unknown) =>
    setMessage({
      ok: false,
      text: error instanceof ApiError ? traceErrorText(error.body) : t('login.offline'),
    });
  const changed = (text: string) => {
    // The contract and its deliveries are read again after every write (see app/query.tsx).
    setMessage({ ok: true, text });
  };
  const move = (status: ContractStatus) =>
    apiPost<ContractDto>(`/contracts/${contract.id}/status`, {
      status,
      signedOn: status === 'signed' ? todayIso() : undefined,
    }).then(() => changed(t('contract.moved', { status: t(`contractStatus.${status}`) })), fail);
  const receive = (delivery: DeliveryDto) =>
    apiPost<DeliveryDto>(`/deliveries/${delivery.id}/receive`, { receivedOn: todayIso() }).then(
      () => changed(t('delivery.receivedMessage', { n: delivery.lots.length })),
      fail,
    );
  const download = async (path: string, filename: string) => {
    try {
      await apiDownload(path, filename);
    } catch (error) {
      fail(error);
    }
  };

  return (
    <section className="trace-view">
      <button className="close" onClick={onClose} aria-label={t('panel.close')}>
        ×
      </button>
      <h2>
        {t('contract.title')} {contract.number}
      </h2>
      {message && (
        <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <div className="trace-columns wide-left">
        <div>
          <dl className="facts">
            <dt>{t('contract.buyer')}</dt>
            <dd>{contract.buyerName}</dd>
            <dt>{t('contract.cooperative')}</dt>
            <dd>{contract.cooperativeName}</dd>
            <dt>{t('harvest.season')}</dt>
            <dd>{seasonText(contract.seasonLabel)}</dd>
            <dt>{t('contract.basis')}</dt>
            <dd>
              {t(`contract.basis.${contract.basis}`)} ·{' '}
              {lookup(`product.${contract.productCategory}`) ?? contract.productCategory}
            </dd>
            <dt>{t('contract.price')}</dt>
            <dd>{vnd(contract.priceVndPerKg, locale)}/kg</dd>
            {contract.qualityTerms && (
              <>
                <dt>{t('contract.quality')}</dt>
                <dd>{contract.qualityTerms}</dd>
              </>
            )}
            <dt>{t('registry.status')}</dt>
            <dd>
              {t(`contractStatus.${contract.status}`)}
              {contract.signedOn && ` · ${t('contract.signedOn')} ${formatDate(contract.signedOn)}`}
            </dd>
            {f.contractedKg !== null && (
              <>
                <dt>{t('contract.contracted')}</dt>
                <dd>{formatNumber(f.contractedKg, locale, 0)} kg</dd>
              </>
            )}
            {contract.basis === 'whole_area' && (
              <>
                <dt>{t('contract.area')}</dt>
                <dd>
                  {formatNumber(f.coveredAreaM2 / 10_000, locale, 2)} ha · {t('contract.expected')}{' '}
                  {formatNumber(f.expectedKg, locale, 0)} kg
                </dd>
              </>
            )}
            <dt>{t('contract.delivered')}</dt>
            <dd>
              {formatNumber(f.deliveredKg, locale, 0)} kg ({percent(f.share, locale)}) ·{' '}
              {t('contract.received')} {formatNumber(f.receivedKg, locale, 0)} kg ·{' '}
              {vnd(f.deliveredValueVnd, locale)}
            </dd>
            <dt>{t('contract.document')}</dt>
            <dd>
              {contract.document ? (
                <button
                  className="link"
                  onClick={() =>
                    void download(`/contracts/${contract.id}/document`, contract.document!.filename)
                  }
                >
                  {contract.document.filename}
                </button>
              ) : (
                '—'
              )}
              {writes && (
                <label className="upload">
                  {t('contract.upload')}
                  <input
                    type="file"
                    accept="application/pdf,image/jpeg,image/png"
                    onChange={(e) => {
                      const file = e.target.files?.[0];
                      if (file)
                        apiPutFile<ContractDto>(`/contracts/${contract.id}/document`, file).then(
                          () => changed(t('contract.uploaded', { name: file.name })),
                          fail,
                        );
                    }}
                  />
                </label>
              )}
            </dd>
          </dl>
          {writes && (
            <div className="actions-bar">
              {CONTRACT_TRANSITIONS[contract.status].map((status) => (
                <button key={status} onClick={() => void move(status)}>
                  {t(`contract.to.${status}`)}
                </button>
              ))}
              {user && can(user.role, 'deliveries.write') && contract.status === 'active' && (
                <button onClick={() => setDelivering(!delivering)}>{t('delivery.new')}</button>
              )}
            </div>
          )}
        </div>
        <ContractMap contract={contract} />
      </div>
      {delivering && (
        <DeliveryForm
          contract={contract}
          onDone={() => {
            setDelivering(false);
            changed(t('delivery.shippedMessage'));
          }}
          onError={fail}
        />
      )}
      <h3>{t('delivery.title')}</h3>
      {deliveries.length === 0 && <p>{t('delivery.none')}</p>}
      <ul className="deliveries">
        {deliveries.map((d) => (
          <li key={d.id}>
            <strong>{formatDate(d.deliveredOn)}</strong> · {formatNumber(d.quantityKg, locale)} kg →{' '}
            {d.destination} ·{' '}
            {d.status === 'received'
              ? t('delivery.receivedOn', { date: formatDate(d.receivedOn) })
              : t('delivery.shipped')}
            {d.overContract && ` · ${t('delivery.over')}`}
            {user?.role === 'buyer' && d.status === 'shipped' && (
              <button className="confirm" onClick={() => void receive(d)}>
                {t('delivery.receive')}
              </button>
            )}
            <ul>
              {d.lots.map((l) => (
                <li key={l.lotId}>
                  <a href={l.provenanceUrl} target="_blank" rel="noreferrer">
                    {l.code}
                  </a>{' '}
                  · {l.productNameVi} · {formatNumber(l.quantityKg, locale)} kg ·{' '}
                  <button
                    className="link"
                    onClick={() =>
                      void download(`/epcis/events?lotId=${l.lotId}`, `epcis-${l.code}.json`)
                    }
                  >
                    EPCIS
                  </button>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A contract as drafted: signing and starting it are steps of its own. */
function NewContract({ onDone }: { onDone: (contract: ContractDto) => void }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const [buyers, setBuyers] = useState<BuyerDto[]>([]);
  const [cooperatives, setCooperatives] = useState<CooperativeDto[]>([]);
  const [seasons, setSeasons] = useState<SeasonDto[]>([]);
  const [zones, setZones] = useState<ZoneDto[]>([]);
  const [form, setForm] = useState({
    number: '',
    buyerId: '',
    cooperativeId: user?.cooperativeId ?? '',
    seasonId: '',
    productCategory: 'white_rice',
    basis: 'whole_area' as ContractBasis,
    contractedKg: '',
    zoneId: '',
    priceVndPerKg: '',
    qualityTerms: '',
  });
  const [message, setMessage] = useState<string | null>(null);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });

  useEffect(() => {
    void apiGet<Page<BuyerDto>>('/buyers?pageSize=500&sort=name').then((p) => setBuyers(p.items));
    void apiGet<SeasonDto[]>('/seasons').then(setSeasons);
    void apiGet<Page<ZoneDto>>('/zones?pageSize=200').then((p) => setZones(p.items));
    if (!user?.cooperativeId)
      void apiGet<Page<CooperativeDto>>('/cooperatives?pageSize=200').then((p) =>
        setCooperatives(p.items),
      );
  }, [user?.cooperativeId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      onDone(
        await apiPost<ContractDto>('/contracts', {
          number: form.number,
          buyerId: form.buyerId,
          cooperativeId: form.cooperativeId,
          seasonId: form.seasonId,
          productCategory: form.productCategory,
          basis: form.basis,
          contractedKg: form.basis === 'quantity' ? Number(form.contractedKg) : null,
          zoneId: form.basis === 'whole_area' ? form.zoneId || null : null,
          priceVndPerKg: Number(form.priceVndPerKg.replace(/\./g, '')),
          qualityTerms: form.qualityTerms || null,
        }),
      );
    } catch (error) {
      setMessage(error instanceof ApiError ? traceErrorText(error.body) : t('login.offline'));
    }
  };
  return (
    <form className="trace-form wide" onSubmit={(e) => void submit(e)}>
      <h2>{t('contract.new')}</h2>
      <label>
        {t('contract.number')}
        <input value={form.number} onChange={set('number')} required minLength={2} />
      </label>
      <label>
        {t('contract.buyer')}
        <select value={form.buyerId} onChange={set('buyerId')} required>
          <option value="">—</option>
          {buyers.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </select>
      </label>
      {!user?.cooperativeId && (
        <label>
          {t('contract.cooperative')}
          <select value={form.cooperativeId} onChange={set('cooperativeId')} required>
            <option value="">—</option>
            {cooperatives.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('harvest.season')}
        <select value={form.seasonId} onChange={set('seasonId')} required>
          <option value="">—</option>
          {seasons.map((x) => (
            <option key={x.id} value={x.id}>
              {t(`season.${x.name}`)} {x.year}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('harvest.product')}
        <select value={form.productCategory} onChange={set('productCategory')}>
          {ProductCategory.map((c) => (
            <option key={c} value={c}>
              {lookup(`product.${c}`) ?? c}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('contract.basis')}
        <select value={form.basis} onChange={set('basis')}>
          <option value="whole_area">{t('contract.basis.whole_area')}</option>
          <option value="quantity">{t('contract.basis.quantity')}</option>
        </select>
      </label>
      {form.basis === 'quantity' ? (
        <label>
          {t('contract.contracted')} (kg)
          <input
            inputMode="decimal"
            value={form.contractedKg}
            onChange={set('contractedKg')}
            required
          />
        </label>
      ) : (
        <label>
          {t('panel.zone')}
          <select value={form.zoneId} onChange={set('zoneId')} required>
            <option value="">—</option>
            {zones.map((z) => (
              <option key={z.id} value={z.id}>
                {z.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('contract.price')} (₫/kg)
        <input
          inputMode="numeric"
          value={form.priceVndPerKg}
          onChange={set('priceVndPerKg')}
          required
        />
      </label>
      <label>
        {t('contract.quality')}
        <textarea value={form.qualityTerms} onChange={set('qualityTerms')} />
      </label>
      {message && (
        <p className="form-error" role="alert">
          {message}
        </p>
      )}
      <button type="submit">{t('contract.create')}</button>
    </form>
  );
}

/** Ships lots of the contract's product against it: each lot, and how much of it. */
function DeliveryForm({
  contract,
  onDone,
  onError,
}: {
  contract: ContractDto;
  onDone: () => void;
  onError: (e: unknown) => void;
}) {
  const { t, locale } = useI18n();
  const [lots, setLots] = useState<LotDto[]>([]);
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const [deliveredOn, setDeliveredOn] = useState(todayIso());
  const [destination, setDestination] = useState('');
  useEffect(() => {
    apiGet<Page<LotDto>>(
      `/lots?available=true&cooperativeId=${contract.cooperativeId}&pageSize=200&sort=createdAt&order=desc`,
    )
      .then((p) => setLots(p.items.filter((l) => l.productCategory === contract.productCategory)))
      .catch(onError);
  }, []); // loaded once per form
  const chosen = lots.filter((l) => Number(amounts[l.id] ?? 0) > 0);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await apiPost<DeliveryDto>('/deliveries', {
        contractId: contract.id,
        deliveredOn,
        destination,
        lots: chosen.map((l) => ({
          lotId: l.id,
          quantityKg: Number(amounts[l.id]!.replace(',', '.')),
        })),
      });
      onDone();
    } catch (error) {
      onError(error);
    }
  };
  return (
    <form className="trace-form wide" onSubmit={(e) => void submit(e)}>
      <h3>{t('delivery.new')}</h3>
      {lots.length === 0 && <p>{t('delivery.noLots')}</p>}
      {lots.map((l) => (
        <label key={l.id}>
          {l.code} · {l.productNameVi} ·{' '}
          {t('delivery.left', { kg: formatNumber(l.remainingKg, locale) })}
          <input
            inputMode="decimal"
            placeholder="kg"
            value={amounts[l.id] ?? ''}
            onChange={(e) => setAmounts({ ...amounts, [l.id]: e.target.value })}
          />
        </label>
      ))}
      <PastDateField label={t('delivery.date')} value={deliveredOn} onChange={setDeliveredOn} />
      <label>
        {t('delivery.destination')}
        <input
          value={destination}
          onChange={(e) => setDestination(e.target.value)}
          required
          minLength={2}
        />
      </label>
      <button type="submit" disabled={chosen.length === 0}>
        {t('delivery.submit')}
      </button>
    </form>
  );
}
