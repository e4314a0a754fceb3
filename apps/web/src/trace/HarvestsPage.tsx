import { can, type HarvestDto } from '@huuco/domain';
import { useState } from 'react';
import { useAuth } from '../auth';
import { OutboxPanel } from '../field/OutboxPanel';
import type { Outgoing } from '../field/outbox';
import { formatDate, formatNumber } from '../format';
import { useI18n } from '../i18n';
import { PagedTable } from '../PagedTable';
import { HarvestForm } from './HarvestForm';

export function HarvestsPage() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const [editing, setEditing] = useState<Outgoing | null>(null);
  const writes = user && can(user.role, 'harvests.write');
  return (
    <div className="registry">
      {writes && (
        <HarvestForm key={editing?.id ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
      )}
      {writes && <OutboxPanel kind="harvest" onEdit={setEditing} />}
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
