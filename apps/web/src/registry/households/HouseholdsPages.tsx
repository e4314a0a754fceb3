import {
  can,
  consentSchema,
  createHouseholdSchema,
  leaveHouseholdSchema,
  revealIdSchema,
  todayIso,
  updateHouseholdSchema,
  type AdminUnitDto,
  type ConsentRecordDto,
  type CooperativeDto,
  type HarvestDto,
  type HouseholdDto,
  type HouseholdRevisionDto,
  type Page,
  type PlotDto,
} from '@huuco/domain';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { apiPatch, apiPost } from '../../api';
import { emptyToNull, Field, SaveRow, showSaveError, useSchemaForm } from '../../app/forms';
import { Loaded, RelatedList, useApi, useApiMutation } from '../../app/query';
import { useAuth } from '../../auth';
import { formatDate, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { PagedTable } from '../../PagedTable';

/** Households within the viewer's scope; ID numbers masked, phones as the role allows. */
export function HouseholdsPage() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  return (
    <div className="registry">
      <PagedTable<HouseholdDto>
        title={t('nav.households')}
        path="/households"
        search
        sorts={[
          { value: 'headName', label: t('households.head') },
          { value: 'code', label: t('households.code') },
          { value: 'joinedOn', label: t('households.joined') },
        ]}
        rowLink={(h) => `/households/${h.id}`}
        exportName="households"
        actions={
          user &&
          can(user.role, 'households.write') && (
            <Link className="button primary" to="/households/new">
              {t('households.new')}
            </Link>
          )
        }
        columns={[
          { header: t('households.code'), cell: (h) => h.code },
          { header: t('households.head'), cell: (h) => h.headName },
          { header: t('households.idNumber'), cell: (h) => h.idNumberMasked, optional: true },
          {
            header: t('households.phone'),
            cell: (h) => h.phone ?? h.phoneMasked ?? '—',
            optional: true,
          },
          { header: t('households.village'), cell: (h) => h.village ?? '—', optional: true },
          { header: t('households.joined'), cell: (h) => formatDate(h.joinedOn), optional: true },
          {
            header: t('households.plots'),
            cell: (h) => formatNumber(h.plotCount, locale, 0),
            numeric: true,
          },
        ]}
      />
    </div>
  );
}

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

/** Registering a household: its head, ID number, cooperative and commune, and consent if given. */
export function HouseholdCreatePage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const cooperatives = useApi<Page<CooperativeDto>>('/cooperatives?pageSize=200&sort=name');
  const communes = useApi<Page<AdminUnitDto>>('/admin-units?level=commune&pageSize=500&sort=name');
  const form = useSchemaForm<
    z.input<typeof createHouseholdSchema>,
    z.output<typeof createHouseholdSchema>
  >(createHouseholdSchema, {
    cooperativeId: user?.cooperativeId ?? '',
    joinedOn: todayIso(),
    consentPublicDisplay: false,
  });
  const [message, setMessage] = useState<string | null>(null);
  const create = useApiMutation((dto: z.output<typeof createHouseholdSchema>) =>
    apiPost<HouseholdDto>('/households', dto),
  );
  const onCooperative = (id: string) => {
    const cooperative = cooperatives.data?.items.find((c) => c.id === id);
    if (cooperative && !form.getValues('communeId'))
      form.setValue('communeId', cooperative.commune.id);
  };
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      const saved = await create.mutateAsync(dto);
      navigate(`/households/${saved.id}`, { state: { created: saved.code } });
    } catch (error) {
      setMessage(showSaveError(t, form, error, Object.keys(createHouseholdSchema.shape)));
    }
  });
  const ownCooperative = user?.cooperativeId ?? null;
  // A cooperative manager's households are in their cooperative's commune unless they say otherwise.
  const ownCommune = cooperatives.data?.items.find((c) => c.id === ownCooperative)?.commune.id;
  useEffect(() => {
    if (ownCommune && !form.getValues('communeId')) form.setValue('communeId', ownCommune);
  }, [ownCommune, form]);

  return (
    <div className="record">
      <Link to="/households">{t('common.back')}</Link>
      <h1>{t('households.newTitle')}</h1>
      <form className="record-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field form={form} name="headName" label={t('households.head')}>
          <input {...form.register('headName')} autoComplete="off" />
        </Field>
        <Field form={form} name="idNumber" label={t('households.idNumber')}>
          <input {...form.register('idNumber')} inputMode="numeric" autoComplete="off" />
        </Field>
        <Field form={form} name="code" label={t('households.code')} hint="H0001">
          <input {...form.register('code', { setValueAs: emptyToUndefined })} />
        </Field>
        <Field form={form} name="phone" label={t('households.phone')}>
          <input {...form.register('phone', { setValueAs: emptyToNull })} inputMode="tel" />
        </Field>
        <Field form={form} name="village" label={t('households.village')}>
          <input {...form.register('village', { setValueAs: emptyToNull })} />
        </Field>
        <Field form={form} name="cooperativeId" label={t('households.cooperative')}>
          {ownCooperative ? (
            <output>
              {cooperatives.data?.items.find((c) => c.id === ownCooperative)?.name ?? '…'}
            </output>
          ) : (
            <select
              {...form.register('cooperativeId', {
                onChange: (e: { target: { value: string } }) => onCooperative(e.target.value),
              })}
            >
              <option value="">—</option>
              {cooperatives.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field form={form} name="communeId" label={t('households.commune')}>
          <select {...form.register('communeId')}>
            <option value="">—</option>
            {communes.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field form={form} name="joinedOn" label={t('households.joined')}>
          <input type="date" {...form.register('joinedOn')} max={todayIso()} />
        </Field>
        <label className="checkbox">
          <input type="checkbox" {...form.register('consentPublicDisplay')} />
          {t('households.consentAtRegistration')}
        </label>
        <SaveRow message={message} busy={form.formState.isSubmitting} />
      </form>
    </div>
  );
}

/** A household's record: details, its plots, harvests and consents, and its history. */
export function HouseholdPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const household = useApi<HouseholdDto>(`/households/${id}`);
  return (
    <div className="record">
      <Link to="/households">{t('common.back')}</Link>
      <Loaded query={household}>{(h) => <HouseholdRecord household={h} />}</Loaded>
    </div>
  );
}

function HouseholdRecord({ household: h }: { household: HouseholdDto }) {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const writable = !!user && can(user.role, 'households.write') && h.leftOn === null;
  const [editing, setEditing] = useState(false);
  const plots = useApi<Page<PlotDto>>(`/plots?householdId=${h.id}&pageSize=100`);
  const readsHarvests = !!user && can(user.role, 'harvests.read');
  const harvests = useApi<Page<HarvestDto>>(
    readsHarvests ? `/harvests?householdId=${h.id}&pageSize=20&sort=harvestedOn&order=desc` : null,
  );
  return (
    <>
      <h1>
        {h.headName} <span className="muted">· {h.code}</span>
      </h1>
      {h.leftOn && (
        <p className="badge status-not_organic">
          {t('households.left', { date: formatDate(h.leftOn), reason: h.leftReason ?? '' })}
        </p>
      )}
      <section>
        <h2>{t('households.details')}</h2>
        {editing ? (
          <HouseholdEdit household={h} onDone={() => setEditing(false)} />
        ) : (
          <>
            <dl className="facts">
              <dt>{t('households.code')}</dt>
              <dd>{h.code}</dd>
              <dt>{t('households.idNumber')}</dt>
              <dd>{h.idNumberMasked}</dd>
              <dt>{t('households.phone')}</dt>
              <dd>{h.phone ?? h.phoneMasked ?? '—'}</dd>
              <dt>{t('households.village')}</dt>
              <dd>{h.village ?? '—'}</dd>
              <dt>{t('households.joined')}</dt>
              <dd>{formatDate(h.joinedOn)}</dd>
            </dl>
            {writable && (
              <button type="button" onClick={() => setEditing(true)}>
                {t('common.edit')}
              </button>
            )}
          </>
        )}
        {user && can(user.role, 'households.revealId') && <RevealId householdId={h.id} />}
      </section>
      <section>
        <h2>{t('households.plotsOf')}</h2>
        {writable && (
          <Link className="button" to={`/?household=${h.id}`}>
            {t('households.drawPlot')}
          </Link>
        )}
        <RelatedList query={plots}>
          {(p) => (
            <>
              <Link to={`/?plot=${p.id}`}>{p.code}</Link> · {formatNumber(p.area.m2, locale, 0)} m²
              · {formatNumber(p.area.sao, locale, 1)} {t('unit.sao')}
            </>
          )}
        </RelatedList>
      </section>
      {readsHarvests && (
        <section>
          <h2>{t('households.harvestsOf')}</h2>
          <RelatedList query={harvests}>
            {(x) => (
              <>
                {formatDate(x.harvestedOn)} · {x.plotCode} · {formatNumber(x.quantityKg, locale)} kg
              </>
            )}
          </RelatedList>
        </section>
      )}
      <Consents household={h} writable={writable} />
      {writable && <LeaveForm householdId={h.id} />}
      <HouseholdTimeline householdId={h.id} />
    </>
  );
}

function HouseholdEdit({ household: h, onDone }: { household: HouseholdDto; onDone: () => void }) {
  const { t } = useI18n();
  const form = useSchemaForm<
    z.input<typeof updateHouseholdSchema>,
    z.output<typeof updateHouseholdSchema>
  >(updateHouseholdSchema, {
    code: h.code,
    headName: h.headName,
    phone: h.phone,
    village: h.village,
  });
  const [message, setMessage] = useState<string | null>(null);
  const save = useApiMutation((dto: z.output<typeof updateHouseholdSchema>) =>
    apiPatch<HouseholdDto>(`/households/${h.id}`, dto),
  );
  const submit = form.handleSubmit(async (dto) => {
    try {
      await save.mutateAsync(dto);
      onDone();
    } catch (error) {
      setMessage(showSaveError(t, form, error, ['code', 'headName', 'phone', 'village']));
    }
  });
  return (
    <form className="record-form" onSubmit={(e) => void submit(e)} noValidate>
      <Field form={form} name="headName" label={t('households.head')}>
        <input {...form.register('headName')} />
      </Field>
      <Field form={form} name="code" label={t('households.code')}>
        <input {...form.register('code')} />
      </Field>
      <Field form={form} name="phone" label={t('households.phone')}>
        <input {...form.register('phone', { setValueAs: emptyToNull })} inputMode="tel" />
      </Field>
      <Field form={form} name="village" label={t('households.village')}>
        <input {...form.register('village', { setValueAs: emptyToNull })} />
      </Field>
      <SaveRow message={message} busy={form.formState.isSubmitting} onCancel={onDone} />
    </form>
  );
}

function RevealId({ householdId }: { householdId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [idNumber, setIdNumber] = useState<string | null>(null);
  const form = useSchemaForm<z.input<typeof revealIdSchema>, z.output<typeof revealIdSchema>>(
    revealIdSchema,
    { reason: '' },
  );
  const [message, setMessage] = useState<string | null>(null);
  const submit = form.handleSubmit(async (dto) => {
    try {
      const answer = await apiPost<{ idNumber: string }>(
        `/households/${householdId}/reveal-id`,
        dto,
      );
      setIdNumber(answer.idNumber);
    } catch (error) {
      setMessage(showSaveError(t, form, error, ['reason']));
    }
  });
  if (idNumber) return <p className="revealed">{t('households.revealed', { idNumber })}</p>;
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t('households.reveal')}
      </button>
    );
  return (
    <form className="record-form inline" onSubmit={(e) => void submit(e)} noValidate>
      <Field form={form} name="reason" label={t('households.revealReason')}>
        <input {...form.register('reason')} />
      </Field>
      {message && (
        <p role="alert" className="form-error">
          {message}
        </p>
      )}
      <button type="submit">{t('households.reveal')}</button>
    </form>
  );
}

function Consents({ household, writable }: { household: HouseholdDto; writable: boolean }) {
  const { t, locale } = useI18n();
  const path = `/households/${household.id}/consents`;
  const consents = useApi<ConsentRecordDto[]>(path);
  const form = useSchemaForm<z.input<typeof consentSchema>, z.output<typeof consentSchema>>(
    consentSchema,
    { scope: 'name_on_provenance_page', evidence: '' },
  );
  const [message, setMessage] = useState<string | null>(null);
  const record = useApiMutation((dto: z.output<typeof consentSchema>) =>
    apiPost<ConsentRecordDto>(path, dto),
  );
  const revoke = useApiMutation((consentId: string) =>
    apiPost<ConsentRecordDto>(`${path}/${consentId}/revoke`, {}),
  );
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      await record.mutateAsync(dto);
      form.reset({ scope: 'name_on_provenance_page', evidence: '' });
    } catch (error) {
      setMessage(showSaveError(t, form, error, ['scope', 'evidence']));
    }
  });
  return (
    <section>
      <h2>{t('households.consents')}</h2>
      <Loaded query={consents}>
        {(list) =>
          list.length === 0 ? (
            <p className="empty">{t('common.none')}</p>
          ) : (
            <ul className="related">
              {list.map((c) => (
                <li key={c.id}>
                  {t(`households.consentScope.${c.scope}`)} · {c.evidence} ·{' '}
                  {new Date(c.recordedAt).toLocaleDateString(locale)} ·{' '}
                  {c.revokedAt
                    ? t('households.consentRevoked', {
                        date: new Date(c.revokedAt).toLocaleDateString(locale),
                      })
                    : t('households.consentStanding')}
                  {writable && !c.revokedAt && (
                    <button
                      type="button"
                      onClick={() =>
                        revoke.mutate(c.id, {
                          onError: (error) => setMessage(showSaveError(t, form, error, [])),
                        })
                      }
                    >
                      {t('households.consentRevoke')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      {writable && (
        <form className="record-form inline" onSubmit={(e) => void submit(e)} noValidate>
          <Field form={form} name="evidence" label={t('households.consentEvidence')}>
            <input {...form.register('evidence')} />
          </Field>
          <button type="submit">{t('households.consentRecord')}</button>
        </form>
      )}
      {message && (
        <p role="alert" className="form-error">
          {message}
        </p>
      )}
    </section>
  );
}

function LeaveForm({ householdId }: { householdId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const form = useSchemaForm<
    z.input<typeof leaveHouseholdSchema>,
    z.output<typeof leaveHouseholdSchema>
  >(leaveHouseholdSchema, { leftOn: todayIso(), reason: '' });
  const [message, setMessage] = useState<string | null>(null);
  const leave = useApiMutation((dto: z.output<typeof leaveHouseholdSchema>) =>
    apiPost<HouseholdDto>(`/households/${householdId}/leave`, dto),
  );
  const submit = form.handleSubmit(async (dto) => {
    try {
      await leave.mutateAsync(dto);
    } catch (error) {
      setMessage(showSaveError(t, form, error, ['leftOn', 'reason']));
    }
  });
  return (
    <section>
      {!open ? (
        <button type="button" className="danger" onClick={() => setOpen(true)}>
          {t('households.leave')}
        </button>
      ) : (
        <form className="record-form" onSubmit={(e) => void submit(e)} noValidate>
          <h2>{t('households.leave')}</h2>
          <Field form={form} name="leftOn" label={t('households.leftOn')}>
            <input type="date" {...form.register('leftOn')} max={todayIso()} />
          </Field>
          <Field form={form} name="reason" label={t('households.leaveReason')}>
            <input {...form.register('reason')} />
          </Field>
          {message && (
            <p role="alert" className="form-error">
              {message}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" className="danger">
              {t('households.leaveConfirm')}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Every revision the household has had, newest first, with who recorded it. */
function HouseholdTimeline({ householdId }: { householdId: string }) {
  const { t, locale } = useI18n();
  const revisions = useApi<HouseholdRevisionDto[]>(`/households/${householdId}/revisions`);
  return (
    <section>
      <h2>{t('timeline.title')}</h2>
      <Loaded query={revisions}>
        {(list) => (
          <ol className="timeline">
            {[...list].reverse().map((r) => (
              <li key={r.revision}>
                <strong>{t('households.revision', { revision: r.revision })}</strong> ·{' '}
                {new Date(r.recordedAt).toLocaleString(locale)}
                {r.recordedBy && <> · {t('timeline.by', { who: r.recordedBy })}</>}
                <div className="muted">
                  {r.code} · {r.headName} · {r.phone ?? r.phoneMasked ?? '—'} · {r.village ?? '—'}
                  {r.leftOn && (
                    <>
                      {' '}
                      ·{' '}
                      {t('households.left', {
                        date: formatDate(r.leftOn),
                        reason: r.leftReason ?? '',
                      })}
                    </>
                  )}
                </div>
              </li>
            ))}
          </ol>
        )}
      </Loaded>
    </section>
  );
}
