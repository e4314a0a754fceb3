import type { AuditEntryDto } from '@huuco/domain';
import { useI18n } from '../i18n';
import { PagedTable } from '../PagedTable';

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
