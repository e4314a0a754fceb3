import type { AuditEntryDto, UserDto } from '@huuco/domain';
import { useI18n } from '../i18n';
import { PagedTable } from '../PagedTable';

export function UsersPage() {
  const { t } = useI18n();
  return (
    <div className="registry">
      <PagedTable<UserDto>
        title={t('nav.users')}
        path="/users?sort=username"
        columns={[
          { header: t('users.username'), cell: (u) => u.username },
          { header: t('users.name'), cell: (u) => u.displayName, optional: true },
          { header: t('users.role'), cell: (u) => t(`role.${u.role}`) },
          {
            header: t('registry.status'),
            cell: (u) =>
              u.disabled
                ? t('users.disabled')
                : u.lockedUntil
                  ? t('users.locked')
                  : t('users.active'),
          },
        ]}
      />
    </div>
  );
}

export function AuditPage() {
  const { t, locale } = useI18n();
  return (
    <div className="registry">
      <PagedTable<AuditEntryDto>
        title={t('nav.audit')}
        path="/audit?order=desc"
        columns={[
          { header: t('audit.at'), cell: (a) => new Date(a.at).toLocaleString(locale) },
          { header: t('audit.actor'), cell: (a) => a.actorUsername ?? '—' },
          { header: t('audit.action'), cell: (a) => a.action },
          { header: t('audit.entity'), cell: (a) => a.entity, optional: true },
        ]}
      />
    </div>
  );
}
