import {
  can,
  cooperativeStatusChangeSchema,
  createCooperativeSchema,
  updateCooperativeSchema,
  type AdminUnitDto,
  type CooperativeDto,
  type CooperativeStatus,
  type Page,
} from '@huuco/domain';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { apiPatch, apiPost } from '../../api';
import { emptyToNull, Field, SaveRow, showSaveError, useSchemaForm } from '../../app/forms';
import { Loaded, useApi, useApiMutation } from '../../app/query';
import { RecordChanges } from '../../app/RecordChanges';
import { useAuth } from '../../auth';
import { formatDate, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { DatedStatus } from '../DatedStatus';

/** The communes a cooperative may be registered in. */
function useCommunes() {
  return useApi<Page<AdminUnitDto>>('/admin-units?level=commune&pageSize=500&sort=name');
}

type CreateInput = z.input<typeof createCooperativeSchema>;
type CreateOutput = z.output<typeof createCooperativeSchema>;

export function CooperativeCreatePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const communes = useCommunes();
  const form = useSchemaForm<CreateInput, CreateOutput>(createCooperativeSchema, {
    status: 'active',
    foundedOn: null,
    address: null,
  });
  const [message, setMessage] = useState<string | null>(null);
  const create = useApiMutation((dto: CreateOutput) =>
    apiPost<CooperativeDto>('/cooperatives', dto),
  );
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      const saved = await create.mutateAsync(dto);
      navigate(`/cooperatives/${saved.id}`);
    } catch (error) {
      setMessage(showSaveError(t, form, error, Object.keys(createCooperativeSchema.shape)));
    }
  });
  return (
    <div className="record">
      <Link to="/registry">{t('common.back')}</Link>
      <h1>{t('registry.newCooperativeTitle')}</h1>
      <form className="record-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field form={form} name="name" label={t('registry.name')}>
          <input {...form.register('name')} />
        </Field>
        <Field form={form} name="registrationNumber" label={t('registry.registration')}>
          <input {...form.register('registrationNumber')} />
        </Field>
        <Field form={form} name="communeId" label={t('registry.commune')}>
          <select {...form.register('communeId')}>
            <option value="">—</option>
            {communes.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field form={form} name="foundedOn" label={t('registry.foundedOn')}>
          <input type="date" {...form.register('foundedOn', { setValueAs: emptyToNull })} />
        </Field>
        <Field form={form} name="address" label={t('registry.address')}>
          <input {...form.register('address', { setValueAs: emptyToNull })} />
        </Field>
        <SaveRow message={message} busy={form.formState.isSubmitting} />
      </form>
    </div>
  );
}

/** A cooperative's record: its facts, members, and the dated history of its standing. */
export function CooperativePage() {
  const { id } = useParams();
  const { t } = useI18n();
  const cooperative = useApi<CooperativeDto>(`/cooperatives/${id}`);
  return (
    <div className="record">
      <Link to="/registry">{t('common.back')}</Link>
      <Loaded query={cooperative}>{(c) => <CooperativeRecord cooperative={c} />}</Loaded>
    </div>
  );
}

function CooperativeRecord({ cooperative: c }: { cooperative: CooperativeDto }) {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const writable = !!user && can(user.role, 'cooperatives.write');
  const [editing, setEditing] = useState(false);
  return (
    <>
      <h1>
        {c.name} <span className="muted">· {c.registrationNumber}</span>
      </h1>
      <p>
        <span className={`badge ${c.status === 'active' ? 'zone-certified' : 'zone-planned'}`}>
          {t(`registry.${c.status}`)}
        </span>
      </p>
      {editing ? (
        <CooperativeEdit cooperative={c} onDone={() => setEditing(false)} />
      ) : (
        <>
          <dl className="facts">
            <dt>{t('registry.commune')}</dt>
            <dd>{c.commune.name}</dd>
            <dt>{t('registry.foundedOn')}</dt>
            <dd>{formatDate(c.foundedOn)}</dd>
            <dt>{t('registry.address')}</dt>
            <dd>{c.address ?? '—'}</dd>
            <dt>{t('registry.households')}</dt>
            <dd>{formatNumber(c.householdCount, locale, 0)}</dd>
          </dl>
          {writable && (
            <button type="button" onClick={() => setEditing(true)}>
              {t('registry.editCooperative')}
            </button>
          )}
        </>
      )}
      <DatedStatus<CooperativeStatus>
        path={`/cooperatives/${c.id}/status-changes`}
        schema={cooperativeStatusChangeSchema}
        next={c.status === 'active' ? ['inactive'] : ['active']}
        label={(s) => t(`registry.${s}`)}
        writable={writable}
      />
      <RecordChanges path={`/cooperatives/${c.id}/changes`} />
    </>
  );
}

type EditInput = z.input<typeof updateCooperativeSchema>;
type EditOutput = z.output<typeof updateCooperativeSchema>;

function CooperativeEdit({
  cooperative: c,
  onDone,
}: {
  cooperative: CooperativeDto;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const communes = useCommunes();
  const form = useSchemaForm<EditInput, EditOutput>(updateCooperativeSchema, {
    name: c.name,
    communeId: c.commune.id,
    foundedOn: c.foundedOn,
    address: c.address,
  });
  const [message, setMessage] = useState<string | null>(null);
  const save = useApiMutation((dto: EditOutput) =>
    apiPatch<CooperativeDto>(`/cooperatives/${c.id}`, dto),
  );
  const submit = form.handleSubmit(async (dto) => {
    try {
      await save.mutateAsync(dto);
      onDone();
    } catch (error) {
      setMessage(showSaveError(t, form, error, ['name', 'communeId', 'foundedOn', 'address']));
    }
  });
  return (
    <form className="record-form" onSubmit={(e) => void submit(e)} noValidate>
      <Field form={form} name="name" label={t('registry.name')}>
        <input {...form.register('name')} />
      </Field>
      <Field form={form} name="communeId" label={t('registry.commune')}>
        <select {...form.register('communeId')}>
          {communes.data?.items.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </Field>
      <Field form={form} name="foundedOn" label={t('registry.foundedOn')}>
        <input type="date" {...form.register('foundedOn', { setValueAs: emptyToNull })} />
      </Field>
      <Field form={form} name="address" label={t('registry.address')}>
        <input {...form.register('address', { setValueAs: emptyToNull })} />
      </Field>
      <SaveRow message={message} busy={form.formState.isSubmitting} onCancel={onDone} />
    </form>
  );
}
