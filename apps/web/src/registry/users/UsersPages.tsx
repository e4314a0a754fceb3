import {
  createUserSchema,
  Role,
  scopeKindOf,
  updateUserSchema,
  type AdminUnitDto,
  type AuditEntryDto,
  type BuyerDto,
  type CooperativeDto,
  type Page,
  type UserDto,
} from '@huuco/domain';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { apiPatch, apiPost } from '../../api';
import { Field, SaveRow, showSaveError, useSchemaForm } from '../../app/forms';
import { apiErrorInWords, Loaded, useApi, useApiMutation } from '../../app/query';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { PagedTable } from '../../PagedTable';

export function UsersPage() {
  const { t, locale } = useI18n();
  return (
    <div className="registry">
      <PagedTable<UserDto>
        title={t('nav.users')}
        path="/users"
        search
        sorts={[
          { value: 'username', label: t('users.username') },
          { value: 'createdAt', label: t('users.createdAt') },
        ]}
        rowLink={(u) => `/users/${u.id}`}
        actions={
          <Link className="button primary" to="/users/new">
            {t('users.new')}
          </Link>
        }
        columns={[
          { header: t('users.username'), cell: (u) => u.username },
          { header: t('users.name'), cell: (u) => u.displayName, optional: true },
          { header: t('users.role'), cell: (u) => t(`role.${u.role}`) },
          { header: t('registry.status'), cell: (u) => <UserStanding user={u} /> },
          {
            header: t('users.createdAt'),
            cell: (u) => new Date(u.createdAt).toLocaleDateString(locale),
            optional: true,
          },
        ]}
      />
    </div>
  );
}

function UserStanding({ user }: { user: UserDto }) {
  const { t } = useI18n();
  return (
    <>
      {user.disabled
        ? t('users.disabled')
        : user.lockedUntil
          ? t('users.locked')
          : t('users.active')}
    </>
  );
}

type CreateInput = z.input<typeof createUserSchema>;
type CreateOutput = z.output<typeof createUserSchema>;

/** An account with its role and the scope that role needs: a cooperative, a buyer, or units. */
export function UserCreatePage() {
  const { t } = useI18n();
  const { user: admin } = useAuth();
  const navigate = useNavigate();
  const form = useSchemaForm<CreateInput, CreateOutput>(createUserSchema, {
    role: 'coop_member',
    cooperativeId: null,
    buyerId: null,
    adminUnitIds: admin?.adminUnitIds ?? [],
  });
  const role = form.watch('role') as Role;
  const kind = scopeKindOf(role);
  const cooperatives = useApi<Page<CooperativeDto>>(
    kind === 'cooperative' ? '/cooperatives?pageSize=200&sort=name' : null,
  );
  const buyers = useApi<Page<BuyerDto>>(kind === 'buyer' ? '/buyers?pageSize=500&sort=name' : null);
  const allUnits = useApi<Page<AdminUnitDto>>(
    kind === 'units' ? '/admin-units?pageSize=500&sort=name' : null,
  );
  // The administrator gives only units of their own: theirs and the communes below them.
  const mine = new Set(admin?.adminUnitIds ?? []);
  const units = allUnits.data?.items.filter(
    (u) => mine.has(u.id) || (u.parentId !== null && mine.has(u.parentId)),
  );
  const [message, setMessage] = useState<string | null>(null);
  const create = useApiMutation((dto: CreateOutput) => apiPost<UserDto>('/users', dto));
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    // Only the scope the role has goes to the server.
    const scoped: CreateOutput = {
      ...dto,
      cooperativeId: kind === 'cooperative' ? dto.cooperativeId : null,
      buyerId: kind === 'buyer' ? dto.buyerId : null,
      adminUnitIds: kind === 'units' ? dto.adminUnitIds : [],
    };
    try {
      const saved = await create.mutateAsync(scoped);
      navigate(`/users/${saved.id}`);
    } catch (error) {
      setMessage(showSaveError(t, form, error, Object.keys(createUserSchema.shape)));
    }
  });
  return (
    <div className="record">
      <Link to="/users">{t('common.back')}</Link>
      <h1>{t('users.newTitle')}</h1>
      <form className="record-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field form={form} name="username" label={t('users.username')}>
          <input {...form.register('username')} autoComplete="off" autoCapitalize="none" />
        </Field>
        <Field form={form} name="displayName" label={t('users.name')}>
          <input {...form.register('displayName')} autoComplete="off" />
        </Field>
        <Field
          form={form}
          name="password"
          label={t('users.password')}
          hint={t('users.passwordHint')}
        >
          <input type="password" {...form.register('password')} autoComplete="new-password" />
        </Field>
        <Field form={form} name="role" label={t('users.role')}>
          <select {...form.register('role')}>
            {Role.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        {kind === 'cooperative' && (
          <Field form={form} name="cooperativeId" label={t('users.cooperative')}>
            <select {...form.register('cooperativeId', { setValueAs: (v) => v || null })}>
              <option value="">—</option>
              {cooperatives.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        {kind === 'buyer' && (
          <Field form={form} name="buyerId" label={t('users.buyer')}>
            <select {...form.register('buyerId', { setValueAs: (v) => v || null })}>
              <option value="">—</option>
              {buyers.data?.items.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        {kind === 'units' && (
          <fieldset>
            <legend>{t('users.units')}</legend>
            {units?.map((u) => (
              <label key={u.id} className="checkbox">
                <input type="checkbox" value={u.id} {...form.register('adminUnitIds')} />
                {u.name}
              </label>
            ))}
          </fieldset>
        )}
        <SaveRow message={message} busy={form.formState.isSubmitting} />
      </form>
    </div>
  );
}

/** An account's record: its role and standing, and what an administrator may do to it. */
export function UserPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const account = useApi<UserDto>(`/users/${id}`);
  return (
    <div className="record">
      <Link to="/users">{t('common.back')}</Link>
      <Loaded query={account}>{(u) => <UserRecord account={u} />}</Loaded>
    </div>
  );
}

function UserRecord({ account: u }: { account: UserDto }) {
  const { t, locale } = useI18n();
  const [message, setMessage] = useState<string | null>(null);
  const change = useApiMutation((dto: z.output<typeof updateUserSchema>) =>
    apiPatch<UserDto>(`/users/${u.id}`, dto),
  );
  const act = (dto: z.output<typeof updateUserSchema>) => {
    setMessage(null);
    change.mutate(dto, {
      onSuccess: () => setMessage(t('common.saved')),
      onError: (error) => setMessage(apiErrorInWords(t, error)),
    });
  };
  const history = useApi<Page<AuditEntryDto>>(`/audit?entityId=${u.id}&order=desc&pageSize=20`);
  return (
    <>
      <h1>
        {u.displayName} <span className="muted">· {u.username}</span>
      </h1>
      <dl className="facts">
        <dt>{t('users.role')}</dt>
        <dd>{t(`role.${u.role}`)}</dd>
        <dt>{t('registry.status')}</dt>
        <dd>
          <UserStanding user={u} />
        </dd>
        <dt>{t('users.createdAt')}</dt>
        <dd>{new Date(u.createdAt).toLocaleDateString(locale)}</dd>
      </dl>
      {u.lockedUntil && (
        <p>{t('users.lockedUntil', { time: new Date(u.lockedUntil).toLocaleString(locale) })}</p>
      )}
      <div className="form-actions">
        {u.lockedUntil && (
          <button type="button" onClick={() => act({ unlock: true })}>
            {t('users.unlock')}
          </button>
        )}
        {u.disabled ? (
          <button type="button" onClick={() => act({ disabled: false })}>
            {t('users.enable')}
          </button>
        ) : (
          <button type="button" className="danger" onClick={() => act({ disabled: true })}>
            {t('users.disable')}
          </button>
        )}
      </div>
      {message && (
        <p role="status" className="form-message">
          {message}
        </p>
      )}
      <ResetPassword userId={u.id} />
      <section>
        <h2>{t('users.changes')}</h2>
        <Loaded query={history}>
          {(page) => (
            <ol className="timeline">
              {page.items.map((a) => (
                <li key={a.id}>
                  {new Date(a.at).toLocaleString(locale)} · {a.action}
                  {a.actorUsername && <> · {t('timeline.by', { who: a.actorUsername })}</>}
                </li>
              ))}
            </ol>
          )}
        </Loaded>
      </section>
    </>
  );
}

const passwordOnly = updateUserSchema.pick({ password: true }).required();

function ResetPassword({ userId }: { userId: string }) {
  const { t } = useI18n();
  const form = useSchemaForm<z.input<typeof passwordOnly>, z.output<typeof passwordOnly>>(
    passwordOnly,
    { password: '' },
  );
  const [message, setMessage] = useState<string | null>(null);
  const save = useApiMutation((dto: z.output<typeof passwordOnly>) =>
    apiPatch<UserDto>(`/users/${userId}`, dto),
  );
  const submit = form.handleSubmit(async (dto) => {
    setMessage(null);
    try {
      await save.mutateAsync(dto);
      form.reset({ password: '' });
      setMessage(t('common.saved'));
    } catch (error) {
      setMessage(showSaveError(t, form, error, ['password']));
    }
  });
  return (
    <section>
      <h2>{t('users.resetPassword')}</h2>
      <form className="record-form inline" onSubmit={(e) => void submit(e)} noValidate>
        <Field form={form} name="password" label={t('users.newPassword')}>
          <input type="password" {...form.register('password')} autoComplete="new-password" />
        </Field>
        <button type="submit">{t('users.resetPassword')}</button>
      </form>
      {message && (
        <p role="status" className="form-message">
          {message}
        </p>
      )}
    </section>
  );
}
